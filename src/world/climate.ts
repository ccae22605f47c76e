import { NOLEAP_MONTH_DAYS } from "../grid/time.ts";
import { clamp, componentRng, sigmoid, timeMean, window, yearPhase, type WorldContext } from "./context.ts";
import { LatticeSampler, ar1Fields, smoothField } from "./noise.ts";

const DEG = Math.PI / 180;

/**
 * Precipitation (mm day-1): a tropical rain belt that migrates with the seasons (further over the
 * monsoon continents), year-round equatorial convection, mid-latitude storm-track rain (winter-wet
 * coasts, summer-wet interiors, dry Mediterranean summers), less rain far from the sea, ENSO
 * teleconnections and smooth lognormal monthly weather.
 */
export function precipitation(ctx: WorldContext): Float32Array {
  const { nCell, nTime, time, geo, enso } = ctx;
  const rng = componentRng(ctx, "precip");
  const texture = smoothField(rng, geo.lat, geo.lon, [
    [30, 1],
    [12, 0.8],
  ]);
  const weather = ar1Fields(rng, new LatticeSampler(geo.lat, geo.lon, 12), nTime, 0.25);
  const out = new Float32Array(nCell * nTime);
  const an = new Float64Array(nCell);
  const as = new Float64Array(nCell);
  const supply = new Float64Array(nCell);
  const supplyMl = new Float64Array(nCell);
  const cont = new Float64Array(nCell);
  const med = new Float64Array(nCell);
  const tele = new Float64Array(nCell);
  const eastCoast = new Float64Array(nCell);
  const base = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    const la = geo.lat[c];
    const lo = geo.lon[c];
    // Northward and southward reach of the rain belt: the Asian monsoon goes furthest north; Africa,
    // South America and Australia take it furthest south in their summer.
    an[c] = 9 + 14 * Math.exp(-(((lo - 95) / 28) ** 2)) + 2 * Math.exp(-(((lo - 10) / 25) ** 2));
    as[c] =
      11 +
      6 * Math.exp(-(((lo - 28) / 18) ** 2)) +
      7 * Math.exp(-(((lo + 52) / 15) ** 2)) +
      8 * Math.exp(-(((lo - 132) / 18) ** 2));
    supply[c] = 0.35 + 0.65 * Math.exp(-geo.coastKm[c] / 1200);
    supplyMl[c] = 0.3 + 0.7 * Math.exp(-geo.coastKm[c] / 900);
    cont[c] = 1 - Math.exp(-geo.coastKm[c] / 700);
    const alat = Math.abs(la);
    const band = Math.exp(-0.5 * ((alat - 36) / 5) ** 2);
    med[c] =
      la > 0
        ? band * Math.max(window(lo, -125, -114), window(lo, -10, 45), 0.6 * window(lo, 45, 70))
        : band * Math.max(window(lo, -76, -69), window(lo, 15, 30), window(lo, 112, 142));
    tele[c] = ensoPattern(la, lo);
    eastCoast[c] = eastCoastMonsoon(la, lo);
    base[c] = Math.exp(0.3 * texture[c] - 0.045);
  }
  const sigmaW = 0.45;
  for (let t = 0; t < nTime; t++) {
    const tau = yearPhase(time.months[t]);
    const sI = Math.cos(2 * Math.PI * (tau - 0.6));
    const sN = Math.cos(2 * Math.PI * (tau - 0.54)); // +1 in northern summer
    const e = enso[t];
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      const la = geo.lat[c];
      const phi = 3 + (sI > 0 ? an[c] : as[c]) * sI;
      const tilt = 2 * Math.tanh(phi / 5);
      const d = la - phi;
      const sigma = d > 0 ? 7 - tilt : 7 + tilt; // narrow on the poleward side, wide behind
      const pItcz = 11 * supply[c] * Math.exp((-0.5 * d * d) / (sigma * sigma));
      const pEq = 4 * supply[c] * Math.exp(-0.5 * (la / 5.5) ** 2);
      const alat = Math.abs(la);
      const summer = la >= 0 ? sN : -sN;
      let pMl =
        3.2 *
        sigmoid((alat - 35) / 3) *
        Math.exp(-0.5 * (Math.max(0, alat - 50) / 15) ** 2) *
        supplyMl[c] *
        (1 + 0.45 * (cont[c] - 0.4) * summer);
      pMl *= 1 - 0.85 * med[c] * Math.max(0, summer);
      const pEast = 2.2 * eastCoast[c] * (0.6 + 0.4 * summer);
      const p =
        (pItcz + pEq + pMl + pEast + 0.04) *
        base[c] *
        Math.exp(-0.35 * e * tele[c]) *
        Math.exp(sigmaW * weather[row + c] - 0.5 * sigmaW * sigmaW);
      out[row + c] = p;
    }
  }
  return out;
}

