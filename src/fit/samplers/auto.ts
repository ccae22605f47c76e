import { CmaEsSampler } from "./cmaes.ts";
import { TpeSampler } from "./tpe.ts";

export interface AutoOptions {
  seed?: number;
}

/**
 * The default sampler for continuous form fitting, chosen with bench/samplers.ts (evidence in
 * docs/fit.md): 8 startup trials (the centre of the box, then scrambled Sobol points), then CMA-ES
 * from the best trial so far — an enqueued warm start included — with a small first population (6)
 * and IPOP restarts (population doubled, random mean) when a run stops or stagnates for 40
 * generations. Categorical and define-by-run parameters go to an independent TPE.
 */
export class AutoSampler extends CmaEsSampler {
  constructor(opts: AutoOptions = {}) {
    super(
      {
        seed: opts.seed,
        nStartupTrials: 8,
        startup: "qmc",
        startupCenter: true,
        x0: "best",
        sigma0: 1 / 6,
        popsize: 6,
        restart: "ipop",
        stagnationGenerations: 40,
        independent: new TpeSampler({ seed: opts.seed, multivariate: false }),
      },
      "auto",
    );
  }
}
