import { NOLEAP_MONTH_DAYS } from "../grid/time.ts";
import type { WorldContext } from "./context.ts";

/** Potential evaporation (mm day-1) from temperature and VPD, a Hargreaves-like empirical form. */
export function potentialEvaporation(tas: Float32Array, vpd: Float32Array): Float32Array {
  const out = new Float32Array(tas.length);
  for (let k = 0; k < tas.length; k++) out[k] = Math.max(0, 0.13 * Math.max(0, tas[k]) + 1.1 * vpd[k]);
  return out;
}

const BUCKET_MM = 300;
const SPIN_UP_YEARS = 3;
/** Snow melts at this rate per degree above 0 °C (mm day-1 K-1), a degree-day scheme. */
const MELT_MM_PER_DEGREE_DAY = 3;

/**
 * Rain and snowmelt reaching the soil (mm day-1): precipitation falls as snow below 0 °C, accumulates
 * and melts by degree-days, so boreal soils are wet in spring.
 */
export function liquidWaterInput(ctx: WorldContext, pr: Float32Array, tas: Float32Array): Float32Array {
  const { nCell, nTime, time } = ctx;
  const snow = new Float64Array(nCell);
  const out = new Float32Array(nCell * nTime);
  const step = (t: number, write: boolean) => {
    const days = NOLEAP_MONTH_DAYS[time.months[t] - 1];
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      const T = tas[row + c];
      let liquid = pr[row + c] * days;
      if (T < 0) {
        snow[c] += liquid;
        liquid = 0;
      } else if (snow[c] > 0) {
        const melt = Math.min(snow[c], MELT_MM_PER_DEGREE_DAY * T * days);
        snow[c] -= melt;
        liquid += melt;
      }
      if (write) out[row + c] = liquid / days;
    }
  };
  spinUp(nTime, step);
  for (let t = 0; t < nTime; t++) step(t, true);
  return out;
}

/**
 * Relative soil wetness (0..1): a 300 mm bucket filled by rain and snowmelt and emptied by evaporation
 * at the potential rate times its relative fullness. The state is spun up by repeating the first year.
 */
export function soilMoisture(ctx: WorldContext, water: Float32Array, pet: Float32Array): Float32Array {
  const { nCell, nTime, time } = ctx;
  const w = new Float64Array(nCell).fill(BUCKET_MM / 2);
  const out = new Float32Array(nCell * nTime);
  const step = (t: number, write: boolean) => {
    const days = NOLEAP_MONTH_DAYS[time.months[t] - 1];
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      const avail = w[c] + water[row + c] * days;
      const aet = Math.min(avail, pet[row + c] * days * Math.min(1, avail / BUCKET_MM));
      const next = Math.min(BUCKET_MM, avail - aet);
      if (write) out[row + c] = (0.5 * (w[c] + next)) / BUCKET_MM;
      w[c] = next;
    }
  };
  spinUp(nTime, step);
  for (let t = 0; t < nTime; t++) step(t, true);
  return out;
}

/** Memory of the dryness state per month (e-folding about two months). */
export const DRYNESS_MEMORY = 0.6;
/** Rain wets fuels faster than evaporation dries them: rain counts this many times in the balance. */
export const DRYNESS_RAIN_WEIGHT = 2;
const DRYNESS_SCALE_MM = 250;

/**
 * Accumulated dryness (0 wet .. 1 very dry): a leaky sum of the monthly water deficit,
 * S_t = max(0, λ·S_{t−1} + (PET − w·P)·days) with λ = 0.6 and w = 2, mapped to D = 1 − exp(−S/250 mm).
 * It is exactly 0 while the recent months have been wet and tends to 1 in deserts; like a cumulative
 * water deficit (Aragão et al. 2007) but forgetting, so that each rainy season resets it.
 */
export function accumulatedDryness(ctx: WorldContext, pr: Float32Array, pet: Float32Array): Float32Array {
  const { nCell, nTime, time } = ctx;
  const s = new Float64Array(nCell);
  const out = new Float32Array(nCell * nTime);
  const step = (t: number, write: boolean) => {
    const days = NOLEAP_MONTH_DAYS[time.months[t] - 1];
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      s[c] = Math.max(0, DRYNESS_MEMORY * s[c] + (pet[row + c] - DRYNESS_RAIN_WEIGHT * pr[row + c]) * days);
      if (write) out[row + c] = 1 - Math.exp(-s[c] / DRYNESS_SCALE_MM);
    }
  };
  spinUp(nTime, step);
  for (let t = 0; t < nTime; t++) step(t, true);
  return out;
}

function spinUp(nTime: number, step: (t: number, write: boolean) => void): void {
  const n = Math.min(12, nTime);
  for (let y = 0; y < SPIN_UP_YEARS; y++) for (let t = 0; t < n; t++) step(t, false);
}
