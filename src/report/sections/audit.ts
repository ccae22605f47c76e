/**
 * The input audit: the findings recorded in the ledger when the search started (the search years only,
 * before any fit), and those the holdout opening recorded on the full data before it scored anything.
 */
import type { AuditNote } from "../../search/ledger/entries.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, table, years } from "../html.ts";

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function findingsTable(findings: readonly AuditNote[], id: string): string {
  if (findings.length === 0) return "<p>No findings.</p>";
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return table({
    head: [["severity", "check", "variable", "finding"]],
    rows: sorted.map((f) => ({
      cells: [
        { html: esc(f.severity), attrs: { class: `sev sev-${f.severity}` } },
        `<code>${esc(f.check)}</code>`,
        f.variable ? `<code>${esc(f.variable)}</code>` : "–",
        esc(f.message),
      ],
      attrs: { "data-severity": f.severity },
    })),
    attrs: { class: "audit", id },
  });
}

export function auditSection(ctx: ReportContext): Section {
  const { run } = ctx;
  const a = run.start.audit;
  const split = run.start.split;
  const parts = [
    `<p>Inputs are validated as seriously as outputs: the audit ran on the search years (train ${years(split.train)}, validation ${years(split.validation)}) before any fit, ` +
      `and found <b>${a.errors}</b> error(s), <b>${a.warnings}</b> warning(s) and ${a.infos} note(s). Errors would have stopped the run.</p>`,
    findingsTable(a.findings, "audit-search"),
  ];
  const h = run.holdout;
  if (h) {
    parts.push(
      `<details><summary>When the holdout was opened (${esc(h.time)}), the full data were audited again before scoring: ${h.audit.errors} error(s), ${h.audit.warnings} warning(s)</summary>\n` +
        `${findingsTable(h.audit.findings, "audit-holdout")}\n</details>`,
    );
  }
  return { id: "audit", title: "Input audit", html: parts.join("\n") };
}
