export { generateWorld, DEFAULT_WORLD, WORLD_TARGET, type World, type WorldOptions } from "./generate.ts";
export { writeWorld, truthRecord, TRUTH_FILE, WORLD_NAME, type WrittenWorld } from "./write.ts";
export { SCENARIOS, scenario, type Scenario } from "./scenarios.ts";
export {
  DEFAULT_TRUTH,
  TRUTH_DRIVERS,
  TRUTH_FORMULA,
  TruthParamsSchema,
  readTruthFile,
  truthMean,
  BUILTIN_TRUTH_FORM,
  builtinFormParams,
  type TruthModel,
  type TruthParams,
} from "./truth.ts";
export { burnedSummary, type BurnedSummary } from "./summary.ts";
export { landCells, landFraction } from "./land.ts";
