import { KilnError } from "../../util/errors.ts";
import { AutoSampler } from "./auto.ts";
import { CmaEsSampler } from "./cmaes.ts";
import { QmcSampler } from "./qmc.ts";
import { RandomSampler } from "./random.ts";
import type { Sampler } from "./sampler.ts";
import { TpeSampler } from "./tpe.ts";

export const SAMPLER_NAMES = ["auto", "tpe", "tpe-indep", "cmaes", "qmc", "random"] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** Scalar options given by name (e.g. from `parseSamplerSpec`), passed to the sampler's constructor. */
export type SamplerOptions = Record<string, number | boolean | string>;

/**
 * A sampler by name with its defaults; without a seed it uses the study's. `options` override the
 * defaults of the named sampler's constructor (for benchmarks comparing settings).
 */
export function makeSampler(
  name: SamplerName | string,
  seed?: number,
  options: SamplerOptions = {},
): Sampler {
  switch (name) {
    case "auto":
      return new AutoSampler({ ...options, seed });
    case "tpe":
      return new TpeSampler({ ...options, seed });
    case "tpe-indep":
      return new TpeSampler({ ...options, seed, multivariate: false });
    case "cmaes":
      return new CmaEsSampler({ ...options, seed });
    case "qmc":
      return new QmcSampler({ seed });
    case "random":
      return new RandomSampler({ seed });
    default:
      throw new KilnError(`unknown sampler "${name}"`, { hint: `use one of ${SAMPLER_NAMES.join(", ")}` });
  }
}

/**
 * Reads `name+key=value+key=value` (values: numbers, true/false, or text) into a sampler name and options.
 */
export function parseSamplerSpec(spec: string): { name: string; options: SamplerOptions } {
  const [name, ...parts] = spec.split("+");
  const options: SamplerOptions = {};
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0)
      throw new KilnError(`cannot read sampler option '${part}' in '${spec}'`, {
        hint: "write name+key=value, e.g. auto+popsize=8",
      });
    const key = part.slice(0, eq);
    const text = part.slice(eq + 1);
    const num = Number(text);
    options[key] =
      text === "true" ? true : text === "false" ? false : text !== "" && Number.isFinite(num) ? num : text;
  }
  return { name, options };
}