/** Warm-season rain on the subtropical east coasts (Gulf of Mexico, East Asia, south-east Brazil...). */
function eastCoastMonsoon(la: number, lo: number): number {
  const box = (a: number, b: number, c: number, d: number) => window(la, a, b, 3) * window(lo, c, d, 4);
  return Math.min(
    1,
    box(24, 40, -100, -74) +
      box(22, 42, 103, 128) +
      box(-35, -20, -60, -40) +
      box(-36, -20, 144, 155) +
      box(-31, -20, 27, 35),
  );
}

/** Where El Niño dries (positive) or wets (negative) the land, in the spirit of the known teleconnections. */
function ensoPattern(la: number, lo: number): number {
  const box = (a: number, b: number, c: number, d: number) => window(la, a, b, 2.5) * window(lo, c, d, 3);
  return (
    1.0 * box(-20, 8, 95, 150) + // maritime continent, northern Australia
    0.6 * box(-30, -10, 15, 40) + // southern Africa
    0.7 * box(-12, 6, -70, -35) + // northern Amazon, north-east Brazil
    0.4 * box(8, 28, 70, 90) + // India
    0.4 * box(8, 18, -95, -75) - // Central America
    1.0 * box(-8, 2, -82, -76) - // coastal Peru and Ecuador
    0.6 * box(-35, -25, -60, -48) - // south-eastern South America
    0.5 * box(25, 36, -118, -80) - // southern United States
    0.6 * box(-5, 5, 35, 45) // East Africa short rains
  );
}

/**
 * Near-surface air temperature (degC): a zonal profile, colder inland and uphill, a seasonal cycle by
 * hemisphere that grows with latitude and continentality, cooler in the rainy season, warmer in El Niño
 * years in the tropics, and smooth monthly anomalies (larger at high latitudes).
 */
export function temperature(ctx: WorldContext, pr: Float32Array): Float32Array {
  const { nCell, nTime, time, geo, enso } = ctx;
  const rng = componentRng(ctx, "temperature");
  const texture = smoothField(rng, geo.lat, geo.lon, [[15, 1]]);
  const weather = ar1Fields(rng, new LatticeSampler(geo.lat, geo.lon, 15), nTime, 0.4);
  const prMean = timeMean(pr, nCell, nTime);
  const tAnn = new Float64Array(nCell);
  // The Gulf Stream and the North Pacific current: mild maritime winters on the western coasts.
  const maritime = (la: number, lo: number) =>
    Math.exp(-0.5 * (((la - 53) / 9) ** 2 + ((lo - 8) / 22) ** 2)) +
    0.6 * Math.exp(-0.5 * (((la - 52) / 7) ** 2 + ((lo + 125) / 8) ** 2));
  const amp = new Float64Array(nCell);
  const hem = new Float64Array(nCell);
  const noiseAmp = new Float64Array(nCell);
  const tropics = new Float64Array(nCell);
  for (let c = 0; c < nCell; c++) {
    const la = geo.lat[c];
    const s2 = Math.sin(la * DEG) ** 2;
    const cont = 1 - Math.exp(-geo.coastKm[c] / 700);
    const mild = maritime(la, geo.lon[c]);
    tAnn[c] =
      -19 +
      46 * Math.cos(la * DEG) ** 1.3 +
      3 * mild -
      4 * cont * s2 -
      6.5 * geo.elevKm[c] +
      1.2 * Math.max(0, 1.5 - prMean[c]) +
      1.0 * texture[c];
    amp[c] = (1 + 24 * s2) * (0.4 + 0.6 * cont) * (1 - 0.35 * mild);
    hem[c] = Math.tanh(la / 4);
    noiseAmp[c] = 0.6 + 2.2 * s2;
    tropics[c] = Math.exp(-0.5 * (la / 18) ** 2);
  }
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const s = Math.cos(2 * Math.PI * (yearPhase(time.months[t]) - 0.54));
    const row = t * nCell;
    for (let c = 0; c < nCell; c++) {
      out[row + c] =
        tAnn[c] +
        amp[c] * hem[c] * s -
        0.35 * (pr[row + c] - prMean[c]) +
        0.3 * enso[t] * tropics[c] +
        noiseAmp[c] * weather[row + c];
    }
  }
  return out;
}

