import { KilnError } from "../util/errors.ts";
import { Rng } from "../util/rng.ts";
import type { CoalitionCache, OnProgress } from "./cache.ts";
import { fullMask } from "./game.ts";

/**
 * Permutation sampling of Shapley values (Castro, Gómez & Tejada 2009) with antithetic pairs: each draw is
 * an order π and its reverse, and the pair's mean marginal contribution is one sample per player. The
 * standard error is the sd of those pair samples over √(pairs). Every order telescopes, so Σφ̂ = v(N) − v(∅)
 * exactly. Sampling stops after a pair once every half-width z·SE_i ≤ tolerance·|v(N) − v(∅)| (and at least
 * minPermutations are in), or at maxPermutations. The stop is checked pair by pair in draw order, so the
 * result does not depend on how many pairs are evaluated per round (concurrency).
 */
export interface PermutationOptions {
  seed?: number;
  /** Target CI half-width relative to |v(N) − v(∅)|. Default 0.02. */
  tolerance?: number;
  /** Normal quantile for the confidence interval. Default 1.96 (95%). */
  z?: number;
  /** Default 20 (10 antithetic pairs). */
  minPermutations?: number;
  /** Budget; default 200. */
  maxPermutations?: number;
  /** Fixed orders (first of each antithetic pair) to use instead of drawing: no stopping rule. */
  orders?: readonly (readonly number[])[];
  /** Pairs evaluated per round; default ⌈concurrency/2⌉ (each pair is two chains). */
  pairsPerRound?: number;
  concurrency?: number;
  onProgress?: OnProgress;
}

export interface PermutationEstimate {
  phi: Float64Array;
  se: Float64Array;
  /** The first order of each antithetic pair used, in draw order. */
  orders: number[][];
  permutations: number;
  converged: boolean;
  tolerance: number;
  z: number;
  seed: number;
}

function checkCount(name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) {
    throw new KilnError(`${name} must be a whole number ≥ ${min}, got ${x}`, { where: "ablation options" });
  }
}

function checkOrder(order: readonly number[], n: number): void {
  const seen = new Uint8Array(n);
  const ok = order.length === n && order.every((k) => Number.isInteger(k) && k >= 0 && k < n && !seen[k]++);
  if (!ok) {
    throw new KilnError(`[${order.join(", ")}] is not an order of the ${n} players`, {
      where: "ablation options (orders)",
      hint: "reuse the `orders` of a previous permutation result for the same players",
    });
  }
}

/** The coalitions along an order and along its reverse (the prefixes, ∅ to N). */
function chainMasks(order: readonly number[], out: number[]): void {
  let a = 0;
  let b = 0;
  out.push(0);
  for (let k = 0; k < order.length; k++) {
    a |= 1 << order[k];
    b |= 1 << order[order.length - 1 - k];
    out.push(a, b);
  }
}

/** One antithetic pair's sample for every player: the mean of its marginal contributions along π and reversed π. */
function pairSample(order: readonly number[], valueOf: (mask: number) => number, out: Float64Array): void {
  const n = order.length;
  out.fill(0);
  let prev = 0;
  let vPrev = valueOf(0);
  for (let k = 0; k < n; k++) {
    const mask = prev | (1 << order[k]);
    const v = valueOf(mask);
    out[order[k]] += 0.5 * (v - vPrev);
    prev = mask;
    vPrev = v;
  }
  prev = 0;
  vPrev = valueOf(0);
  for (let k = n - 1; k >= 0; k--) {
    const mask = prev | (1 << order[k]);
    const v = valueOf(mask);
    out[order[k]] += 0.5 * (v - vPrev);
    prev = mask;
    vPrev = v;
  }
}

/** Welford running mean and variance per player over pair samples. */
class Running {
  count = 0;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  constructor(n: number) {
    this.mean = new Float64Array(n);
    this.m2 = new Float64Array(n);
  }
  add(x: Float64Array): void {
    this.count++;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - this.mean[i];
      this.mean[i] += d / this.count;
      this.m2[i] += d * (x[i] - this.mean[i]);
    }
  }
  se(i: number): number {
    return this.count > 1 ? Math.sqrt(this.m2[i] / (this.count - 1) / this.count) : Infinity;
  }
}

