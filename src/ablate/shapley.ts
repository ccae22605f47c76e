import { KilnError } from "../util/errors.ts";
import { deriveSeed } from "../util/rng.ts";
import { CoalitionCache, type OnProgress } from "./cache.ts";
import { soloLeaveOneOut, soloLooFrom } from "./diagnostic.ts";
import { banzhafExact, banzhafInteraction, shapleyExact, shapleyInteraction } from "./exact.ts";
import { checkGame, fullMask, type Game, MAX_EXACT_PLAYERS } from "./game.ts";
import { banzhafMsr, msrEstimateFrom } from "./msr.ts";
import { estimateNoise, measureNoise, type NoiseEstimate, type NoiseRepeat } from "./noise.ts";
import { permutationEstimateFrom, permutationShapley } from "./permutation.ts";
import {
  finiteOrNull,
  type ShapleyResult,
  toList,
  toMatrix,
  toNullableList,
  toNullableMatrix,
} from "./result.ts";

/** Where the noise estimate comes from: extra seeds refit through game.valueWithSeed, or given repeats. */
export type NoiseSource =
  { seeds: number[]; useMeans?: boolean } | { repeats: NoiseRepeat[]; useMeans?: boolean };

export interface ShapleyOptions {
  /** Default: exact for N ≤ 12, permutation sampling above. */
  method?: "exact" | "permutation";
  /** Coalitions evaluated at once. Default 1. */
  concurrency?: number;
  onProgress?: OnProgress;
  /** Share values with other runs on the same game (pruning, re-runs); must wrap this game. */
  cache?: CoalitionCache;
  /** Seed of the permutation and Banzhaf draws. Default 0. */
  seed?: number;
  /** Permutation mode: target CI half-width relative to |v(N) − v(∅)|. Default 0.02. */
  tolerance?: number;
  /** Permutation mode: normal quantile of the CI. Default 1.96. */
  z?: number;
  minPermutations?: number;
  /** Permutation mode budget. Default 200. */
  maxPermutations?: number;
  pairsPerRound?: number;
  /** Permutation mode: reuse these orders (e.g. another result's sampling.orders); no stopping rule. */
  orders?: readonly (readonly number[])[];
  /** Permutation mode: coalitions drawn for the maximum-sample-reuse Banzhaf values; 0 skips. Default max(32, 4N). */
  banzhafSamples?: number;
  /**
   * Refit noise on v(N) and every v(N∖{i}). With useMeans (default true) the cached values of those
   * coalitions are replaced by their mean over seeds before the values are computed.
   */
  noise?: NoiseSource;
}

