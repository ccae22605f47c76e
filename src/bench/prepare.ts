/**
 * Everything about the reference that ILAMB 2.7's scoring needs and that does not depend on the model,
 * computed once: period means, the temporal std σ (quirk Q1), climatologies and their peaks, region
 * membership. A prepared reference holds nothing about any model; it can score any number of them.
 */
import type { CellIndex } from "../grid/cells.ts";
import type { Dataset } from "../grid/dataset.ts";
import type { TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import { MID_MONTHS, timeWeights, type TimeWeights } from "./calendar.ts";
import type { ReferenceInput, RmseBasis, ScoreOptions } from "./types.ts";

export interface PreparedRegion {
  readonly label: string;
  readonly name: string;
  /** Compressed cell numbers inside the region, increasing. */
  readonly members: Int32Array;
}

export interface PreparedReference {
  readonly cells: CellIndex;
  readonly time: TimeAxis;
  readonly nCell: number;
  readonly nTime: number;
  /** Cells in the whole grid, masked ones included: the n of ILAMB's spatial correlation (quirk Q3). */
  readonly nGridCells: number;
  readonly weights: TimeWeights;
  /** The basis used: "cycle" falls back to "series" when the series is shorter than 12 months. */
  readonly rmseBasis: RmseBasis;
  readonly massWeighting: boolean;
  readonly iav: boolean | "component";
  readonly scale: number;
  readonly units: string;
  /** ILAMB's skips: no RMSE for a single step, no cycle for fewer than 12 steps. */
  readonly hasRmse: boolean;
  readonly hasCycle: boolean;
  readonly hasIav: boolean;
  /** The reference values as given (multiply by `scale` on read). */
  readonly data: Float32Array | Float64Array;
  /** 1 where the reference has at least one unmasked month. */
  readonly refValid: Uint8Array;
  /** Month-length-weighted period mean r̄ (scaled). */
  readonly refMean: Float64Array;
  /** Temporal std with Q1's mid-point weights (r̄ when there is one step). */
  readonly sigma: Float64Array;
  /** Climatology C[k * nCell + c], NaN where every year of slot k is masked. */
  readonly cycle: Float64Array;
  /** Climatology minus its unweighted 12-slot mean. */
  readonly cycleAnom: Float64Array;
  /** Slot of the climatology's first maximum, -1 when the cycle is all masked. */
  readonly peak: Int8Array;
  /** Mid-month day of that peak (NaN when masked). */
  readonly peakDay: Float64Array;
  /** Interannual variability: Q1-weighted rms of the series minus its climatology (when computed). */
  readonly iavRef: Float64Array;
  readonly areas: Float64Array;
  readonly regions: readonly PreparedRegion[];
  /** "Period Mean (original grids)" of the benchmark, per region (ILAMB writes it to the benchmark file). */
  readonly benchmarkPeriodMean: Readonly<Record<string, number>>;
}

/** A Dataset's field as a reference (e.g. `referenceOf(ds.selectYears(train), "burned_area")`). */
export function referenceOf(ds: Dataset, field: string): ReferenceInput {
  const f = ds.field(field);
  if (f.isStatic) throw new KilnError(`field '${field}' has no time axis; the reference must be monthly`);
  return { cells: ds.cells, time: ds.time, data: f.data, units: f.units };
}

export function prepareReference(ref: ReferenceInput, opts: ScoreOptions): PreparedReference {
  const cells = ref.cells;
  const nC = cells.length;
  const nT = ref.time.length;
  if (nT === 0) throw new KilnError("the reference has no time steps", { hint: "give at least one month" });
  if (ref.data.length !== nT * nC) {
    throw new KilnError(
      `the reference has ${ref.data.length} values; expected ${nT} months × ${nC} cells = ${nT * nC}`,
      { hint: "pass data in Kiln's layout data[t * nCell + c] over the given CellIndex" },
    );
  }
  const scale = opts.dataScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new KilnError(`dataScale must be a positive number, got ${scale}`);
  }
  const w = timeWeights(ref.time);
  const hasRmse = nT > 1;
  const hasCycle = nT >= 12;
  const iav = opts.iav ?? false;
  const hasIav = iav !== false && hasRmse && hasCycle;
  const data = ref.data;

  const refValid = new Uint8Array(nC);
  const refMean = new Float64Array(nC);
  const sumDt = new Float64Array(nC);
  for (let t = 0; t < nT; t++) {
    const o = t * nC;
    const d = w.dt[t];
    for (let c = 0; c < nC; c++) {
      const x = data[o + c] * scale;
      if (x === x) {
        refMean[c] += x * d;
        sumDt[c] += d;
      }
    }
  }
  for (let c = 0; c < nC; c++) {
    if (sumDt[c] > 0) {
      refValid[c] = 1;
      refMean[c] /= sumDt[c];
    } else refMean[c] = NaN;
  }

  const sigma = new Float64Array(nC);
  if (nT === 1) sigma.set(refMean);
  else temporalStd(data, scale, refMean, w.rmsWeight, nT, nC, sigma);

  const cycle = new Float64Array(12 * nC).fill(NaN);
  const cycleAnom = new Float64Array(12 * nC).fill(NaN);
  const peak = new Int8Array(nC).fill(-1);
  const peakDay = new Float64Array(nC).fill(NaN);
  if (hasCycle) {
    climatology(data, scale, w, nC, cycle);
    anomaliesAndPeaks(cycle, nC, cycleAnom, peak, peakDay);
  }
  const iavRef = new Float64Array(hasIav ? nC : 0);
  if (hasIav) interannual(data, scale, cycle, w, nT, nC, iavRef);

  const regions: PreparedRegion[] = opts.regions.map((r) => {
    if (r.mask.length !== cells.grid.nCell) {
      throw new KilnError(
        `region '${r.label}' has a mask of ${r.mask.length} cells, the reference grid ${cells.grid.nCell}`,
        { hint: `build regions on the reference grid (${cells.grid.describe()})` },
      );
    }
    const m: number[] = [];
    for (let c = 0; c < nC; c++) if (r.mask[cells.flat[c]]) m.push(c);
    return { label: r.label, name: r.name, members: Int32Array.from(m) };
  });
  const seen = new Set<string>();
  for (const r of regions) {
    if (seen.has(r.label)) throw new KilnError(`region '${r.label}' is given twice`);
    seen.add(r.label);
  }

  const benchmarkPeriodMean: Record<string, number> = {};
  for (const r of regions) {
    let num = 0;
    let den = 0;
    for (const c of r.members) {
      if (!refValid[c]) continue;
      num += refMean[c] * cells.areas[c];
      den += cells.areas[c];
    }
    benchmarkPeriodMean[r.label] = num / den;
  }

  return {
    cells,
    time: ref.time,
    nCell: nC,
    nTime: nT,
    nGridCells: cells.grid.nCell,
    weights: w,
    // no climatology under 12 months: the cycle basis falls back to the series (ILAMB's code is silent here)
    rmseBasis: hasCycle ? (opts.rmseBasis ?? "cycle") : "series",
    massWeighting: opts.massWeighting ?? true,
    iav,
    scale,
    units: ref.units ?? "",
    hasRmse,
    hasCycle,
    hasIav,
    data,
    refValid,
    refMean,
    sigma,
    cycle,
    cycleAnom,
    peak,
    peakDay,
    iavRef,
    areas: cells.areas,
    regions,
    benchmarkPeriodMean,
  };
}

