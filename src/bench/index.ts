/** ILAMB 2.7 burned-area scoring in Kiln's compressed layout. */
export * from "./types.ts";
export * from "./calendar.ts";
export { prepareReference, referenceOf, type PreparedReference, type PreparedRegion } from "./prepare.ts";
export { evaluateCells, type EvaluateOptions } from "./evaluate.ts";
export { createWorkspace, type Workspace } from "./workspace.ts";
export { scoreModel } from "./score.ts";
export { integrateRegions, overallScore } from "./integrate.ts";
export * from "./aggregate.ts";
export * from "./leaderboard.ts";
export * from "./residuals.ts";
export * from "./tables.ts";
export { makeComparable, type ComparablePair } from "./pair.ts";
export * from "./summary.ts";
