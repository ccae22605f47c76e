/**
 * The gate between an LLM reply and a Proposal: JSON (or YAML) → the reply's shape → the form checker →
 * the dataset's drivers → the novelty rule. Each failure is a message for the repair prompt. The reply is
 * only ever read as data.
 */
import { parseDocument } from "yaml";
import { checkFormObject } from "../../../forms/check.ts";
import { PSEUDO_DRIVERS } from "../../../forms/dsl/names.ts";
import type { Form } from "../../../forms/form.ts";
import { FormSpecError } from "../../../forms/spec.ts";
import type { ParseResult } from "../../llm/repair.ts";
import type { CandidateEntry, ProposalContext } from "../../types.ts";
import { fmtScore, scoreOf, visibleHistory } from "../history.ts";
import { formSetKey, type TriedIndex } from "../novelty.ts";
import { REPLY_ERRORS as E } from "./prompt-text.ts";

export interface ParsedReply {
  /** The form spec object as the reply gave it (a default name filled in when it had none). */
  readonly spec: Record<string, unknown>;
  readonly form: Form;
  readonly hypothesis: string;
  readonly rationale: string;
  readonly parentId: string | null;
}

const KEYS = new Set(["hypothesis", "rationale", "parent", "form"]);
const MAX = { hypothesis: 1500, rationale: 4000 } as const;

/** Plain data from the reply text: JSON first (its error is the clearest), then YAML. */
function parseData(text: string): ParseResult<unknown> {
  const t = text.trim();
  let jsonError: string | undefined;
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return { ok: true, value: JSON.parse(t) };
    } catch (e) {
      jsonError = (e as Error).message;
    }
  }
  const doc = parseDocument(t, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length === 0) {
    const value: unknown = doc.toJS({ maxAliasCount: 0 });
    if (jsonError === undefined || (typeof value === "object" && value !== null)) return { ok: true, value };
  }
  if (jsonError !== undefined) return { ok: false, error: E.notJson(jsonError) };
  return { ok: false, error: E.notYaml(doc.errors[0].message.split("\n")[0]) };
}

function text(o: Record<string, unknown>, key: "hypothesis" | "rationale", errors: string[]): string {
  const v = o[key];
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) {
    errors.push(E.missing(key));
    return "";
  }
  if (typeof v !== "string") {
    errors.push(E.notText(key));
    return "";
  }
  if (v.length > MAX[key]) errors.push(E.tooLong(key, MAX[key]));
  return v.trim();
}

/** Every problem of a form spec, one per line, with its path inside the reply (e.g. form.terms[1].expr). */
function formIssues(e: FormSpecError): string {
  return e.issues
    .map(
      (i) =>
        `form${i.path && !i.path.startsWith("line") ? "." + i.path : ""}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`,
    )
    .join("\n");
}

export function makeReplyParser(
  ctx: ProposalContext,
  tried: TriedIndex,
): (text: string) => ParseResult<ParsedReply> {
  const history = visibleHistory(ctx.history);
  const ids = new Set(history.map((e) => e.id));
  const available = new Set(ctx.drivers);
  return (replyText) => {
    const data = parseData(replyText);
    if (!data.ok) return data;
    const o = data.value;
    if (typeof o !== "object" || o === null || Array.isArray(o)) return { ok: false, error: E.notObject };
    const rec = o as Record<string, unknown>;
    if (!("form" in rec) && "terms" in rec) return { ok: false, error: E.bareForm };
    const errors: string[] = [];
    for (const k of Object.keys(rec)) if (!KEYS.has(k)) errors.push(E.unknownKey(k));
    const hypothesis = text(rec, "hypothesis", errors);
    const rationale = text(rec, "rationale", errors);
    let parentId: string | null = null;
    const parent = rec.parent;
    if (parent !== undefined && parent !== null && parent !== "") {
      if (typeof parent !== "string" || !ids.has(parent)) errors.push(E.badParent(String(parent)));
      else parentId = parent;
    }
    const raw = rec.form;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      errors.push(rec.form === undefined ? E.missing("form") : E.formNotObject);
      return { ok: false, error: errors.join("\n") };
    }
    const spec = { ...(raw as Record<string, unknown>) };
    if (spec.name === undefined) spec.name = `llm-${ctx.n}`;
    let form: Form;
    try {
      form = checkFormObject(spec, "the reply's form");
    } catch (e) {
      if (!(e instanceof FormSpecError)) throw e;
      errors.push(formIssues(e));
      return { ok: false, error: errors.join("\n") };
    }
    for (const t of form.terms) {
      for (const d of t.drivers) {
        if (available.has(d) || PSEUDO_DRIVERS.has(d)) continue;
        const where = `form term '${t.id}'${t.mechanism ? ` (mechanism ${t.mechanism})` : ""}`;
        errors.push(E.missingDriver(d, where, [...available].sort().join(", ")));
      }
    }
    if (errors.length) return { ok: false, error: errors.join("\n") };
    const seen = tried.triedBy(form);
    if (seen) return { ok: false, error: noveltyError(seen.entry, seen.how, formSetKey(form)) };
    return { ok: true, value: { spec, form, hypothesis, rationale, parentId } };
  };
}

function noveltyError(e: CandidateEntry, how: "set" | "hash", key: string): string {
  const score = fmtScore(scoreOf(e));
  return how === "hash" ? E.triedForm(e.id, score) : E.triedSet(key, e.id, score, e.status);
}
