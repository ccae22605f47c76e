import { KilnError } from "../util/errors.ts";
import type { CoalitionCache, OnProgress } from "./cache.ts";
import { binomial, formatCoalition, fullMask } from "./game.ts";

/** Repeated values of one coalition (refits with different seeds). */
export interface NoiseRepeat {
  mask: number;
  values: number[];
}

export interface NoiseGroup {
  mask: number;
  coalition: string;
  values: number[];
  mean: number;
  sd: number | null;
}

/**
 * Refit noise: σ_v is the pooled within-coalition standard deviation over the repeated coalitions
 * (normally N and every N∖{i}), with dof = Σ(k_g − 1). The zero bands assume each coalition value carries
 * independent noise of that size (warm starts correlate neighbours, so treat the bands as a guide).
 */
export interface NoiseEstimate {
  sigma: number;
  dof: number;
  groups: NoiseGroup[];
  /** √Σ_S c_S² where exact Shapley is φ_i = Σ_S c_S·v(S); see shapleyCoefficientNorm. */
  shapleyWeightNorm: number;
  /** √Σ_S c_S² for exact Banzhaf: 2^(1 − N/2). */
  banzhafWeightNorm: number;
  /** 2σ_v·√Σc²: an exact Shapley value smaller than this in size is indistinguishable from zero. */
  shapleyZeroBand: number;
  banzhafZeroBand: number;
}

/**
 * √(Σ_S c_S²) for exact Shapley written as a linear form in the coalition values, φ_i = Σ_S c_S·v(S).
 * Every S ∌ i with |S| = s appears once with c = −w(s) and S ∪ {i} once with c = +w(s), where
 * w(s) = s!(N−s−1)!/N! = 1/(N·C(N−1,s)) and there are C(N−1,s) such S, so
 * Σ c² = 2·Σ_{s=0}^{N−1} C(N−1,s)·w(s)² = (2/N²)·Σ_{s=0}^{N−1} 1/C(N−1,s).
 * (N = 1: √2; N = 2: 1; N = 8: 0.276; N = 12: 0.176; it falls like 2/N for large N.)
 */
export function shapleyCoefficientNorm(n: number): number {
  let sum = 0;
  for (let s = 0; s < n; s++) sum += 1 / binomial(n - 1, s);
  return Math.sqrt((2 / (n * n)) * sum);
}

/** √(Σ_S c_S²) for exact Banzhaf: all 2^N values carry ±1/2^(N−1), so Σc² = 2^N/4^(N−1) = 2^(2−N). */
export function banzhafCoefficientNorm(n: number): number {
  return 2 ** (1 - n / 2);
}

/** Pool repeated values into σ_v. At least one coalition needs two or more values. */
export function estimateNoise(repeats: readonly NoiseRepeat[], players: readonly string[]): NoiseEstimate {
  const n = players.length;
  let ss = 0;
  let dof = 0;
  const groups: NoiseGroup[] = [];
  for (const r of repeats) {
    const where = `noise repeats of ${formatCoalition(r.mask, players)}`;
    if (!Number.isInteger(r.mask) || r.mask < 0 || r.mask >= 2 ** n) {
      throw new KilnError(`coalition mask ${r.mask} is not a subset of the ${n} players`, {
        where: "noise repeats",
      });
    }
    for (const x of r.values) {
      if (!Number.isFinite(x))
        throw new KilnError(`value ${x} is not finite`, { where, hint: "drop failed refits" });
    }
    const k = r.values.length;
    if (k === 0) continue;
    let mean = 0;
    for (const x of r.values) mean += x;
    mean /= k;
    let dev = 0;
    for (const x of r.values) dev += (x - mean) ** 2;
    ss += dev;
    dof += k - 1;
    groups.push({
      mask: r.mask,
      coalition: formatCoalition(r.mask, players),
      values: [...r.values],
      mean,
      sd: k > 1 ? Math.sqrt(dev / (k - 1)) : null,
    });
  }
  if (dof < 1) {
    throw new KilnError("the noise estimate needs at least one coalition refit with two or more seeds", {
      where: "noise repeats",
      hint: "give ≥ 2 seeds (3 recommended) for v(N) and each v(N∖{i})",
    });
  }
  const sigma = Math.sqrt(ss / dof);
  const shapleyWeightNorm = shapleyCoefficientNorm(n);
  const banzhafWeightNorm = banzhafCoefficientNorm(n);
  return {
    sigma,
    dof,
    groups,
    shapleyWeightNorm,
    banzhafWeightNorm,
    shapleyZeroBand: 2 * sigma * shapleyWeightNorm,
    banzhafZeroBand: 2 * sigma * banzhafWeightNorm,
  };
}

/** The top coalitions whose refits are repeated: every N∖{i}, then N (warm-start order). */
export function topCoalitions(n: number): number[] {
  const full = fullMask(n);
  const masks: number[] = [];
  for (let i = 0; i < n; i++) masks.push(full & ~(1 << i));
  masks.push(full);
  return masks;
}

/**
 * Refit the top coalitions with each extra seed through game.valueWithSeed. The value already in the cache
 * (from game.value) is the first repeat, so `seeds` must differ from the seed game.value uses.
 */
export async function measureNoise(
  cache: CoalitionCache,
  seeds: readonly number[],
  opts: { concurrency?: number; onProgress?: OnProgress } = {},
): Promise<NoiseRepeat[]> {
  const game = cache.game;
  const withSeed = game.valueWithSeed?.bind(game);
  if (!withSeed) {
    throw new KilnError(
      "the noise estimate needs refits with other seeds, but this game has no valueWithSeed",
      {
        where: "ablation options",
        hint: "pass the repeats directly (noise.repeats) or use a game that can refit with a given seed",
      },
    );
  }
  if (seeds.length < 1) {
    throw new KilnError("noise.seeds is empty", {
      where: "ablation options",
      hint: "give 2 or more extra seeds",
    });
  }
  const masks = topCoalitions(game.n);
  await cache.evaluateAll(masks, { concurrency: opts.concurrency, phase: "coalitions" });
  const jobs: { mask: number; seed: number; slot: number }[] = [];
  for (const mask of masks) seeds.forEach((seed, s) => jobs.push({ mask, seed, slot: s + 1 }));
  // Slot 0 is the cached value, slot s + 1 the refit with seeds[s], whatever order they finish in.
  const results = new Map<number, number[]>(masks.map((m) => [m, [cache.known(m), ...seeds.map(() => NaN)]]));
  const concurrency = opts.concurrency ?? 1;
  const start = Date.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const v = await withSeed(job.mask, job.seed, cache.hint(job.mask));
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new KilnError(
          `v(${formatCoalition(job.mask, game.players)}) with seed ${job.seed} = ${String(v)} is not finite`,
          { where: "noise refits", hint: "check the refit and scoring of this coalition" },
        );
      }
      (results.get(job.mask) as number[])[job.slot] = v;
      done++;
      if (opts.onProgress) {
        const elapsedMs = Date.now() - start;
        opts.onProgress({
          phase: "noise seeds",
          done,
          total: jobs.length,
          elapsedMs,
          etaMs: (elapsedMs / done) * (jobs.length - done),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return masks.map((mask) => ({ mask, values: results.get(mask) as number[] }));
}
