import { deriveSeed, Rng } from "../../util/rng.ts";
import { fromUnit, isSingle, type Distribution, type SearchSpace } from "../space.ts";
import { sampleUniform } from "./random.ts";
import { trialRng, type Sampler, type SamplerContext, type TrialRef } from "./sampler.ts";
import { SobolEngine } from "./sobol-engine.ts";

export interface QmcOptions {
  seed?: number;
  /** Scramble the sequence (random linear matrix + digital shift, from the seed). Default true. */
  scramble?: boolean;
}

/**
 * Quasi-Monte Carlo: the trial with number n takes point n of a (scrambled) Sobol sequence over the
 * search space, each parameter one coordinate mapped through its transformed range (categoricals: the
 * cell the coordinate falls in). Point index = trial number, so parallel workers and processes never
 * draw the same point; enqueued trials leave their points unused. Parameters outside the space passed
 * to sampleRelative (define-by-run extras) are drawn uniformly.
 */
export class QmcSampler implements Sampler {
  readonly name = "qmc";
  private engines = new Map<string, SobolEngine>();

  constructor(private readonly opts: QmcOptions = {}) {}

  engine(seed: number, dim: number): SobolEngine {
    const key = `${seed}:${dim}`;
    let e = this.engines.get(key);
    if (!e) {
      const scramble = this.opts.scramble ?? true;
      e = new SobolEngine(dim, scramble ? new Rng(deriveSeed(seed, "sobol")) : undefined);
      this.engines.set(key, e);
    }
    return e;
  }

  /** The Sobol point of a trial number for a space (internal values). */
  pointFor(seed: number, space: SearchSpace, index: number): Record<string, number> {
    const names = Object.keys(space).filter((k) => !isSingle(space[k]));
    const out: Record<string, number> = {};
    if (names.length === 0) return out;
    const u = new Float64Array(names.length);
    this.engine(seed, names.length).point(index, u);
    names.forEach((k, d) => (out[k] = fromUnit(space[k], u[d])));
    return out;
  }

  async sampleRelative(
    ctx: SamplerContext,
    trial: TrialRef,
    space: SearchSpace,
  ): Promise<Record<string, number>> {
    return this.pointFor(this.opts.seed ?? ctx.seed, space, trial.number);
  }

  sampleIndependent(ctx: SamplerContext, trial: TrialRef, name: string, dist: Distribution): number {
    return sampleUniform(dist, trialRng(this.opts.seed ?? ctx.seed, "qmc-extra", trial.number, name));
  }
}
