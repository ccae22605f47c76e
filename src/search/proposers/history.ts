/**
 * Reading the ledger from a proposer's side: which entries it may learn from, their scores, and which of
 * them are plain library forms (terms that are library mechanisms at their default bounds or overrides).
 */
import { mechanismById } from "../../mechanisms/library.ts";
import { COMBINERS, type Combiner } from "../../forms/spec.ts";
import type { CandidateEntry } from "../types.ts";

/**
 * The entries a proposer may see. A "truth" entry (the generating form of a synthetic world, refit as a
 * reference) is withheld: a search that learned from it would find the truth by being told.
 */
export function visibleHistory(history: readonly CandidateEntry[]): CandidateEntry[] {
  return history.filter((e) => e.origin !== "truth");
}

/** Validation Overall of an entry that was evaluated without crashing, else null. */
export function scoreOf(e: CandidateEntry): number | null {
  if (e.status === "crash") return null;
  const s = e.validation?.overall;
  return typeof s === "number" && Number.isFinite(s) ? s : null;
}

/** An entry whose every term is a distinct library mechanism. */
export interface LibraryForm {
  readonly entry: CandidateEntry;
  /** Library ids, sorted. */
  readonly mechanisms: readonly string[];
  readonly combiner: Combiner;
  readonly score: number | null;
}

/** The entry as a library form, or null when it has a custom term, a repeated mechanism or no readable spec. */
export function libraryFormOf(e: CandidateEntry): LibraryForm | null {
  const spec = e.spec;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return null;
  const { terms, combiner } = spec as { terms?: unknown; combiner?: unknown };
  if (!Array.isArray(terms) || terms.length === 0) return null;
  const ids: string[] = [];
  for (const t of terms) {
    if (typeof t !== "object" || t === null) return null;
    const id = (t as { mechanism?: unknown }).mechanism;
    if (typeof id !== "string" || !mechanismById(id) || ids.includes(id)) return null;
    ids.push(id);
  }
  const c = combiner === undefined ? "product" : combiner;
  if (typeof c !== "string" || !(COMBINERS as readonly string[]).includes(c)) return null;
  return { entry: e, mechanisms: ids.sort(), combiner: c as Combiner, score: scoreOf(e) };
}

/** Term id (the name a Shapley player carries) → library id, from an entry's spec; empty for unreadable specs. */
export function termMechanisms(e: CandidateEntry): Map<string, string> {
  const out = new Map<string, string>();
  const terms = (e.spec as { terms?: unknown } | null)?.terms;
  if (!Array.isArray(terms)) return out;
  for (const t of terms) {
    if (typeof t !== "object" || t === null) continue;
    const { mechanism, name } = t as { mechanism?: unknown; name?: unknown };
    if (typeof mechanism !== "string") continue;
    out.set(typeof name === "string" ? name : mechanism, mechanism);
  }
  return out;
}

export const fmtScore = (x: number | null | undefined): string =>
  typeof x === "number" && Number.isFinite(x) ? x.toFixed(3) : "—";

export const fmtPct = (x: number): string => `${x < 0 ? "−" : ""}${Math.abs(Math.round(x * 100))}%`;

/** A signed number with a real minus sign, e.g. "−0.021". */
export function fmtSigned(x: number, digits = 3): string {
  const s = Math.abs(x).toFixed(digits);
  return x < 0 ? `−${s}` : s;
}
