import type { CellIndex } from "../grid/cells.ts";
import type { Grid } from "../grid/grid.ts";
import type { TimeAxis } from "../grid/time.ts";
import { Rng, deriveSeed } from "../util/rng.ts";
import type { Geography } from "./geography.ts";

/** What every component of the built-in world is computed from. */
export interface WorldContext {
  readonly grid: Grid;
  readonly cells: CellIndex;
  readonly time: TimeAxis;
  readonly geo: Geography;
  readonly seed: number;
  readonly nCell: number;
  readonly nTime: number;
  /** The ENSO-like index per month (unit variance; positive is El Niño-like). */
  readonly enso: Float64Array;
}

/** The random stream of one named component: independent of every other component's draws. */
export function componentRng(ctx: { seed: number }, name: string): Rng {
  return new Rng(deriveSeed(ctx.seed, name));
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function clamp(x: number, lo = 0, hi = 1): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** A smooth box window: ≈1 for a < x < b, falling off over `w` on each side. */
export function window(x: number, a: number, b: number, w = 2): number {
  return sigmoid((x - a) / w) * sigmoid((b - x) / w);
}

/** Fraction of the year at the middle of calendar month m (1..12). */
export function yearPhase(month: number): number {
  return (month - 0.5) / 12;
}

/** Mean of each cell over all months: out[c]. */
export function timeMean(data: Float32Array, nCell: number, nTime: number): Float64Array {
  const out = new Float64Array(nCell);
  for (let t = 0; t < nTime; t++) {
    const b = t * nCell;
    for (let c = 0; c < nCell; c++) out[c] += data[b + c];
  }
  for (let c = 0; c < nCell; c++) out[c] /= Math.max(1, nTime);
  return out;
}
