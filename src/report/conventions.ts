/**
 * Overall under every aggregation convention for a set of score vectors, each model's rank under each,
 * and the flags when the winner or the order changes with the convention (origin.md, third lesson). The
 * same rules as bench's leaderboard(), applied to the score summaries the ledger keeps.
 */
import { CONVENTIONS, type Convention } from "../bench/aggregate.ts";
import { rankScores } from "../bench/leaderboard.ts";
import type { ScoreSummary } from "../bench/summary.ts";

export interface ConventionRanking {
  readonly region: string;
  readonly chosen: Convention;
  readonly conventions: readonly Convention[];
  readonly names: readonly string[];
  /** overall[i][k]: model i under conventions[k] (NaN when missing). */
  readonly overall: readonly (readonly number[])[];
  /** rank[i][k]: 1 = best, ties share a rank, NaN for a missing score. */
  readonly rank: readonly (readonly number[])[];
  /** differs[i][k]: model i's rank under conventions[k] is not its rank under the chosen convention. */
  readonly differs: readonly (readonly boolean[])[];
  readonly winnerChanges: boolean;
  readonly orderChanges: boolean;
  /** Rank changes in words (empty when the conventions agree). */
  readonly flags: readonly string[];
  /** Conventions that scored no model (e.g. ilamb-2.5, whose IAV needs more than one year). */
  readonly skipped: readonly Convention[];
}

export function rankConventions(
  models: readonly { name: string; score: ScoreSummary | null }[],
  chosen: Convention,
  region: string,
): ConventionRanking {
  const conventions = CONVENTIONS;
  const names = models.map((m) => m.name);
  const overall = models.map((m) =>
    conventions.map((k) => {
      const v = m.score?.regions[region]?.overall[k];
      return v === null || v === undefined ? NaN : v;
    }),
  );
  const byConv = conventions.map((_, k) => rankScores(overall.map((o) => o[k])));
  const rank = models.map((_, i) => conventions.map((_, k) => byConv[k][i]));
  const ci = conventions.indexOf(chosen);
  const differs = rank.map((r) => r.map((x) => !Number.isNaN(x) && !Number.isNaN(r[ci]) && x !== r[ci]));

  // A convention that scores no model cannot disagree with the others.
  const comparable = conventions.map((_, k) => k).filter((k) => overall.some((o) => !Number.isNaN(o[k])));
  const winners = (k: number) => names.filter((_, i) => byConv[k][i] === 1);
  const key = (k: number) => winners(k).join("|");
  const order = (k: number) => byConv[k].map((r) => (Number.isNaN(r) ? "-" : String(r))).join(",");
  const winnerChanges = comparable.some((k) => key(k) !== key(comparable[0]));
  const orderChanges = comparable.some((k) => order(k) !== order(comparable[0]));
  const flags: string[] = [];
  if (winnerChanges) {
    flags.push(
      "the first place changes with the convention: " +
        comparable.map((k) => `${conventions[k]} → ${winners(k).join(" = ") || "none"}`).join("; "),
    );
  }
  if (orderChanges) {
    const differ = comparable.filter((k) => order(k) !== order(ci)).map((k) => conventions[k]);
    flags.push(
      differ.length
        ? `the ranks differ from ${chosen} under ${differ.join(", ")}`
        : "the ranks change between conventions",
    );
  }
  const skipped = conventions.filter((_, k) => !comparable.includes(k));
  return {
    region,
    chosen,
    conventions,
    names,
    overall,
    rank,
    differs,
    winnerChanges,
    orderChanges,
    flags,
    skipped,
  };
}
