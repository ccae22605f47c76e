import { KilnError } from "../util/errors.ts";
import { formatCoalition, type Game, popcount, type WarmStartHint } from "./game.ts";
import { MinHeap } from "./min-heap.ts";

/** Progress of one phase of an ablation: `done` of `total` units, with an ETA once something is done. */
export interface ProgressEvent {
  phase: string;
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left at the current rate; null before the first unit completes. */
  etaMs: number | null;
}
export type OnProgress = (event: ProgressEvent) => void;

export interface EvaluateOptions {
  /** How many coalitions may be evaluated at once (the refit layer may run 2). Default 1. */
  concurrency?: number;
  phase?: string;
  onProgress?: OnProgress;
}

export interface CoalitionCacheOptions {
  /** Values known from a previous (killed) run or from the search ledger: never re-evaluated. */
  initial?: Iterable<readonly [number, number]>;
  /** Called once per newly evaluated coalition, e.g. to persist it so a killed ablation resumes. */
  onValue?: (mask: number, value: number) => void;
}

const SIZE_KEY = 2 ** 31;

/**
 * The values v(S) of one game, by bitmask. Every estimator goes through it: a coalition's value() is
 * requested at most once, even when several estimators or concurrent workers want it.
 *
 * `evaluateAll` schedules a set of coalitions so that warm starts are possible: a coalition starts only when
 * every S∖{k} that is also in the set has finished, smallest coalitions first, up to `concurrency` at once.
 */
export class CoalitionCache {
  readonly game: Game;
  private readonly values = new Map<number, number>();
  private readonly inflight = new Map<number, Promise<number>>();
  private readonly onValue: ((mask: number, value: number) => void) | undefined;
  private calls = 0;

  constructor(game: Game, opts: CoalitionCacheOptions = {}) {
    this.game = game;
    this.onValue = opts.onValue;
    for (const [mask, value] of opts.initial ?? []) this.set(mask, value, "initial values");
  }

  /** Number of coalitions with a known value. */
  get size(): number {
    return this.values.size;
  }

  /** Number of times game.value() has been called through this cache. */
  get evaluations(): number {
    return this.calls;
  }

  has(mask: number): boolean {
    return this.values.has(mask);
  }

  get(mask: number): number | undefined {
    return this.values.get(mask);
  }

  /** The value of a coalition that must already be known (an internal invariant of the estimators). */
  known(mask: number): number {
    const v = this.values.get(mask);
    if (v === undefined) throw new Error(`CoalitionCache: v(${mask}) was not evaluated`);
    return v;
  }

  /** Replace or add a value (e.g. the mean over seeds of a top coalition). */
  set(mask: number, value: number, where = "coalition cache"): void {
    this.checkMask(mask, where);
    if (!Number.isFinite(value)) {
      throw new KilnError(
        `v(${formatCoalition(mask, this.game.players)}) = ${value} is not a finite number`,
        {
          where,
          hint: "a coalition's value must be a finite score",
        },
      );
    }
    this.values.set(mask, value);
  }

  entries(): IterableIterator<[number, number]> {
    return this.values.entries();
  }

  /** The warm-start hint for a coalition: its known immediate subsets, best value first. */
  hint(mask: number): WarmStartHint {
    const subsets: number[] = [];
    for (let m = mask; m !== 0; m &= m - 1) {
      const sub = mask & ~(m & -m);
      if (this.values.has(sub)) subsets.push(sub);
    }
    subsets.sort((a, b) => this.known(b) - this.known(a) || a - b);
    return { subsets };
  }

  /** The value of one coalition, evaluated if not yet known. */
  async value(mask: number): Promise<number> {
    const v = this.values.get(mask);
    if (v !== undefined) return v;
    return this.inflight.get(mask) ?? this.evaluateOne(mask);
  }

