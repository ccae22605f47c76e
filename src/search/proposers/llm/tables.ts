/**
 * Compact plain-text tables for the LLM prompt: the mechanism catalogue, the available drivers, the ledger
 * (best forms, Pareto front, tried sets) and the last candidate's feedback (components per region, Shapley
 * values and interactions, worst regions and months).
 */
import { driverInfo } from "../../../grid/drivers.ts";
import { PSEUDO_DRIVERS } from "../../../forms/dsl/names.ts";
import { MECHANISMS } from "../../../mechanisms/library.ts";
import type { Mechanism } from "../../../mechanisms/types.ts";
import type { CandidateEntry, Feedback } from "../../types.ts";
import { fmtPct, fmtScore, fmtSigned, scoreOf } from "../history.ts";
import type { SetKeyCache } from "../novelty.ts";
import { HEADINGS } from "./prompt-text.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export const LIMITS = {
  best: 10,
  pareto: 12,
  tried: 150,
  hypothesis: 140,
  regions: 15,
  interactions: 10,
} as const;

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? one.slice(0, n - 1) + "…" : one;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function driversText(drivers: readonly string[]): string {
  const rows = [...drivers].sort().map((d) => {
    const info = driverInfo(d);
    return info
      ? `- ${d} (${info.units}): ${info.longName}`
      : `- ${d} (units as the dataset holds them): this dataset's own variable; a form that reads it must list it under "drivers": ["${d}"]`;
  });
  for (const [name, p] of PSEUDO_DRIVERS)
    rows.push(`- ${name} (${p.units}): ${p.longName} (always available)`);
  return rows.join("\n");
}

function usable(m: Mechanism, drivers: ReadonlySet<string>): boolean {
  return m.drivers.every((d) => drivers.has(d.name) || PSEUDO_DRIVERS.has(d.name));
}

function paramText(m: Mechanism): string {
  return m.params
    .map(
      (p) =>
        `${p.name} [${p.lo}, ${p.hi}] ${p.default}${p.scale === "log" ? " log" : ""}${p.units !== "1" ? ` ${p.units}` : ""}`,
    )
    .join("; ");
}

export function catalogueText(drivers: readonly string[]): string {
  const have = new Set(drivers);
  const ok = MECHANISMS.filter((m) => usable(m, have));
  const rows = ok.map((m) => [
    m.id,
    m.catalogue,
    m.regime,
    m.cluster,
    m.drivers.map((d) => d.name).join(", "),
    paramText(m),
    `\`${m.expr}\``,
    clip(m.cite, 120),
  ]);
  const out = [
    table(
      ["id", "#", "regime", "cluster", "drivers", "parameters [lo, hi] default", "formula", "citation"],
      rows,
    ),
  ];
  const missing = MECHANISMS.filter((m) => !usable(m, have));
  if (missing.length) {
    out.push(
      `${HEADINGS.unusable} ${missing
        .map(
          (m) =>
            `${m.id} (needs ${m.drivers
              .filter((d) => !have.has(d.name) && !PSEUDO_DRIVERS.has(d.name))
              .map((d) => d.name)
              .join(", ")})`,
        )
        .join(", ")}.`,
    );
  }
  return out.join("\n\n");
}

function combinerOf(e: CandidateEntry): string {
  const c = (e.spec as { combiner?: unknown } | null)?.combiner;
  return typeof c === "string" ? c : "product";
}

function entryRow(e: CandidateEntry): string[] {
  return [
    e.id,
    e.origin,
    fmtScore(scoreOf(e)),
    String(e.nParams),
    combinerOf(e),
    e.mechanisms.join(", "),
    e.status,
    clip(e.hypothesis || e.name, LIMITS.hypothesis),
  ];
}

const ENTRY_HEADER = ["id", "origin", "Overall", "params", "combiner", "terms", "status", "hypothesis"];

