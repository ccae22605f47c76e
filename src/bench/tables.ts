/** Score results as ILAMB names them (scores.json) and as one CSV row per model × region. */
import { aggregateRegion, CONVENTIONS } from "./aggregate.ts";
import { csvCell } from "./leaderboard.ts";
import { SCALAR_ORDER, type ScoreResult } from "./types.ts";

/** NaN becomes null, as in ILAMB's JSON. */
export function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Every scalar as ILAMB writes it: "<name> <region>", e.g. "Overall Score global". */
export function flattenScalars(result: ScoreResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name of SCALAR_ORDER) {
    for (const r of result.regions) {
      const v = r.scalars[name];
      if (v !== undefined) out[`${name} ${r.region}`] = jsonNumber(v);
    }
  }
  return out;
}

/** Per region: the Overall under each aggregation convention. */
export function conventionsTable(result: ScoreResult): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const r of result.regions) {
    out[r.region] = {};
    for (const k of CONVENTIONS) out[r.region][k] = jsonNumber(aggregateRegion(r, k));
  }
  return out;
}

const EXTRA_COLUMNS = [
  "Interannual Variability (component)",
  "Seasonal Cycle Score (linear)",
  "Spatial Distribution Score (Pearson)",
  "Spatial normalized std",
  "Spatial R",
] as const;

/** One row per model × region: every ILAMB scalar, the extra components, every convention's Overall. */
export function scoresCsv(models: readonly { name: string; result: ScoreResult }[]): string {
  const head = [
    "model",
    "region",
    ...SCALAR_ORDER,
    ...EXTRA_COLUMNS,
    ...CONVENTIONS.map((k) => `Overall (${k})`),
  ];
  const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "" : String(x));
  const rows = [head.map(csvCell).join(",")];
  for (const m of models) {
    for (const r of m.result.regions) {
      const c = r.components;
      rows.push(
        [
          m.name,
          r.region,
          ...SCALAR_ORDER.map((n) => f(r.scalars[n])),
          f(c.iav),
          f(c.seasonalLinear),
          f(c.spatialPearson),
          f(r.spatialStd),
          f(r.spatialR),
          ...CONVENTIONS.map((k) => f(aggregateRegion(r, k))),
        ]
          .map(csvCell)
          .join(","),
      );
    }
  }
  return rows.join("\n") + "\n";
}
