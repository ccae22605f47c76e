import type { NoiseEstimate } from "./noise.ts";

/**
 * The outcome of an ablation, plain JSON (no NaN, no typed arrays): the CLI, charts and report render it.
 * All values are in the game's score units, higher is better.
 */
export interface ShapleyResult {
  kind: "kiln.shapley";
  version: 1;
  players: string[];
  method: "exact" | "permutation";
  vEmpty: number;
  vFull: number;
  /** v(N) − v(∅): what the Shapley values split (Σφ = total). */
  total: number;
  phi: number[];
  /** φ_i / (v(N) − v(∅)); sums to 1. Null when v(N) = v(∅). */
  share: (number | null)[];
  shareOf: "v(N) - v(∅)";
  /** Sampling standard error of φ_i (0 for exact). */
  se: number[];
  /** √(se² + (σ_v·√Σc²)²): sampling and refit noise together; the SE used by the zero flag and pruning. */
  uncertainty: number[];
  banzhaf: (number | null)[] | null;
  /** Sampling SE of the Banzhaf values (0 for exact; null where a group had no draw). */
  banzhafSe: (number | null)[] | null;
  /** v({i}) − v(∅). */
  solo: number[];
  /** v(N) − v(N∖{i}). */
  loo: number[];
  /** Shapley interaction index I_ij (exact mode only); diagonal 0. */
  interaction: number[][] | null;
  /** Banzhaf interaction (exact, or sampled by maximum sample reuse); null entries had no draw. */
  banzhafInteraction: (number | null)[][] | null;
  /** Σφ − (v(N) − v(∅)); ~1e-15 for exact, 0 up to rounding for permutation sampling. */
  efficiencyGap: number;
  noise: NoiseEstimate | null;
  flags: {
    /** |φ_i| < 2·uncertainty_i: the data cannot tell φ_i from zero. */
    indistinguishableFromZero: boolean[];
  };
  sampling: {
    permutations: number;
    converged: boolean;
    tolerance: number;
    z: number;
    seed: number;
    /** First order of each antithetic pair, in draw order (pass back as `orders` to reuse them). */
    orders: number[][];
    banzhafSamples: number;
  } | null;
  evaluations: {
    /** Coalitions this result reads. */
    coalitions: number;
    /** game.value() calls made during this run (cache hits excluded). */
    newEvaluations: number;
    elapsedMs: number;
  };
}

/** A number for JSON: NaN and ±Infinity become null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function toList(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

export function toNullableList(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, finiteOrNull);
}

export function toMatrix(m: readonly ArrayLike<number>[]): number[][] {
  return m.map((row) => Array.from(row));
}

export function toNullableMatrix(m: readonly ArrayLike<number>[]): (number | null)[][] {
  return m.map((row) => Array.from(row, finiteOrNull));
}
