/**
 * What the ledger has already shown about single moves: for every evaluated library form whose parent is
 * also one, the change of validation Overall caused by adding, dropping or swapping one mechanism, or by
 * changing the combiner. Later proposals avoid moves that failed and favour ones that worked elsewhere.
 */
import type { CandidateEntry } from "../../types.ts";
import { libraryFormOf, type LibraryForm } from "../history.ts";

/** A change smaller than this is "no change" (refits are noisy at the third decimal). */
export const TOLERANCE = 0.002;

export interface MoveRecord {
  readonly parentId: string;
  readonly childId: string;
  readonly delta: number;
}

export interface Evidence {
  /** Adding mechanism m to some parent. */
  readonly added: ReadonlyMap<string, readonly MoveRecord[]>;
  /** Dropping m from some parent. */
  readonly dropped: ReadonlyMap<string, readonly MoveRecord[]>;
  /** Swapping into m (any mechanism out). */
  readonly swappedIn: ReadonlyMap<string, readonly MoveRecord[]>;
  /** Swapping m out (for any mechanism in). */
  readonly swappedOut: ReadonlyMap<string, readonly MoveRecord[]>;
  /** Changing to combiner c. */
  readonly combiner: ReadonlyMap<string, readonly MoveRecord[]>;
  /** Mechanisms whose addition (alone or by swap) ended in a crash. */
  readonly crashedWith: ReadonlySet<string>;
}

function push(map: Map<string, MoveRecord[]>, key: string, r: MoveRecord): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

export function gatherEvidence(history: readonly CandidateEntry[]): Evidence {
  const forms = new Map<string, LibraryForm>();
  for (const e of history) {
    const f = libraryFormOf(e);
    if (f) forms.set(e.id, f);
  }
  const added = new Map<string, MoveRecord[]>();
  const dropped = new Map<string, MoveRecord[]>();
  const swappedIn = new Map<string, MoveRecord[]>();
  const swappedOut = new Map<string, MoveRecord[]>();
  const combiner = new Map<string, MoveRecord[]>();
  const crashedWith = new Set<string>();
  for (const child of forms.values()) {
    const pid = child.entry.parentId;
    const parent = pid ? forms.get(pid) : undefined;
    if (!parent) continue;
    const plus = child.mechanisms.filter((m) => !parent.mechanisms.includes(m));
    const minus = parent.mechanisms.filter((m) => !child.mechanisms.includes(m));
    if (child.entry.status === "crash") {
      for (const m of plus) crashedWith.add(m);
      continue;
    }
    if (child.score === null || parent.score === null) continue;
    const r = { parentId: parent.entry.id, childId: child.entry.id, delta: child.score - parent.score };
    if (child.combiner !== parent.combiner) {
      if (plus.length === 0 && minus.length === 0) push(combiner, child.combiner, r);
      continue;
    }
    if (plus.length === 1 && minus.length === 0) push(added, plus[0], r);
    // A joint drop (Shapley pruning) credits each dropped mechanism with the whole change.
    else if (plus.length === 0 && minus.length >= 1) for (const m of minus) push(dropped, m, r);
    else if (plus.length === 1 && minus.length === 1) {
      push(swappedIn, plus[0], r);
      push(swappedOut, minus[0], r);
    }
  }
  return { added, dropped, swappedIn, swappedOut, combiner, crashedWith };
}

/** Sum of the outcomes: helped (+1 each), hurt (−1 each), no change (0). */
export function tally(records: readonly MoveRecord[] | undefined): {
  helped: number;
  hurt: number;
  n: number;
} {
  let helped = 0;
  let hurt = 0;
  for (const r of records ?? []) {
    if (r.delta > TOLERANCE) helped++;
    else if (r.delta < -TOLERANCE) hurt++;
  }
  return { helped, hurt, n: records?.length ?? 0 };
}

/** The opposite move's records with the sign of their outcome flipped (adding m undoes dropping m). */
export function reversed(records: readonly MoveRecord[] | undefined): MoveRecord[] {
  return (records ?? []).map((r) => ({ ...r, delta: -r.delta }));
}

/**
 * Priority adjustment from past outcomes of the same move with the same mechanism (`same`) and of the
 * opposite move (`opposite`, e.g. drops of m when adding m): a move that hurt is not repeated lightly.
 */
export function adjustment(
  same: readonly MoveRecord[] | undefined,
  opposite?: readonly MoveRecord[] | undefined,
): { value: number; note: string } {
  const all = [...(same ?? []), ...reversed(opposite)];
  const t = tally(all);
  if (t.n === 0) return { value: 0, note: "" };
  const value = Math.max(-30, 6 * t.helped - 12 * t.hurt);
  const fmt = (r: MoveRecord) => `${r.childId} ${r.delta >= 0 ? "+" : "−"}${Math.abs(r.delta).toFixed(3)}`;
  const parts: string[] = [];
  if (same?.length) parts.push(`the same move elsewhere gave ${same.map(fmt).join(", ")}`);
  if (opposite?.length) parts.push(`the opposite move gave ${opposite.map(fmt).join(", ")}`);
  return { value, note: parts.join("; ") };
}
