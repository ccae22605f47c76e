/**
 * The per-cell half of ILAMB 2.7's `AnalysisMeanStateSpace`: one pass over the model for its period mean
 * and climatology (a second only for the series RMSE or IAV), then the score maps cell by cell.
 */
import { KilnError } from "../util/errors.ts";
import { CYCLE_DAYS, MID_MONTHS } from "./calendar.ts";
import type { PreparedReference } from "./prepare.ts";
import { createWorkspace, type Workspace } from "./workspace.ts";

/** numpy.ma's safe division masks a/b where |a|·tiny ≥ |b| (b = 0 in practice). */
const TINY = 2.2250738585072014e-308;

/** `ilamblib.Score`: exp(−|err/norm|), values below 1e-16 set to 0; NaN where numpy.ma would mask. */
function score(err: number, norm: number): number {
  if (!(err === err) || !(norm === norm) || Math.abs(err) * TINY >= Math.abs(norm)) return NaN;
  const s = Math.exp(-Math.abs(err / norm));
  return s < 1e-16 ? 0 : s;
}

export interface EvaluateOptions {
  /**
   * Row of `model` to read for each reference step, when the model array covers a longer time axis
   * (e.g. a prediction over every year scored against a reference of the training years).
   */
  readonly modelTimeIndices?: ArrayLike<number>;
  /** Buffers to use instead of the reference's own (e.g. one per concurrent caller). */
  readonly workspace?: Workspace;
}

/**
 * One set of buffers per prepared reference, kept outside it (the reference holds nothing about any
 * model) and overwritten by each call on it.
 */
const scratch = new WeakMap<PreparedReference, Workspace>();

/** Fill the workspace with the model's per-cell maps; returns it. */
export function evaluateCells(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  opts: EvaluateOptions = {},
): Workspace {
  const nC = prep.nCell;
  const nT = prep.nTime;
  const idx = opts.modelTimeIndices;
  checkModel(model, nC, nT, idx);
  let ws = opts.workspace ?? scratch.get(prep);
  if (ws === undefined) {
    ws = createWorkspace(nC);
    scratch.set(prep, ws);
  }
  if (ws.nCell !== nC) throw new KilnError(`workspace has ${ws.nCell} cells, the reference ${nC}`);

  const w = prep.weights;
  const scale = prep.scale;
  const series = prep.rmseBasis === "series" && prep.hasRmse;
  const { sumM, sumDtM, cycle, cycleCount } = ws;
  sumM.fill(0);
  sumDtM.fill(0);
  if (prep.hasCycle) {
    cycle.fill(0);
    cycleCount.fill(0);
  }

  // When every model value read is finite, the masks below are the same for every cell: the sums of dt
  // and the slot counts are computed once (in the same order, so to the same bits) and the loops skip them.
  // The first non-finite value stops that pass, and the general one starts again from zero.
  const finite = finiteSums(prep, model, idx, ws);
  if (!finite) {
    sumM.fill(0);
    sumDtM.fill(0);
    if (prep.hasCycle) {
      cycle.fill(0);
      cycleCount.fill(0);
    }
  }
  // Pass 1: the period mean and the climatology sums (the hot loop: one read of the model).
  for (let t = 0; t < (finite ? 0 : nT); t++) {
    const o = (idx === undefined ? t : idx[t]) * nC;
    const d = w.dt[t];
    const k = w.cycleSlot[t];
    if (k >= 0) {
      const ko = k * nC;
      for (let c = 0; c < nC; c++) {
        const x = model[o + c] * scale;
        if (x === x) {
          sumM[c] += x * d;
          sumDtM[c] += d;
          cycle[ko + c] += x;
          cycleCount[ko + c]++;
        }
      }
    } else {
      for (let c = 0; c < nC; c++) {
        const x = model[o + c] * scale;
        if (x === x) {
          sumM[c] += x * d;
          sumDtM[c] += d;
        }
      }
    }
  }

  const { modelMean, modelValid, inter } = ws;
  const refValid = prep.refValid;
  for (let c = 0; c < nC; c++) {
    const v = sumDtM[c] > 0;
    modelValid[c] = v ? 1 : 0;
    modelMean[c] = v ? sumM[c] / sumDtM[c] : NaN;
    inter[c] = v && refValid[c] ? 1 : 0;
  }
  if (prep.hasCycle) {
    for (let i = 0; i < 12 * nC; i++) cycle[i] = cycleCount[i] > 0 ? cycle[i] / cycleCount[i] : NaN;
  }

  if (series) centredSeriesSums(prep, model, idx, ws);
  if (prep.hasIav) iavSums(prep, model, idx, ws, finite);
  scoreCells(prep, ws);
  return ws;
}

