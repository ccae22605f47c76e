/**
 * Fit a form's parameters on the training years with a Study (resumable in SQLite), then score the best
 * parameters on train and validation.
 */
import { createHash } from "node:crypto";
import type { ScoreSummary } from "../../bench/summary.ts";
import type { Form } from "../../forms/form.ts";
import { KilnError } from "../../util/errors.ts";
import { shareArrays } from "../parallel/shared.ts";
import { isStaleFailure } from "../history.ts";
import { makeSampler, type SamplerName } from "../samplers/registry.ts";
import { floatParam, type Params, type SearchSpace } from "../space.ts";
import type { Storage } from "../storage/storage.ts";
import { createStudy } from "../study.ts";
import { failReason } from "../types.ts";
import { formObjective } from "./objective.ts";
import { toPlainProblem } from "./plain.ts";
import type { FitProblem } from "./problem.ts";
import type { WorkerContext } from "./worker-objective.ts";

export interface FitConfig {
  readonly sampler: SamplerName;
  /** Trials in all, counting those a resumed study already holds. */
  readonly trials: number;
  /** Trials evaluated at once (worker threads when above 1). */
  readonly jobs: number;
  readonly seed: number;
}

export const DEFAULT_FIT: FitConfig = { sampler: "auto", trials: 300, jobs: 1, seed: 0 };

export interface FitOptions extends FitConfig {
  /** Where the study lives (default: in memory). A SQLite storage makes the fit resumable. */
  readonly storage?: Storage;
  readonly studyName?: string;
  /** Parameter vectors tried first (e.g. a nested coalition's fit with new terms at their identity). */
  readonly warmStart?: readonly ArrayLike<number>[];
  /** Also try the form's default (published) parameters first. Default true. */
  readonly tryDefaults?: boolean;
  readonly onProgress?: (done: number, total: number, best: number) => void;
}

export interface FormFit {
  readonly params: Record<string, number>;
  readonly vector: Float64Array;
  /** Objective value of the best trial (training Overall). */
  readonly trainValue: number;
  readonly train: ScoreSummary;
  readonly validation: ScoreSummary | null;
  readonly trials: number;
  readonly failed: number;
  readonly seconds: number;
  readonly configHash: string;
  readonly studyName: string;
}

/** A hash of everything a fit's result depends on besides the form: data, split, metric, sampler, budget, seed. */
export function fitConfigHash(problem: FitProblem, cfg: FitConfig): string {
  return createHash("sha256")
    .update(JSON.stringify([problem.fingerprint, cfg.sampler, cfg.trials, cfg.seed]))
    .digest("hex")
    .slice(0, 12);
}

export function searchSpace(form: Form): SearchSpace {
  const space: SearchSpace = {};
  for (const p of form.params) space[p.name] = floatParam(p.lo, p.hi, { log: p.log });
  return space;
}

/** A vector as study parameters, clipped into the bounds (warm starts may sit outside them). */
export function toParams(form: Form, v: ArrayLike<number>): Params {
  const out: Params = {};
  for (let k = 0; k < form.nParams; k++) {
    const x = Math.min(form.hi[k], Math.max(form.lo[k], v[k]));
    out[form.paramNames[k]] = Number.isFinite(x) ? x : form.defaults[k];
  }
  return out;
}

export async function fitForm(problem: FitProblem, form: Form, opts: FitOptions): Promise<FormFit> {
  if (!(opts.trials >= 1)) throw new KilnError(`a fit needs at least one trial, got ${opts.trials}`);
  const started = Date.now();
  const configHash = fitConfigHash(problem, opts);
  const studyName = opts.studyName ?? `fit:${form.hash.slice(0, 16)}:${configHash}`;
  const study = await createStudy({
    name: studyName,
    direction: "maximize",
    // the budget lets `auto` end with a local polish over its last trials (docs/fit.md)
    sampler: makeSampler(opts.sampler, undefined, { budget: opts.trials }),
    storage: opts.storage,
    seed: opts.seed,
    loadIfExists: true,
  });
  const space = searchSpace(form);
  // the budget counts finished trials only: a trial re-run after a kill is not counted twice
  const finished = () => study.countFinished();
  if (study.trials().length === 0) {
    const starts = [...(opts.tryDefaults === false ? [] : defaultStarts(form)), ...(opts.warmStart ?? [])];
    const seen = new Set<string>();
    for (const v of starts) {
      const p = toParams(form, v);
      const key = JSON.stringify(p);
      if (seen.has(key)) continue;
      seen.add(key);
      await study.enqueueTrial(p);
    }
  }
  const remaining = opts.trials - finished();
  if (remaining > 0) {
    const total = opts.trials;
    const callbacks = opts.onProgress
      ? [() => opts.onProgress!(finished(), total, study.bestValue ?? NaN)]
      : undefined;
    if (opts.jobs > 1) {
      const context: WorkerContext = { problem: toPlainProblem(problem), spec: shareArrays(form.spec) };
      await study.optimize(
        {
          module: new URL("./worker-objective.ts", import.meta.url),
          exportName: "objective",
          initName: "init",
          context,
        },
        { nTrials: remaining, jobs: opts.jobs, space, callbacks, maxFailuresBeforeFirstSuccess: remaining },
      );
    } else {
      const run = formObjective(problem, form);
      await study.optimize((trial) => run(trial.params), {
        nTrials: remaining,
        space,
        callbacks,
        maxFailuresBeforeFirstSuccess: remaining,
      });
    }
  }
  const best = study.bestTrial;
  const all = study.trials();
  const failed = all.filter((t) => t.state === "FAIL" && !isStaleFailure(t));
  if (!best || best.value === undefined) {
    const why = failed[0] ? failReason(failed[0]) : undefined;
    throw new KilnError(`every one of ${all.length} trials of form '${form.name}' failed`, {
      hint:
        typeof why === "string"
          ? `first failure: ${why.split("\n")[0]}`
          : "check the form's terms and bounds",
    });
  }
  const vector = Float64Array.from(form.paramNames, (n) => best.params[n] as number);
  const params: Record<string, number> = {};
  form.paramNames.forEach((n, k) => (params[n] = vector[k]));
  const train = problem.score(form, vector, "train");
  const validation = problem.hasValidation() ? problem.score(form, vector, "validation") : null;
  return {
    params,
    vector,
    trainValue: best.value,
    train,
    validation,
    trials: all.length,
    failed: failed.length,
    seconds: (Date.now() - started) / 1000,
    configHash,
    studyName,
  };
}

/**
 * The published defaults, and the same with the global scale spread over its range: the scale's right
 * order of magnitude is the one thing defaults rarely get right, and the samplers start from the best.
 */
export function defaultStarts(form: Form, n = 9): Float64Array[] {
  const starts = [Float64Array.from(form.defaults)];
  const k = form.indexOf("scale");
  if (k < 0) return starts;
  const lo = form.log[k] ? Math.log(form.lo[k]) : form.lo[k];
  const hi = form.log[k] ? Math.log(form.hi[k]) : form.hi[k];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(form.defaults);
    const x = lo + ((i + 0.5) / n) * (hi - lo);
    v[k] = form.log[k] ? Math.exp(x) : x;
    starts.push(v);
  }
  return starts;
}
