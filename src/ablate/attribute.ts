/**
 * Attribute a fitted form: Shapley (and Banzhaf, interactions, solo/leave-one-out, refit noise) on the
 * validation-years score with refits, the same on the training-years score, the pruning proposal, and the
 * reduced form refit and compared with the full form on every validation component.
 */
import type { ScoreSummary } from "../bench/summary.ts";
import { fitForm, type FitConfig } from "../fit/form/fit-form.ts";
import type { FitProblem } from "../fit/form/problem.ts";
import { SqliteStorage } from "../fit/storage/sqlite.ts";
import type { Form } from "../forms/form.ts";
import type { OnProgress } from "./cache.ts";
import { MAX_EXACT_PLAYERS } from "./game.ts";
import { proposePruning, type PruningProposal } from "./prune.ts";
import { coalitionTrials, RefitGames, type RefitOptions } from "./refit-game.ts";
import { shapleyTrainValidation, type TrainValidationResult } from "./train-validation.ts";

export interface AttributeOptions extends RefitOptions {
  /** Default: exact up to 12 mechanisms, permutation sampling above. */
  readonly method?: "exact" | "permutation";
  /** Permutation mode: the most permutations (antithetic pairs count two). */
  readonly maxPermutations?: number;
  /** Extra seeds for the refit-noise estimate on v(N) and each v(N∖{i}). Default two; [] skips. */
  readonly noiseSeeds?: readonly number[];
  readonly shareThreshold?: number;
  readonly delta?: number;
  /** Refit the pruned form and the full form with `finalFit` and compare them. Default true. */
  readonly refitReduced?: boolean;
  /** The budget of the full-versus-reduced comparison. Default: `fit`. */
  readonly finalFit?: FitConfig;
  readonly onProgress?: OnProgress;
}

export interface ReducedComparison {
  readonly dropped: string[];
  readonly kept: string[];
  /** The reduced form's spec (plain JSON), parameters and scores, refit with `finalFit`. */
  readonly spec: unknown;
  readonly name: string;
  readonly hash: string;
  readonly nParams: number;
  readonly params: Record<string, number>;
  readonly train: ScoreSummary;
  readonly validation: ScoreSummary | null;
  /** The full form under the same budget, for a fair comparison. */
  readonly full: {
    readonly params: Record<string, number>;
    readonly train: ScoreSummary;
    readonly validation: ScoreSummary | null;
  };
}

export interface Attribution {
  readonly kind: "kiln.attribution";
  readonly form: { readonly name: string; readonly hash: string; readonly nParams: number };
  readonly players: string[];
  readonly fit: FitConfig;
  /** Trials given to a coalition, by its parameter count. */
  readonly budget: Record<number, number>;
  readonly shapley: TrainValidationResult;
  readonly pruning: PruningProposal;
  readonly reduced: ReducedComparison | null;
  readonly fitsRun: number;
  readonly seconds: number;
}

export async function attributeForm(
  problem: FitProblem,
  form: Form,
  opts: AttributeOptions,
): Promise<Attribution> {
  const started = Date.now();
  const games = await RefitGames.open(problem, form, opts);
  try {
    const n = games.players.length;
    const caches = games.caches();
    const noiseSeeds = opts.noiseSeeds ?? [opts.fit.seed + 1, opts.fit.seed + 2];
    const shapley = await shapleyTrainValidation(
      { train: games.train, validation: games.validation },
      {
        method: opts.method ?? (n <= MAX_EXACT_PLAYERS ? "exact" : "permutation"),
        maxPermutations: opts.maxPermutations,
        concurrency: opts.concurrency ?? 1,
        onProgress: opts.onProgress,
        seed: opts.fit.seed,
        noise: noiseSeeds.length ? { seeds: [...noiseSeeds] } : undefined,
        trainCache: caches.train,
        validationCache: caches.validation,
      },
    );
    const pruning = await proposePruning(shapley.validation, {
      shareThreshold: opts.shareThreshold,
      delta: opts.delta,
      cache: caches.validation,
    });
    const budget: Record<number, number> = {};
    for (let mask = 0; mask < 1 << n; mask++) {
      const p = games.restriction(mask).form.nParams;
      budget[p] = coalitionTrials(opts.fit, p, form.nParams, opts.minTrials);
      if (n > 12) break;
    }
    const reduced =
      opts.refitReduced === false || pruning.dropped.length === 0
        ? null
        : await compareReduced(problem, form, games, pruning, opts);
    return {
      kind: "kiln.attribution",
      form: { name: form.name, hash: form.hash, nParams: form.nParams },
      players: games.players,
      fit: opts.fit,
      budget,
      shapley,
      pruning,
      reduced,
      fitsRun: games.fitsRun,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await games.close();
  }
}

async function compareReduced(
  problem: FitProblem,
  form: Form,
  games: RefitGames,
  pruning: PruningProposal,
  opts: AttributeOptions,
): Promise<ReducedComparison> {
  const cfg = opts.finalFit ?? opts.fit;
  const r = games.restriction(pruning.keptMask);
  const storage = opts.storagePath ? new SqliteStorage(opts.storagePath) : undefined;
  try {
    const fullStart = games.fitOf((1 << games.players.length) - 1);
    const full = await fitForm(problem, form, {
      ...cfg,
      storage,
      warmStart: fullStart ? [fullStart.vector] : [],
    });
    const reducedStart = games.fitOf(pruning.keptMask);
    const red = await fitForm(problem, r.form, {
      ...cfg,
      storage,
      warmStart: [r.project(full.vector), ...(reducedStart ? [reducedStart.vector] : [])],
    });
    return {
      dropped: pruning.dropped,
      kept: pruning.kept,
      spec: r.form.spec,
      name: r.form.name,
      hash: r.form.hash,
      nParams: r.form.nParams,
      params: red.params,
      train: red.train,
      validation: red.validation,
      full: { params: full.params, train: full.train, validation: full.validation },
    };
  } finally {
    await storage?.close();
  }
}
