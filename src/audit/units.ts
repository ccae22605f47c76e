import { driverInfo } from "../grid/drivers.ts";

/** Robust figures of a field's finite values (fill values excluded). */
export interface ValueStats {
  readonly p01: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * Units a driver's values are often found in by mistake, with the conversion to the internal unit and a
 * test on the values: "looks like" means the test holds and the converted values fit the physical range.
 */
interface Candidate {
  readonly unit: string;
  readonly toInternal: (x: number) => number;
  readonly plausible: (s: ValueStats) => boolean;
}

const CANDIDATES: Readonly<Record<string, readonly Candidate[]>> = {
  degC: [
    { unit: "K", toInternal: (x) => x - 273.15, plausible: (s) => s.p50 > 190 && s.p50 < 330 && s.p01 > 150 },
    { unit: "degF", toInternal: (x) => ((x - 32) * 5) / 9, plausible: (s) => s.p50 > 60 && s.p50 < 110 },
  ],
  kPa: [
    { unit: "Pa", toInternal: (x) => x / 1000, plausible: (s) => s.p99 > 40 && s.p99 < 12_000 },
    { unit: "hPa", toInternal: (x) => x / 10, plausible: (s) => s.p99 > 12 && s.p99 <= 120 },
  ],
  "mm day-1": [
    { unit: "kg m-2 s-1", toInternal: (x) => x * 86400, plausible: (s) => s.p99 > 0 && s.p99 < 2e-3 },
    { unit: "m day-1", toInternal: (x) => x * 1000, plausible: (s) => s.p99 > 0 && s.p99 < 0.2 },
    { unit: "mm month-1", toInternal: (x) => x / 30.4, plausible: (s) => s.p99 > 200 && s.p99 < 6000 },
  ],
  "%": [{ unit: "1", toInternal: (x) => x * 100, plausible: (s) => s.p99 > 0 && s.p99 <= 1 }],
  "1": [{ unit: "%", toInternal: (x) => x / 100, plausible: (s) => s.p99 > 1 && s.p99 <= 100 }],
  "gC m-2 day-1": [
    { unit: "kgC m-2 s-1", toInternal: (x) => x * 8.64e7, plausible: (s) => s.p99 > 0 && s.p99 < 1e-6 },
    { unit: "gC m-2 month-1", toInternal: (x) => x / 30.4, plausible: (s) => s.p99 > 40 && s.p99 < 1200 },
    { unit: "gC m-2 yr-1", toInternal: (x) => x / 365, plausible: (s) => s.p99 > 1200 && s.p99 < 14_000 },
  ],
  "kgC m-2": [
    { unit: "gC m-2", toInternal: (x) => x / 1000, plausible: (s) => s.p99 > 100 && s.p99 < 100_000 },
    { unit: "MgC ha-1 (tC ha-1)", toInternal: (x) => x / 10, plausible: (s) => s.p99 > 100 && s.p99 < 1000 },
  ],
  "flashes km-2 month-1": [
    { unit: "flashes km-2 yr-1", toInternal: (x) => x / 12, plausible: (s) => s.p99 > 100 && s.p99 < 1200 },
    { unit: "flashes m-2 s-1", toInternal: (x) => x * 2.63e12, plausible: (s) => s.p99 > 0 && s.p99 < 1e-10 },
  ],
};

/**
 * Typical magnitude of a driver's 99th percentile in its internal unit: values far below it, though in
 * range, suggest a unit error (precipitation in kg m-2 s-1 is all "in range" but ~1e-5).
 */
const TYPICAL_P99: Readonly<Record<string, readonly [number, number]>> = {
  pr: [0.3, 200],
  vpd: [0.1, 12],
  gpp: [0.3, 40],
  biomass: [0.1, 100],
  tas: [-40, 60],
  tasmax: [-35, 65],
  rh: [5, 100],
};

/** The unit a driver's values look like they are in, or undefined when no candidate fits. */
export function looksLike(driver: string, stats: ValueStats): string | undefined {
  const info = driverInfo(driver);
  if (!info) return undefined;
  for (const c of CANDIDATES[info.units] ?? []) {
    if (!c.plausible(stats)) continue;
    const lo = c.toInternal(stats.p01);
    const hi = c.toInternal(stats.p99);
    if (lo >= info.min - 1e-9 && hi <= info.max + 1e-9) return c.unit;
  }
  return undefined;
}

/** True when a driver's values are in range but of an implausible magnitude for its unit. */
export function implausibleMagnitude(driver: string, stats: ValueStats): boolean {
  const band = TYPICAL_P99[driver];
  if (!band || !Number.isFinite(stats.p99)) return false;
  return stats.p99 < band[0] || stats.p99 > band[1];
}
