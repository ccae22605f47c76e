/**
 * A fire mechanism: one limitation factor of a burned-area form, from the catalogue in
 * ../shared/docs/mechanisms.md §1. Its formula is text in Kiln's expression language (src/forms parses it);
 * derived inputs (running means, lags, fire-season accumulations) are written with the language's temporal
 * operators, never hidden in code.
 */

/** The functional regimes of fire ecology, plus human modulation. */
export const REGIMES = [
  "productivity-limited",
  "fuel-limited",
  "ignition-limited",
  "weather-driven",
  "human",
] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * Redundancy clusters (mechanisms.md §1.6): members co-vary, so expect negative Shapley interaction within
 * a cluster. MOIST-T is the air-temperature sigmoid, which overlaps both moisture clusters.
 */
export const CLUSTERS = ["FUEL", "MOIST-fast", "MOIST-slow", "MOIST-T", "IGN", "HUMAN", "SPREAD"] as const;
export type Cluster = (typeof CLUSTERS)[number];

export interface MechanismParam {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly default: number;
  readonly scale: "lin" | "log";
  /** Unit of the parameter in Kiln's internal units. */
  readonly units: string;
  readonly doc: string;
}

export interface Mechanism {
  /** Library id, e.g. "vdw_gpp_gate" (a valid expression-language name). */
  readonly id: string;
  /** Catalogue number, e.g. "M2". */
  readonly catalogue: string;
  readonly name: string;
  readonly regime: Regime;
  readonly cluster: Cluster;
  /** Drivers read, with their internal units (src/grid/drivers.ts; lat and month are built in). */
  readonly drivers: readonly { readonly name: string; readonly units: string }[];
  readonly params: readonly MechanismParam[];
  /**
   * Parameter values at which the factor is one constant for every input, so that dropping the mechanism
   * equals setting it here (the constant is absorbed by the form's global scale) and Shapley refits nest.
   * Parameters not named keep any value.
   */
  readonly identity: Readonly<Record<string, number>>;
  /** The factor, in the expression language. */
  readonly expr: string;
  /** The factor as a LaTeX formula (display math, no delimiters). */
  readonly latex: string;
  readonly cite: string;
  /** "as-is" when the published form and constants are kept; "adapted" otherwise (see `notes`). */
  readonly fidelity: "as-is" | "adapted";
  /** What was adapted, proxies, parameter ranges changed from the catalogue, and why. */
  readonly notes: string;
}
