/**
 * The form spec: what a form file (YAML or JSON) and every LLM proposal contain. Validated with zod; every
 * problem is reported with its path (e.g. `terms[2].params.k.lo`) and, where possible, a suggestion.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { KilnError } from "../util/errors.ts";
import { didYouMean } from "./suggest.ts";

export const COMBINERS = ["product", "logit-sum", "min", "softmin"] as const;
export type Combiner = (typeof COMBINERS)[number];

const num = z.number({ error: "expected a number" }).refine(Number.isFinite, "must be a finite number");
const scaleKind = z.enum(["lin", "log"], { error: "scale must be 'lin' or 'log'" });

/** Bounds of a custom term's parameter. */
const ParamDecl = z.strictObject({
  lo: num,
  hi: num,
  default: num.optional(),
  scale: scaleKind.optional(),
  units: z.string().max(40).optional(),
  doc: z.string().max(300).optional(),
});

/** Optional changes to a library parameter's (or the global scale's) bounds. */
const ParamOverride = z.strictObject({
  lo: num.optional(),
  hi: num.optional(),
  default: num.optional(),
  scale: scaleKind.optional(),
});

const ident = z
  .string({ error: "expected a name" })
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must start with a letter and use only letters, digits and _")
  .max(40, "at most 40 characters");

const paramName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must start with a letter and use only letters, digits and _")
  .max(24, "at most 24 characters");

const LibraryTerm = z.strictObject({
  mechanism: z.string({ error: "expected a mechanism id" }),
  name: ident.optional(),
  params: z.record(z.string(), ParamOverride).optional(),
});

const CustomTerm = z.strictObject({
  name: ident,
  expr: z.string({ error: "expected the term's expression as text" }),
  params: z.record(paramName, ParamDecl).optional(),
  regime: z.string().optional(),
  cluster: z.string().optional(),
  identity: z.record(z.string(), num).optional(),
  doc: z.string().max(500).optional(),
  cite: z.string().max(500).optional(),
});

export type ParamDeclSpec = z.infer<typeof ParamDecl>;
export type ParamOverrideSpec = z.infer<typeof ParamOverride>;
export type LibraryTermSpec = z.infer<typeof LibraryTerm>;
export type CustomTermSpec = z.infer<typeof CustomTerm>;
export type TermSpec = LibraryTermSpec | CustomTermSpec;

export interface FormSpec {
  name: string;
  description?: string;
  combiner: Combiner;
  scale?: ParamOverrideSpec;
  tau?: ParamOverrideSpec;
  /**
   * Inputs this form reads beyond Kiln's driver vocabulary (src/grid/drivers.ts), e.g. a dataset's own
   * variable such as `cveg`; custom terms may use them, and the data must hold them when the form runs.
   */
  drivers?: string[];
  terms: TermSpec[];
}

export const MAX_TERMS = 16;

const Top = z.strictObject({
  name: z
    .string({ error: "expected the form's name" })
    .regex(
      /^[A-Za-z][A-Za-z0-9_.-]*$/,
      "must start with a letter and use only letters, digits, '_', '.', '-'",
    )
    .max(80),
  description: z.string().max(2000).optional(),
  combiner: z
    .enum(COMBINERS, { error: `combiner must be one of ${COMBINERS.join(", ")}` })
    .optional()
    .default("product"),
  scale: ParamOverride.optional(),
  tau: ParamOverride.optional(),
  drivers: z
    .array(ident, { error: "expected a list of input names" })
    .max(32, "a form declares at most 32 extra inputs")
    .optional(),
  terms: z
    .array(z.unknown(), { error: "expected a list of terms" })
    .min(1, "a form needs at least one term")
    .max(MAX_TERMS, `a form has at most ${MAX_TERMS} terms`),
});

export function isLibraryTerm(t: TermSpec): t is LibraryTermSpec {
  return "mechanism" in t;
}

