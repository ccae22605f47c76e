import { CONVENTIONS, aggregateRegion, type Convention } from "./aggregate.ts";
import type { ScoreResult } from "./types.ts";

/** One region's scores in a compact, JSON-safe shape (NaN as null). */
export interface RegionSummary {
  readonly bias: number | null;
  readonly rmse: number | null;
  readonly seasonal: number | null;
  readonly spatial: number | null;
  readonly iav: number | null;
  /** Overall under each aggregation convention. */
  readonly overall: Readonly<Record<Convention, number | null>>;
}

/**
 * A score vector as the ledger and the report keep it: the chosen convention's global Overall as the
 * headline, every component and every convention for every region beside it (architecture principle 4).
 */
export interface ScoreSummary {
  readonly convention: Convention;
  /** Overall of the objective region under the chosen convention (null when NaN). */
  readonly overall: number | null;
  readonly region: string;
  readonly regions: Readonly<Record<string, RegionSummary>>;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function summarize(result: ScoreResult, convention: Convention, region = "global"): ScoreSummary {
  const regions: Record<string, RegionSummary> = {};
  for (const r of result.regions) {
    const overall = {} as Record<Convention, number | null>;
    for (const k of CONVENTIONS) overall[k] = num(aggregateRegion(r, k));
    const c = r.components;
    regions[r.region] = {
      bias: num(c.bias),
      rmse: num(c.rmse),
      seasonal: num(c.seasonal),
      spatial: num(c.spatial),
      iav: num(c.iav),
      overall,
    };
  }
  const head = regions[region];
  return { convention, region, overall: head ? head.overall[convention] : null, regions };
}

/** The headline Overall as a number (NaN when missing), for comparisons. */
export function headline(s: ScoreSummary): number {
  return s.overall ?? NaN;
}
