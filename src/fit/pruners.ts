import type { TrialHistory } from "./history.ts";
import type { Direction, FrozenTrial, Json } from "./types.ts";

/** What a pruner sees: the study's trials (synced just before the call) and a way to mark a trial. */
export interface PrunerContext {
  readonly direction: Direction;
  readonly history: TrialHistory;
  setTrialSystemAttr(trialId: number, key: string, value: Json): Promise<void>;
}

/** Decides, after a trial's latest `report`, whether it should stop (tpe.md §4). */
export interface Pruner {
  readonly name: string;
  prune(ctx: PrunerContext, trial: FrozenTrial): Promise<boolean>;
}

export class NopPruner implements Pruner {
  readonly name = "none";
  async prune(): Promise<boolean> {
    return false;
  }
}

function lastStep(t: FrozenTrial): number | undefined {
  let s: number | undefined;
  for (const k of t.intermediateValues.keys()) if (s === undefined || k > s) s = k;
  return s;
}

/** numpy's default (linear) percentile of finite values; NaN when there are none. */
export function percentile(values: number[], q: number): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = ((v.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (pos - lo) * (v[hi] - v[lo]);
}

export interface PercentilePrunerOptions {
  /** No pruning until this many trials are COMPLETE. Default 5. */
  nStartupTrials?: number;
  /** No pruning below this step. Default 0. */
  nWarmupSteps?: number;
  /** Check at most once per this many steps. Default 1. */
  intervalSteps?: number;
  /** No pruning at a step fewer than this many COMPLETE trials reported. Default 1. */
  nMinTrials?: number;
}

/**
 * Optuna's PercentilePruner: prune when the trial's best intermediate value so far is worse than the
 * q-th percentile of the values COMPLETE trials reported at the same step.
 */
export class PercentilePruner implements Pruner {
  readonly name: string = "percentile";
  private readonly o: Required<PercentilePrunerOptions>;

  constructor(
    private readonly q: number,
    opts: PercentilePrunerOptions = {},
  ) {
    this.o = {
      nStartupTrials: opts.nStartupTrials ?? 5,
      nWarmupSteps: opts.nWarmupSteps ?? 0,
      intervalSteps: opts.intervalSteps ?? 1,
      nMinTrials: opts.nMinTrials ?? 1,
    };
  }

  async prune(ctx: PrunerContext, trial: FrozenTrial): Promise<boolean> {
    const complete = ctx.history.finished.filter((t) => t.state === "COMPLETE");
    if (complete.length === 0 || complete.length < this.o.nStartupTrials) return false;
    const step = lastStep(trial);
    if (step === undefined || step < this.o.nWarmupSteps) return false;
    // only at the first report in each interval
    const steps = [...trial.intermediateValues.keys()].sort((a, b) => a - b);
    const nearestLower =
      Math.floor((step - this.o.nWarmupSteps) / this.o.intervalSteps) * this.o.intervalSteps +
      this.o.nWarmupSteps;
    const secondLast = steps.length >= 2 ? steps[steps.length - 2] : -1;
    if (!(secondLast < nearestLower)) return false;
    const mine = [...trial.intermediateValues.values()].filter((v) => !Number.isNaN(v));
    if (mine.length === 0) return true;
    const best = ctx.direction === "minimize" ? Math.min(...mine) : Math.max(...mine);
    const atStep: number[] = [];
    for (const t of complete) {
      const v = t.intermediateValues.get(step);
      if (v !== undefined) atStep.push(v);
    }
    if (atStep.length < this.o.nMinTrials) return false;
    const p = percentile(atStep, ctx.direction === "minimize" ? this.q : 100 - this.q);
    if (Number.isNaN(p)) return false;
    return ctx.direction === "minimize" ? best > p : best < p;
  }
}

/** Optuna's MedianPruner = PercentilePruner(50). */
export class MedianPruner extends PercentilePruner {
  override readonly name = "median";
  constructor(opts: PercentilePrunerOptions = {}) {
    super(50, opts);
  }
}

export interface SuccessiveHalvingOptions {
  /** Resource (step) of the first rung, or "auto": max(largest last step of COMPLETE trials // 100, 1). */
  minResource?: number | "auto";
  /** η: keep the top 1/η at each rung. Default 4. */
  reductionFactor?: number;
  /** s: the first rung is at minResource · η^s. Default 0. */
  minEarlyStoppingRate?: number;
  /** A rung needs more than this many values before anyone is promoted. Default 0. */
  bootstrapCount?: number;
}

const RUNG = "completed_rung_";

/**
 * Asynchronous successive halving (Optuna's SuccessiveHalvingPruner): rung r is reached at step
 * minResource · η^(s+r); the trial records its value there and goes on only if it ranks in the top
 * 1/η of all values recorded at that rung so far (itself included); no waiting for a full rung.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "successive-halving";
  private minResource: number | undefined;
  private readonly eta: number;
  private readonly s: number;
  private readonly bootstrap: number;

  constructor(opts: SuccessiveHalvingOptions = {}) {
    const mr = opts.minResource ?? "auto";
    this.minResource = mr === "auto" ? undefined : mr;
    this.eta = opts.reductionFactor ?? 4;
    this.s = opts.minEarlyStoppingRate ?? 0;
    this.bootstrap = opts.bootstrapCount ?? 0;
  }

  async prune(ctx: PrunerContext, trial: FrozenTrial): Promise<boolean> {
    const step = lastStep(trial);
    if (step === undefined) return false;
    const value = trial.intermediateValues.get(step) as number;
    let rung = Object.keys(trial.systemAttrs).filter((k) => k.startsWith(RUNG)).length;
    const all = [...ctx.history.finished, ...ctx.history.running.values()];
    for (;;) {
      if (this.minResource === undefined) {
        let maxStep = -1;
        for (const t of ctx.history.finished)
          if (t.state === "COMPLETE") {
            const s = lastStep(t);
            if (s !== undefined && s > maxStep) maxStep = s;
          }
        if (maxStep < 0) return false;
        this.minResource = Math.max(Math.floor(maxStep / 100), 1);
      }
      const promotionStep = this.minResource * this.eta ** (this.s + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      const key = `${RUNG}${rung}`;
      await ctx.setTrialSystemAttr(trial.trialId, key, value);
      trial.systemAttrs[key] = value;
      const competing: number[] = [];
      for (const t of all) {
        if (t.trialId === trial.trialId) continue;
        const v = t.systemAttrs[key];
        if (typeof v === "number") competing.push(v);
      }
      competing.push(value);
      if (this.bootstrap > 0 && competing.length <= this.bootstrap) return true;
      if (!promotable(value, competing, this.eta, ctx.direction)) return true;
      rung++;
    }
  }
}

function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  let idx = Math.floor(competing.length / eta) - 1;
  if (idx === -1) idx = 0;
  const sorted = competing.slice().sort((a, b) => a - b);
  return direction === "maximize" ? sorted[sorted.length - 1 - idx] <= value : value <= sorted[idx];
}
