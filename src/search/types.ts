/**
 * The search loop's shared vocabulary: ledger entries, feedback, proposals and the proposer interface.
 * The evaluator (never the proposer) writes ledger entries.
 */
import type { ScoreSummary } from "../bench/summary.ts";

export type CandidateStatus = "keep" | "discard" | "crash";
export type CandidateOrigin = "baseline" | "truth" | "proposer" | "pruned";

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** One evaluated candidate form: everything needed to audit, compare and reproduce it. */
export interface CandidateEntry {
  readonly kind: "candidate";
  /** "c0001", "c0002", ... in evaluation order; baselines first. */
  readonly id: string;
  readonly parentId: string | null;
  readonly origin: CandidateOrigin;
  readonly proposer: string;
  readonly name: string;
  /** The form spec as validated (a plain JSON object in the forms layer's spec format). */
  readonly spec: unknown;
  readonly canonical: string;
  readonly hash: string;
  /** Library mechanism ids (or custom term names) of the form's terms. */
  readonly mechanisms: readonly string[];
  readonly nParams: number;
  readonly hypothesis: string;
  readonly rationale: string;
  readonly fit: {
    readonly sampler: string;
    readonly trials: number;
    readonly seed: number;
    readonly configHash: string;
    readonly seconds: number;
  } | null;
  readonly params: Readonly<Record<string, number>> | null;
  readonly train: ScoreSummary | null;
  readonly validation: ScoreSummary | null;
  readonly status: CandidateStatus;
  readonly error?: string;
  readonly startedAt: string;
  readonly seconds: number;
  readonly tokens?: TokenUsage;
  /** A proposal whose canonical hash was already evaluated: the id of that candidate (not refit). */
  readonly repeatOf?: string;
  /** A remark from the evaluator (e.g. why a candidate was skipped). */
  readonly note?: string;
  /** Where the validation residuals are largest (kept so a resumed run rebuilds the same feedback). */
  readonly residuals?: Feedback["residuals"];
}

/** What the last candidate taught: handed to the proposer for the next form. */
export interface Feedback {
  readonly candidateId: string;
  readonly validation: ScoreSummary | null;
  readonly status: CandidateStatus;
  readonly error?: string;
  /** Shapley attribution on validation years, when it was run for this candidate. */
  readonly shapley?: {
    readonly players: readonly string[];
    readonly phi: readonly number[];
    readonly share: readonly number[];
    readonly indistinguishableFromZero: readonly boolean[];
    /** Pairwise Shapley interaction index (negative: redundancy). */
    readonly interactions?: readonly (readonly number[])[];
  };
  /** Where the residuals are largest: worst regions by Overall, and months of largest seasonal error. */
  readonly residuals?: {
    readonly worstRegions: readonly {
      region: string;
      overall: number | null;
      bias: number | null;
      seasonal: number | null;
    }[];
    readonly worstMonths?: readonly { region: string; month: number; model: number; reference: number }[];
  };
}

export interface ProposalContext {
  /** 1-based number of the candidate being proposed (baselines excluded). */
  readonly n: number;
  readonly seed: number;
  /** The frame as the user wrote it (YAML), for prompts. */
  readonly frameText: string;
  /** Drivers available in the dataset (the target excluded). */
  readonly drivers: readonly string[];
  readonly history: readonly CandidateEntry[];
  readonly incumbent: CandidateEntry | null;
  /** Candidates on the Pareto front of validation Overall against parameter count. */
  readonly pareto: readonly CandidateEntry[];
  readonly feedback: Feedback | null;
}

export interface Proposal {
  /** A raw form spec object, validated by the evaluator (src/forms checkFormObject). */
  readonly spec: unknown;
  readonly hypothesis: string;
  readonly rationale: string;
  readonly parentId: string | null;
  readonly usage?: TokenUsage;
}

/**
 * A source of candidate forms. `propose` returns null when it has nothing new to offer. An offline
 * proposer must derive all its state from (seed, context.history), so that a resumed run proposes
 * exactly what an uninterrupted run would have.
 */
export interface Proposer {
  readonly name: string;
  propose(ctx: ProposalContext): Promise<Proposal | null>;
  /**
   * Set when the last `propose` returned null because it failed (an LLM that gave no valid reply within its
   * repairs, or a transport that gave up after its retries) rather than because it had nothing new; null
   * otherwise. Carries the tokens spent, for the ledger.
   */
  readonly lastFailure?: ProposalFailure | null;
}

/** Why a proposer returned null although it had something to try. */
export interface ProposalFailure {
  readonly kind: "invalid-reply" | "transport";
  readonly message: string;
  readonly usage: TokenUsage;
  /** LLM replies received (0 when the transport failed before the first). */
  readonly replies: number;
}