export function ledgerText(
  history: readonly CandidateEntry[],
  pareto: readonly CandidateEntry[],
  keys: SetKeyCache,
): string {
  if (history.length === 0) return "The ledger is empty.";
  const scored = history
    .filter((e) => scoreOf(e) !== null)
    .sort((a, b) => scoreOf(b)! - scoreOf(a)! || a.id.localeCompare(b.id));
  const parts: string[] = [HEADINGS.best];
  parts.push(
    scored.length ? table(ENTRY_HEADER, scored.slice(0, LIMITS.best).map(entryRow)) : "None scored yet.",
  );
  const visible = new Set(history.map((e) => e.id));
  const front = pareto.filter((e) => visible.has(e.id)).sort((a, b) => a.nParams - b.nParams);
  parts.push(HEADINGS.pareto);
  parts.push(front.length ? table(ENTRY_HEADER, front.slice(0, LIMITS.pareto).map(entryRow)) : "Empty.");
  parts.push(HEADINGS.tried);
  const recent = history.slice(-LIMITS.tried);
  const lines = recent.map((e) => {
    const key = keys.keyOf(e);
    // A custom term's key is its canonical text: too long for a list, so name the terms instead.
    const shown = key.includes("custom(")
      ? `${combinerOf(e)}: ${[...e.mechanisms].sort().join(" + ")} (custom terms)`
      : key;
    return `- ${shown}  (${e.id}, ${e.status === "crash" ? "crash" : `Overall ${fmtScore(scoreOf(e))}`})`;
  });
  if (history.length > recent.length)
    lines.unshift(`(${history.length - recent.length} older entries not shown)`);
  parts.push(lines.join("\n"));
  return parts.join("\n\n");
}

export function feedbackText(fb: Feedback | null): string {
  if (!fb) return HEADINGS.noFeedback;
  const out: string[] = [`Candidate ${fb.candidateId}: status ${fb.status}.`];
  if (fb.error) out.push(`Error: ${clip(fb.error, 600)}`);
  const v = fb.validation;
  if (v) {
    out.push(
      `Validation scores (${v.convention} convention; headline region ${v.region}, Overall ${fmtScore(v.overall)}):`,
    );
    const rows = Object.entries(v.regions)
      .slice(0, LIMITS.regions)
      .map(([r, s]) => [
        r,
        fmtScore(s.overall[v.convention]),
        fmtScore(s.bias),
        fmtScore(s.rmse),
        fmtScore(s.seasonal),
        fmtScore(s.spatial),
        fmtScore(s.iav),
      ]);
    out.push(table(["region", "Overall", "Bias", "RMSE", "Seasonal", "Spatial", "IAV"], rows));
  }
  const sh = fb.shapley;
  if (sh) {
    out.push("Shapley attribution over the terms (validation years, each subset refit):");
    out.push(
      table(
        ["term", "φ", "share", "indistinguishable from 0"],
        sh.players.map((p, i) => [
          p,
          fmtSigned(sh.phi[i], 4),
          fmtPct(sh.share[i]),
          sh.indistinguishableFromZero[i] ? "yes" : "no",
        ]),
      ),
    );
    if (sh.interactions) {
      const pairs: { a: string; b: string; x: number }[] = [];
      for (let i = 0; i < sh.players.length; i++) {
        for (let j = i + 1; j < sh.players.length; j++) {
          const x = sh.interactions[i]?.[j];
          if (Number.isFinite(x)) pairs.push({ a: sh.players[i], b: sh.players[j], x });
        }
      }
      pairs.sort((p, q) => Math.abs(q.x) - Math.abs(p.x));
      if (pairs.length) {
        out.push(
          `Pairwise Shapley interactions, largest first (negative: redundant, positive: synergy): ${pairs
            .slice(0, LIMITS.interactions)
            .map((p) => `${p.a} × ${p.b} ${fmtSigned(p.x)}`)
            .join("; ")}.`,
        );
      }
    }
  }
  const res = fb.residuals;
  if (res?.worstRegions.length) {
    out.push(
      `Worst regions: ${res.worstRegions
        .map(
          (w) =>
            `${w.region} (Overall ${fmtScore(w.overall)}, Bias ${fmtScore(w.bias)}, Seasonal ${fmtScore(w.seasonal)})`,
        )
        .join("; ")}.`,
    );
  }
  if (res?.worstMonths?.length) {
    out.push(
      `Months of largest seasonal error: ${res.worstMonths
        .map(
          (m) =>
            `${m.region} ${MONTHS[(m.month - 1 + 12) % 12]} (model ${m.model.toPrecision(3)}, reference ${m.reference.toPrecision(3)})`,
        )
        .join("; ")}.`,
    );
  }
  return out.join("\n\n");
}
