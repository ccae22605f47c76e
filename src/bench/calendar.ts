/**
 * The time weights ILAMB 2.7 uses when it scores a monthly series: month lengths from the bounds, the
 * mid-point weights of `Variable.rms()` (quirk Q1), and the slots of its annual cycle.
 */
import { NOLEAP_MONTH_DAYS, type TimeAxis } from "../grid/time.ts";

/** ILAMB's `constants.mid_months`: the mid-month day of each noleap month. */
export const MID_MONTHS: readonly number[] = [
  15.5, 45, 74.5, 105, 135.5, 166, 196.5, 227.5, 258, 288.5, 319, 349.5,
];

/** ILAMB's `bnd_months` as lengths: the days of each noleap month, summing to 365. */
export const CYCLE_DAYS: readonly number[] = NOLEAP_MONTH_DAYS;

export interface TimeWeights {
  readonly nTime: number;
  /** Length of each step in days, from its bounds: the weights of every period mean. */
  readonly dt: Float64Array;
  /**
   * Q1: `Variable.rms()` drops the time bounds and rebuilds them at the mid-points between time centres,
   * so the temporal standard deviation weights step t by (c[t+1] − c[t−1]) / 2, ends extrapolated.
   */
  readonly rmsWeight: Float64Array;
  /** Annual-cycle slot (0..11) of each step, or -1 outside the whole years `annualCycle` keeps. */
  readonly cycleSlot: Int8Array;
  /** Number of whole years in the annual cycle (0 when the series is shorter than 12 steps). */
  readonly cycleYears: number;
  /** Climatology slot each step maps to when ILAMB extends the cycle back over the series (IAV). */
  readonly extendSlot: Int8Array;
}

export function timeWeights(time: TimeAxis): TimeWeights {
  const n = time.length;
  const dt = new Float64Array(n);
  for (let t = 0; t < n; t++) dt[t] = time.bounds[2 * t + 1] - time.bounds[2 * t];
  const c = time.centres;
  const rmsWeight = new Float64Array(n);
  if (n === 1) rmsWeight[0] = 0;
  else {
    // Written as ILAMB's _createBnds writes the bounds, so the weights agree to the last bit.
    for (let t = 0; t < n; t++) {
      const lo = t === 0 ? c[0] - 0.5 * (c[1] - c[0]) : 0.5 * (c[t - 1] + c[t]);
      const hi = t === n - 1 ? c[n - 1] + 0.5 * (c[n - 1] - c[n - 2]) : 0.5 * (c[t] + c[t + 1]);
      rmsWeight[t] = hi - lo;
    }
  }
  const cycleSlot = new Int8Array(n).fill(-1);
  let cycleYears = 0;
  if (n >= 12) {
    // annualCycle: begin at the smallest (time mod 365) among the first 11 steps, keep whole years.
    let begin = 0;
    for (let t = 1; t < Math.min(11, n); t++) if (c[t] % 365 < c[begin] % 365) begin = t;
    cycleYears = Math.floor((n - begin) / 12);
    for (let k = 0; k < cycleYears * 12; k++) cycleSlot[begin + k] = k % 12;
  }
  const extendSlot = new Int8Array(n);
  for (let t = 0; t < n; t++) {
    const d = c[t] % 365;
    let best = 0;
    for (let k = 1; k < 12; k++) if (Math.abs(d - MID_MONTHS[k]) < Math.abs(d - MID_MONTHS[best])) best = k;
    extendSlot[t] = best;
  }
  return { nTime: n, dt, rmsWeight, cycleSlot, cycleYears, extendSlot };
}
