/**
 * Several models scored against one reference: each model's Overall and rank under every aggregation
 * convention, and a flag when the winner or the order depends on the convention.
 */
import { aggregate, CONVENTIONS, type Convention } from "./aggregate.ts";
import type { ScoreResult } from "./types.ts";

export interface LeaderboardEntry {
  readonly model: string;
  readonly overall: Readonly<Record<Convention, number>>;
  /** 1 = best; ties share a rank; NaN scores rank last (rank NaN). */
  readonly rank: Readonly<Record<Convention, number>>;
}

export interface Leaderboard {
  readonly region: string;
  readonly chosen: Convention;
  readonly conventions: readonly Convention[];
  /** Sorted by rank under the chosen convention. */
  readonly entries: readonly LeaderboardEntry[];
  /** Models ranked first under each convention (empty when every score is NaN). */
  readonly winners: Readonly<Record<Convention, readonly string[]>>;
  readonly winnerChanges: boolean;
  readonly orderChanges: boolean;
  /** Human-readable warnings, empty when the conventions agree. */
  readonly flags: readonly string[];
}

/** Competition ranking (1, 1, 3) of descending scores; NaN gets NaN. */
export function rankScores(scores: readonly number[]): number[] {
  return scores.map((s) =>
    Number.isNaN(s) ? NaN : 1 + scores.filter((o) => !Number.isNaN(o) && o > s).length,
  );
}

export function leaderboard(
  models: readonly { name: string; result: ScoreResult }[],
  opts: { region?: string; chosen?: Convention; conventions?: readonly Convention[] } = {},
): Leaderboard {
  const region = opts.region ?? "global";
  const chosen = opts.chosen ?? "ilamb-2.7";
  const conventions = opts.conventions ?? CONVENTIONS;
  if (!conventions.includes(chosen)) throw new Error(`chosen convention ${chosen} is not in the list`);
  const overall = models.map((m) => {
    const o = {} as Record<Convention, number>;
    for (const k of conventions) o[k] = aggregate(m.result, k, region);
    return o;
  });
  const ranks = {} as Record<Convention, number[]>;
  for (const k of conventions) ranks[k] = rankScores(overall.map((o) => o[k]));
  const entries: LeaderboardEntry[] = models.map((m, i) => {
    const rank = {} as Record<Convention, number>;
    for (const k of conventions) rank[k] = ranks[k][i];
    return { model: m.name, overall: overall[i], rank };
  });
  const byChosen = (e: LeaderboardEntry) => (Number.isNaN(e.rank[chosen]) ? Infinity : e.rank[chosen]);
  entries.sort((a, b) => byChosen(a) - byChosen(b));

  const winners = {} as Record<Convention, string[]>;
  for (const k of conventions) winners[k] = models.filter((_, i) => ranks[k][i] === 1).map((m) => m.name);
  // A convention that scores no model (e.g. ilamb-2.5 without IAV) cannot disagree with the others.
  const comparable = conventions.filter((k) => overall.some((o) => !Number.isNaN(o[k])));
  const key = (k: Convention) => winners[k].join("|");
  const winnerChanges = comparable.some((k) => key(k) !== key(comparable[0]));
  const order = (k: Convention) => ranks[k].map((r) => (Number.isNaN(r) ? "-" : String(r))).join(",");
  const orderChanges = comparable.some((k) => order(k) !== order(comparable[0]));
  const flags: string[] = [];
  if (winnerChanges) {
    flags.push(
      "the winner changes with the convention: " +
        comparable.map((k) => `${k} → ${winners[k].join(" = ") || "none"}`).join("; "),
    );
  }
  if (orderChanges) {
    const differ = comparable.filter((k) => order(k) !== order(chosen));
    if (differ.length) flags.push(`the order differs from ${chosen} under: ${differ.join(", ")}`);
    else flags.push("the order changes between conventions");
  }
  const skipped = conventions.filter((k) => !comparable.includes(k));
  if (skipped.length) flags.push(`not comparable (no model scored): ${skipped.join(", ")}`);
  return { region, chosen, conventions, entries, winners, winnerChanges, orderChanges, flags };
}

/** A Markdown table of the leaderboard with its flags. */
export function leaderboardMarkdown(lb: Leaderboard): string {
  const f = (x: number) => (Number.isNaN(x) ? "n/a" : x.toFixed(4));
  const head = ["rank", "model", ...lb.conventions.map((k) => (k === lb.chosen ? `**${k}**` : k))];
  const lines = [
    `# Leaderboard (${lb.region}; ranked by ${lb.chosen})`,
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
  ];
  for (const e of lb.entries) {
    const cells = lb.conventions.map(
      (k) => `${f(e.overall[k])} (#${Number.isNaN(e.rank[k]) ? "-" : e.rank[k]})`,
    );
    lines.push(
      `| ${Number.isNaN(e.rank[lb.chosen]) ? "-" : e.rank[lb.chosen]} | ${e.model} | ${cells.join(" | ")} |`,
    );
  }
  lines.push("");
  if (lb.flags.length === 0) lines.push("The conventions agree on the winner and the order.");
  else for (const fl of lb.flags) lines.push(`**Flag:** ${fl}`);
  return lines.join("\n") + "\n";
}

/** CSV: one row per model, the Overall and rank under each convention. */
export function leaderboardCsv(lb: Leaderboard): string {
  const head = ["model", ...lb.conventions.flatMap((k) => [k, `rank ${k}`])];
  const rows = lb.entries.map((e) =>
    [e.model, ...lb.conventions.flatMap((k) => [num(e.overall[k]), num(e.rank[k])])].map(csvCell).join(","),
  );
  return [head.map(csvCell).join(","), ...rows].join("\n") + "\n";
}

function num(x: number): string {
  return Number.isNaN(x) ? "" : String(x);
}

export function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
