import type { AuditInput, Finding } from "./types.ts";
import { summarise } from "./types.ts";

const LABEL = { error: "ERROR", warning: "WARNING", info: "info" } as const;

/** Findings as text for a person: one block per finding, then a summary line. */
export function formatFindings(findings: readonly Finding[], opts: { hints?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of findings) {
    const who = f.variable === null ? "time axis" : f.with ? `${f.variable} ~ ${f.with}` : f.variable;
    const where = f.regions.length ? ` [${f.regions.join(", ")}]` : "";
    lines.push(`${LABEL[f.severity].padEnd(7)} ${f.check} · ${who}${where}`);
    lines.push(`        ${f.message}`);
    if (opts.hints !== false && f.hint && f.severity !== "info") lines.push(`        → ${f.hint}`);
  }
  lines.push(summaryLine(findings));
  return lines.join("\n");
}

export function summaryLine(findings: readonly Finding[]): string {
  const s = summarise(findings);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  return `audit: ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${plural(s.infos, "info")}`;
}

/** The machine form printed by `kiln audit --json`. */
export function auditJson(
  input: AuditInput,
  findings: readonly Finding[],
  target: string | undefined,
): unknown {
  const ds = input.dataset;
  return {
    dataset: input.name ?? null,
    cells: ds.nCell,
    time: ds.time.describe(),
    fields: ds.names(),
    target: target ?? null,
    summary: summarise(findings),
    findings,
  };
}
