import { KilnError } from "../util/errors.ts";
import { TrialHistory } from "./history.ts";
import {
  evaluate,
  isModuleObjective,
  loadModuleObjective,
  type ModuleObjective,
  type Outcome,
} from "./parallel/objective.ts";
import { HarnessError, WorkerPool } from "./parallel/pool.ts";
import { NopPruner, type Pruner, type PrunerContext } from "./pruners.ts";
import { makeSampler, type SamplerName } from "./samplers/registry.ts";
import type { Sampler, SamplerContext } from "./samplers/sampler.ts";
import {
  isSingle,
  validateSpace,
  type Distribution,
  type ParamValue,
  type Params,
  type SearchSpace,
} from "./space.ts";
import { openStorage } from "./storage/open.ts";
import { RERUN, TrialNotHeldError, UpdateFinishedTrialError, type Storage } from "./storage/storage.ts";
import { Trial, type ObjectiveResult, type TrialHost } from "./trial.ts";
import {
  SYS,
  failReason,
  type Attrs,
  type Direction,
  type FrozenTrial,
  type Json,
  type TrialState,
} from "./types.ts";

export interface CreateStudyOptions {
  /** Default "kiln-study". */
  name?: string;
  /** Default "minimize". */
  direction?: Direction;
  /** A sampler, or its name (seeded with the study's seed). Default "auto". */
  sampler?: Sampler | SamplerName;
  pruner?: Pruner;
  /** A Storage, or a URL: "memory" (default) or "sqlite:PATH". */
  storage?: Storage | string;
  /** Seed of every random choice; stored with the study and reused when it is loaded. Default 0. */
  seed?: number;
  /** Load the study if it already exists in the storage (resume). Default false. */
  loadIfExists?: boolean;
  /**
   * A RUNNING trial whose process died goes back to WAITING under its own number, with its parameters,
   * and is re-run first; this many times at most (then it is failed as stale). Default 3.
   */
  retryStale?: number;
}

/** What tell accepts: a value, a value with user attributes, or an explicit state. */
export type TellResult =
  | ObjectiveResult
  | { state: "COMPLETE"; value: number }
  | { state: "PRUNED" }
  | { state: "FAIL"; error?: string };

/** A define-by-run objective, in this process: `(trial) => value`. */
export type TrialObjective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

export interface OptimizeOptions {
  /** Trials to run in this call (Optuna's n_trials). Default: until timeoutMs, which must then be set. */
  nTrials?: number;
  /** Start no new trial after this many milliseconds. */
  timeoutMs?: number;
  /** Trials evaluated at once. A ModuleObjective runs them in worker threads; a function runs them concurrently in this thread. Default 1. */
  jobs?: number;
  /** The parameters (required for a ModuleObjective, which receives them as a plain object). */
  space?: SearchSpace;
  /** Called after every trial finishes, in trial-number order within a batch. */
  callbacks?: ((study: Study, trial: FrozenTrial) => void | Promise<void>)[];
  /**
   * Default false: trials run in batches of `jobs` (ask all, evaluate, tell in number order), so a
   * parallel run is reproducible from its seed. True: a new trial starts as soon as one finishes.
   */
  asynchronous?: boolean;
  /** Stop with an error when this many trials in a row FAIL before any COMPLETE in this call. Default 10. */
  maxFailuresBeforeFirstSuccess?: number;
  /** How often this process marks its running trials alive in a shared storage. Default 10 s. */
  heartbeatMs?: number;
}

export interface OptimizeSummary {
  nTrials: number;
  nComplete: number;
  nPruned: number;
  nFail: number;
  elapsedMs: number;
  best: FrozenTrial | undefined;
}

/** One row of the trials table. */
export interface TrialRow {
  number: number;
  state: TrialState;
  value: number | undefined;
  params: Params;
  durationMs: number | undefined;
  error: string | undefined;
}

const FIXED_PARAMS = "fixed_params";
const SEED_ATTR = "kiln:seed";
/** On each trial of a batch (optimize with jobs > 1): the batch's id and planned size (BatchTag). */
const BATCH_ATTR = "kiln:batch";

interface BatchTag {
  id: string;
  size: number;
}

