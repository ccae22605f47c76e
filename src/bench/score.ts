/** Score a model against a prepared reference: the in-process path the parameter layer calls. */
import { evaluateCells, type EvaluateOptions } from "./evaluate.ts";
import { integrateRegions } from "./integrate.ts";
import type { PreparedReference } from "./prepare.ts";
import type { ScoreResult } from "./types.ts";

/**
 * Every scalar ILAMB 2.7 writes, per region, for `model` (same layout as the reference:
 * `model[t * nCell + c]`, NaN = masked). Scratch buffers are kept per prepared reference and reused, so
 * a call allocates only the small result; pass `workspace` to use buffers of your own.
 */
export function scoreModel(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  opts: EvaluateOptions = {},
): ScoreResult {
  return integrateRegions(prep, evaluateCells(prep, model, opts));
}
