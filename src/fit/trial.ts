import { KilnError } from "../util/errors.ts";
import type { ParamRecord } from "./storage/storage.ts";
import {
  distributionsEqual,
  fromInternal,
  toInternal,
  validateDistribution,
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
  type Params,
  type SearchSpace,
} from "./space.ts";
import type { Attrs, FrozenTrial, Json } from "./types.ts";

/** Thrown by an objective (or `trial.pruneIf…` helpers) to end the trial as PRUNED. */
export class TrialPruned extends Error {
  constructor(message = "trial pruned") {
    super(message);
    this.name = "TrialPruned";
  }
}

/** What an objective may return: a value, or a value with user attributes (e.g. component scores). */
export type ObjectiveResult = number | { value: number; attrs?: Attrs };

/** The part of a trial an objective running in a worker thread gets. */
export interface TrialHandle {
  readonly number: number;
  readonly params: Params;
  report(value: number, step: number): Promise<void>;
  shouldPrune(): Promise<boolean>;
  setUserAttr(key: string, value: Json): Promise<void>;
}

/** What a Trial needs from its study (kept narrow so the Trial does not depend on Study). */
export interface TrialHost {
  suggestIndependent(trial: Trial, name: string, dist: Distribution): number;
  storeIntermediate(trial: Trial, step: number, value: number): Promise<void>;
  storeUserAttr(trial: Trial, key: string, value: Json): Promise<void>;
  decidePrune(trial: Trial): Promise<boolean>;
}

/**
 * A RUNNING trial in this process, in Optuna's words: suggest parameters (define-by-run), report
 * intermediate values, ask whether to prune. Parameters fixed at ask time (a fixed space, an enqueued
 * trial, a relative sample) are returned by the matching suggest call.
 */
export class Trial implements TrialHandle {
  readonly number: number;
  readonly trialId: number;
  private readonly suggested = new Map<string, { internal: number; dist: Distribution }>();
  /** Suggested parameters not yet written to storage. */
  pending: ParamRecord[] = [];
  readonly intermediateValues = new Map<number, number>();
  readonly userAttrs: Attrs;
  /** System attributes as this process knows them (pruners keep their rung marks here). */
  readonly systemAttrs: Attrs;

  constructor(
    private readonly host: TrialHost,
    readonly frozen: FrozenTrial,
    /** Values chosen jointly at ask time (internal), with the distributions they were drawn under. */
    private readonly relative: Record<string, number>,
    private readonly relativeSpace: SearchSpace,
    /** Values given by enqueueTrial (external). */
    private readonly fixed: Params,
  ) {
    this.number = frozen.number;
    this.trialId = frozen.trialId;
    this.userAttrs = { ...frozen.userAttrs };
    this.systemAttrs = { ...frozen.systemAttrs };
    for (const [name, internal] of Object.entries(frozen.internalParams))
      this.suggested.set(name, { internal, dist: frozen.distributions[name] });
    for (const [s, v] of frozen.intermediateValues) this.intermediateValues.set(s, v);
  }

  get params(): Params {
    const out: Params = {};
    for (const [name, p] of this.suggested) out[name] = fromInternal(p.dist, p.internal);
    return out;
  }

  get internalParams(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, p] of this.suggested) out[name] = p.internal;
    return out;
  }

  get distributions(): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    for (const [name, p] of this.suggested) out[name] = p.dist;
    return out;
  }

  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, { type: "float", low, high, ...opts }) as number;
  }

  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, { type: "int", low, high, ...opts }) as number;
  }

  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, { type: "categorical", choices: [...choices] }) as T;
  }

  /** The value of parameter `name` under `dist` (the same value on every call in this trial). */
  suggest(name: string, distribution: Distribution): ParamValue {
    const dist = validateDistribution(name, distribution);
    const prev = this.suggested.get(name);
    if (prev) {
      if (!distributionsEqual(prev.dist, dist))
        throw new KilnError(
          `parameter ${name} was already suggested with another distribution in this trial`,
          {
            where: `trial ${this.number}`,
            hint: "suggest each parameter with one distribution",
          },
        );
      return fromInternal(dist, prev.internal);
    }
    let internal: number;
    if (name in this.fixed) internal = toInternal(name, dist, this.fixed[name]);
    else if (
      name in this.relative &&
      this.relativeSpace[name] &&
      distributionsEqual(this.relativeSpace[name], dist)
    )
      internal = this.relative[name];
    else internal = this.host.suggestIndependent(this, name, dist);
    this.suggested.set(name, { internal, dist });
    this.pending.push({ name, internal, distribution: dist });
    return fromInternal(dist, internal);
  }

  /** Reports an intermediate value at a step (an integer resource count: cells, years, epochs…). */
  async report(value: number, step: number): Promise<void> {
    if (!Number.isInteger(step) || step < 0)
      throw new KilnError(`step ${step} is not a non-negative integer`, { where: `trial ${this.number}` });
    if (typeof value !== "number")
      throw new KilnError(`intermediate value ${String(value)} is not a number`, {
        where: `trial ${this.number}`,
      });
    this.intermediateValues.set(step, value);
    await this.host.storeIntermediate(this, step, value);
  }

  /** Asks the study's pruner whether this trial should stop now (after its last report). */
  shouldPrune(): Promise<boolean> {
    return this.host.decidePrune(this);
  }

  async setUserAttr(key: string, value: Json): Promise<void> {
    this.userAttrs[key] = value;
    await this.host.storeUserAttr(this, key, value);
  }

  /** The trial as a FrozenTrial with what this process knows (state still RUNNING). */
  snapshot(): FrozenTrial {
    return {
      ...this.frozen,
      params: this.params,
      internalParams: this.internalParams,
      distributions: this.distributions,
      intermediateValues: new Map(this.intermediateValues),
      userAttrs: { ...this.userAttrs },
      systemAttrs: this.systemAttrs,
    };
  }
}