/** φ̂ and SE from a list of orders, with every chain coalition already in the cache. */
export function permutationEstimateFrom(
  orders: readonly (readonly number[])[],
  n: number,
  valueOf: (mask: number) => number,
): { phi: Float64Array; se: Float64Array } {
  const run = new Running(n);
  const sample = new Float64Array(n);
  for (const order of orders) {
    pairSample(order, valueOf, sample);
    run.add(sample);
  }
  const se = new Float64Array(n);
  for (let i = 0; i < n; i++) se[i] = run.count > 1 ? run.se(i) : NaN;
  return { phi: Float64Array.from(run.mean), se };
}

export async function permutationShapley(
  cache: CoalitionCache,
  opts: PermutationOptions = {},
): Promise<PermutationEstimate> {
  const n = cache.game.n;
  const seed = opts.seed ?? 0;
  const tolerance = opts.tolerance ?? 0.02;
  const z = opts.z ?? 1.96;
  const concurrency = opts.concurrency ?? 1;
  if (!(tolerance >= 0))
    throw new KilnError(`tolerance must be ≥ 0, got ${tolerance}`, { where: "ablation options" });
  if (!(z > 0)) throw new KilnError(`z must be > 0, got ${z}`, { where: "ablation options" });
  checkCount("concurrency", concurrency, 1);
  const fixed = opts.orders;
  const minPerms = opts.minPermutations ?? 20;
  const maxPerms = fixed ? 2 * fixed.length : (opts.maxPermutations ?? 200);
  if (fixed && fixed.length < 2) {
    throw new KilnError(`${fixed.length} fixed order(s) given; the standard error needs at least 2 pairs`, {
      where: "ablation options (orders)",
    });
  }
  checkCount("maxPermutations", maxPerms, 4);
  checkCount("minPermutations", minPerms, 4);
  const maxPairs = Math.floor(maxPerms / 2);
  const minPairs = Math.ceil(minPerms / 2);
  const perRound = opts.pairsPerRound ?? Math.ceil(concurrency / 2);
  checkCount("pairsPerRound", perRound, 1);
  fixed?.forEach((o) => checkOrder(o, n));

  const rng = new Rng(seed);
  const identity = Array.from({ length: n }, (_, k) => k);
  const used: number[][] = [];
  const run = new Running(n);
  const sample = new Float64Array(n);
  const valueOf = (mask: number): number => cache.known(mask);
  const full = fullMask(n);
  const start = Date.now();
  let converged = false;
  let drawn = 0;
  while (!converged && used.length < maxPairs) {
    const round: number[][] = [];
    while (round.length < perRound && drawn < maxPairs) {
      round.push(fixed ? [...fixed[drawn]] : rng.shuffle([...identity]));
      drawn++;
    }
    if (round.length === 0) break;
    const masks: number[] = [];
    for (const order of round) chainMasks(order, masks);
    await cache.evaluateAll(masks, { concurrency, phase: "permutations" });
    const scale = tolerance * Math.abs(cache.known(full) - cache.known(0));
    for (const order of round) {
      pairSample(order, valueOf, sample);
      run.add(sample);
      used.push(order);
      if (!fixed && run.count >= minPairs) {
        converged = true;
        for (let i = 0; i < n && converged; i++) converged = z * run.se(i) <= scale;
        if (converged) break;
      }
    }
    if (opts.onProgress) {
      const elapsedMs = Date.now() - start;
      const done = 2 * used.length;
      opts.onProgress({
        phase: "permutations",
        done,
        total: converged ? done : 2 * maxPairs,
        elapsedMs,
        etaMs: converged ? 0 : (elapsedMs / done) * (2 * maxPairs - done),
      });
    }
  }
  const se = new Float64Array(n);
  for (let i = 0; i < n; i++) se[i] = run.count > 1 ? run.se(i) : NaN;
  return {
    phi: Float64Array.from(run.mean),
    se,
    orders: used,
    permutations: 2 * used.length,
    converged,
    tolerance,
    z,
    seed,
  };
}
