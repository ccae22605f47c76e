import { KilnError } from "../util/errors.ts";

/**
 * Search spaces in Optuna's vocabulary. A parameter value has three representations:
 * - external: what the objective sees (a number, or a categorical choice);
 * - internal: what storage keeps (the number itself, or the index of a categorical choice);
 * - transformed: what numerical samplers work in (log for log parameters, bounds widened by step/2
 *   for stepped parameters), and its normalised form in [0, 1] ("unit").
 */

export interface FloatDistribution {
  type: "float";
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

export interface IntDistribution {
  type: "int";
  low: number;
  high: number;
  log?: boolean;
  /** Default 1. */
  step?: number;
}

export type CategoricalChoice = string | number | boolean | null;

export interface CategoricalDistribution {
  type: "categorical";
  choices: CategoricalChoice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type SearchSpace = Record<string, Distribution>;
export type ParamValue = number | string | boolean | null;
export type Params = Record<string, ParamValue>;

export function floatParam(
  low: number,
  high: number,
  opts: { log?: boolean; step?: number } = {},
): FloatDistribution {
  return validateDistribution("float parameter", { type: "float", low, high, ...opts }) as FloatDistribution;
}

export function intParam(
  low: number,
  high: number,
  opts: { log?: boolean; step?: number } = {},
): IntDistribution {
  return validateDistribution("int parameter", { type: "int", low, high, ...opts }) as IntDistribution;
}

export function categoricalParam(choices: CategoricalChoice[]): CategoricalDistribution {
  return validateDistribution("categorical parameter", {
    type: "categorical",
    choices,
  }) as CategoricalDistribution;
}

/** Checks a distribution and returns it in canonical form (ints get step 1, no undefined keys). */
export function validateDistribution(name: string, d: Distribution): Distribution {
  const bad = (what: string, hint: string) => new KilnError(what, { where: `parameter ${name}`, hint });
  if (d.type === "categorical") {
    if (!Array.isArray(d.choices) || d.choices.length === 0)
      throw bad("a categorical parameter needs at least one choice", "give a non-empty list of choices");
    for (const c of d.choices) {
      const t = typeof c;
      if (!(c === null || t === "string" || t === "boolean" || (t === "number" && Number.isFinite(c))))
        throw bad(`choice ${String(c)} is not a string, finite number, boolean or null`, "use plain values");
    }
    const seen = new Set(d.choices.map((c) => JSON.stringify(c)));
    if (seen.size !== d.choices.length) throw bad("categorical choices repeat", "list each choice once");
    return { type: "categorical", choices: [...d.choices] };
  }
  if (d.type !== "float" && d.type !== "int")
    throw bad(
      `unknown distribution type ${String((d as { type: unknown }).type)}`,
      "use float, int or categorical",
    );
  const { low, high } = d;
  if (!Number.isFinite(low) || !Number.isFinite(high))
    throw bad(`bounds must be finite numbers (got ${low}, ${high})`, "give finite low and high");
  if (low > high) throw bad(`low ${low} is above high ${high}`, "swap the bounds");
  const log = d.log === true;
  if (d.type === "int") {
    const step = d.step ?? 1;
    if (!Number.isInteger(low) || !Number.isInteger(high))
      throw bad(`int bounds must be integers (got ${low}, ${high})`, "use suggestFloat for real values");
    if (!Number.isInteger(step) || step < 1)
      throw bad(`int step must be a positive integer (got ${step})`, "");
    if (log && step !== 1) throw bad("a log int parameter must have step 1", "drop the step or the log");
    if (log && low < 1) throw bad(`a log int parameter needs low >= 1 (got ${low})`, "shift the range");
    return { type: "int", low, high: high - ((high - low) % step), log, step };
  }
  if (log && low <= 0) throw bad(`a log float parameter needs low > 0 (got ${low})`, "use a positive range");
  if (d.step !== undefined) {
    if (!(d.step > 0)) throw bad(`float step must be positive (got ${d.step})`, "");
    if (log) throw bad("a float parameter cannot be both log and stepped", "drop the step or the log");
    const n = Math.floor((high - low) / d.step + 1e-9);
    return { type: "float", low, high: low + n * d.step, log: false, step: d.step };
  }
  return { type: "float", low, high, log };
}

export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "categorical") {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, k) => c === bc[k]);
  }
  const bn = b as FloatDistribution | IntDistribution;
  return a.low === bn.low && a.high === bn.high && !!a.log === !!bn.log && (a.step ?? 0) === (bn.step ?? 0);
}

