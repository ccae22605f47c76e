/** Small statistics for the audit: deterministic subsamples, quantiles, moments. */

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Every k-th value (k coprime with `period`, so that a time-major field is not sampled at one cell only),
 * finite values only, at most about `max` of them, skipping values for which `skip` is true.
 */
export function sample(
  data: ArrayLike<number>,
  max = 200_000,
  period = 1,
  skip?: (x: number) => boolean,
): Float64Array {
  let step = Math.max(1, Math.ceil(data.length / max));
  while (step > 1 && gcd(step, period) !== 1) step++;
  const out = new Float64Array(Math.ceil(data.length / step));
  let n = 0;
  for (let k = 0; k < data.length; k += step) {
    const x = data[k];
    if (Number.isFinite(x) && !(skip && skip(x))) out[n++] = x;
  }
  return out.subarray(0, n);
}

/** Quantile p (0..1) of an ascending array, linear interpolation; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

export function meanSd(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k];
  const mean = x.length ? s / x.length : NaN;
  let v = 0;
  for (let k = 0; k < x.length; k++) v += (x[k] - mean) ** 2;
  return { mean, sd: x.length > 1 ? Math.sqrt(v / (x.length - 1)) : 0 };
}

/** Two-sample Kolmogorov–Smirnov statistic of two ascending arrays. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < na && j < nb) {
    const x = Math.min(a[i], b[j]);
    while (i < na && a[i] <= x) i++;
    while (j < nb && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / na - j / nb));
  }
  return d;
}

/** A compact number for messages: 3 significant digits, exponent form when very small or large. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}
