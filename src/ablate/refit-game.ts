/**
 * The refit game of a form (mechanisms.md §4): the players are its terms; v(S) is the score of the form
 * restricted to S (absent terms at their identity), refit on the training years — the validation Overall
 * for the validation game, the training Overall for the training game, from the same fits. Fits are
 * warm-started from nested coalitions and cached in the study storage by (form hash, coalition, fit
 * configuration), so a killed ablation resumes where it stopped and re-runs cost nothing.
 */
import { SqliteStorage } from "../fit/storage/sqlite.ts";
import type { Storage } from "../fit/storage/storage.ts";
import { createStudy, type Study } from "../fit/study.ts";
import { fitConfigHash, fitForm, type FitConfig, type FormFit } from "../fit/form/fit-form.ts";
import { FitWorkers } from "../fit/form/fit-workers.ts";
import type { FitProblem } from "../fit/form/problem.ts";
import type { Form, Restriction } from "../forms/form.ts";
import { KilnError } from "../util/errors.ts";
import { CoalitionCache, type OnProgress } from "./cache.ts";
import type { Game, WarmStartHint } from "./game.ts";

/** What one coalition's fit left behind. */
export interface CoalitionFit {
  readonly mask: number;
  readonly seed: number;
  readonly train: number;
  readonly validation: number;
  /** The fitted vector in the restricted form's parameter space. */
  readonly vector: number[];
  readonly trials: number;
  readonly seconds: number;
}

export interface RefitOptions {
  /** The fit of the full form; smaller coalitions get a share of `trials` in proportion to their parameters. */
  readonly fit: FitConfig;
  /** Fewest trials for any coalition. Default 30. */
  readonly minTrials?: number;
  /** A SQLite file for the fits and the coalition cache (resumable); in memory when absent. */
  readonly storagePath?: string;
  /** Coalitions fitted at once, each in its own worker thread. Default 1 (in this thread). */
  readonly concurrency?: number;
}

/** The budget of a coalition: proportional to its parameter count, at least minTrials. */
export function coalitionTrials(
  full: FitConfig,
  nParams: number,
  nParamsFull: number,
  minTrials = 30,
): number {
  return Math.max(
    minTrials,
    Math.min(full.trials, Math.round((full.trials * nParams) / Math.max(1, nParamsFull))),
  );
}

export class RefitGames {
  readonly players: string[];
  readonly train: Game;
  readonly validation: Game;
  private readonly fits = new Map<string, CoalitionFit>();
  private readonly inflight = new Map<string, Promise<CoalitionFit>>();
  private readonly restrictions = new Map<number, Restriction>();
  private workers: FitWorkers | undefined;
  private cacheStudy: Study | undefined;
  private storage: Storage | undefined;
  fitsRun = 0;

  private constructor(
    readonly problem: FitProblem,
    readonly form: Form,
    readonly opts: RefitOptions,
  ) {
    if (form.terms.length === 0) throw new KilnError(`form '${form.name}' has no terms to attribute`);
    this.players = form.terms.map((t) => t.mechanism ?? t.id);
    const n = this.players.length;
    const make = (pick: (f: CoalitionFit) => number): Game => ({
      n,
      players: this.players,
      value: async (mask, hint) => pick(await this.coalition(mask, opts.fit.seed, hint)),
      valueWithSeed: async (mask, seed, hint) => pick(await this.coalition(mask, seed, hint)),
    });
    this.train = make((f) => f.train);
    this.validation = make((f) => f.validation);
  }

  static async open(problem: FitProblem, form: Form, opts: RefitOptions): Promise<RefitGames> {
    const g = new RefitGames(problem, form, opts);
    g.storage = opts.storagePath ? new SqliteStorage(opts.storagePath) : undefined;
    g.cacheStudy = await createStudy({
      name: `shapley:${form.hash.slice(0, 16)}:${fitConfigHash(problem, opts.fit)}`,
      direction: "maximize",
      storage: g.storage,
      loadIfExists: true,
      sampler: "random",
    });
    for (const [key, value] of Object.entries(g.cacheStudy.userAttrs)) {
      if (key.startsWith("m")) g.fits.set(key, value as unknown as CoalitionFit);
    }
    if ((opts.concurrency ?? 1) > 1) g.workers = await FitWorkers.start(problem, opts.concurrency!);
    return g;
  }

