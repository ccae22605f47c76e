import { NOLEAP_MONTH_DAYS } from "../grid/time.ts";
import { clamp, componentRng, sigmoid, timeMean, yearPhase, type WorldContext } from "./context.ts";
import { smoothField } from "./noise.ts";

const DEG = Math.PI / 180;

/**
 * Daily-mean top-of-atmosphere insolation at the middle of calendar month `month`, relative to the
 * equator at equinox (the standard declination / sunset-hour-angle formula).
 */
export function relativeInsolation(latDeg: number, month: number): number {
  const doy = yearPhase(month) * 365;
  const decl = 23.44 * DEG * Math.sin((2 * Math.PI * (doy - 81)) / 365);
  const phi = latDeg * DEG;
  const x = -Math.tan(phi) * Math.tan(decl);
  const h0 = x >= 1 ? 0 : x <= -1 ? Math.PI : Math.acos(x);
  const q = h0 * Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.sin(h0);
  return Math.max(0, q);
}

const GPP_MAX = 7.2;
/** Fraction of the gap between the canopy and what soil water allows that is closed per month. */
const GREEN_UP = 0.85;
const SENESCENCE = 0.45;

/**
 * Gross primary productivity (gC m-2 day-1): a light-use form, GPP = 11 · f_light · f_temperature ·
 * f_water, with f_light from insolation, f_temperature rising from −3 °C to 19 °C and falling above
 * 32 °C, f_water from soil wetness and this month's rain; a mild smooth texture for soils and species.
 */
export function grossPrimaryProductivity(
  ctx: WorldContext,
  tas: Float32Array,
  soilm: Float32Array,
): Float32Array {
  const { nCell, nTime, time, geo } = ctx;
  const rng = componentRng(ctx, "gpp");
  const texture = smoothField(rng, geo.lat, geo.lon, [[20, 1]]);
  const light = new Float64Array(12 * nCell);
  for (let m = 1; m <= 12; m++) {
    for (let c = 0; c < nCell; c++)
      light[(m - 1) * nCell + c] = Math.min(1.15, relativeInsolation(geo.lat[c], m));
  }
  const tex = Float64Array.from(texture, (x) => Math.exp(0.12 * x));
  // The canopy follows soil water with a lag: it greens up within weeks, but sheds leaves over months.
  const canopy = new Float64Array(nCell);
  const out = new Float32Array(nCell * nTime);
  const step = (t: number, write: boolean) => {
    const row = t * nCell;
    const lrow = (time.months[t] - 1) * nCell;
    for (let c = 0; c < nCell; c++) {
      const k = row + c;
      const T = tas[k];
      const fT = clamp((T + 3) / 22) ** 1.2 * Math.exp(-(Math.max(0, T - 32) ** 2) / 60);
      const want = clamp((soilm[k] - 0.1) / 0.5);
      canopy[c] += (want > canopy[c] ? GREEN_UP : SENESCENCE) * (want - canopy[c]);
      if (write) out[k] = GPP_MAX * light[lrow + c] * fT * canopy[c] * tex[c];
    }
  };
  for (let y = 0; y < 2; y++) for (let t = 0; t < Math.min(12, nTime); t++) step(t, false);
  for (let t = 0; t < nTime; t++) step(t, true);
  return out;
}

/**
 * Tree cover fraction (static): high where the climate's moisture index P/PET is high and the warmest
 * month is warm enough for trees, reduced by cropland, with a little texture.
 */
export function treeCover(
  ctx: WorldContext,
  pr: Float32Array,
  pet: Float32Array,
  tas: Float32Array,
  cropland: Float32Array,
): Float32Array {
  const { nCell, nTime, time, geo } = ctx;
  const rng = componentRng(ctx, "treecover");
  const texture = smoothField(rng, geo.lat, geo.lon, [[10, 1]]);
  const pMean = timeMean(pr, nCell, nTime);
  const eMean = timeMean(pet, nCell, nTime);
  const cropMean = timeMean(cropland, nCell, nTime);
  const monthly = new Float64Array(12 * nCell);
  const count = new Float64Array(12);
  for (let t = 0; t < nTime; t++) {
    const m = time.months[t] - 1;
    count[m]++;
    for (let c = 0; c < nCell; c++) monthly[m * nCell + c] += tas[t * nCell + c];
  }
  const out = new Float32Array(nCell);
  for (let c = 0; c < nCell; c++) {
    let warmest = -Infinity;
    for (let m = 0; m < 12; m++)
      if (count[m] > 0) warmest = Math.max(warmest, monthly[m * nCell + c] / count[m]);
    const ai = pMean[c] / Math.max(0.1, eMean[c]);
    const tc =
      0.85 *
      sigmoid((ai - 0.7) / 0.2) *
      clamp(ai / 0.3) *
      sigmoid((warmest - 11) / 1.5) *
      (1 - cropMean[c]) *
      Math.exp(0.1 * texture[c]);
    out[c] = clamp(tc, 0, 0.95);
  }
  return out;
}

/**
 * Aboveground biomass (kgC m-2), accumulated from productivity: dB/dt = 0.6·NPP − B/τ with NPP = 0.45·GPP
 * and a residence time τ = 2 + 18·treecover years, started at its equilibrium with the mean NPP. So it
 * tracks long-term productivity (as in nature), not the month's.
 */
export function abovegroundBiomass(
  ctx: WorldContext,
  gpp: Float32Array,
  treecover: Float32Array,
): Float32Array {
  const { nCell, nTime, time } = ctx;
  const gMean = timeMean(gpp, nCell, nTime);
  const b = new Float64Array(nCell);
  const tau = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    tau[c] = 2 + 18 * treecover[c];
    b[c] = 0.6 * 0.45 * gMean[c] * 0.365 * tau[c];
  }
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const days = NOLEAP_MONTH_DAYS[time.months[t] - 1];
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      const npp = (0.45 * gpp[row + c] * days) / 1000; // kgC m-2 this month
      b[c] += 0.6 * npp - (b[c] * days) / 365 / tau[c];
      out[row + c] = b[c];
    }
  }
  return out;
}
