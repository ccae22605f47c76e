/**
 * From a spec to a checked Form: library terms resolved (with bound overrides), custom expressions parsed,
 * parameters laid out and bounds checked, identity points verified or found. All problems are collected and
 * reported together with their paths.
 */
import { mechanismById, mechanismIds } from "../mechanisms/library.ts";
import { CLUSTERS, REGIMES, type Regime } from "../mechanisms/types.ts";
import { driversOf, paramsOf, type Expr } from "./dsl/ast.ts";
import { CONSTANTS, functionInfo } from "./dsl/functions.ts";
import { DslError, describePos } from "./dsl/lexer.ts";
import { INPUT_NAMES, TARGET_NAME } from "./dsl/names.ts";
import { parseExpr } from "./dsl/parser.ts";
import { Form, type FormTerm, type ParamSpec } from "./form.ts";
import { constantValue, findIdentity } from "./identity.ts";
import {
  FormSpecError,
  isLibraryTerm,
  parseFormObject,
  readFormText,
  validateSpecParts,
  type FormIssue,
  type FormSpec,
  type ParamOverrideSpec,
  type TermSpec,
} from "./spec.ts";
import { didYouMean } from "./suggest.ts";

export const MAX_PARAMS_PER_TERM = 12;
export const MAX_PARAMS = 64;

/** Default bounds of the global scale F_max (searched on a log scale). */
export const SCALE_DEFAULT = { lo: 1e-6, hi: 100, default: 0.01 } as const;
/** Default bounds of the softmin temperature. */
export const TAU_DEFAULT = { lo: 0.01, hi: 1, default: 0.1 } as const;

/** Check a shape-validated spec; throws FormSpecError listing every problem. */
export function checkForm(spec: FormSpec, source = "<form>"): Form {
  return checkParts(spec, spec.terms, [], source);
}

/**
 * Check a spec whose `terms` slot i may be null (malformed, already reported in `issues`); paths keep the
 * original indices.
 */
function checkParts(
  spec: FormSpec,
  slots: readonly (TermSpec | null)[],
  shapeIssues: FormIssue[],
  source: string,
): Form {
  const issues: FormIssue[] = [...shapeIssues];
  const warnings: string[] = [];

  const globals: ParamSpec[] = [];
  const scale = globalParam(
    "scale",
    SCALE_DEFAULT,
    spec.scale,
    "scale",
    issues,
    "global scale F_max (burned fraction per month at no limitation)",
  );
  if (scale) globals.push(scale);
  if (spec.combiner === "softmin") {
    const tau = globalParam(
      "tau",
      TAU_DEFAULT,
      spec.tau,
      "tau",
      issues,
      "softmin temperature (→0: Liebig minimum)",
    );
    if (tau) globals.push(tau);
  } else if (spec.tau) {
    issues.push({
      path: "tau",
      message: `tau applies only to the softmin combiner (this form's is ${spec.combiner})`,
    });
  }

  const inputs = new Set(INPUT_NAMES);
  for (const [i, d] of (spec.drivers ?? []).entries()) {
    if (d === TARGET_NAME) {
      issues.push({ path: `drivers[${i}]`, message: `'${d}' is the target; a form cannot read it` });
    } else if (functionInfo(d) || CONSTANTS.has(d) || d === "scale" || d === "tau") {
      issues.push({
        path: `drivers[${i}]`,
        message: `'${d}' is a name of the language; it cannot be an input`,
      });
    } else inputs.add(d);
  }

  const terms: Omit<FormTerm, "offset">[] = [];
  const seen = new Map<string, number>();
  slots.forEach((t, i) => {
    if (t === null) return;
    const at = `terms[${i}]`;
    const id = isLibraryTerm(t) ? (t.name ?? t.mechanism) : t.name;
    if (id === "scale" || id === "tau") {
      issues.push({
        path: `${at}.name`,
        message: `'${id}' is reserved for the global parameter; choose another name`,
      });
      return;
    }
    if (seen.has(id)) {
      issues.push({
        path: `${at}${isLibraryTerm(t) ? "" : ".name"}`,
        message: `term name '${id}' is already used by terms[${seen.get(id)}]`,
        hint: isLibraryTerm(t) ? "give the second one a distinct `name`" : "term names must be unique",
      });
      return;
    }
    seen.set(id, i);
    const before = issues.length;
    const term = isLibraryTerm(t)
      ? libraryTerm(t.mechanism, id, t.params, at, issues, warnings)
      : customTerm(t, id, at, issues, warnings, inputs);
    if (term && issues.length === before) terms.push(term);
  });
  const nParams = globals.length + terms.reduce((s, t) => s + t.params.length, 0);
  if (nParams > MAX_PARAMS) {
    issues.push({ path: "terms", message: `the form has ${nParams} parameters; the limit is ${MAX_PARAMS}` });
  }
  sortIssues(issues);
  if (issues.length) throw new FormSpecError(source, issues);
  return new Form({
    name: spec.name,
    description: spec.description,
    combiner: spec.combiner,
    globals,
    terms,
    warnings,
    spec,
  });
}

