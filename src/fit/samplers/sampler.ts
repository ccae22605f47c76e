import { Rng, deriveSeed } from "../../util/rng.ts";
import type { TrialHistory } from "../history.ts";
import type { Distribution, SearchSpace } from "../space.ts";
import type { Attrs, Direction, Json } from "../types.ts";

/** What a sampler sees of its study: the column store of trials and a few storage hooks. */
export interface SamplerContext {
  readonly studyName: string;
  readonly direction: Direction;
  readonly history: TrialHistory;
  /** The study's seed (a sampler without its own seed uses this one). */
  readonly seed: number;
  setTrialSystemAttr(trialId: number, key: string, value: Json): Promise<void>;
  /** First writer wins; returns the stored value. Used to agree on shared state across processes. */
  setStudySystemAttrIfAbsent(key: string, value: Json): Promise<Json>;
  getStudySystemAttrs(): Promise<Attrs>;
}

export interface TrialRef {
  trialId: number;
  number: number;
}

/**
 * Optuna's two-stage sampler protocol. At ask time `sampleRelative` may choose values for the whole
 * (fixed or inferred) search space jointly; any parameter it leaves out is drawn by `sampleIndependent`
 * when it is suggested. Values are in the internal representation (categoricals as choice indices).
 * Randomness is derived from (seed, trial number), so a study gives the same trials whatever the
 * storage, and a resumed or second process continues the same streams without repeating draws.
 */
export interface Sampler {
  readonly name: string;
  sampleRelative(ctx: SamplerContext, trial: TrialRef, space: SearchSpace): Promise<Record<string, number>>;
  sampleIndependent(ctx: SamplerContext, trial: TrialRef, name: string, dist: Distribution): number;
}

/** A random stream for one use in one trial: independent of call order and of other trials. */
export function trialRng(seed: number, tag: string, trialNumber: number, extra = ""): Rng {
  return new Rng(deriveSeed(seed, `${tag}:${trialNumber}:${extra}`));
}
