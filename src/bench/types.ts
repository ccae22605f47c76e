/** The vocabulary of the benchmark: options, ILAMB's scalar names, and what a score returns. */
import type { CellIndex } from "../grid/cells.ts";
import type { Region } from "../grid/regions.ts";
import type { TimeAxis } from "../grid/time.ts";

export type RmseBasis = "cycle" | "series";

export interface ScoreOptions {
  /** Regions to report, e.g. `ilambRegions(grid)` (global and the 14 GFED boxes) or raster regions. */
  readonly regions: readonly Region[];
  /** ILAMB's `rmse_score_basis`: "cycle" (default since 2.6) or "series" (≤ 2.5). */
  readonly rmseBasis?: RmseBasis;
  /** Weight the Bias, RMSE, Seasonal (and IAV) scores by the reference period mean (burned area: on). */
  readonly massWeighting?: boolean;
  /**
   * Interannual variability: false (ILAMB 2.7's default, skipped), "component" (computed for the
   * aggregation conventions but not an ILAMB scalar, so "Overall Score" stays ILAMB 2.7's), or true
   * (ILAMB with `skip_iav = False`: scalar written and counted in "Overall Score").
   */
  readonly iav?: boolean | "component";
  /**
   * Multiply reference and model by this before scoring (e.g. 100 so fractions score as ILAMB scores %
   * files). Only quirk Q2 is not scale-invariant, so this matters without mass weighting.
   */
  readonly dataScale?: number;
}

/** A reference in Kiln's compressed layout: `data[t * cells.length + c]`, NaN = masked. */
export interface ReferenceInput {
  readonly cells: CellIndex;
  readonly time: TimeAxis;
  readonly data: Float32Array | Float64Array;
  /** The unit of the data (after `dataScale`), reported with Bias, RMSE and the period means. */
  readonly units?: string;
}

/** ILAMB's scalar names (the region label is appended in scores.json, e.g. "Overall Score global"). */
export const SCALAR = {
  periodMean: "Period Mean (original grids)",
  refMeanI: "Benchmark Period Mean (intersection)",
  modMeanI: "Model Period Mean (intersection)",
  refMeanC: "Benchmark Period Mean (complement)",
  modMeanC: "Model Period Mean (complement)",
  bias: "Bias",
  biasScore: "Bias Score",
  rmse: "RMSE",
  rmseScore: "RMSE Score",
  phaseShift: "Phase Shift",
  seasonalScore: "Seasonal Cycle Score",
  spatialScore: "Spatial Distribution Score",
  iavScore: "Interannual Variability Score",
  overall: "Overall Score",
} as const;

export type ScalarName = (typeof SCALAR)[keyof typeof SCALAR];

/** ILAMB's order of the scalars in a results file, used for JSON and CSV columns. */
export const SCALAR_ORDER: readonly ScalarName[] = [
  SCALAR.periodMean,
  SCALAR.refMeanI,
  SCALAR.modMeanI,
  SCALAR.refMeanC,
  SCALAR.modMeanC,
  SCALAR.bias,
  SCALAR.biasScore,
  SCALAR.rmse,
  SCALAR.rmseScore,
  SCALAR.phaseShift,
  SCALAR.seasonalScore,
  SCALAR.spatialScore,
  SCALAR.iavScore,
  SCALAR.overall,
];

/** Confrontation.weight: RMSE counts twice; any other score once. */
export const OVERALL_WEIGHTS: Readonly<Record<string, number>> = {
  [SCALAR.biasScore]: 1,
  [SCALAR.rmseScore]: 2,
  [SCALAR.seasonalScore]: 1,
  [SCALAR.iavScore]: 1,
  [SCALAR.spatialScore]: 1,
};

/**
 * The component scores of one region. `bias`, `rmse`, `seasonal`, `spatial` are ILAMB 2.7's; the others
 * feed the other aggregation conventions: `iav` (NaN unless computed), `seasonalLinear` (ilamb3's
 * 1 − |shift in whole months|/6, integrated like the seasonal score) and `spatialPearson` (the spatial
 * distribution score with a proper Pearson correlation over the scored cells).
 */
export interface ComponentVector {
  readonly bias: number;
  readonly rmse: number;
  readonly seasonal: number;
  readonly spatial: number;
  readonly iav: number;
  readonly seasonalLinear: number;
  readonly spatialPearson: number;
}

export interface RegionResult {
  readonly region: string;
  /** Every scalar ILAMB writes for this region, under ILAMB's name; absent when ILAMB skips it. */
  readonly scalars: Readonly<Partial<Record<ScalarName, number>>>;
  readonly components: ComponentVector;
  /** Spatial distribution extras ILAMB stores as attributes: normalised std and correlation R. */
  readonly spatialStd: number;
  readonly spatialR: number;
}

export interface ScoreResult {
  readonly regions: readonly RegionResult[];
  /** Units of the scalars that carry units (period means, Bias, RMSE: the data's; Phase Shift: months). */
  readonly units: Readonly<Partial<Record<ScalarName, string>>>;
}