/** A distribution with one possible value: samplers skip it. */
export function isSingle(d: Distribution): boolean {
  return d.type === "categorical" ? d.choices.length === 1 : d.low === d.high;
}

export function isNumerical(d: Distribution): d is FloatDistribution | IntDistribution {
  return d.type !== "categorical";
}

/** Step of a numerical distribution (ints always have one), or 0 when continuous. */
export function stepOf(d: FloatDistribution | IntDistribution): number {
  return d.type === "int" ? (d.step ?? 1) : (d.step ?? 0);
}

/** External → internal (categoricals become the index of the choice). */
export function toInternal(name: string, d: Distribution, value: ParamValue): number {
  if (d.type === "categorical") {
    const k = d.choices.findIndex((c) => c === value);
    if (k < 0)
      throw new KilnError(`value ${JSON.stringify(value)} is not one of the choices`, {
        where: `parameter ${name}`,
        hint: `choices are ${JSON.stringify(d.choices)}`,
      });
    return k;
  }
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new KilnError(`value ${JSON.stringify(value)} is not a finite number`, {
      where: `parameter ${name}`,
    });
  if (!contains(d, value))
    throw new KilnError(`value ${value} is outside [${d.low}, ${d.high}]`, {
      where: `parameter ${name}`,
      hint: "widen the range or fix the value",
    });
  return value;
}

/** Internal → external. */
export function fromInternal(d: Distribution, internal: number): ParamValue {
  if (d.type === "categorical") return d.choices[internal];
  return internal;
}

/** Whether an internal value is a legal value of the distribution (bounds and grid). */
export function contains(d: Distribution, internal: number): boolean {
  if (d.type === "categorical")
    return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  if (!(internal >= d.low && internal <= d.high)) return false;
  const step = stepOf(d);
  if (step === 0) return true;
  const k = (internal - d.low) / step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/** Bounds of the transformed space of a numerical distribution: [low − step/2, high + step/2], logged. */
export function transformedBounds(d: FloatDistribution | IntDistribution): { lo: number; hi: number } {
  const half = stepOf(d) / 2;
  const lo = d.low - half;
  const hi = d.high + half;
  return d.log ? { lo: Math.log(lo), hi: Math.log(hi) } : { lo, hi };
}

export function toTransformed(d: FloatDistribution | IntDistribution, internal: number): number {
  return d.log ? Math.log(internal) : internal;
}

/** Transformed → internal: undo the log, snap to the step grid, clip to [low, high]. */
export function fromTransformed(d: FloatDistribution | IntDistribution, t: number): number {
  let x = d.log ? Math.exp(t) : t;
  const step = stepOf(d);
  if (step > 0) x = d.low + Math.round((x - d.low) / step) * step;
  if (d.type === "int") x = Math.round(x);
  return x < d.low ? d.low : x > d.high ? d.high : x;
}

/** Internal → [0, 1] (categoricals: centre of the choice's cell). */
export function toUnit(d: Distribution, internal: number): number {
  if (d.type === "categorical") return (internal + 0.5) / d.choices.length;
  const { lo, hi } = transformedBounds(d);
  return hi === lo ? 0.5 : (toTransformed(d, internal) - lo) / (hi - lo);
}

/** [0, 1] → internal (categoricals: the cell u falls in). */
export function fromUnit(d: Distribution, u: number): number {
  if (d.type === "categorical")
    return Math.min(d.choices.length - 1, Math.max(0, Math.floor(u * d.choices.length)));
  const { lo, hi } = transformedBounds(d);
  return fromTransformed(d, lo + u * (hi - lo));
}

/** Checks every distribution of a fixed search space (names and definitions). */
export function validateSpace(space: SearchSpace): SearchSpace {
  const out: SearchSpace = {};
  const names = Object.keys(space);
  if (names.length === 0)
    throw new KilnError("the search space is empty", { hint: "give at least one parameter" });
  for (const name of names) {
    if (name.length === 0) throw new KilnError("a parameter name is empty", { hint: "name every parameter" });
    out[name] = validateDistribution(name, space[name]);
  }
  return out;
}
