import { KilnError } from "../util/errors.ts";
import { Rng } from "../util/rng.ts";
import type { CoalitionCache, OnProgress } from "./cache.ts";

/**
 * Banzhaf values by maximum sample reuse (Wang & Jia 2023, "Data Banzhaf"): draw coalitions uniformly (each
 * player in with probability ½) and use every draw for every player: β̂_i = mean{v(S): i ∈ S} − mean{v(S): i ∉ S}.
 * SE_i = √(s²_in/k_in + s²_out/k_out). The Banzhaf interaction is estimated the same way from the four
 * groups of (i ∈ S, j ∈ S): mean₁₁ − mean₁₀ − mean₀₁ + mean₀₀, but on the residuals of a least-squares
 * additive fit v(S) ≈ b₀ + Σ_k b_k·[k ∈ S] (a control variate): the additive part has no pair contrast in
 * expectation, yet in a finite draw the other players' main effects leak into the four group means and
 * swamp a small interaction. Draws are with replacement; repeats cost nothing thanks to the cache.
 * A group with no draw gives NaN (null in the result).
 */
export interface MsrEstimate {
  beta: Float64Array;
  se: Float64Array;
  interaction: Float64Array[];
  samples: number[];
}

/**
 * Residuals of the least-squares fit v ≈ b₀ + Σ b_k·x_k (x_k = [k ∈ S]) by the normal equations with partial
 * pivoting; the centred values if the design is singular (too few or degenerate draws).
 */
function additiveResiduals(samples: readonly number[], vals: readonly number[], n: number): Float64Array {
  const p = n + 1;
  const count = samples.length;
  let mean = 0;
  for (const v of vals) mean += v;
  mean /= Math.max(count, 1);
  const out = Float64Array.from(vals, (v) => v - mean);
  if (count <= p) return out;
  const a = new Float64Array(p * (p + 1)); // augmented [XᵀX | Xᵀy], row-major
  const x = new Float64Array(p);
  for (let k = 0; k < count; k++) {
    x[0] = 1;
    for (let i = 0; i < n; i++) x[i + 1] = (samples[k] >> i) & 1;
    for (let r = 0; r < p; r++) {
      if (x[r] === 0) continue;
      const row = r * (p + 1);
      for (let c = 0; c < p; c++) a[row + c] += x[c];
      a[row + p] += out[k];
    }
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++)
      if (Math.abs(a[r * (p + 1) + c]) > Math.abs(a[piv * (p + 1) + c])) piv = r;
    if (Math.abs(a[piv * (p + 1) + c]) < 1e-9 * count) return out;
    if (piv !== c) {
      for (let k = 0; k <= p; k++) {
        const t = a[c * (p + 1) + k];
        a[c * (p + 1) + k] = a[piv * (p + 1) + k];
        a[piv * (p + 1) + k] = t;
      }
    }
    for (let r = c + 1; r < p; r++) {
      const f = a[r * (p + 1) + c] / a[c * (p + 1) + c];
      if (f === 0) continue;
      for (let k = c; k <= p; k++) a[r * (p + 1) + k] -= f * a[c * (p + 1) + k];
    }
  }
  const b = new Float64Array(p);
  for (let r = p - 1; r >= 0; r--) {
    let acc = a[r * (p + 1) + p];
    for (let c = r + 1; c < p; c++) acc -= a[r * (p + 1) + c] * b[c];
    b[r] = acc / a[r * (p + 1) + r];
  }
  for (let k = 0; k < count; k++) {
    let fit = b[0];
    for (let i = 0; i < n; i++) if ((samples[k] >> i) & 1) fit += b[i + 1];
    out[k] -= fit;
  }
  return out;
}

export function msrEstimateFrom(
  samples: readonly number[],
  n: number,
  valueOf: (mask: number) => number,
): Omit<MsrEstimate, "samples"> {
  const sum = new Float64Array(2 * n);
  const sumSq = new Float64Array(2 * n);
  const count = new Float64Array(2 * n);
  // pair groups: index ((i*n + j)*4 + 2·[i∈S] + [j∈S])
  const pSum = new Float64Array(n * n * 4);
  const pCount = new Float64Array(n * n * 4);
  const vals = samples.map(valueOf);
  let centre = 0; // sums are taken around the sample mean, for accuracy
  for (const v of vals) centre += v;
  centre /= Math.max(vals.length, 1);
  const resid = additiveResiduals(samples, vals, n);
  for (let k = 0; k < samples.length; k++) {
    const s = samples[k];
    const x = vals[k] - centre;
    const e = resid[k];
    for (let i = 0; i < n; i++) {
      const gi = (s >> i) & 1;
      const g = 2 * i + gi;
      sum[g] += x;
      sumSq[g] += x * x;
      count[g]++;
      for (let j = i + 1; j < n; j++) {
        const p = (i * n + j) * 4 + 2 * gi + ((s >> j) & 1);
        pSum[p] += e;
        pCount[p]++;
      }
    }
  }
  const beta = new Float64Array(n);
  const se = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const kIn = count[2 * i + 1];
    const kOut = count[2 * i];
    if (kIn === 0 || kOut === 0) {
      beta[i] = NaN;
      se[i] = NaN;
      continue;
    }
    const mIn = sum[2 * i + 1] / kIn;
    const mOut = sum[2 * i] / kOut;
    beta[i] = mIn - mOut;
    const varIn = kIn > 1 ? (sumSq[2 * i + 1] - kIn * mIn * mIn) / (kIn - 1) : NaN;
    const varOut = kOut > 1 ? (sumSq[2 * i] - kOut * mOut * mOut) / (kOut - 1) : NaN;
    se[i] = Math.sqrt(Math.max(varIn, 0) / kIn + Math.max(varOut, 0) / kOut);
  }
  const interaction = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const base = (i * n + j) * 4;
      let x = 0;
      for (let g = 0; g < 4; g++) {
        const c = pCount[base + g];
        const sign = g === 0 || g === 3 ? 1 : -1;
        x += c > 0 ? (sign * pSum[base + g]) / c : NaN;
      }
      interaction[i][j] = x;
      interaction[j][i] = x;
    }
  }
  return { beta, se, interaction };
}

export async function banzhafMsr(
  cache: CoalitionCache,
  opts: { samples: number; seed?: number; concurrency?: number; onProgress?: OnProgress },
): Promise<MsrEstimate> {
  const n = cache.game.n;
  if (!Number.isInteger(opts.samples) || opts.samples < 2) {
    throw new KilnError(`banzhafSamples must be a whole number ≥ 2, got ${opts.samples}`, {
      where: "ablation options",
      hint: "use 0 to skip the sampled Banzhaf values",
    });
  }
  const rng = new Rng(opts.seed ?? 0);
  const size = 2 ** n;
  const samples = Array.from({ length: opts.samples }, () => rng.int(size));
  await cache.evaluateAll(samples, {
    concurrency: opts.concurrency,
    phase: "banzhaf samples",
    onProgress: opts.onProgress,
  });
  return { ...msrEstimateFrom(samples, n, (m) => cache.known(m)), samples };
}