export async function createStudy(opts: CreateStudyOptions = {}): Promise<Study> {
  const storage =
    typeof opts.storage === "string" || opts.storage === undefined
      ? openStorage(opts.storage ?? "memory")
      : opts.storage;
  const name = opts.name ?? "kiln-study";
  const direction = opts.direction ?? "minimize";
  let record = await storage.getStudy(name);
  let seed = opts.seed;
  if (record) {
    if (!opts.loadIfExists)
      throw new KilnError(`study "${name}" already exists in the ${storage.kind} storage`, {
        hint: "pass loadIfExists to resume it, or choose another name",
      });
    if (record.direction !== direction && opts.direction !== undefined)
      throw new KilnError(`study "${name}" exists with direction ${record.direction}, not ${direction}`, {
        hint: "use the stored direction",
      });
    const stored = await storage.setStudySystemAttrIfAbsent(record.studyId, SEED_ATTR, seed ?? 0);
    seed = seed ?? (stored as number);
  } else {
    try {
      record = await storage.createStudy(name, direction);
    } catch (err) {
      // another process created it between our look and our insert
      const again = opts.loadIfExists ? await storage.getStudy(name) : undefined;
      if (!again) throw err;
      record = again;
    }
    const stored = await storage.setStudySystemAttrIfAbsent(record.studyId, SEED_ATTR, seed ?? 0);
    seed = seed ?? (stored as number);
  }
  const study = new Study(storage, record.studyId, name, record.direction, seed ?? 0, opts);
  await study.resume();
  return study;
}

/** Loads an existing study (Optuna's load_study). */
export async function loadStudy(
  opts: Omit<CreateStudyOptions, "loadIfExists" | "direction"> & { name: string },
): Promise<Study> {
  const storage =
    typeof opts.storage === "string" || opts.storage === undefined
      ? openStorage(opts.storage ?? "memory")
      : opts.storage;
  const record = await storage.getStudy(opts.name);
  if (!record)
    throw new KilnError(`no study "${opts.name}" in the ${storage.kind} storage`, {
      hint: "check the name and storage",
    });
  return createStudy({ ...opts, storage, direction: record.direction, loadIfExists: true });
}

/**
 * A study: the trials of one optimisation, in a storage, with a sampler and a pruner (Optuna's Study).
 * `bestTrial`, `trials()` and `userAttrs` read this process's synced view; `refresh()` syncs it.
 */
export class Study {
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly history: TrialHistory;
  private readonly live = new Map<number, Trial>();
  private readonly ctx: SamplerContext & PrunerContext;
  private readonly host: TrialHost;
  private readonly retryStale: number;
  private studyUserAttrs: Attrs = {};
  private lastStaleCheck = 0;
  private batches = 0;

  constructor(
    readonly storage: Storage,
    readonly studyId: number,
    readonly name: string,
    readonly direction: Direction,
    readonly seed: number,
    opts: CreateStudyOptions,
  ) {
    this.sampler = typeof opts.sampler === "object" ? opts.sampler : makeSampler(opts.sampler ?? "auto");
    this.pruner = opts.pruner ?? new NopPruner();
    this.retryStale = opts.retryStale ?? 3;
    this.history = new TrialHistory(direction);
    const storageRef = storage;
    this.ctx = {
      studyName: name,
      direction,
      history: this.history,
      seed,
      setTrialSystemAttr: async (trialId, key, value) => {
        await storageRef.setTrialAttr(trialId, "system", key, value);
        const t = this.live.get(trialId);
        if (t) t.systemAttrs[key] = value;
        const r = this.history.running.get(trialId);
        if (r) r.systemAttrs[key] = value;
      },
      setStudySystemAttrIfAbsent: (key, value) => storageRef.setStudySystemAttrIfAbsent(studyId, key, value),
      getStudySystemAttrs: () => storageRef.getStudyAttrs(studyId, "system"),
    };
    this.host = {
      suggestIndependent: (trial, pname, dist) =>
        this.sampler.sampleIndependent(this.ctx, trial, pname, dist),
      storeIntermediate: async (trial, step, value) => {
        await this.flushParams(trial);
        await this.storage.setIntermediateValue(trial.trialId, step, value);
      },
      storeUserAttr: (trial, key, value) => this.storage.setTrialAttr(trial.trialId, "user", key, value),
      decidePrune: async (trial) => {
        await this.sync();
        this.history.running.set(trial.trialId, trial.snapshot());
        return this.pruner.prune(this.ctx, trial.snapshot());
      },
    };
  }

