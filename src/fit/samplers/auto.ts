import { CmaEsSampler, type CmaEsOptions } from "./cmaes.ts";
import { TpeSampler } from "./tpe.ts";

export type AutoOptions = CmaEsOptions;

/**
 * The default sampler for continuous form fitting, chosen with bench/fit-forms.ts on the built-in
 * world's forms (evidence in docs/fit.md): 8 startup trials (the centre of the box, then scrambled Sobol
 * points) unless enqueued starts already give as many, then CMA-ES from the best trial so far, population
 * 10, σ0 = 1/6 of each range except for the global scale ("scale", a log parameter), whose first step is a
 * factor 2 (its useful band is a small part of its many decades); IPOP restarts after 40 generations
 * without improvement; and, when the budget is known, a compass search from the best trial over the last
 * 20 % of it. Categorical and define-by-run parameters go to an independent TPE. All options can be
 * overridden (e.g. `{ budget: 300 }`, `{ polish: 0 }`, `{ scaleParam: undefined }`).
 */
export class AutoSampler extends CmaEsSampler {
  constructor(opts: AutoOptions = {}) {
    super(
      {
        nStartupTrials: 8,
        startup: "qmc",
        startupCenter: true,
        x0: "best",
        sigma0: 1 / 6,
        popsize: 10,
        restart: "ipop",
        stagnationGenerations: 40,
        scaleParam: "scale",
        scaleStep: 2,
        polish: 0.2,
        independent: new TpeSampler({ seed: opts.seed, multivariate: false }),
        ...opts,
      },
      "auto",
    );
  }
}
