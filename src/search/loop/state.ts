/**
 * The loop's state, derived from the ledger alone, so that a fresh run and a resumed one take the same
 * decisions: the history the proposer sees, the incumbent, the Shapley and pruning records, the feedback.
 */
import { candidateFront } from "../pareto.ts";
import type { LedgerEntry, PruneEntry, ShapleyEntry } from "../ledger/entries.ts";
import type { CandidateEntry, Feedback } from "../types.ts";

export interface LoopState {
  /** Every candidate entry, in order. */
  readonly all: readonly CandidateEntry[];
  /** What the search may learn from: everything but reference forms added afterwards (origin "truth"). */
  readonly history: readonly CandidateEntry[];
  readonly byId: ReadonlyMap<string, CandidateEntry>;
  readonly shapley: ReadonlyMap<string, ShapleyEntry>;
  readonly prune: ReadonlyMap<string, PruneEntry>;
  /** The last kept candidate (the kept chain only moves up). */
  readonly incumbent: CandidateEntry | null;
  readonly baselines: number;
  /** Proposed forms so far (crashes and repeats included): what the forms budget counts. */
  readonly proposed: number;
  /** Trailing proposed forms that repeated an evaluated hash. */
  readonly trailingRepeats: number;
  /** Search time spent so far: candidate and Shapley seconds. */
  readonly seconds: number;
}

export function deriveState(entries: readonly LedgerEntry[]): LoopState {
  const all: CandidateEntry[] = [];
  const shapley = new Map<string, ShapleyEntry>();
  const prune = new Map<string, PruneEntry>();
  let seconds = 0;
  for (const e of entries) {
    if (e.kind === "candidate") {
      all.push(e);
      seconds += e.seconds;
    } else if (e.kind === "shapley") {
      shapley.set(e.candidateId, e);
      seconds += e.seconds;
    } else if (e.kind === "prune") prune.set(e.candidateId, e);
  }
  const history = all.filter((c) => c.origin !== "truth");
  let incumbent: CandidateEntry | null = null;
  for (const c of history) if (c.status === "keep") incumbent = c;
  const proposedList = history.filter((c) => c.origin === "proposer");
  let trailingRepeats = 0;
  for (let k = proposedList.length - 1; k >= 0 && proposedList[k].repeatOf; k--) trailingRepeats++;
  return {
    all,
    history,
    byId: new Map(all.map((c) => [c.id, c])),
    shapley,
    prune,
    incumbent,
    baselines: history.filter((c) => c.origin === "baseline").length,
    proposed: proposedList.length,
    trailingRepeats,
    seconds,
  };
}

export function nextCandidateId(state: LoopState): string {
  return `c${String(state.all.length + 1).padStart(4, "0")}`;
}

/** The evaluated candidate with this hash (first one), if any. */
export function evaluatedHash(state: LoopState, hash: string): string | null {
  for (const c of state.all) if (c.hash === hash && c.status !== "crash" && !c.repeatOf) return c.id;
  return null;
}

/** The Pareto members of the history (validation Overall against parameter count). */
export function paretoOf(state: LoopState): CandidateEntry[] {
  return candidateFront(state.history).map((p) => p.item);
}

/**
 * The feedback for the next proposal: about the last proposed or pruned candidate, with its Shapley
 * attribution (a pruned form carries its parent's, which is what led to it).
 */
export function feedbackOf(state: LoopState): Feedback | null {
  let last: CandidateEntry | undefined;
  for (let k = state.history.length - 1; k >= 0; k--) {
    const c = state.history[k];
    if (c.origin === "proposer" || c.origin === "pruned") {
      last = c;
      break;
    }
  }
  if (!last) return null;
  const sh =
    state.shapley.get(last.id) ??
    (last.origin === "pruned" && last.parentId ? state.shapley.get(last.parentId) : undefined);
  const fb: Feedback = {
    candidateId: last.id,
    validation: last.validation,
    status: last.status,
    ...(last.error ? { error: last.error } : {}),
    ...(sh
      ? {
          shapley: {
            players: sh.validation.players,
            phi: sh.validation.phi,
            share: sh.validation.share.map((s) => s ?? 0),
            indistinguishableFromZero: sh.validation.flags.indistinguishableFromZero,
            ...(sh.validation.interaction ? { interactions: sh.validation.interaction } : {}),
          },
        }
      : {}),
    ...(last.residuals ? { residuals: last.residuals } : {}),
  };
  return fb;
}
