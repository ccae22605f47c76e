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

  // Pass 1: the period mean and the climatology sums (the hot loop: one read of the model).
  for (let t = 0; t < nT; t++) {
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
  if (prep.hasIav) iavSums(prep, model, idx, ws);
  scoreCells(prep, ws);
  return ws;
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
): void {
  const nC = prep.nCell;
  const { iavSum, iavDt, cycle } = ws;
  const w = prep.weights;
  const scale = prep.scale;
  iavSum.fill(0);
  iavDt.fill(0);
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
  const { seasonalScore, seasonalLinear, iavModel, iavScore, sqSum, sqDt, crSum, iavSum, iavDt, cycle } = ws;
  const { refMean, sigma, peak, peakDay } = prep;
  const oneStep = prep.nTime === 1;
  const series = prep.rmseBasis === "series";
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
      } else cycleRmse(prep, cycle, c, ws);
      rmseScore[c] = score(crmse[c], s);
    } else {
      rmse[c] = NaN;
      crmse[c] = NaN;
      rmseScore[c] = NaN;
    }

    if (prep.hasCycle) {
      let best = -1;
      let bestVal = -Infinity;
      for (let k = 0; k < 12; k++) {
        const v = cycle[k * nC + c];
        if (v === v && (best < 0 || v > bestVal)) {
          best = k;
          bestVal = v;
        }
      }
      modelPeak[c] = best;
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
 * Cycle basis: the RMSE between the two climatologies, centred on their unweighted 12-slot means for the
 * score, month-length weighted over 365 days (over the slots unmasked in both).
 */
function cycleRmse(prep: PreparedReference, cycle: Float64Array, c: number, ws: Workspace): void {
  const nC = prep.nCell;
  let s = 0;
  let n = 0;
  for (let k = 0; k < 12; k++) {
    const v = cycle[k * nC + c];
    if (v === v) {
      s += v;
      n++;
    }
  }
  const mMean = s / n;
  let plain = 0;
  let centred = 0;
  let den = 0;
  for (let k = 0; k < 12; k++) {
    const i = k * nC + c;
    const m = cycle[i];
    const r = prep.cycle[i];
    if (!(m === m) || !(r === r)) continue;
    const d = CYCLE_DAYS[k];
    const e = m - r;
    const ec = m - mMean - prep.cycleAnom[i];
    plain += e * e * d;
    centred += ec * ec * d;
    den += d;
  }
  ws.rmse[c] = Math.sqrt(plain / den);
  ws.crmse[c] = Math.sqrt(centred / den);
}