/**
 * Pass 1 of evaluateCells for a model whose values (× scale) are all finite: x === x holds everywhere, so
 * Σdt and the slot counts are per month. Returns false, sums incomplete, at the first non-finite value.
 */
function finiteSums(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  idx: ArrayLike<number> | undefined,
  ws: Workspace,
): boolean {
  const nC = prep.nCell;
  const w = prep.weights;
  const scale = prep.scale;
  const { sumM, sumDtM, cycle, cycleCount } = ws;
  let dtSum = 0;
  const counts = new Uint16Array(12);
  for (let t = 0; t < prep.nTime; t++) {
    const o = (idx === undefined ? t : idx[t]) * nC;
    const d = w.dt[t];
    const k = w.cycleSlot[t];
    dtSum += d;
    if (k >= 0) {
      counts[k]++;
      const ko = k * nC;
      for (let c = 0; c < nC; c++) {
        const x = model[o + c] * scale;
        if (!(x - x === 0)) return false;
        sumM[c] += x * d;
        cycle[ko + c] += x;
      }
    } else {
      for (let c = 0; c < nC; c++) {
        const x = model[o + c] * scale;
        if (!(x - x === 0)) return false;
        sumM[c] += x * d;
      }
    }
  }
  sumDtM.fill(dtSum);
  if (prep.hasCycle) for (let k = 0; k < 12; k++) cycleCount.fill(counts[k], k * nC, (k + 1) * nC);
  return true;
}

function checkModel(
  model: Float32Array | Float64Array,
  nC: number,
  nT: number,
  idx: ArrayLike<number> | undefined,
): void {
  if (idx === undefined) {
    if (model.length !== nT * nC) {
      throw new KilnError(
        `the model has ${model.length} values; the reference ${nT} months × ${nC} cells = ${nT * nC}`,
        { hint: "predict over the reference's cells and months, or pass modelTimeIndices" },
      );
    }
    return;
  }
  if (idx.length !== nT) {
    throw new KilnError(`modelTimeIndices has ${idx.length} entries; the reference has ${nT} months`);
  }
  if (model.length % nC !== 0) {
    throw new KilnError(`the model has ${model.length} values, not a whole number of ${nC}-cell months`);
  }
  const rows = model.length / nC;
  for (let t = 0; t < nT; t++) {
    const r = idx[t];
    if (!(Number.isInteger(r) && r >= 0 && r < rows)) {
      throw new KilnError(`modelTimeIndices[${t}] = ${r} is not a month of the model (0..${rows - 1})`);
    }
  }
}

/**
 * Series basis, once the model's period mean is known: Σ dt (m − r)² for the reported RMSE and
 * Σ dt ((m − m̄) − (r − r̄))² for the score, over steps where both are unmasked (Σ dt in sqDt).
 */