/** Saturation vapour pressure (kPa) at T degC, Tetens' formula. */
export function saturationVapourPressure(tDegC: number): number {
  return 0.6108 * Math.exp((17.27 * tDegC) / (tDegC + 237.3));
}

/**
 * Relative humidity (%), from this and last month's rain, cold air (high RH), and the sea nearby;
 * VPD (kPa) follows from it and temperature, so the two are consistent by construction.
 */
export function humidity(ctx: WorldContext, pr: Float32Array, tas: Float32Array): Float32Array {
  const { nCell, nTime, geo } = ctx;
  const rng = componentRng(ctx, "humidity");
  const weather = ar1Fields(rng, new LatticeSampler(geo.lat, geo.lon, 15), nTime, 0.3);
  const out = new Float32Array(nCell * nTime);
  for (let t = 0; t < nTime; t++) {
    const row = t * nCell;
    const prev = t > 0 ? row - nCell : row;
    for (let c = 0; c < nCell; c++) {
      const pm = 0.6 * pr[row + c] + 0.4 * pr[prev + c];
      const rh =
        0.2 +
        0.62 * (1 - Math.exp(-pm / 2.2)) +
        0.3 * clamp((10 - tas[row + c]) / 25) +
        0.08 * Math.exp(-geo.coastKm[c] / 300) +
        0.03 * weather[row + c];
      out[row + c] = 100 * clamp(rh, 0.05, 0.98);
    }
  }
  return out;
}

export function vapourPressureDeficit(tas: Float32Array, rh: Float32Array): Float32Array {
  const out = new Float32Array(tas.length);
  for (let k = 0; k < tas.length; k++) out[k] = saturationVapourPressure(tas[k]) * (1 - rh[k] / 100);
  return out;
}

/** Daily maximum temperature (degC): the mean plus a diurnal half-range that is larger in dry air. */
export function maxTemperature(tas: Float32Array, rh: Float32Array): Float32Array {
  const out = new Float32Array(tas.length);
  for (let k = 0; k < tas.length; k++) out[k] = tas[k] + 4 + 9 * (1 - rh[k] / 100);
  return out;
}

/** Fraction of dry days in the month (fewer as monthly rain grows), with a little weather noise. */
export function dryDays(ctx: WorldContext, pr: Float32Array): Float32Array {
  const { nCell, nTime, geo } = ctx;
  const rng = componentRng(ctx, "drydays");
  const weather = ar1Fields(rng, new LatticeSampler(geo.lat, geo.lon, 10), nTime, 0);
  const out = new Float32Array(nCell * nTime);
  for (let k = 0; k < out.length; k++) out[k] = clamp(0.97 * Math.exp(-pr[k] / 3.2) + 0.04 * weather[k]);
  return out;
}

/**
 * Cloud-to-ground lightning (flashes km-2 month-1): convective, so it follows rain in warm months,
 * stronger inland, with lognormal noise.
 */
export function lightning(ctx: WorldContext, pr: Float32Array, tas: Float32Array): Float32Array {
  const { nCell, nTime, geo, time } = ctx;
  const rng = componentRng(ctx, "lightning");
  const weather = ar1Fields(rng, new LatticeSampler(geo.lat, geo.lon, 10), nTime, 0.2);
  const out = new Float32Array(nCell * nTime);
  const inland = Float64Array.from(geo.coastKm, (d) => 0.7 + 0.6 * (1 - Math.exp(-d / 700)));
  for (let t = 0; t < nTime; t++) {
    const row = t * nCell;
    const days = NOLEAP_MONTH_DAYS[time.months[t] - 1] / 30.4;
    for (let c = 0; c < nCell; c++) {
      const k = row + c;
      const warm = clamp((tas[k] - 2) / 22) ** 1.5;
      out[k] = 0.55 * days * pr[k] * warm * inland[c] * Math.exp(0.3 * weather[k] - 0.045);
    }
  }
  return out;
}
