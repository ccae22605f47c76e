/**
 * Export a form as JSON: the fitted values, the canonical text and hash, and the form itself with every
 * library term expanded into its expression, so the file is self-contained (it checks as a form with the
 * same hash even if the library changes).
 */
import type { Form } from "../form.ts";
import type { CustomTermSpec, FormSpec } from "../spec.ts";
import type { ExportContext } from "./common.ts";

/** The form as a spec whose terms are all custom (library expressions and bounds written out). */
export function expandedSpec(form: Form): FormSpec {
  const g = form.params.slice(0, form.nGlobal);
  const bounds = (p: (typeof g)[number]) => ({
    lo: p.lo,
    hi: p.hi,
    default: p.default,
    scale: p.log ? ("log" as const) : ("lin" as const),
  });
  const spec: FormSpec = {
    name: form.name.replace(/[[\],]/g, "_"),
    ...(form.description ? { description: form.description } : {}),
    combiner: form.combiner,
    scale: bounds(g[0]),
    ...(form.combiner === "softmin" ? { tau: bounds(g[1]) } : {}),
    terms: form.terms.map((t): CustomTermSpec => {
      const params: CustomTermSpec["params"] = {};
      for (const p of t.params) {
        params[p.local] = {
          ...bounds(p),
          ...(p.units ? { units: p.units } : {}),
          ...(p.doc ? { doc: p.doc } : {}),
        };
      }
      const identity: Record<string, number> = {};
      if (t.identity) t.params.forEach((p, j) => (identity[p.local] = t.identity![j]));
      return {
        name: t.id,
        expr: t.exprText.replace(/\s+/g, " ").trim(),
        params,
        ...(t.regime ? { regime: t.regime } : {}),
        ...(t.cluster ? { cluster: t.cluster } : {}),
        ...(t.identity ? { identity } : {}),
        ...(t.cite ? { cite: t.cite } : {}),
        ...(t.mechanism
          ? { doc: `library mechanism ${t.mechanism}${t.fidelity ? ` (${t.fidelity})` : ""}` }
          : {}),
      };
    }),
  };
  return spec;
}

export function exportJson(ctx: ExportContext): string {
  const f = ctx.form;
  const doc = {
    format: "kiln-form-export",
    version: 1,
    name: f.name,
    hash: f.hash,
    canonical: f.canonical,
    combiner: f.combiner,
    drivers: f.drivers,
    params: ctx.values,
    form: expandedSpec(f),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