  /** Evaluate every coalition of `masks` not yet known, in warm-start order, `concurrency` at a time. */
  async evaluateAll(masks: Iterable<number>, opts: EvaluateOptions = {}): Promise<void> {
    const concurrency = opts.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new KilnError(`concurrency must be a whole number ≥ 1, got ${concurrency}`, {
        where: "ablation options",
        hint: "use --jobs 1 or more",
      });
    }
    const n = this.game.n;
    const pending = new Map<number, number>(); // mask → number of its S∖{k} still pending
    const external: Promise<number>[] = [];
    for (const mask of masks) {
      this.checkMask(mask, "coalition request");
      if (this.values.has(mask) || pending.has(mask)) continue;
      const running = this.inflight.get(mask);
      if (running) external.push(running);
      else pending.set(mask, 0);
    }
    const ready = new MinHeap();
    for (const mask of pending.keys()) {
      let deps = 0;
      for (let m = mask; m !== 0; m &= m - 1) if (pending.has(mask & ~(m & -m))) deps++;
      pending.set(mask, deps);
      if (deps === 0) ready.push(popcount(mask) * SIZE_KEY + mask);
    }
    const total = pending.size;
    const start = Date.now();
    let done = 0;
    const report = (): void => {
      if (!opts.onProgress) return;
      const elapsedMs = Date.now() - start;
      opts.onProgress({
        phase: opts.phase ?? "coalitions",
        done,
        total,
        elapsedMs,
        etaMs: done > 0 ? (elapsedMs / done) * (total - done) : null,
      });
    };
    const release = (mask: number): void => {
      for (let k = 0; k < n; k++) {
        const sup = mask | (1 << k);
        if (sup === mask) continue;
        const deps = pending.get(sup);
        if (deps === undefined) continue;
        pending.set(sup, deps - 1);
        if (deps === 1) ready.push(popcount(sup) * SIZE_KEY + sup);
      }
    };
    if (total > 0) {
      report();
      await new Promise<void>((resolve, reject) => {
        let running = 0;
        let failure: { error: unknown } | null = null;
        const pump = (): void => {
          while (failure === null && running < concurrency && ready.size > 0) {
            const mask = (ready.pop() as number) % SIZE_KEY;
            running++;
            this.evaluateOne(mask).then(
              () => {
                running--;
                done++;
                release(mask);
                report();
                pump();
              },
              (error: unknown) => {
                running--;
                failure ??= { error };
                pump();
              },
            );
          }
          if (running > 0) return;
          if (failure !== null) reject(failure.error);
          else if (done === total) resolve();
          else reject(new Error(`CoalitionCache: scheduler stalled at ${done}/${total}`));
        };
        pump();
      });
    }
    await Promise.all(external);
  }

  private async evaluateOne(mask: number): Promise<number> {
    const players = this.game.players;
    const task = (async () => {
      this.calls++;
      let v: number;
      try {
        v = await this.game.value(mask, this.hint(mask));
      } catch (error) {
        if (error instanceof KilnError) throw error;
        // Not the game's own failure (a harness bug): keep it a plain Error so callers stop rather than record it.
        throw new Error(
          `computing v(${formatCoalition(mask, players)}) failed: ${error instanceof Error ? error.message : String(error)} ` +
            "(values already computed are kept; fix the cause and re-run to resume)",
          { cause: error },
        );
      }
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new KilnError(`v(${formatCoalition(mask, players)}) = ${String(v)} is not a finite number`, {
          where: "ablation",
          hint: "the game's value must be a finite score; check the refit and scoring of this coalition",
        });
      }
      this.values.set(mask, v);
      this.onValue?.(mask, v);
      return v;
    })();
    this.inflight.set(mask, task);
    try {
      return await task;
    } finally {
      this.inflight.delete(mask);
    }
  }

  private checkMask(mask: number, where: string): void {
    const n = this.game.n;
    if (!Number.isInteger(mask) || mask < 0 || mask >= 2 ** n) {
      throw new KilnError(`coalition mask ${mask} is not a subset of the ${n} players`, {
        where,
        hint: `masks are integers in [0, 2^${n})`,
      });
    }
  }
}
