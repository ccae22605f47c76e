/**
 * What a ledger line holds. The evaluator writes every entry; a proposer never does. One JSON object per
 * line, appended in order; `kind` says which.
 */
import type { ScoreSummary } from "../../bench/summary.ts";
import type { PruningProposal } from "../../ablate/prune.ts";
import type { ShapleyResult } from "../../ablate/result.ts";
import type { CandidateEntry } from "../types.ts";

export const LEDGER_VERSION = 1;

export interface AuditNote {
  readonly severity: "error" | "warning" | "info";
  readonly check: string;
  readonly variable: string | null;
  readonly message: string;
}

/** The first entry: what the run is, pinned. */
export interface RunStartEntry {
  readonly kind: "run-start";
  readonly version: number;
  readonly time: string;
  readonly name: string;
  readonly frameHash: string;
  readonly seed: number;
  readonly dataset: {
    readonly name: string;
    /** FitProblem.fingerprint of the search view (train + validation years only). */
    readonly fingerprint: string;
    readonly target: string;
    readonly drivers: readonly string[];
    readonly cells: number;
    readonly months: number;
  };
  readonly split: { readonly train: number[]; readonly validation: number[]; readonly holdout: number[] };
  /** The input audit of the search years, run before any fit. */
  readonly audit: {
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    readonly findings: AuditNote[];
  };
  readonly proposer: string;
}

/** A change to the pinned frame, accepted with a reason (`kiln search --resume --amend "reason"`). */
export interface AmendEntry {
  readonly kind: "amend";
  readonly time: string;
  readonly oldHash: string;
  readonly newHash: string;
  readonly reason: string;
  /** Top-level frame keys whose value changed. */
  readonly changed: string[];
}

/** Shapley attribution of one candidate's mechanisms (refit game, src/ablate). */
export interface ShapleyEntry {
  readonly kind: "shapley";
  readonly time: string;
  readonly candidateId: string;
  readonly hash: string;
  readonly players: string[];
  readonly validation: ShapleyResult;
  readonly train: ShapleyResult;
  readonly fit: { readonly sampler: string; readonly trials: number; readonly seed: number };
  readonly seconds: number;
}

/** The pruning rule's verdict on a candidate, and the reduced form's candidate id (when one was made). */
export interface PruneEntry {
  readonly kind: "prune";
  readonly time: string;
  readonly candidateId: string;
  readonly pruning: PruningProposal;
  /** The reduced form: a new candidate, an existing one with the same hash, or null when nothing is dropped. */
  readonly reducedId: string | null;
  /** The reduced form's spec, and its coalition fit's parameters (the refit's warm start). */
  readonly reducedSpec: unknown;
  readonly reducedStart: number[] | null;
  readonly note: string;
}

/** One candidate scored on the holdout years. */
export interface HoldoutScore {
  readonly id: string;
  readonly name: string;
  readonly origin: CandidateEntry["origin"];
  readonly nParams: number;
  readonly mechanisms: readonly string[];
  readonly holdout: ScoreSummary | null;
  readonly error?: string;
}

/** The win rule applied on the holdout: a candidate against one baseline. */
export interface WinVerdict {
  readonly candidateId: string;
  readonly baselineId: string;
  readonly baselineName: string;
  /** Holdout Overall of the candidate minus the baseline's. */
  readonly overallGain: number | null;
  /** Per compared component: candidate minus baseline (null when either is missing). */
  readonly componentGain: Readonly<Record<string, number | null>>;
  readonly pass: boolean;
  readonly reason: string;
}

/** The sealed holdout, opened once. */
export interface HoldoutEntry {
  readonly kind: "holdout";
  readonly time: string;
  readonly years: number[];
  readonly winnerId: string | null;
  readonly scores: HoldoutScore[];
  readonly verdicts: WinVerdict[];
  /** Did the winner (and its pruned form, if scored) pass the frame's win rule against the baselines? */
  readonly win: boolean | null;
  readonly audit: { readonly errors: number; readonly warnings: number; readonly findings: AuditNote[] };
}

export type StopReason = "forms" | "wall-time" | "proposer-exhausted" | "proposer-stuck";

export interface RunEndEntry {
  readonly kind: "run-end";
  readonly time: string;
  readonly reason: StopReason;
  /** Proposed forms evaluated (crashes and repeats included). */
  readonly forms: number;
  readonly candidates: number;
  readonly incumbentId: string | null;
  /** The default winner (the frame's pick rule on the Pareto front of non-baseline candidates). */
  readonly winnerId: string | null;
  /** The most accurate non-baseline candidate on validation. */
  readonly accuracyId: string | null;
  /** Pareto front of validation Overall against parameter count, all candidates, fewest parameters first. */
  readonly pareto: string[];
  /** Search time spent across sessions (sum of candidate and Shapley times). */
  readonly seconds: number;
}

export type LedgerEntry =
  RunStartEntry | AmendEntry | CandidateEntry | ShapleyEntry | PruneEntry | HoldoutEntry | RunEndEntry;

export const ENTRY_KINDS = [
  "run-start",
  "amend",
  "candidate",
  "shapley",
  "prune",
  "holdout",
  "run-end",
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The time an entry carries (candidates: when they started). */
export function entryTime(e: LedgerEntry): string {
  return e.kind === "candidate" ? e.startedAt : e.time;
}