/** Check a parsed spec object (from YAML, JSON or an LLM reply), reporting shape and meaning problems together. */
export function checkFormObject(raw: unknown, source = "<form>"): Form {
  const { spec, terms, issues } = validateSpecParts(raw);
  if (!spec) throw new FormSpecError(source, issues);
  sortIssues(issues);
  return checkParts(spec, terms, issues, source);
}

/** Parse and check form text (YAML or JSON). */
export function parseForm(text: string, source = "<form>"): Form {
  return checkFormObject(parseFormObject(text, source), source);
}

/** Read and check a form file. */
export function loadForm(path: string): Form {
  return parseForm(readFormText(path), path);
}

function sortIssues(issues: FormIssue[]): void {
  const idx = (p: string) => Number(/^terms\[(\d+)\]/.exec(p)?.[1] ?? -1);
  issues.sort((a, b) => idx(a.path) - idx(b.path));
}

function globalParam(
  name: string,
  d: { lo: number; hi: number; default: number },
  o: ParamOverrideSpec | undefined,
  path: string,
  issues: FormIssue[],
  doc: string,
): ParamSpec | null {
  const p: ParamSpec = {
    name,
    local: name,
    term: null,
    lo: o?.lo ?? d.lo,
    hi: o?.hi ?? d.hi,
    default: o?.default ?? d.default,
    log: (o?.scale ?? "log") === "log",
    units: "1",
    doc,
  };
  if (!boundsOk(p, path, issues)) return null;
  if (o?.default !== undefined && !(o.default >= p.lo && o.default <= p.hi)) {
    issues.push({ path: `${path}.default`, message: `default ${o.default} is outside [${p.lo}, ${p.hi}]` });
    return null;
  }
  return withDefault(p, o?.default);
}

function withDefault(p: ParamSpec, given: number | undefined): ParamSpec {
  if (given !== undefined) return p;
  if (p.default >= p.lo && p.default <= p.hi) return p;
  return { ...p, default: p.log ? Math.sqrt(p.lo * p.hi) : (p.lo + p.hi) / 2 };
}

function boundsOk(p: ParamSpec, path: string, issues: FormIssue[]): boolean {
  if (!(p.lo < p.hi)) {
    issues.push({ path, message: `lo (${p.lo}) must be below hi (${p.hi})` });
    return false;
  }
  if (p.log && !(p.lo > 0)) {
    issues.push({
      path,
      message: `a log-scale parameter needs lo > 0, got ${p.lo}`,
      hint: "use scale: lin, or a positive lo",
    });
    return false;
  }
  return true;
}

