/** The HTML report of a finished run, and the pieces it is built from. */
export {
  gatherReport,
  reportContext,
  writeReport,
  SECTIONS,
  type ReportData,
  type ReportOptions,
  type ReportOutcome,
} from "./build.ts";
export type { HoldoutStatus, ReportContext, Section, SectionBuilder } from "./context.ts";
export { rankConventions, type ConventionRanking } from "./conventions.ts";
export {
  bestBaseline,
  reportRows,
  winnerRow,
  type ReportRow,
  type RowRole,
  type TruthOwnScores,
} from "./roster.ts";
export {
  readRun,
  readWorldTruth,
  truthParams,
  truthSpec,
  type RunData,
  type WorldTruth,
} from "./run-data.ts";
export { residualView, preparePart, type ResidualView, type ModelResiduals } from "./residual-view.ts";