  /**
   * Called once on create/load: RUNNING trials of dead processes go back to WAITING under their own
   * numbers (re-run first, so a resumed study gives the trials an uninterrupted one would), then sync.
   */
  async resume(): Promise<void> {
    await this.recoverStale();
    await this.sync();
    this.studyUserAttrs = await this.storage.getStudyAttrs(this.studyId, "user");
  }

  private async recoverStale(): Promise<void> {
    this.lastStaleCheck = Date.now();
    await this.storage.recoverStaleTrials(this.studyId, this.retryStale);
  }

  /** Reads trials created or changed since the last sync into the column store. */
  async sync(): Promise<void> {
    const trials = await this.storage.getTrials(this.studyId, {
      afterTrialId: this.history.maxTrialId,
      trialIds: this.history.unfinishedIds(),
    });
    this.history.apply(trials);
    for (const t of this.live.values())
      if (this.history.running.has(t.trialId)) this.history.running.set(t.trialId, t.snapshot());
  }

  async refresh(): Promise<void> {
    await this.sync();
    this.studyUserAttrs = await this.storage.getStudyAttrs(this.studyId, "user");
  }

  /**
   * Starts a trial. With a space, every parameter is chosen now (jointly where the sampler can) and
   * stored at once; without, parameters are chosen as the objective suggests them (define-by-run).
   * An enqueued (WAITING) trial is claimed first.
   */
  async ask(space?: SearchSpace): Promise<Trial> {
    return this.askTagged(space, undefined);
  }

  /**
   * ask, with `attrs` set on the trial as it is created or claimed. A re-run trial (taken back from a
   * dead process) keeps what it had: its stored parameters are reused (the Trial holds them already)
   * and so is its relative sample, so the sampler is consulted only for what the trial never got.
   */
  private async askTagged(space: SearchSpace | undefined, attrs: Attrs | undefined): Promise<Trial> {
    const fixedSpace = space ? validateSpace(space) : undefined;
    if (Date.now() - this.lastStaleCheck > 2000) await this.recoverStale();
    await this.sync();
    let frozen = await this.storage.claimWaitingTrial(this.studyId, attrs);
    let fixed: Params = {};
    let storedRel: Record<string, number> | undefined;
    if (frozen) {
      const f = frozen.systemAttrs[FIXED_PARAMS];
      if (f && typeof f === "object" && !Array.isArray(f)) fixed = f as Params;
      const r = frozen.systemAttrs[SYS.relativeParams];
      if (r && typeof r === "object" && !Array.isArray(r)) storedRel = r as Record<string, number>;
    } else frozen = await this.storage.createTrial(this.studyId, { state: "RUNNING", systemAttrs: attrs });
    this.history.apply([frozen]);
    const relSpace: SearchSpace = {};
    for (const [k, d] of Object.entries(fixedSpace ?? this.history.intersection()))
      if (!(k in fixed) && !(k in frozen.params) && !isSingle(d)) relSpace[k] = d;
    const ref = { trialId: frozen.trialId, number: frozen.number };
    let rel: Record<string, number> = {};
    if (storedRel) {
      for (const k of Object.keys(relSpace)) if (k in storedRel) rel[k] = storedRel[k];
    } else if (Object.keys(relSpace).length > 0)
      rel = await this.sampler.sampleRelative(this.ctx, ref, relSpace);
    // frozen is the object history.running holds: attributes the sampler set are already on it
    const trial = new Trial(this.host, frozen, rel, relSpace, fixed);
    this.live.set(trial.trialId, trial);
    if (fixedSpace) {
      for (const [k, d] of Object.entries(fixedSpace)) trial.suggest(k, d);
      await this.flushParams(trial);
    } else if (Object.keys(rel).length > 0 && !storedRel) {
      await this.storage.setTrialAttr(trial.trialId, "system", SYS.relativeParams, rel);
      trial.systemAttrs[SYS.relativeParams] = rel;
    }
    this.history.running.set(trial.trialId, trial.snapshot());
    return trial;
  }

