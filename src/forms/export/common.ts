/** What every exporter needs: the form, fitted values by name, and a header describing the model. */
import { inputLongName, inputUnits } from "../dsl/names.ts";
import type { Form } from "../form.ts";

export interface ExportContext {
  readonly form: Form;
  readonly params: Float64Array;
  /** Name → fitted value. */
  readonly values: Readonly<Record<string, number>>;
}

export function exportContext(form: Form, params: ArrayLike<number>): ExportContext {
  if (params.length !== form.nParams) {
    throw new Error(
      `export: expected ${form.nParams} parameter values for ${form.name}, got ${params.length}`,
    );
  }
  const p = Float64Array.from(params);
  return { form, params: p, values: form.record(p) };
}

/** Plain-text lines describing the form (used as a comment block by each exporter). */
export function headerLines(ctx: ExportContext): string[] {
  const f = ctx.form;
  const lines = [
    `Kiln form '${f.name}' (${f.combiner} combiner, ${f.terms.length} term${f.terms.length === 1 ? "" : "s"}, ${f.nParams} parameters)`,
    `canonical hash: ${f.hash}`,
    combinerText(f.combiner),
    "",
    "Terms:",
    ...f.terms.map(
      (t, k) =>
        `  f${k + 1} ${t.id}${t.mechanism ? ` (library ${t.mechanism}${t.fidelity ? `, ${t.fidelity}` : ""})` : ""}: ${t.exprText.replace(/\s+/g, " ")}`,
    ),
    "",
    "Inputs (Kiln's internal units):",
    ...f.drivers.map((d) => `  ${d} [${inputUnits(d)}]: ${inputLongName(d)}`),
  ];
  return lines;
}

export function combinerText(combiner: string): string {
  switch (combiner) {
    case "product":
      return "burned fraction per month = scale * f1 * f2 * ...";
    case "logit-sum":
      return "burned fraction per month = z / (1 + z) written 1 / (1 + 1/z), z = scale * f1 * f2 * ... (logit BA = log scale + sum of log f)";
    case "min":
      return "burned fraction per month = scale * min(f1, f2, ...)";
    default:
      return "burned fraction per month = scale * softmin(f1, f2, ...; tau), softmin = m - tau*log(mean(exp(-(f - m)/tau))), m = min f";
  }
}

export const TEMPORAL_NOTE =
  "Temporal operators run along each cell's monthly series and are causal; at the series start they use the " +
  "months available (lag repeats the first month, running windows are shorter, accum starts from 0, ewmean " +
  "renormalises its weights).";