function libraryTerm(
  mechanism: string,
  id: string,
  overrides: Record<string, ParamOverrideSpec> | undefined,
  at: string,
  issues: FormIssue[],
  warnings: string[],
): Omit<FormTerm, "offset"> | null {
  const m = mechanismById(mechanism);
  if (!m) {
    issues.push({
      path: `${at}.mechanism`,
      message: `unknown mechanism '${mechanism}'${didYouMean(mechanism, mechanismIds())}`,
      hint: "`kiln mechanisms` lists the library",
    });
    return null;
  }
  const names = m.params.map((p) => p.name);
  for (const k of Object.keys(overrides ?? {})) {
    if (!names.includes(k)) {
      issues.push({
        path: `${at}.params.${k}`,
        message: `mechanism ${m.id} has no parameter '${k}'${didYouMean(k, names)}`,
        hint: `its parameters: ${names.join(", ")}`,
      });
    }
  }
  const params: ParamSpec[] = [];
  for (const mp of m.params) {
    const o = overrides?.[mp.name];
    const p: ParamSpec = {
      name: `${id}.${mp.name}`,
      local: mp.name,
      term: id,
      lo: o?.lo ?? mp.lo,
      hi: o?.hi ?? mp.hi,
      default: o?.default ?? mp.default,
      log: (o?.scale ?? mp.scale) === "log",
      units: mp.units,
      doc: mp.doc,
    };
    if (boundsOk(p, `${at}.params.${mp.name}`, issues)) {
      if (o?.default !== undefined && !(p.default >= p.lo && p.default <= p.hi)) {
        issues.push({
          path: `${at}.params.${mp.name}.default`,
          message: `default ${p.default} is outside [${p.lo}, ${p.hi}]`,
        });
      }
      params.push(withDefault(p, o?.default));
    }
  }
  if (params.length !== m.params.length) return null;
  let expr: Expr;
  try {
    expr = parseExpr(m.expr, { params: new Set(names) });
  } catch (e) {
    throw new Error(`mechanism library: ${m.id}'s expression does not parse: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const drivers = driversOf(expr);
  let identity: Float64Array | null = Float64Array.from(params, (p) => m.identity[p.local] ?? p.default);
  let identityValue: number | null = null;
  const outside = params.filter(
    (p) => m.identity[p.local] !== undefined && !(m.identity[p.local] >= p.lo && m.identity[p.local] <= p.hi),
  );
  if (outside.length) {
    warnings.push(
      `term '${id}': its identity (${outside.map((p) => `${p.local} = ${m.identity[p.local]}`).join(", ")}) is outside the overridden bounds; refits that drop it will not nest exactly`,
    );
    identity = null;
  } else {
    identityValue = constantValue(expr, drivers, params, identity);
    if (identityValue === null) throw new Error(`mechanism library: ${m.id} is not constant at its identity`);
  }
  return {
    id,
    mechanism: m.id,
    regime: m.regime,
    cluster: m.cluster,
    exprText: m.expr,
    expr,
    params,
    identity,
    identityValue,
    drivers,
    fidelity: m.fidelity,
    cite: m.cite,
  };
}

function customTerm(
  t: {
    name: string;
    expr: string;
    params?: Record<
      string,
      { lo: number; hi: number; default?: number; scale?: "lin" | "log"; units?: string; doc?: string }
    >;
    regime?: string;
    cluster?: string;
    identity?: Record<string, number>;
    cite?: string;
  },
  id: string,
  at: string,
  issues: FormIssue[],
  warnings: string[],
  inputs: ReadonlySet<string>,
): Omit<FormTerm, "offset"> | null {
  const n0 = issues.length;
  const decl = t.params ?? {};
  const names = Object.keys(decl);
  if (names.length > MAX_PARAMS_PER_TERM) {
    issues.push({
      path: `${at}.params`,
      message: `a term has at most ${MAX_PARAMS_PER_TERM} parameters, got ${names.length}`,
    });
  }
  const params: ParamSpec[] = [];
  for (const name of names) {
    const path = `${at}.params.${name}`;
    if (inputs.has(name)) {
      issues.push({ path, message: `'${name}' is a driver's name; give the parameter another name` });
      continue;
    }
    if (functionInfo(name) || CONSTANTS.has(name)) {
      issues.push({
        path,
        message: `'${name}' is a ${functionInfo(name) ? "function" : "constant"} of the language; give the parameter another name`,
      });
      continue;
    }
    const d = decl[name];
    const p: ParamSpec = {
      name: `${id}.${name}`,
      local: name,
      term: id,
      lo: d.lo,
      hi: d.hi,
      default: d.default ?? NaN,
      log: d.scale === "log",
      units: d.units,
      doc: d.doc,
    };
    if (!boundsOk(p, path, issues)) continue;
    if (d.default !== undefined && !(d.default >= d.lo && d.default <= d.hi)) {
      issues.push({ path: `${path}.default`, message: `default ${d.default} is outside [${d.lo}, ${d.hi}]` });
      continue;
    }
    params.push(withDefault(p, d.default));
  }
  let regime: Regime | null = null;
  if (t.regime !== undefined) {
    const r = REGIMES.find((x) => x === t.regime!.toLowerCase());
    if (r) regime = r;
    else
      issues.push({
        path: `${at}.regime`,
        message: `unknown regime '${t.regime}'${didYouMean(t.regime, REGIMES)}`,
        hint: `regimes: ${REGIMES.join(", ")}`,
      });
  }
  let cluster: string | null = null;
  if (t.cluster !== undefined) {
    const c = CLUSTERS.find((x) => x.toLowerCase() === t.cluster!.toLowerCase());
    if (c) cluster = c;
    else
      issues.push({
        path: `${at}.cluster`,
        message: `unknown cluster '${t.cluster}'${didYouMean(t.cluster, CLUSTERS)}`,
        hint: `clusters: ${CLUSTERS.join(", ")}`,
      });
  }
  let expr: Expr;
  try {
    expr = parseExpr(t.expr, { params: new Set(names), drivers: inputs });
  } catch (e) {
    if (!(e instanceof DslError)) throw e;
    issues.push({ path: `${at}.expr`, message: `${describePos(t.expr, e.pos)}: ${e.message}`, hint: e.hint });
    return null;
  }
  const used = paramsOf(expr);
  for (const name of names) {
    if (!used.includes(name)) {
      issues.push({
        path: `${at}.params.${name}`,
        message: `parameter '${name}' is declared but the expression does not use it`,
        hint: "remove it or use it",
      });
    }
  }
  if (issues.length > n0) return null;
  const drivers = driversOf(expr);
  if (drivers.length === 0)
    warnings.push(`term '${id}' reads no driver: it is a constant, absorbed by the scale`);

  let identity: Float64Array | null = null;
  let identityValue: number | null = null;
  if (t.identity) {
    const values = Float64Array.from(params, (p) => p.default);
    for (const [k, v] of Object.entries(t.identity)) {
      const j = params.findIndex((p) => p.local === k);
      if (j < 0) {
        issues.push({
          path: `${at}.identity.${k}`,
          message: `'${k}' is not a parameter of this term${didYouMean(k, names)}`,
        });
        continue;
      }
      if (!(v >= params[j].lo && v <= params[j].hi)) {
        issues.push({
          path: `${at}.identity.${k}`,
          message: `identity value ${v} is outside the bounds [${params[j].lo}, ${params[j].hi}]`,
          hint: "widen the bounds so that the identity is inside",
        });
        continue;
      }
      values[j] = v;
    }
    if (issues.length > n0) return null;
    identityValue = constantValue(expr, drivers, params, values);
    if (identityValue === null) {
      issues.push({
        path: `${at}.identity`,
        message: `at ${Object.entries(t.identity)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", ")} the term is not one constant for all inputs`,
        hint: "an identity makes the term constant (e.g. a sigmoid's slope 0, an exponent 0)",
      });
      return null;
    }
    identity = values;
  } else {
    const found = findIdentity(expr, drivers, params);
    if (found) {
      identity = found.values;
      identityValue = found.value;
    } else if (drivers.length > 0) {
      warnings.push(
        `term '${id}' has no identity (no single parameter value in bounds makes it constant); refits that drop it will not nest exactly — declare one with identity: { <param>: <value> }`,
      );
    }
  }
  return {
    id,
    mechanism: null,
    regime,
    cluster,
    exprText: t.expr,
    expr,
    params,
    identity,
    identityValue,
    drivers,
    cite: t.cite,
  };
}