  /** Coalition values already known (from the storage), to seed the estimators' caches. */
  known(seed = this.opts.fit.seed): { train: [number, number][]; validation: [number, number][] } {
    const train: [number, number][] = [];
    const validation: [number, number][] = [];
    for (const f of this.fits.values()) {
      if (f.seed !== seed) continue;
      train.push([f.mask, f.train]);
      validation.push([f.mask, f.validation]);
    }
    return { train, validation };
  }

  /** The fit of a coalition with the main seed, if it was run. */
  fitOf(mask: number, seed = this.opts.fit.seed): CoalitionFit | undefined {
    return this.fits.get(key(mask, seed));
  }

  restriction(mask: number): Restriction {
    let r = this.restrictions.get(mask);
    if (!r) {
      const idx: number[] = [];
      for (let k = 0; k < this.players.length; k++) if (mask & (1 << k)) idx.push(k);
      r = this.form.restrict(idx);
      this.restrictions.set(mask, r);
    }
    return r;
  }

  caches(onValue?: (mask: number) => void): { train: CoalitionCache; validation: CoalitionCache } {
    const k = this.known();
    return {
      train: new CoalitionCache(this.train, { initial: k.train }),
      validation: new CoalitionCache(this.validation, {
        initial: k.validation,
        onValue: onValue && ((m) => onValue(m)),
      }),
    };
  }

  private coalition(mask: number, seed: number, hint?: WarmStartHint): Promise<CoalitionFit> {
    const k = key(mask, seed);
    const done = this.fits.get(k);
    if (done) return Promise.resolve(done);
    let p = this.inflight.get(k);
    if (!p) {
      p = this.runFit(mask, seed, hint).finally(() => this.inflight.delete(k));
      this.inflight.set(k, p);
    }
    return p;
  }

  private async runFit(mask: number, seed: number, hint?: WarmStartHint): Promise<CoalitionFit> {
    const r = this.restriction(mask);
    const warm: Float64Array[] = [];
    for (const sub of hint?.subsets.slice(0, 2) ?? []) {
      const f = this.fitOf(sub);
      if (f) warm.push(r.project(this.restriction(sub).expand(f.vector)));
    }
    const cfg: FitConfig = {
      ...this.opts.fit,
      seed,
      trials: coalitionTrials(this.opts.fit, r.form.nParams, this.form.nParams, this.opts.minTrials),
    };
    const studyName = `coalition:${r.form.hash.slice(0, 16)}:${fitConfigHash(this.problem, cfg)}`;
    const fit: FormFit = this.workers
      ? await this.workers.fit(
          { base: this.form, keep: r.terms },
          { ...cfg, jobs: 1, studyName, warmStart: warm },
          this.opts.storagePath,
        )
      : await fitForm(this.problem, r.form, {
          ...cfg,
          jobs: 1,
          studyName,
          warmStart: warm,
          storage: this.storage,
        });
    this.fitsRun++;
    const out: CoalitionFit = {
      mask,
      seed,
      train: fit.train.overall ?? NaN,
      validation: fit.validation?.overall ?? NaN,
      vector: Array.from(fit.vector),
      trials: fit.trials,
      seconds: fit.seconds,
    };
    if (!Number.isFinite(out.train) || !Number.isFinite(out.validation)) {
      throw new KilnError(`coalition {${r.form.name}} scored NaN`, {
        hint: "check the data has validation years and burned area",
      });
    }
    this.fits.set(key(mask, seed), out);
    await this.cacheStudy!.setUserAttr(key(mask, seed), out as never);
    return out;
  }

  async close(): Promise<void> {
    await this.workers?.close();
    await this.storage?.close();
  }
}

function key(mask: number, seed: number): string {
  return `m${mask}:s${seed}`;
}

export type { OnProgress };