/** One problem found in a form spec. */
export interface FormIssue {
  /** e.g. "terms[2].params.k.lo"; "" for the whole form. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** A form spec that failed validation; `issues` lists every problem found. */
export class FormSpecError extends KilnError {
  readonly issues: readonly FormIssue[];
  constructor(source: string, issues: readonly FormIssue[]) {
    const lines = issues.map(
      (i) => `  ${i.path ? `${i.path}: ` : ""}${i.message}${i.hint ? ` (${i.hint})` : ""}`,
    );
    super(
      `the form is not valid (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
      {
        where: source,
        hint: "see docs/forms.md for the format; `kiln mechanisms` lists the library",
      },
    );
    this.name = "FormSpecError";
    this.issues = issues;
  }
}

export function pathText(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? String(p) : `.${String(p)}`;
  return s;
}

const KEYS: Record<string, readonly string[]> = {
  top: ["name", "description", "combiner", "scale", "tau", "drivers", "terms"],
  library: ["mechanism", "name", "params"],
  custom: ["name", "expr", "params", "regime", "cluster", "identity", "doc", "cite"],
  param: ["lo", "hi", "default", "scale", "units", "doc"],
};

function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[], keys: readonly string[]): FormIssue[] {
  const out: FormIssue[] = [];
  for (const i of error.issues) {
    const path = [...prefix, ...i.path];
    if (i.code === "unrecognized_keys") {
      const known = i.path.length === 0 ? keys : KEYS.param;
      for (const k of i.keys) {
        out.push({
          path: pathText(path),
          message: `unknown key '${k}'${didYouMean(k, known)}`,
          hint: `allowed keys: ${known.join(", ")}`,
        });
      }
    } else {
      out.push({ path: pathText(path), message: i.message.replace(/^Invalid input: /, "") });
    }
  }
  return out;
}

/**
 * Validate the shape of a parsed spec object, term by term: `terms[i]` is null where term i is malformed
 * (its problems are in `issues`), so that the other terms can still be checked and reported.
 */
export function validateSpecParts(raw: unknown): {
  spec: FormSpec | null;
  terms: (TermSpec | null)[];
  issues: FormIssue[];
} {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return {
      spec: null,
      terms: [],
      issues: [
        { path: "", message: "expected a mapping with name, combiner and terms", hint: "see docs/forms.md" },
      ],
    };
  }
  const issues: FormIssue[] = [];
  const top = Top.safeParse(raw);
  if (!top.success) return { spec: null, terms: [], issues: zodIssues(top.error, [], KEYS.top) };
  const terms = top.data.terms.map((t, i): TermSpec | null => {
    if (typeof t !== "object" || t === null || Array.isArray(t)) {
      issues.push({
        path: `terms[${i}]`,
        message: "expected a term: { mechanism: <id> } or { name, expr, params }",
      });
      return null;
    }
    const isLib = "mechanism" in t;
    const r = (isLib ? LibraryTerm : CustomTerm).safeParse(t);
    if (r.success) return r.data;
    issues.push(...zodIssues(r.error, ["terms", i], isLib ? KEYS.library : KEYS.custom));
    return null;
  });
  const ok = terms.filter((t): t is TermSpec => t !== null);
  return { spec: { ...top.data, terms: ok }, terms, issues };
}

/** Validate the shape of a parsed spec object (names, bounds and expressions are checked by checkForm). */
export function validateSpec(raw: unknown, source = "<form>"): FormSpec {
  const { spec, issues } = validateSpecParts(raw);
  if (issues.length || !spec) throw new FormSpecError(source, issues);
  return spec;
}

/** Parse YAML or JSON text into a plain object; a syntax error becomes a FormSpecError with its line. */
export function parseFormObject(text: string, source = "<form>"): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const at = e.linePos ? `line ${e.linePos[0].line}, col ${e.linePos[0].col}` : "";
    throw new FormSpecError(source, [
      {
        path: at,
        message: `not valid YAML/JSON: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
      },
    ]);
  }
  return doc.toJS({ maxAliasCount: 0 });
}

/** Parse form text (YAML or JSON) into a shape-checked spec. */
export function parseFormSpec(text: string, source = "<form>"): FormSpec {
  return validateSpec(parseFormObject(text, source), source);
}

/** Read a form file's text; a missing file is a clear error. */
export function readFormText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new KilnError(`cannot read the form file: ${(e as Error).message}`, {
      where: path,
      hint: "check the path; form files are YAML or JSON (e.g. examples/baselines/b1-globfirm.form.yaml)",
    });
  }
}

export function readFormSpec(path: string): FormSpec {
  return parseFormSpec(readFormText(path), path);
}
