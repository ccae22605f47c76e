import { fromTransformed, transformedBounds, type Distribution, type SearchSpace } from "../space.ts";
import type { Rng } from "../../util/rng.ts";
import { trialRng, type Sampler, type SamplerContext, type TrialRef } from "./sampler.ts";

/** Uniform in the transformed space: log parameters uniform in log, stepped ones on their grid. */
export function sampleUniform(dist: Distribution, rng: Rng): number {
  if (dist.type === "categorical") return rng.int(dist.choices.length);
  const { lo, hi } = transformedBounds(dist);
  return fromTransformed(dist, lo + (hi - lo) * rng.next());
}

export class RandomSampler implements Sampler {
  readonly name = "random";
  constructor(private readonly opts: { seed?: number } = {}) {}

  async sampleRelative(
    _ctx: SamplerContext,
    _trial: TrialRef,
    _space: SearchSpace,
  ): Promise<Record<string, number>> {
    return {};
  }

  sampleIndependent(ctx: SamplerContext, trial: TrialRef, name: string, dist: Distribution): number {
    return sampleUniform(dist, trialRng(this.opts.seed ?? ctx.seed, "random", trial.number, name));
  }
}