/** σ_c = sqrt(Σ_t (r − r̄)² w_t / Σ_t w_t) over the cell's unmasked steps. */
function temporalStd(
  data: Float32Array | Float64Array,
  scale: number,
  mean: Float64Array,
  wt: Float64Array,
  nT: number,
  nC: number,
  out: Float64Array,
): void {
  const den = new Float64Array(nC);
  for (let t = 0; t < nT; t++) {
    const o = t * nC;
    const d = wt[t];
    for (let c = 0; c < nC; c++) {
      const x = data[o + c] * scale;
      if (x === x) {
        const e = x - mean[c];
        out[c] += e * e * d;
        den[c] += d;
      }
    }
  }
  for (let c = 0; c < nC; c++) out[c] = den[c] > 0 ? Math.sqrt(out[c] / den[c]) : NaN;
}

/** `annualCycle`: the unweighted mean over whole years of each slot, NaN where all years are masked. */
export function climatology(
  data: Float32Array | Float64Array,
  scale: number,
  w: TimeWeights,
  nC: number,
  out: Float64Array,
  count: Float64Array = new Float64Array(12 * nC),
): void {
  out.fill(0);
  count.fill(0);
  for (let t = 0; t < w.nTime; t++) {
    const k = w.cycleSlot[t];
    if (k < 0) continue;
    const o = t * nC;
    const ko = k * nC;
    for (let c = 0; c < nC; c++) {
      const x = data[o + c] * scale;
      if (x === x) {
        out[ko + c] += x;
        count[ko + c] += 1;
      }
    }
  }
  for (let i = 0; i < 12 * nC; i++) out[i] = count[i] > 0 ? out[i] / count[i] : NaN;
}

/**
 * Per cell: anomalies from the unweighted mean of the unmasked slots, the slot of the first maximum
 * (`timeOfExtrema`, masked slots never win) and its mid-month day.
 */
export function anomaliesAndPeaks(
  cycle: Float64Array,
  nC: number,
  anom: Float64Array,
  peak: Int8Array,
  peakDay: Float64Array,
): void {
  for (let c = 0; c < nC; c++) {
    let s = 0;
    let n = 0;
    let best = -1;
    let bestVal = -Infinity;
    for (let k = 0; k < 12; k++) {
      const v = cycle[k * nC + c];
      if (v === v) {
        s += v;
        n++;
        if (best < 0 || v > bestVal) {
          best = k;
          bestVal = v;
        }
      }
    }
    const m = s / n;
    for (let k = 0; k < 12; k++) anom[k * nC + c] = cycle[k * nC + c] - m;
    peak[c] = best;
    peakDay[c] = best < 0 ? NaN : MID_MONTHS[best];
  }
}

/** Q1-weighted rms of the series minus its climatology (ILAMB's IAV, via `ExtendAnnualCycle`). */
export function interannual(
  data: Float32Array | Float64Array,
  scale: number,
  cycle: Float64Array,
  w: TimeWeights,
  nT: number,
  nC: number,
  out: Float64Array,
  den: Float64Array = new Float64Array(nC),
): void {
  out.fill(0);
  den.fill(0);
  for (let t = 0; t < nT; t++) {
    const o = t * nC;
    const ko = w.extendSlot[t] * nC;
    const d = w.rmsWeight[t];
    for (let c = 0; c < nC; c++) {
      const e = data[o + c] * scale - cycle[ko + c];
      if (e === e) {
        out[c] += e * e * d;
        den[c] += d;
      }
    }
  }
  for (let c = 0; c < nC; c++) out[c] = den[c] > 0 ? Math.sqrt(out[c] / den[c]) : NaN;
}