  private async flushParams(trial: Trial): Promise<void> {
    if (trial.pending.length === 0) return;
    const batch = trial.pending;
    trial.pending = [];
    await this.storage.setTrialParams(trial.trialId, batch);
  }

  /** Finishes a trial: a number (NaN fails it), {value, attrs}, or an explicit state. */
  async tell(trialOrNumber: Trial | number, result: TellResult): Promise<FrozenTrial> {
    const trial =
      typeof trialOrNumber === "number"
        ? [...this.live.values()].find((t) => t.number === trialOrNumber)
        : this.live.get(trialOrNumber.trialId);
    if (!trial)
      throw new KilnError(
        `trial ${typeof trialOrNumber === "number" ? trialOrNumber : trialOrNumber.number} is not running in this process`,
        {
          hint: "tell each asked trial once",
        },
      );
    let state: "COMPLETE" | "PRUNED" | "FAIL";
    let value: number | undefined;
    let reason: string | undefined;
    if (typeof result === "number") {
      value = result;
      state = "COMPLETE";
    } else if ("state" in result) {
      state = result.state;
      if (result.state === "COMPLETE") value = result.value;
      if (result.state === "FAIL") reason = result.error ?? "failed";
    } else {
      value = result.value;
      state = "COMPLETE";
      try {
        for (const [k, v] of Object.entries(result.attrs ?? {})) await trial.setUserAttr(k, v);
      } catch (err) {
        // taken back from this process (judged stale) or finished elsewhere: finishTrial below says so
        if (!(err instanceof TrialNotHeldError || err instanceof UpdateFinishedTrialError)) throw err;
      }
    }
    if (state === "COMPLETE" && (typeof value !== "number" || Number.isNaN(value))) {
      state = "FAIL";
      reason = `the objective returned ${String(value)}`;
      value = undefined;
    }
    if (state === "PRUNED") {
      let step = -1;
      for (const [s, v] of trial.intermediateValues)
        if (s > step) {
          step = s;
          value = v;
        }
    }
    try {
      await this.flushParams(trial);
    } catch {
      // the trial was finished by someone else (stale); finishTrial below reports it
    }
    const ok = await this.storage.finishTrial(
      trial.trialId,
      state,
      value,
      reason ? { [SYS.failReason]: reason } : {},
    );
    this.live.delete(trial.trialId);
    const [frozen] = await this.storage.getTrials(this.studyId, {
      afterTrialId: Infinity,
      trialIds: [trial.trialId],
    });
    this.history.apply([frozen]);
    if (!ok)
      process.emitWarning(
        `trial ${trial.number} was no longer held by this process (now ${frozen.state}) when it was told`,
      );
    return frozen;
  }

  /** Adds a trial with fixed parameters, run before any sampled one (warm starts). */
  async enqueueTrial(params: Params, opts: { userAttrs?: Attrs } = {}): Promise<void> {
    for (const [k, v] of Object.entries(params))
      if (!(v === null || ["number", "string", "boolean"].includes(typeof v)))
        throw new KilnError(`enqueued value of ${k} is not a plain value`, {
          hint: "use numbers, strings, booleans",
        });
    await this.storage.createTrial(this.studyId, {
      state: "WAITING",
      systemAttrs: { [FIXED_PARAMS]: params as Json },
      userAttrs: opts.userAttrs,
    });
  }

  async setUserAttr(key: string, value: Json): Promise<void> {
    await this.storage.setStudyAttr(this.studyId, "user", key, value);
    this.studyUserAttrs[key] = value;
  }

  get userAttrs(): Attrs {
    return { ...this.studyUserAttrs };
  }

  /**
   * Finished trials that count toward a trial budget: COMPLETE, PRUNED and the objective's FAILs (not a
   * trial failed as stale because its process kept dying). WAITING and RUNNING trials do not count.
   */
  countFinished(): number {
    return this.history.nFinished;
  }

  get bestTrial(): FrozenTrial | undefined {
    return this.history.best;
  }

  get bestValue(): number | undefined {
    return this.history.best?.value;
  }

  get bestParams(): Params | undefined {
    return this.history.best ? { ...this.history.best.params } : undefined;
  }

