/**
 * The novelty rule shared by both proposers: no mechanism set (with its combiner) is tried twice, and no
 * form is tried twice (same canonical hash). A set is keyed by its combiner and its sorted term keys: a
 * library term's key is its mechanism id, a custom term's is its canonical text (so renaming it does not
 * make it new).
 */
import { canonicalTerm } from "../../forms/canonical.ts";
import { checkFormObject } from "../../forms/check.ts";
import type { Form, FormTerm } from "../../forms/form.ts";
import type { CandidateEntry } from "../types.ts";
import { visibleHistory } from "./history.ts";

export function setKey(combiner: string, termKeys: readonly string[]): string {
  return `${combiner}: ${[...termKeys].sort().join(" + ")}`;
}

export function termKey(t: FormTerm): string {
  return t.mechanism ?? `custom(${canonicalTerm(t.expr, t.params)})`;
}

export function formSetKey(form: Form): string {
  return setKey(form.combiner, form.terms.map(termKey));
}

/** Set keys of ledger entries, computed once per entry (checking a spec takes milliseconds). */
export class SetKeyCache {
  private readonly keys = new Map<string, string>();

  keyOf(e: CandidateEntry): string {
    const id = `${e.id}|${e.hash}`;
    let k = this.keys.get(id);
    if (k === undefined) {
      k = computeKey(e);
      this.keys.set(id, k);
    }
    return k;
  }
}

function computeKey(e: CandidateEntry): string {
  try {
    return formSetKey(checkFormObject(e.spec, `ledger entry ${e.id}`));
  } catch {
    const combiner = (e.spec as { combiner?: unknown } | null)?.combiner;
    return setKey(typeof combiner === "string" ? combiner : "product", e.mechanisms);
  }
}

/** What has been tried: by mechanism set and by canonical hash, each with the first entry that tried it. */
export class TriedIndex {
  readonly bySet = new Map<string, CandidateEntry>();
  readonly byHash = new Map<string, CandidateEntry>();

  constructor(history: readonly CandidateEntry[], cache: SetKeyCache = new SetKeyCache()) {
    for (const e of visibleHistory(history)) {
      const k = cache.keyOf(e);
      if (!this.bySet.has(k)) this.bySet.set(k, e);
      if (e.hash && !this.byHash.has(e.hash)) this.byHash.set(e.hash, e);
    }
  }

  /** The entry that already tried this form's mechanism set or this exact form, if any. */
  triedBy(form: Form): { entry: CandidateEntry; how: "set" | "hash" } | undefined {
    const h = this.byHash.get(form.hash);
    if (h) return { entry: h, how: "hash" };
    const s = this.bySet.get(formSetKey(form));
    return s ? { entry: s, how: "set" } : undefined;
  }

  hasSet(key: string): boolean {
    return this.bySet.has(key);
  }
}
