import type { Distribution, Params } from "./space.ts";

export type Direction = "minimize" | "maximize";

/** Optuna's trial states. WAITING = enqueued, not yet claimed by a worker. */
export type TrialState = "WAITING" | "RUNNING" | "COMPLETE" | "PRUNED" | "FAIL";
export const FINISHED_STATES: readonly TrialState[] = ["COMPLETE", "PRUNED", "FAIL"];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Attrs = Record<string, Json>;

/** System attribute keys Kiln writes. */
export const SYS = {
  failReason: "fail_reason",
  owner: "kiln:owner",
  retryOf: "kiln:retry_of",
  retryCount: "kiln:retry_count",
  relativeParams: "kiln:relative_params",
} as const;

/** A trial as stored: the record every sampler, pruner and table reads. */
export interface FrozenTrial {
  trialId: number;
  number: number;
  state: TrialState;
  /** COMPLETE: the objective value; PRUNED: the last intermediate value (if any); else undefined. */
  value: number | undefined;
  /** External values (categoricals as their choice). */
  params: Params;
  /** Internal values (categoricals as the index of their choice). */
  internalParams: Record<string, number>;
  distributions: Record<string, Distribution>;
  /** step → value, in step order. */
  intermediateValues: Map<number, number>;
  userAttrs: Attrs;
  systemAttrs: Attrs;
  datetimeStart: Date | undefined;
  datetimeComplete: Date | undefined;
}

export function isFinished(state: TrialState): boolean {
  return state === "COMPLETE" || state === "PRUNED" || state === "FAIL";
}

/** The error text of a FAIL trial, if any. */
export function failReason(t: FrozenTrial): string | undefined {
  const r = t.systemAttrs[SYS.failReason];
  return typeof r === "string" ? r : undefined;
}

/** Is a better than b in this direction? (NaN is never better.) */
export function isBetter(direction: Direction, a: number, b: number): boolean {
  return direction === "minimize" ? a < b : a > b;
}