  /** Trials in number order (finished, running, waiting), optionally of some states. */
  trials(states?: TrialState[]): FrozenTrial[] {
    const all = [
      ...this.history.finished,
      ...this.history.running.values(),
      ...this.history.waiting.values(),
    ];
    return all.filter((t) => !states || states.includes(t.state)).sort((a, b) => a.number - b.number);
  }

  /** The trials table: one row per trial. */
  trialsTable(): TrialRow[] {
    return this.trials().map((t) => ({
      number: t.number,
      state: t.state,
      value: t.value,
      params: t.params,
      durationMs:
        t.datetimeStart && t.datetimeComplete
          ? t.datetimeComplete.getTime() - t.datetimeStart.getTime()
          : undefined,
      error: failReason(t),
    }));
  }

  /** Runs trials: Optuna's optimize, with `jobs` parallel evaluations (see OptimizeOptions). */
  async optimize(
    objective: TrialObjective | ModuleObjective,
    opts: OptimizeOptions = {},
  ): Promise<OptimizeSummary> {
    const jobs = opts.jobs ?? 1;
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new KilnError(`jobs must be a positive integer (got ${jobs})`);
    const nTrials = opts.nTrials ?? Infinity;
    if (!Number.isFinite(nTrials) && opts.timeoutMs === undefined)
      throw new KilnError("optimize needs nTrials or timeoutMs", { hint: "say how many trials to run" });
    const space = opts.space ? validateSpace(opts.space) : undefined;
    const run = await this.evaluator(objective, jobs, space);
    const start = Date.now();
    const summary: OptimizeSummary = {
      nTrials: 0,
      nComplete: 0,
      nPruned: 0,
      nFail: 0,
      elapsedMs: 0,
      best: undefined,
    };
    const maxFails = opts.maxFailuresBeforeFirstSuccess ?? 10;
    let failStreak = 0;
    let lastError = "";
    const timedOut = () => opts.timeoutMs !== undefined && Date.now() - start >= opts.timeoutMs;
    const heartbeat =
      this.storage.kind === "memory"
        ? undefined
        : setInterval(
            () => void this.storage.heartbeat([...this.live.keys()]).catch(() => undefined),
            opts.heartbeatMs ?? 10000,
          );
    heartbeat?.unref();
    // trials asked in this call and not yet told: given back (WAITING, same number) if the call fails
    const open = new Set<Trial>();
    const finish = async (trial: Trial, outcome: Outcome) => {
      open.delete(trial);
      const frozen = await this.tell(trial, outcomeToTell(outcome));
      summary.nTrials++;
      if (frozen.state === "COMPLETE") {
        summary.nComplete++;
        failStreak = -Infinity;
      } else if (frozen.state === "PRUNED") summary.nPruned++;
      else {
        summary.nFail++;
        failStreak++;
        lastError = failReason(frozen) ?? "";
      }
      for (const cb of opts.callbacks ?? []) await cb(this, frozen);
      if (failStreak >= maxFails)
        throw new KilnError(`the first ${failStreak} trials all failed; the last error was:\n${lastError}`, {
          hint: "fix the objective (see the trials table for every error)",
        });
    };
    try {
      let started = 0;
      if (!opts.asynchronous) {
        while (started < nTrials && !timedOut()) {
          const plan = this.planBatch(jobs, nTrials - started);
          const attrs = jobs > 1 ? { [BATCH_ATTR]: plan as unknown as Json } : undefined;
          const batch: Trial[] = [];
          for (let k = 0; k < plan.size; k++, started++) {
            const trial = await this.askTagged(space, attrs);
            open.add(trial);
            batch.push(trial);
          }
          const outcomes = await Promise.all(batch.map((t) => run.evaluate(t)));
          for (let k = 0; k < batch.length; k++) await finish(batch[k], outcomes[k]);
        }
      } else {
        const inflight = new Set<Promise<void>>();
        let failure: unknown;
        while ((started < nTrials && !timedOut()) || inflight.size > 0) {
          while (inflight.size < jobs && started < nTrials && !timedOut() && failure === undefined) {
            started++;
            const trial = await this.ask(space);
            open.add(trial);
            const p: Promise<void> = run
              .evaluate(trial)
              .then((o) => finish(trial, o))
              .catch((err) => {
                failure ??= err;
              })
              .finally(() => inflight.delete(p));
            inflight.add(p);
          }
          if (inflight.size === 0) break;
          await Promise.race(inflight);
          if (failure !== undefined && inflight.size === 0) break;
        }
        if (failure !== undefined) throw failure;
      }
    } catch (err) {
      await this.giveBack([...open], err);
      throw err;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      await run.close();
    }
    summary.elapsedMs = Date.now() - start;
    summary.best = this.bestTrial;
    return summary;
  }

