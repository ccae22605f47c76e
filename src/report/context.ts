/** What every section builder reads, and what it returns. */
import type { ResidualView } from "./residual-view.ts";
import type { ReportRow } from "./roster.ts";
import type { RunData } from "./run-data.ts";
import type { Site } from "./site.ts";

/** How the holdout came to be open for this report. */
export interface HoldoutStatus {
  /** True when an earlier report opened it: the recorded scores are reused, nothing was re-scored. */
  readonly reused: boolean;
  readonly time: string;
  readonly years: readonly number[];
  /** The sentence the page and the CLI print. */
  readonly message: string;
}

export interface ReportContext {
  readonly run: RunData;
  readonly rows: readonly ReportRow[];
  readonly winner: ReportRow | null;
  /** The best baseline on validation Overall, the winner's comparison in maps, cycles and region tables. */
  readonly baseline: ReportRow | null;
  readonly holdout: HoldoutStatus | null;
  /** Residual fields over the search view's validation years (null when the data could not be loaded). */
  readonly residuals: ResidualView | null;
  readonly site: Site;
}

/** One section of the page: an anchor, a heading for the contents list, and its markup. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly html: string;
}

export type SectionBuilder = (ctx: ReportContext) => Section;
