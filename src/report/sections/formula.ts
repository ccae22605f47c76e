/**
 * The winning formula, rendered from its LaTeX export into HTML at build time (KaTeX; the page needs no
 * script), and the export files as downloads: the same form and parameters that were scored.
 */
import katex from "katex";
import { checkFormObject } from "../../forms/check.ts";
import { exportContext } from "../../forms/export/common.ts";
import {
  EXPORT_EXTENSIONS,
  EXPORT_TARGETS,
  exportForm,
  latexBody,
  type ExportTarget,
} from "../../forms/export/index.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc } from "../html.ts";
import type { ReportRow } from "../roster.ts";
import { downloadLink } from "../site.ts";

const TARGET_NAMES: Record<ExportTarget, string> = {
  fortran: "Fortran 90",
  python: "Python (NumPy)",
  typescript: "TypeScript",
  latex: "LaTeX",
  json: "JSON",
};
const ORDER: readonly ExportTarget[] = ["fortran", "python", "typescript", "latex", "json"];

/** The KaTeX HTML of a fitted form (throws on LaTeX KaTeX cannot render, so a broken formula never ships silently). */
export function formulaHtml(row: ReportRow): { html: string; tex: string } {
  const form = checkFormObject(row.spec, `${row.label} ${row.key}`);
  const tex = latexBody(exportContext(form, form.vectorFrom(row.params!)));
  return {
    html: katex.renderToString(tex, { displayMode: true, throwOnError: true, output: "htmlAndMathml" }),
    tex,
  };
}

function oneForm(ctx: ReportContext, row: ReportRow): string {
  const form = checkFormObject(row.spec, `${row.label} ${row.key}`);
  const vector = form.vectorFrom(row.params!);
  const { html } = formulaHtml(row);
  const stem = `${row.key}-${form.name}`;
  const links = ORDER.filter((t) => EXPORT_TARGETS.includes(t)).map((t) => {
    const rel = ctx.site.download(`${stem}.${EXPORT_EXTENSIONS[t]}`, exportForm(form, vector, t));
    return `<li>${downloadLink(rel, `${stem}.${EXPORT_EXTENSIONS[t]}`)} <span class="muted">${TARGET_NAMES[t]}</span></li>`;
  });
  return [
    `<h3>${esc(row.label)} <code>${esc(row.key)}</code> · <code>${esc(form.name)}</code> (${form.nParams} parameters, ${esc(form.combiner)} combiner)</h3>`,
    `<div class="formula" data-key="${esc(row.key)}">${html}</div>`,
    `<p class="muted">Canonical hash <code>${esc(form.hash.slice(0, 16))}</code>. Burned area BA as a fraction of the cell per month; drivers in Kiln's internal units.</p>`,
    `<ul class="downloads">${links.join("")}</ul>`,
  ].join("\n");
}

export function formulaSection(ctx: ReportContext): Section {
  const forms = ctx.rows.filter((r) => (r.role === "winner" || r.role === "pruned") && r.params);
  const ledger = ctx.site.copyDownload("ledger.jsonl", ctx.run.ledgerFile);
  const html = [
    forms.length
      ? `<p>What is scored is what is exported: each file evaluates the form with the fitted parameters shown, and reproduces the scored predictions on the same inputs.</p>`
      : "<p>No winning form with fitted parameters.</p>",
    ...forms.map((r) => oneForm(ctx, r)),
    `<p>The whole run: ${downloadLink(ledger, "ledger.jsonl")} (every candidate, Shapley, pruning and holdout entry).</p>`,
  ].join("\n");
  return { id: "formula", title: "The winning formula", html };
}
