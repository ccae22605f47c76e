/** The frame (`kiln.yaml`): schema, loading with located errors, canonical hash, resolved references. */
export {
  COMPONENTS,
  SAMPLERS,
  SHAPLEY_POLICIES,
  STOCK_BASELINES,
  baselineName,
  frameSchema,
  parseDuration,
  type BaselineItem,
  type Component,
  type Frame,
  type FrameInput,
  type ShapleyPolicy,
} from "./frame/schema.ts";
export { canonicalJson, frameFromObject, loadFrame, parseFrameText, type LoadedFrame } from "./frame/load.ts";
export { STOCK_BASELINE_DIR, datasetPath, resolveBaselines, type BaselineSpec } from "./frame/resolve.ts";
