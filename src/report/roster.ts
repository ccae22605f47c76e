/**
 * Who is on the page: the winner, its pruned form, the most accurate form (when it is another), the stock
 * baselines and, for a synthetic world, the truth refit and the truth with its own parameters; each with
 * its score vectors on train, validation and the sealed holdout.
 */
import type { ScoreSummary } from "../bench/summary.ts";
import type { HoldoutEntry } from "../search/ledger/entries.ts";
import type { CandidateEntry } from "../search/types.ts";
import type { RunData } from "./run-data.ts";

export type RowRole = "winner" | "pruned" | "parent" | "accuracy" | "baseline" | "truth" | "truth-own";

export interface ReportRow {
  /** Candidate id, or "truth-own" for the truth with its own parameters (not a ledger candidate). */
  readonly key: string;
  readonly candidate: CandidateEntry | null;
  readonly role: RowRole;
  /** What the row is, in words ("winner", "pruned winner", "baseline b1", ...). */
  readonly label: string;
  readonly name: string;
  readonly nParams: number;
  readonly mechanisms: readonly string[];
  readonly spec: unknown;
  readonly params: Readonly<Record<string, number>> | null;
  readonly train: ScoreSummary | null;
  readonly validation: ScoreSummary | null;
  readonly holdout: ScoreSummary | null;
  /** Why there is no holdout score (null when there is one). */
  readonly holdoutNote: string | null;
}

/** Train and validation scores of the truth with its own parameters (computed by the report on the search view). */
export interface TruthOwnScores {
  readonly spec: unknown;
  readonly params: Readonly<Record<string, number>>;
  readonly nParams: number;
  readonly train: ScoreSummary;
  readonly validation: ScoreSummary | null;
}

/** The rows of the leaderboard, in the order shown. */
export function reportRows(run: RunData, truthOwn: TruthOwnScores | null = null): ReportRow[] {
  const rows: ReportRow[] = [];
  const seen = new Set<string>();
  const add = (c: CandidateEntry | undefined | null, role: RowRole, label: string) => {
    if (!c || seen.has(c.id)) return;
    seen.add(c.id);
    rows.push(candidateRow(c, role, label, run.holdout));
  };
  const winner = run.end.winnerId ? run.byId.get(run.end.winnerId) : undefined;
  if (winner) {
    add(winner, "winner", winner.origin === "pruned" ? "winner (a pruned form)" : "winner");
    if (winner.origin === "pruned" && winner.parentId)
      add(run.byId.get(winner.parentId), "parent", "winner before pruning");
    const reduced = run.prune.get(winner.id)?.reducedId;
    if (reduced) add(run.byId.get(reduced), "pruned", "pruned winner");
  }
  if (run.end.accuracyId) add(run.byId.get(run.end.accuracyId), "accuracy", "most accurate on validation");
  for (const c of run.candidates) {
    if (c.origin === "baseline") add(c, "baseline", `baseline ${run.baselineNames.get(c.id) ?? c.name}`);
  }
  for (const c of run.candidates)
    if (c.origin === "truth" && c.status !== "crash") add(c, "truth", "truth, refit");
  if (truthOwn) {
    rows.push({
      key: "truth-own",
      candidate: null,
      role: "truth-own",
      label: "truth, own parameters",
      name: "world-truth",
      nParams: truthOwn.nParams,
      mechanisms: [],
      spec: truthOwn.spec,
      params: truthOwn.params,
      train: truthOwn.train,
      validation: truthOwn.validation,
      holdout: null,
      holdoutNote:
        "not a ledger candidate: the holdout scores only what the ledger recorded when it was opened",
    });
  }
  return rows;
}

function candidateRow(
  c: CandidateEntry,
  role: RowRole,
  label: string,
  holdout: HoldoutEntry | null,
): ReportRow {
  const h = holdout?.scores.find((s) => s.id === c.id);
  let note: string | null = null;
  if (!holdout) note = "the holdout is sealed";
  else if (!h) note = "not among the candidates scored when the holdout was opened";
  else if (!h.holdout) note = h.error ?? "no holdout score";
  return {
    key: c.id,
    candidate: c,
    role,
    label,
    name: c.name,
    nParams: c.nParams,
    mechanisms: c.mechanisms,
    spec: c.spec,
    params: c.params,
    train: c.train,
    validation: c.validation,
    holdout: h?.holdout ?? null,
    holdoutNote: note,
  };
}

/**
 * The baseline the winner is compared with in maps, cycles and region tables: the best on validation
 * Overall (chosen on validation, not on the holdout, so that the choice does not peek).
 */
export function bestBaseline(rows: readonly ReportRow[]): ReportRow | null {
  let best: ReportRow | null = null;
  for (const r of rows) {
    if (r.role !== "baseline" || !r.params || r.validation?.overall == null) continue;
    if (!best || r.validation.overall > best.validation!.overall!) best = r;
  }
  return best;
}

export function winnerRow(rows: readonly ReportRow[]): ReportRow | null {
  return rows.find((r) => r.role === "winner") ?? null;
}
