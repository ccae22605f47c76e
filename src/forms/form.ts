/**
 * A checked form: terms with resolved expressions, the flat parameter vector's layout, the drivers it
 * reads, and restriction to a subset of terms (for Shapley refits).
 */
import type { Regime } from "../mechanisms/types.ts";
import type { Expr } from "./dsl/ast.ts";
import type { Combiner, FormSpec } from "./spec.ts";
import { canonicalText, hashText } from "./canonical.ts";

export interface ParamSpec {
  /** Canonical name in the form's vector: "scale", "tau" or "<term>.<param>". */
  readonly name: string;
  /** Name inside its term's expression (equal to `name` for global parameters). */
  readonly local: string;
  /** Owning term id, or null for a global parameter. */
  readonly term: string | null;
  readonly lo: number;
  readonly hi: number;
  readonly default: number;
  /** True when the parameter is searched on a log scale. */
  readonly log: boolean;
  readonly units?: string;
  readonly doc?: string;
}

export interface FormTerm {
  readonly id: string;
  /** Library id, or null for a custom term. */
  readonly mechanism: string | null;
  readonly regime: Regime | null;
  readonly cluster: string | null;
  /** The expression text (the library's, for a mechanism term). */
  readonly exprText: string;
  /** The checked tree; its parameters use local names. */
  readonly expr: Expr;
  readonly params: readonly ParamSpec[];
  /** Index of the term's first parameter in the form's vector. */
  readonly offset: number;
  /**
   * Values of the term's parameters (local order) at which the term is one constant, or null when it has
   * none. Parameters the identity does not fix sit at their defaults.
   */
  readonly identity: Float64Array | null;
  /** The constant the term takes at its identity. */
  readonly identityValue: number | null;
  readonly drivers: readonly string[];
  readonly fidelity?: "as-is" | "adapted";
  readonly cite?: string;
}

/** A restricted form and how its parameter vector maps into the full form's. */
export interface Restriction {
  readonly form: Form;
  /** Indices (in the full form) of the kept terms, increasing. */
  readonly terms: readonly number[];
  /** Restricted parameter j is full parameter fullIndex[j]. */
  readonly fullIndex: Int32Array;
  /**
   * The full vector for restricted values `p`: kept parameters copied, dropped terms at their identity (at
   * their defaults if they have none), and, for product and logit-sum, the scale divided by the dropped
   * terms' identity constants, so the full form predicts exactly what the restricted one does. The scale
   * is not clipped to its bounds.
   */
  expand(p: ArrayLike<number>): Float64Array;
  /** The restricted vector taken from a full one. */
  project(full: ArrayLike<number>): Float64Array;
}

const GLOBAL_NAMES = new Set(["scale", "tau"]);

export class Form {
  readonly name: string;
  readonly description: string | undefined;
  readonly combiner: Combiner;
  readonly terms: readonly FormTerm[];
  /** Global parameters (scale, and tau for softmin) then each term's, in term order. */
  readonly params: readonly ParamSpec[];
  readonly paramNames: readonly string[];
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly defaults: Float64Array;
  /** 1 where the parameter is searched on a log scale. */
  readonly log: Uint8Array;
  /** Drivers read by any term, in first-use order. */
  readonly drivers: readonly string[];
  /** Clusters of the terms that have one, sorted. */
  readonly clusters: readonly string[];
  /** Non-fatal findings of the check (e.g. a term without identity). */
  readonly warnings: readonly string[];
  /** The spec the form was checked from (terms in the same order). */
  readonly spec: FormSpec;
  private canon: string | undefined;

  constructor(args: {
    name: string;
    description?: string;
    combiner: Combiner;
    globals: readonly ParamSpec[];
    terms: readonly Omit<FormTerm, "offset">[];
    warnings?: readonly string[];
    spec: FormSpec;
  }) {
    this.name = args.name;
    this.description = args.description;
    this.combiner = args.combiner;
    const params: ParamSpec[] = [...args.globals];
    const terms: FormTerm[] = [];
    for (const t of args.terms) {
      terms.push({ ...t, offset: params.length });
      params.push(...t.params);
    }
    this.terms = terms;
    this.params = params;
    this.paramNames = params.map((p) => p.name);
    this.lo = Float64Array.from(params, (p) => p.lo);
    this.hi = Float64Array.from(params, (p) => p.hi);
    this.defaults = Float64Array.from(params, (p) => p.default);
    this.log = Uint8Array.from(params, (p) => (p.log ? 1 : 0));
    const drivers: string[] = [];
    for (const t of terms) for (const d of t.drivers) if (!drivers.includes(d)) drivers.push(d);
    this.drivers = drivers;
    this.clusters = [...new Set(terms.map((t) => t.cluster).filter((c): c is string => c !== null))].sort();
    this.warnings = args.warnings ?? [];
    this.spec = args.spec;
  }

