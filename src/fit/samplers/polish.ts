import type { Distribution } from "../space.ts";
import { toUnit } from "../space.ts";
import type { FrozenTrial } from "../types.ts";
import { CompassSearch, type CompassTag } from "./compass.ts";
import type { SamplerContext, TrialRef } from "./sampler.ts";

/** The system attribute a polish trial carries: its space signature, its phase and its compass poll. */
export const POLISH_TAG = "kiln:polish";

interface PolishTagValue {
  /** Signature of the search space. */
  s: string;
  /** The phase: the trial number it starts at. */
  f: number;
  e: number;
  d: number;
}

/** The polish tag of a trial, if it has one. */
export function polishTag(t: FrozenTrial): PolishTagValue | undefined {
  return t.systemAttrs[POLISH_TAG] as unknown as PolishTagValue | undefined;
}

/**
 * The last part of a budget spent on a compass search (compass.ts) from the best trial, in the unit cube
 * of one search space. Like CMA-ES's generations, its state is rebuilt from stored trials: the start
 * (best point, value and steps) is agreed through a study system attribute, and the finished polish
 * trials are told in trial-number order, stopping at the first one still running, so a resumed or a
 * second process reaches the same state. A phase is known by the trial number it starts at: a study
 * resumed with a larger budget polishes again, from its best trial then, at the end of the new budget.
 */
export class PolishPhase {
  private search: CompassSearch | undefined;
  /** Finished polish trials of this space, in trial-number order. */
  private finished: FrozenTrial[] = [];
  private told = 0;

  constructor(
    private readonly names: readonly string[],
    private readonly dists: readonly Distribution[],
    private readonly sig: string,
    readonly from: number,
  ) {}

  /** Files a finished trial of this phase (the caller routes trials by their tag). */
  add(t: FrozenTrial): void {
    let k = this.finished.length;
    while (k > 0 && this.finished[k - 1].number > t.number) k--;
    this.finished.splice(k, 0, t);
  }

  /**
   * Writes the next poll into `x` and tags the trial, or returns false when the search has none to
   * give (no best trial yet, converged, or every poll of its epoch in flight): the caller samples
   * otherwise. `steps` gives each coordinate's first step when the search starts.
   */
  async next(ctx: SamplerContext, trial: TrialRef, steps: () => number[], x: Float64Array): Promise<boolean> {
    const sign = ctx.direction === "minimize" ? 1 : -1;
    if (!this.search) {
      const b = ctx.history.best;
      if (!b || b.value === undefined) return false;
      const proposed = {
        x: this.names.map((k, j) => {
          const v = b.internalParams[k];
          return v === undefined ? 0.5 : Math.min(1, Math.max(0, toUnit(this.dists[j], v)));
        }),
        f: sign * b.value,
        h: steps(),
      };
      const key = `${POLISH_TAG}:${this.sig}:${this.from}`;
      const agreed = (await ctx.setStudySystemAttrIfAbsent(key, proposed)) as {
        x: number[];
        f: number;
        h: number[];
      };
      this.search = new CompassSearch(agreed.x, agreed.f, agreed.h);
    }
    const search = this.search;
    for (; this.told < this.finished.length; this.told++) {
      const t = this.finished[this.told];
      if (this.runningBetween(ctx, this.told > 0 ? this.finished[this.told - 1].number : -1, t.number)) break;
      const y = Float64Array.from(this.names, (k, j) => toUnit(this.dists[j], t.internalParams[k]));
      const v = t.state === "COMPLETE" && t.value !== undefined ? sign * t.value : Infinity;
      search.tell(y, v, polishTag(t) as CompassTag);
    }
    if (search.converged()) return false;
    const inFlight = new Set<number>();
    for (const t of ctx.history.running.values()) {
      const tag = polishTag(t);
      if (tag && tag.s === this.sig && tag.f === this.from && tag.e === search.epoch) inFlight.add(tag.d);
    }
    const tag = search.propose(inFlight, x);
    if (!tag) return false;
    const value: PolishTagValue = { s: this.sig, f: this.from, e: tag.e, d: tag.d };
    await ctx.setTrialSystemAttr(trial.trialId, POLISH_TAG, { ...value });
    return true;
  }

  /** Whether a polish trial numbered strictly between a and b is still running. */
  private runningBetween(ctx: SamplerContext, a: number, b: number): boolean {
    for (const t of ctx.history.running.values())
      if (t.number > a && t.number < b && polishTag(t)?.f === this.from) return true;
    return false;
  }
}