/** Shapley values (and Banzhaf, interactions, solo/leave-one-out, noise) of a game's players. */
export async function shapley(game: Game, opts: ShapleyOptions = {}): Promise<ShapleyResult> {
  checkGame(game);
  const n = game.n;
  const method = opts.method ?? (n <= MAX_EXACT_PLAYERS ? "exact" : "permutation");
  if (method === "exact" && n > MAX_EXACT_PLAYERS) {
    throw new KilnError(
      `exact Shapley over ${n} players needs 2^${n} refits; the limit is ${MAX_EXACT_PLAYERS}`,
      {
        where: "ablation options",
        hint: "use permutation sampling (--permutations M)",
      },
    );
  }
  if (opts.cache && opts.cache.game !== game) {
    throw new KilnError("the cache given belongs to another game", {
      where: "ablation options",
      hint: "build one CoalitionCache per game and pass it with that game",
    });
  }
  const cache = opts.cache ?? new CoalitionCache(game);
  const { concurrency, onProgress } = opts;
  const start = Date.now();
  const callsBefore = cache.evaluations;
  const seed = opts.seed ?? 0;
  const full = fullMask(n);

  // 1. Evaluate the coalitions the estimator needs, in warm-start order.
  let perm: Awaited<ReturnType<typeof permutationShapley>> | null = null;
  let msrSamples: number[] | null = null;
  if (method === "exact") {
    const all = Array.from({ length: 2 ** n }, (_, m) => m);
    await cache.evaluateAll(all, { concurrency, onProgress, phase: "exact" });
  } else {
    perm = await permutationShapley(cache, {
      seed,
      tolerance: opts.tolerance,
      z: opts.z,
      minPermutations: opts.minPermutations,
      maxPermutations: opts.maxPermutations,
      pairsPerRound: opts.pairsPerRound,
      orders: opts.orders,
      concurrency,
      onProgress,
    });
    const k = opts.banzhafSamples ?? Math.max(32, 4 * n);
    if (k > 0) {
      const msr = await banzhafMsr(cache, {
        samples: k,
        seed: deriveSeed(seed, "banzhaf-msr"),
        concurrency,
        onProgress,
      });
      msrSamples = msr.samples;
    }
    await soloLeaveOneOut(cache, { concurrency, onProgress });
  }

  // 2. Refit noise on the top coalitions; their seed means replace the single values.
  let noise: NoiseEstimate | null = null;
  if (opts.noise) {
    const repeats =
      "seeds" in opts.noise
        ? await measureNoise(cache, opts.noise.seeds, { concurrency, onProgress })
        : opts.noise.repeats;
    noise = estimateNoise(repeats, game.players);
    if (opts.noise.useMeans ?? true) for (const g of noise.groups) cache.set(g.mask, g.mean, "noise repeats");
  }

  // 3. The values, from the cache.
  const valueOf = (m: number): number => cache.known(m);
  const diag = soloLooFrom(n, valueOf);
  const total = diag.vFull - diag.vEmpty;
  let phi: Float64Array;
  let se: Float64Array;
  let banzhaf: (number | null)[] | null = null;
  let banzhafSe: (number | null)[] | null = null;
  let interaction: number[][] | null = null;
  let banzhafInter: (number | null)[][] | null = null;
  let coalitions: number;
  if (method === "exact") {
    const v = new Float64Array(2 ** n);
    for (let m = 0; m <= full; m++) v[m] = valueOf(m);
    phi = shapleyExact(v, n);
    se = new Float64Array(n);
    banzhaf = toList(banzhafExact(v, n));
    banzhafSe = new Array<number>(n).fill(0);
    interaction = toMatrix(shapleyInteraction(v, n));
    banzhafInter = toMatrix(banzhafInteraction(v, n));
    coalitions = v.length;
  } else {
    const p = perm as NonNullable<typeof perm>;
    ({ phi, se } = permutationEstimateFrom(p.orders, n, valueOf));
    const used = new Set<number>([0, full]);
    for (const order of p.orders) {
      let a = 0;
      let b = 0;
      for (let k = 0; k < n; k++) used.add((a |= 1 << order[k])).add((b |= 1 << order[n - 1 - k]));
    }
    if (msrSamples) {
      const msr = msrEstimateFrom(msrSamples, n, valueOf);
      banzhaf = toNullableList(msr.beta);
      banzhafSe = toNullableList(msr.se);
      banzhafInter = toNullableMatrix(msr.interaction);
      for (const m of msrSamples) used.add(m);
    }
    for (let i = 0; i < n; i++) used.add(1 << i).add(full & ~(1 << i));
    coalitions = used.size;
  }

  const noiseSd = noise ? noise.sigma * noise.shapleyWeightNorm : 0;
  const uncertainty = Array.from(se, (s) => Math.sqrt((Number.isFinite(s) ? s * s : 0) + noiseSd * noiseSd));
  let sum = 0;
  for (const x of phi) sum += x;
  return {
    kind: "kiln.shapley",
    version: 1,
    players: [...game.players],
    method,
    vEmpty: diag.vEmpty,
    vFull: diag.vFull,
    total,
    phi: toList(phi),
    share: Array.from(phi, (x) => (total === 0 ? null : finiteOrNull(x / total))),
    shareOf: "v(N) - v(∅)",
    se: toList(se).map((s) => (Number.isFinite(s) ? s : 0)),
    uncertainty,
    banzhaf,
    banzhafSe,
    solo: toList(diag.solo),
    loo: toList(diag.loo),
    interaction,
    banzhafInteraction: banzhafInter,
    efficiencyGap: sum - total,
    noise,
    flags: { indistinguishableFromZero: Array.from(phi, (x, i) => Math.abs(x) < 2 * uncertainty[i]) },
    sampling: perm
      ? {
          permutations: perm.permutations,
          converged: perm.converged,
          tolerance: perm.tolerance,
          z: perm.z,
          seed: perm.seed,
          orders: perm.orders,
          banzhafSamples: msrSamples?.length ?? 0,
        }
      : null,
    evaluations: {
      coalitions,
      newEvaluations: cache.evaluations - callsBefore,
      elapsedMs: Date.now() - start,
    },
  };
}