  get nParams(): number {
    return this.params.length;
  }

  /** Number of global parameters at the start of the vector (scale, and tau for softmin). */
  get nGlobal(): number {
    return this.terms.length ? this.terms[0].offset : this.params.length;
  }

  indexOf(paramName: string): number {
    return this.paramNames.indexOf(paramName);
  }

  /** The canonical text: commutative parts sorted, parameters numbered (see canonical.ts). */
  get canonical(): string {
    this.canon ??= canonicalText(this);
    return this.canon;
  }

  /** sha256 (hex) of the canonical text: one model written two ways has one hash. */
  get hash(): string {
    return hashText(this.canonical);
  }

  /** The global scale's value in a parameter vector. */
  scaleOf(p: ArrayLike<number>): number {
    return p[0];
  }

  /** The softmin temperature in a parameter vector (NaN for other combiners). */
  tauOf(p: ArrayLike<number>): number {
    return this.combiner === "softmin" ? p[1] : NaN;
  }

  /** A term's parameter values (local name → value) from a form vector. */
  termParams(termIndex: number, p: ArrayLike<number>): Record<string, number> {
    const t = this.terms[termIndex];
    const out: Record<string, number> = {};
    t.params.forEach((s, j) => (out[s.local] = p[t.offset + j]));
    return out;
  }

  /** The form with only the given terms; dropped terms are at their identity (see Restriction.expand). */
  restrict(termIndices: readonly number[]): Restriction {
    const keep = [...new Set(termIndices)].sort((a, b) => a - b);
    for (const k of keep) {
      if (!(Number.isInteger(k) && k >= 0 && k < this.terms.length)) {
        throw new Error(`restrict: term index ${k} is not in 0..${this.terms.length - 1}`);
      }
    }
    const kept = keep.map((k) => this.terms[k]);
    const globals = this.params.slice(0, this.nGlobal);
    const form = new Form({
      name: this.name + (keep.length === this.terms.length ? "" : `[${kept.map((t) => t.id).join(",")}]`),
      description: this.description,
      combiner: this.combiner,
      globals,
      terms: kept.map((t) => ({ ...t })),
      warnings: this.warnings,
      spec: { ...this.spec, terms: keep.map((k) => this.spec.terms[k]) },
    });
    const fullIndex = new Int32Array(form.nParams);
    for (let j = 0; j < globals.length; j++) fullIndex[j] = j;
    form.terms.forEach((t, i) => {
      const src = kept[i];
      for (let j = 0; j < t.params.length; j++) fullIndex[t.offset + j] = src.offset + j;
    });
    const dropped = this.terms.filter((_, k) => !keep.includes(k));
    const nestsExactly = this.combiner === "product" || this.combiner === "logit-sum";
    const fullDefaults = this.defaults;
    const fullN = this.nParams;
    const fullName = this.name;
    return {
      form,
      terms: keep,
      fullIndex,
      expand(p: ArrayLike<number>): Float64Array {
        if (p.length !== form.nParams) {
          throw new Error(`expand: expected ${form.nParams} values for ${form.name}, got ${p.length}`);
        }
        const out = Float64Array.from(fullDefaults);
        for (const t of dropped) if (t.identity) out.set(t.identity, t.offset);
        for (let j = 0; j < fullIndex.length; j++) out[fullIndex[j]] = p[j];
        if (nestsExactly) {
          for (const t of dropped) {
            const c = t.identityValue;
            if (c !== null && c !== 0 && Number.isFinite(c)) out[0] /= c;
          }
        }
        return out;
      },
      project(v: ArrayLike<number>): Float64Array {
        if (v.length !== fullN) {
          throw new Error(`project: expected ${fullN} values for ${fullName}, got ${v.length}`);
        }
        return Float64Array.from(fullIndex, (k) => v[k]);
      },
    };
  }

  /** Parameter vector from a name → value record; an error names what is missing or unknown. */
  vectorFrom(values: Readonly<Record<string, number>>): Float64Array {
    const out = new Float64Array(this.nParams);
    const missing: string[] = [];
    this.paramNames.forEach((name, j) => {
      const v = values[name];
      if (v === undefined) missing.push(name);
      else out[j] = v;
    });
    if (missing.length) throw new Error(`missing parameter values: ${missing.join(", ")}`);
    return out;
  }

  /** name → value record of a parameter vector. */
  record(p: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.paramNames.forEach((name, j) => (out[name] = p[j]));
    return out;
  }

  isGlobalParam(name: string): boolean {
    return GLOBAL_NAMES.has(name);
  }
}
