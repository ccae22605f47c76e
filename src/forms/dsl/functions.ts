/**
 * The functions of the expression language. Pointwise functions act on each cell-month; temporal operators
 * act along each cell's monthly series and are causal (a month sees only itself and earlier months).
 */

export type TemporalOp = "lag" | "runmean" | "runmax" | "runmin" | "accum" | "ewmean";

export interface FunctionInfo {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** How it is written, e.g. "hump(x, x0, a)". */
  readonly signature: string;
  readonly doc: string;
  /** Set for operators along time. */
  readonly temporal?: TemporalOp;
  /**
   * For temporal operators, the kind of the second argument: a whole number of months written as a literal
   * (window), or a time scale in months that may depend on parameters but not on drivers (scale).
   */
  readonly second?: "window" | "scale";
}

/** Largest window (months) a temporal operator accepts. */
export const MAX_WINDOW = 120;

export const FUNCTIONS: readonly FunctionInfo[] = [
  { name: "exp", minArgs: 1, maxArgs: 1, signature: "exp(x)", doc: "e to the power x" },
  { name: "log", minArgs: 1, maxArgs: 1, signature: "log(x)", doc: "natural logarithm" },
  { name: "sqrt", minArgs: 1, maxArgs: 1, signature: "sqrt(x)", doc: "square root" },
  { name: "abs", minArgs: 1, maxArgs: 1, signature: "abs(x)", doc: "absolute value" },
  { name: "cos", minArgs: 1, maxArgs: 1, signature: "cos(x)", doc: "cosine of x in radians" },
  { name: "min", minArgs: 2, maxArgs: 8, signature: "min(a, b, ...)", doc: "smallest argument" },
  { name: "max", minArgs: 2, maxArgs: 8, signature: "max(a, b, ...)", doc: "largest argument" },
  {
    name: "clamp",
    minArgs: 1,
    maxArgs: 3,
    signature: "clamp(x) or clamp(x, lo, hi)",
    doc: "x limited to [0, 1], or to [lo, hi]",
  },
  { name: "sigmoid", minArgs: 1, maxArgs: 1, signature: "sigmoid(z)", doc: "logistic 1 / (1 + exp(-z))" },
  {
    name: "hump",
    minArgs: 3,
    maxArgs: 3,
    signature: "hump(x, x0, a)",
    doc: "Ricker hump (x/x0)^a * exp(a*(1 - x/x0)): 1 at x = x0, 0 at x = 0, identically 1 when a = 0",
  },
  { name: "step", minArgs: 1, maxArgs: 1, signature: "step(x)", doc: "1 where x > 0, else 0" },
  {
    name: "lag",
    minArgs: 2,
    maxArgs: 2,
    signature: "lag(x, k)",
    doc: "x k months earlier; the first k months repeat the first month",
    temporal: "lag",
    second: "window",
  },
  {
    name: "runmean",
    minArgs: 2,
    maxArgs: 2,
    signature: "runmean(x, k)",
    doc: "mean of x over the trailing k months, this month included (fewer at the series start)",
    temporal: "runmean",
    second: "window",
  },
  {
    name: "runmax",
    minArgs: 2,
    maxArgs: 2,
    signature: "runmax(x, k)",
    doc: "largest x over the trailing k months, this month included (fewer at the series start)",
    temporal: "runmax",
    second: "window",
  },
  {
    name: "runmin",
    minArgs: 2,
    maxArgs: 2,
    signature: "runmin(x, k)",
    doc: "smallest x over the trailing k months, this month included (fewer at the series start)",
    temporal: "runmin",
    second: "window",
  },
  {
    name: "accum",
    minArgs: 2,
    maxArgs: 2,
    signature: "accum(x, tau)",
    doc: "accumulation with decay: A(t) = x(t) + exp(-1/tau) * A(t-1), starting from 0 before the series",
    temporal: "accum",
    second: "scale",
  },
  {
    name: "ewmean",
    minArgs: 2,
    maxArgs: 2,
    signature: "ewmean(x, tau)",
    doc: "exponentially weighted mean of x over past months with e-folding time tau (weights renormalised at the series start)",
    temporal: "ewmean",
    second: "scale",
  },
];

const BY_NAME = new Map(FUNCTIONS.map((f) => [f.name, f]));

export function functionInfo(name: string): FunctionInfo | undefined {
  return BY_NAME.get(name);
}

/** Named constants of the language. */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([["pi", Math.PI]]);
