import { clamp, componentRng, timeMean, window, type WorldContext } from "./context.ts";
import { smoothField } from "./noise.ts";

/** [lat, lon, peak persons km-2, radius degrees]: the great population centres, smoothed. */
const CENTRES: readonly (readonly [number, number, number, number])[] = [
  [26, 83, 700, 4], // Ganges plain
  [24, 90, 900, 2], // Bengal delta
  [13, 78, 450, 4], // southern India
  [31, 73, 400, 3], // Punjab
  [32, 115, 600, 5], // North China plain, Yangtze
  [23, 113, 500, 3], // Pearl River
  [30, 105, 450, 3], // Sichuan
  [-7, 110, 900, 2], // Java
  [36, 138, 350, 2], // Japan
  [37, 127, 450, 1.5], // Korea
  [14, 121, 300, 2], // Luzon
  [16, 106, 250, 3], // Vietnam, Thailand
  [50, 8, 220, 6], // western Europe
  [52, -1, 250, 2], // Britain
  [43, 12, 200, 3], // Italy
  [50, 25, 100, 6], // eastern Europe
  [27, 31, 800, 1.2], // the Nile
  [8, 6, 220, 4], // Nigeria
  [9, 39, 120, 3], // Ethiopian highlands
  [-1, 31, 250, 3], // African Great Lakes
  [-26, 28, 60, 3], // Highveld
  [39, -78, 120, 5], // eastern United States
  [41, -88, 60, 6], // Midwest
  [35, -119, 90, 3], // California
  [20, -100, 120, 4], // central Mexico
  [-22, -45, 120, 4], // south-eastern Brazil
  [-34, -60, 50, 4], // Río de la Plata
  [5, -75, 60, 3], // Colombia
  [39, 33, 100, 4], // Anatolia
  [33, 52, 50, 5], // Iran
  [34, 2, 90, 4], // the Maghreb coast
  [33, 36, 150, 2.5], // the Levant
  [38, -4, 80, 3], // Iberia
  [55, 40, 50, 6], // western Russia
];

/**
 * Population density (persons km-2): a background that follows how habitable the climate is, the great
 * population centres, and about eighty random settlements placed where the climate is habitable, with
 * growth of 0.5–2.5% a year (fastest in the tropics).
 */
export function populationDensity(ctx: WorldContext, tas: Float32Array, pr: Float32Array): Float32Array {
  const { nCell, nTime, time, geo } = ctx;
  const rng = componentRng(ctx, "popdens");
  const tMean = timeMean(tas, nCell, nTime);
  const pMean = timeMean(pr, nCell, nTime);
  const hab = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    hab[c] =
      window(tMean[c], 3, 29, 3) *
      clamp(pMean[c] / 1.2) *
      Math.exp(-Math.max(0, geo.elevKm[c] - 2)) *
      (0.4 + 0.6 * Math.exp(-geo.coastKm[c] / 600));
  }
  const settlements: [number, number, number, number][] = [];
  for (let tries = 0; settlements.length < 80 && tries < 100000 && nCell > 0; tries++) {
    const c = rng.int(nCell);
    if (rng.next() > hab[c] * hab[c]) continue;
    settlements.push([geo.lat[c], geo.lon[c], 40 * Math.exp(0.7 * rng.normal()), rng.uniform(0.8, 2.5)]);
  }
  const texture = smoothField(rng, geo.lat, geo.lon, [[8, 1]]);
  const base = new Float64Array(nCell);
  const growth = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    let pd = 0.05 + 30 * hab[c] ** 3;
    for (const list of [CENTRES, settlements]) {
      for (const [la, lo, peak, r] of list) {
        let dlon = Math.abs(geo.lon[c] - lo);
        if (dlon > 180) dlon = 360 - dlon;
        const z = ((geo.lat[c] - la) ** 2 + (dlon * Math.cos((geo.lat[c] * Math.PI) / 180)) ** 2) / (r * r);
        if (z < 30) pd += peak * Math.exp(-0.5 * z);
      }
    }
    base[c] = pd * Math.exp(0.3 * texture[c]);
    growth[c] = 0.005 + 0.02 * Math.exp(-0.5 * (geo.lat[c] / 20) ** 2);
  }
  const midYear = 0.5 * (time.years[0] + time.years[nTime - 1] + 1);
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const when = time.years[t] + (time.months[t] - 0.5) / 12 - midYear;
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) out[row + c] = base[c] * Math.pow(1 + growth[c], when);
  }
  return out;
}

/** [lat, lon, cropland fraction, radius degrees]: the grain belts that are farmed but not crowded. */
const GRAIN_BELTS: readonly (readonly [number, number, number, number])[] = [
  [42, -94, 0.55, 5], // US corn belt
  [51, -105, 0.4, 4], // Canadian prairies
  [49, 36, 0.5, 6], // Ukraine and the Russian steppe
  [52, 68, 0.3, 5], // northern Kazakhstan
  [-34, -61, 0.45, 4], // Pampas
  [-33, 146, 0.25, 3], // Murray–Darling
  [-31, 117, 0.25, 2], // Western Australian wheat belt
];

/**
 * Cropland fraction: follows people (1 − e^(−PD/60)) and the grain belts where the climate is suitable
 * (warm enough, not arid); annual values (constant within a year) growing 0.4% a year.
 */
export function croplandFraction(
  ctx: WorldContext,
  popdens: Float32Array,
  tas: Float32Array,
  pr: Float32Array,
  pet: Float32Array,
): Float32Array {
  const { nCell, nTime, time, geo } = ctx;
  const tMean = timeMean(tas, nCell, nTime);
  const pMean = timeMean(pr, nCell, nTime);
  const eMean = timeMean(pet, nCell, nTime);
  const pdMean = timeMean(popdens, nCell, nTime);
  const base = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    const ai = pMean[c] / Math.max(0.1, eMean[c]);
    const suit =
      window(tMean[c], 4, 28, 3) * clamp((ai - 0.2) / 0.35) * Math.exp(-Math.max(0, geo.elevKm[c] - 1.5));
    let belts = 0;
    for (const [la, lo, frac, r] of GRAIN_BELTS) {
      let dlon = Math.abs(geo.lon[c] - lo);
      if (dlon > 180) dlon = 360 - dlon;
      belts += frac * Math.exp((-0.5 * ((geo.lat[c] - la) ** 2 + dlon ** 2)) / (r * r));
    }
    base[c] = clamp((0.75 * (1 - Math.exp(-pdMean[c] / 60)) + belts) * suit, 0, 0.9);
  }
  const midYear = 0.5 * (time.years[0] + time.years[nTime - 1]);
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const f = 1 + 0.004 * (time.years[t] - midYear);
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) out[row + c] = clamp(base[c] * f);
  }
  return out;
}
