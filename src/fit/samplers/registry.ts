import { KilnError } from "../../util/errors.ts";
import { AutoSampler } from "./auto.ts";
import { CmaEsSampler } from "./cmaes.ts";
import { QmcSampler } from "./qmc.ts";
import { RandomSampler } from "./random.ts";
import type { Sampler } from "./sampler.ts";
import { TpeSampler } from "./tpe.ts";

export const SAMPLER_NAMES = ["auto", "tpe", "tpe-indep", "cmaes", "qmc", "random"] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** A sampler by name with its defaults; without a seed it uses the study's. */
export function makeSampler(name: SamplerName | string, seed?: number): Sampler {
  switch (name) {
    case "auto":
      return new AutoSampler({ seed });
    case "tpe":
      return new TpeSampler({ seed });
    case "tpe-indep":
      return new TpeSampler({ seed, multivariate: false });
    case "cmaes":
      return new CmaEsSampler({ seed });
    case "qmc":
      return new QmcSampler({ seed });
    case "random":
      return new RandomSampler({ seed });
    default:
      throw new KilnError(`unknown sampler "${name}"`, { hint: `use one of ${SAMPLER_NAMES.join(", ")}` });
  }
}