  /**
   * The next batch of a batched optimize. Normally `jobs` trials (fewer at the end), under a new id.
   * When the next WAITING trial is one taken back from a dead process, the batch it was part of is
   * rebuilt: its re-run trials plus as many new ones as the killed batch had not yet asked (its planned
   * size less its members already finished), so every later trial is asked exactly when it would have
   * been in an uninterrupted run (a sampler sees the same finished and running trials).
   */
  private planBatch(jobs: number, left: number): BatchTag {
    // the view synced by the last ask or tell is enough: a trial taken back since is seen by the next ask
    let first: FrozenTrial | undefined;
    for (const t of this.history.waiting.values()) if (!first || t.trialId < first.trialId) first = t;
    const tag = first && first.systemAttrs[RERUN.reason] !== undefined ? batchTagOf(first) : undefined;
    if (tag) {
      let done = 0;
      for (const t of this.history.finished) if (batchTagOf(t)?.id === tag.id) done++;
      return { id: tag.id, size: Math.max(1, Math.min(left, tag.size - done)) };
    }
    return { id: `${this.storage.owner}:${++this.batches}`, size: Math.min(jobs, left) };
  }

  /** After a failed optimize: trials it asked and never told go back to WAITING, to be run again. */
  private async giveBack(trials: Trial[], err: unknown): Promise<void> {
    if (trials.length === 0) return;
    for (const t of trials) this.live.delete(t.trialId);
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    try {
      await this.storage.releaseTrials(
        trials.map((t) => t.trialId),
        `given back unfinished: ${why.slice(0, 500)}`,
      );
      await this.sync();
    } catch {
      // the storage itself failed (that may be the error being thrown); a later start recovers them as stale
    }
  }

  private async evaluator(
    objective: TrialObjective | ModuleObjective,
    jobs: number,
    space: SearchSpace | undefined,
  ): Promise<{ evaluate(t: Trial): Promise<Outcome>; close(): Promise<void> }> {
    if (!isModuleObjective(objective)) {
      if (typeof objective !== "function")
        throw new KilnError("the objective is neither a function nor a module objective");
      return { evaluate: (t) => evaluate(() => objective(t)), close: async () => {} };
    }
    if (!space)
      throw new KilnError("a module objective needs a search space", {
        hint: "pass optimize(objective, { space: { name: floatParam(lo, hi), … } })",
      });
    if (jobs === 1) {
      // as in a worker thread: only a KilnError from the objective's own init is the objective's failure
      let inInit = false;
      let loaded: Awaited<ReturnType<typeof loadModuleObjective>>;
      try {
        loaded = await loadModuleObjective(objective, () => (inInit = true));
      } catch (err) {
        if (inInit && err instanceof KilnError) throw err;
        const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        throw new HarnessError(`the objective could not start: ${what}`, { cause: err });
      }
      const { fn, context } = loaded;
      return { evaluate: (t) => evaluate(() => fn(t.params, context, t)), close: async () => {} };
    }
    const pool = await WorkerPool.start(objective, jobs);
    return { evaluate: (t) => pool.run(t, t.params), close: () => pool.close() };
  }
}

function batchTagOf(t: FrozenTrial): BatchTag | undefined {
  const b = t.systemAttrs[BATCH_ATTR] as Partial<BatchTag> | undefined;
  return b && typeof b.id === "string" && typeof b.size === "number" ? { id: b.id, size: b.size } : undefined;
}

function outcomeToTell(o: Outcome): TellResult {
  if (o.kind === "pruned") return { state: "PRUNED" };
  if (o.kind === "fail") return { state: "FAIL", error: o.error };
  return o.attrs ? { value: o.value, attrs: o.attrs } : o.value;
}

export type { Distribution, ParamValue };