function centredSeriesSums(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  idx: ArrayLike<number> | undefined,
  ws: Workspace,
): void {
  const nC = prep.nCell;
  const { sqSum, sqDt, crSum, modelMean } = ws;
  const ref = prep.data;
  const rbar = prep.refMean;
  const scale = prep.scale;
  sqSum.fill(0);
  sqDt.fill(0);
  crSum.fill(0);
  for (let t = 0; t < prep.nTime; t++) {
    const o = (idx === undefined ? t : idx[t]) * nC;
    const ro = t * nC;
    const d = prep.weights.dt[t];
    for (let c = 0; c < nC; c++) {
      const x = model[o + c] * scale;
      const r = ref[ro + c] * scale;
      const e = x - r;
      if (e === e) {
        const ec = x - modelMean[c] - (r - rbar[c]);
        sqSum[c] += e * e * d;
        crSum[c] += ec * ec * d;
        sqDt[c] += d;
      }
    }
  }
}

/** IAV: Q1-weighted Σ (m − C^mod)² with the climatology extended over the series. */
function iavSums(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  idx: ArrayLike<number> | undefined,
  ws: Workspace,
  finite: boolean,
): void {
  const nC = prep.nCell;
  const { iavSum, iavDt, cycle, cycleCount } = ws;
  const w = prep.weights;
  const scale = prep.scale;
  iavSum.fill(0);
  iavDt.fill(0);
  if (finite) {
    // finite model: the climatology is NaN in a slot for every cell alike (no month there) or nowhere
    let dtSum = 0;
    for (let t = 0; t < prep.nTime; t++) {
      const o = (idx === undefined ? t : idx[t]) * nC;
      const ko = w.extendSlot[t] * nC;
      if (cycleCount[ko] === 0) continue;
      const d = w.rmsWeight[t];
      dtSum += d;
      for (let c = 0; c < nC; c++) {
        const e = model[o + c] * scale - cycle[ko + c];
        iavSum[c] += e * e * d;
      }
    }
    iavDt.fill(dtSum);
    return;
  }
  for (let t = 0; t < prep.nTime; t++) {
    const o = (idx === undefined ? t : idx[t]) * nC;
    const ko = w.extendSlot[t] * nC;
    const d = w.rmsWeight[t];
    for (let c = 0; c < nC; c++) {
      const e = model[o + c] * scale - cycle[ko + c];
      if (e === e) {
        iavSum[c] += e * e * d;
        iavDt[c] += d;
      }
    }
  }
}

/** Bias, RMSE, seasonal and IAV maps on the intersection I; NaN outside I and where ILAMB masks. */
function scoreCells(prep: PreparedReference, ws: Workspace): void {
  const nC = prep.nCell;
  const { inter, modelMean, bias, biasScore, rmse, crmse, rmseScore, modelPeak, shiftDays } = ws;
  const { seasonalScore, seasonalLinear, iavModel, iavScore, sqSum, sqDt, crSum, iavSum, iavDt } = ws;
  const { refMean, sigma, peak, peakDay } = prep;
  const oneStep = prep.nTime === 1;
  const series = prep.rmseBasis === "series";
  // model peak slot and (cycle basis) RMSE for every cell, slot by slot over rows (the same sums, in the
  // same slot order, as cell by cell; rows read memory in order)
  if (prep.hasCycle) cycleStats(prep, ws, prep.hasRmse && !series);
  for (let c = 0; c < nC; c++) {
    if (!inter[c]) {
      bias[c] = NaN;
      biasScore[c] = NaN;
      rmse[c] = NaN;
      crmse[c] = NaN;
      rmseScore[c] = NaN;
      modelPeak[c] = -1;
      shiftDays[c] = NaN;
      seasonalScore[c] = NaN;
      seasonalLinear[c] = NaN;
      iavModel[c] = NaN;
      iavScore[c] = NaN;
      continue;
    }
    const rb = refMean[c];
    const s = sigma[c];
    const b = modelMean[c] - rb;
    bias[c] = b;
    // Q2: where σ = 0 the masked division keeps the numerator and the mask is reset to ~I afterwards,
    // so the cell scores exp(−|b|) in data units.
    const nb = oneStep ? rb : s;
    const sb = score(b, nb);
    biasScore[c] = sb === sb ? sb : scoreRaw(b);

    if (prep.hasRmse) {
      if (series) {
        rmse[c] = Math.sqrt(sqSum[c] / sqDt[c]);
        crmse[c] = Math.sqrt(crSum[c] / sqDt[c]);
      } // else set by cycleStats
      rmseScore[c] = score(crmse[c], s);
    } else {
      rmse[c] = NaN;
      crmse[c] = NaN;
      rmseScore[c] = NaN;
    }

    if (prep.hasCycle) {
      const best = modelPeak[c]; // set by cycleStats
      const pr = peak[c];
      if (best < 0 || pr < 0) {
        shiftDays[c] = NaN;
        seasonalScore[c] = NaN;
        seasonalLinear[c] = NaN;
      } else {
        let sh = MID_MONTHS[best] - peakDay[c];
        if (sh < -0.5 * 365) sh += 365;
        if (sh > 0.5 * 365) sh -= 365;
        shiftDays[c] = sh;
        seasonalScore[c] = (1 + Math.cos((Math.abs(sh) / 365) * 2 * Math.PI)) * 0.5;
        let m = best - pr;
        if (m > 6) m -= 12;
        if (m < -6) m += 12;
        seasonalLinear[c] = 1 - Math.abs(m) / 6;
      }
    } else {
      modelPeak[c] = -1;
      shiftDays[c] = NaN;
      seasonalScore[c] = NaN;
      seasonalLinear[c] = NaN;
    }

    if (prep.hasIav) {
      const im = iavDt[c] > 0 ? Math.sqrt(iavSum[c] / iavDt[c]) : NaN;
      iavModel[c] = im;
      iavScore[c] = score(im - prep.iavRef[c], prep.iavRef[c]);
    } else {
      iavModel[c] = NaN;
      iavScore[c] = NaN;
    }
  }
}

