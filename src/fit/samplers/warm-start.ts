import type { TrialHistory } from "../history.ts";
import { toUnit, type Distribution } from "../space.ts";

/**
 * A promising search distribution estimated from the best trials so far, to start CMA-ES from (the
 * warm start of WS-CMA-ES, Nomura et al. 2021, "Warm Starting CMA-ES for Hyperparameter Optimization"):
 * the mean and covariance of the top points plus a small isotropic prior α²I, split into a step size σ
 * (the geometric mean of the standard deviations, det(Σ)^(1/2n)) and a shape Σ/σ². The covariance carries
 * what the startup trials learned: a coordinate the good trials agree on (a global scale over many
 * decades) starts with a small step, correlated coordinates with a tilted one.
 */
export interface Promising {
  mean: number[];
  sigma: number;
  /** Σ/σ², row-major n×n. */
  shape: number[];
}

/**
 * `points` are unit-cube points sorted best first; the first `k` are used. `alpha` is the prior's
 * standard deviation (unit-cube units); `centre` "best" puts the mean on the best point instead of the
 * top points' mean.
 */
export function promisingDistribution(
  points: readonly ArrayLike<number>[],
  k: number,
  alpha: number,
  centre: "mean" | "best" = "mean",
): Promising {
  const n = points[0].length;
  const m = Math.max(1, Math.min(k, points.length));
  const avg = new Float64Array(n);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) avg[i] += points[j][i] / m;
  const cov = new Float64Array(n * n);
  for (let j = 0; j < m; j++)
    for (let a = 0; a < n; a++) {
      const da = points[j][a] - avg[a];
      for (let b = 0; b < n; b++) cov[a * n + b] += (da * (points[j][b] - avg[b])) / m;
    }
  for (let a = 0; a < n; a++) cov[a * n + a] += alpha * alpha;
  const logDet = logDeterminant(cov, n);
  const sigma = Math.exp(logDet / (2 * n));
  const shape = Array.from(cov, (c) => c / (sigma * sigma));
  const mean = centre === "best" ? Array.from(points[0]) : Array.from(avg);
  return { mean, sigma, shape };
}

/** log det of a symmetric positive-definite matrix (Cholesky). */
export function logDeterminant(a: ArrayLike<number>, n: number): number {
  const l = Float64Array.from(a);
  let logDet = 0;
  for (let j = 0; j < n; j++) {
    let d = l[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0)) throw new Error("logDeterminant: the matrix is not positive definite");
    const djj = Math.sqrt(d);
    l[j * n + j] = djj;
    logDet += 2 * Math.log(djj);
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / djj;
    }
  }
  return logDet;
}

/**
 * The completed trials that hold every parameter of `names`, as unit-cube points, best first (from the
 * history's column store).
 */
export function rankedPoints(
  history: TrialHistory,
  names: readonly string[],
  dists: readonly Distribution[],
): Float64Array[] {
  const { order, length } = history.sortedCompleteRows();
  const cols = names.map((k) => history.column(k));
  const points: Float64Array[] = [];
  for (let q = 0; q < length; q++) {
    const row = order[q];
    const x = new Float64Array(names.length);
    let ok = true;
    for (let j = 0; j < names.length && ok; j++) {
      const v = cols[j]?.data[row];
      if (v === undefined || Number.isNaN(v)) ok = false;
      else x[j] = Math.min(1, Math.max(0, toUnit(dists[j], v)));
    }
    if (ok) points.push(x);
  }
  return points;
}