function scoreRaw(b: number): number {
  const s = Math.exp(-Math.abs(b));
  return s < 1e-16 ? 0 : s;
}

/**
 * Per cell, over the 12 climatology slots: the model's peak slot (the first largest unmasked value; −1 if
 * none) and, for the cycle basis, the RMSE between the two climatologies, centred on their unweighted
 * 12-slot means for the score, month-length weighted over 365 days (over the slots unmasked in both).
 */
function cycleStats(prep: PreparedReference, ws: Workspace, rmse: boolean): void {
  const nC = prep.nCell;
  const { cycle, modelPeak, peakVal, slotSum, slotCount, slotDen } = ws;
  modelPeak.fill(-1);
  slotSum.fill(0);
  slotCount.fill(0);
  for (let k = 0; k < 12; k++) {
    const ko = k * nC;
    for (let c = 0; c < nC; c++) {
      const v = cycle[ko + c];
      if (v === v) {
        if (modelPeak[c] < 0 || v > peakVal[c]) {
          modelPeak[c] = k;
          peakVal[c] = v;
        }
        slotSum[c] += v;
        slotCount[c]++;
      }
    }
  }
  if (!rmse) return;
  // centred on the model's slot mean: plain and centred sums into rmse/crmse, Σd in slotDen
  const { rmse: plain, crmse: centred } = ws;
  for (let c = 0; c < nC; c++) slotSum[c] = slotSum[c] / slotCount[c];
  plain.fill(0);
  centred.fill(0);
  slotDen.fill(0);
  for (let k = 0; k < 12; k++) {
    const ko = k * nC;
    const d = CYCLE_DAYS[k];
    for (let c = 0; c < nC; c++) {
      const i = ko + c;
      const m = cycle[i];
      const r = prep.cycle[i];
      if (!(m === m) || !(r === r)) continue;
      const e = m - r;
      const ec = m - slotSum[c] - prep.cycleAnom[i];
      plain[c] += e * e * d;
      centred[c] += ec * ec * d;
      slotDen[c] += d;
    }
  }
  for (let c = 0; c < nC; c++) {
    plain[c] = Math.sqrt(plain[c] / slotDen[c]);
    centred[c] = Math.sqrt(centred[c] / slotDen[c]);
  }
}
