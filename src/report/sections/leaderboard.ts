/**
 * The leaderboard: the winner, the pruned winner, the baselines and the truth, with every component on
 * train, validation and the sealed holdout; then Overall under each aggregation convention with ranks, and a
 * flag wherever a rank differs from the chosen convention's.
 */
import { CONVENTION_HELP } from "../../bench/aggregate.ts";
import type { ScoreSummary } from "../../bench/summary.ts";
import { rankConventions } from "../conventions.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, num, table, type CellLike } from "../html.ts";
import type { ReportRow } from "../roster.ts";

export const SPLITS = ["train", "validation", "holdout"] as const;
export type SplitName = (typeof SPLITS)[number];
export const COMPONENT_COLUMNS = [
  ["bias", "Bias"],
  ["rmse", "RMSE"],
  ["seasonal", "Seasonal"],
  ["spatial", "Spatial"],
] as const;

export function scoreOf(row: ReportRow, split: SplitName): ScoreSummary | null {
  return row[split];
}

/** The cells of one split: the four components and Overall (chosen convention) of `region`. */
export function scoreCells(
  s: ScoreSummary | null,
  region: string,
  split: string,
  note?: string | null,
): CellLike[] {
  const r = s?.regions[region];
  const title = !s && note ? note : undefined;
  const cells: CellLike[] = COMPONENT_COLUMNS.map(([k]) => ({
    html: num(r?.[k] ?? null),
    attrs: { "data-split": split, "data-metric": k, class: "num", title },
  }));
  cells.push({
    html: num(s ? (r?.overall[s.convention] ?? null) : null, 4),
    attrs: { "data-split": split, "data-metric": "overall", class: "num overall", title },
  });
  return cells;
}

export function rowHead(r: ReportRow): CellLike[] {
  return [
    { html: esc(r.label), attrs: { class: `role role-${r.role}` } },
    { html: r.candidate ? `<code>${esc(r.key)}</code>` : "–", attrs: { "data-col": "id" } },
    { html: esc(r.name), attrs: { class: "name" } },
    { html: String(r.nParams), attrs: { class: "num" } },
  ];
}

export function leaderboardSection(ctx: ReportContext): Section {
  const { run, rows } = ctx;
  const region = run.frame.frame.metric.region;
  const chosen = run.frame.frame.metric.convention;
  const head: CellLike[][] = [
    [
      { html: "", attrs: { colspan: 4 } },
      ...SPLITS.map((s) => ({
        html: s === "holdout" ? "holdout (sealed, opened once)" : s,
        attrs: { colspan: 5, class: `split split-${s}` },
      })),
    ],
    [
      "row",
      "id",
      "form",
      { html: "params", attrs: { class: "num" } },
      ...SPLITS.flatMap(() => [
        ...COMPONENT_COLUMNS.map(([, t]) => ({ html: t, attrs: { class: "num" } })),
        { html: "Overall", attrs: { class: "num overall" } },
      ]),
    ],
  ];
  const main = table({
    head,
    rows: rows.map((r) => ({
      cells: [
        ...rowHead(r),
        ...SPLITS.flatMap((s) =>
          scoreCells(scoreOf(r, s), region, s, s === "holdout" ? r.holdoutNote : null),
        ),
      ],
      attrs: { "data-key": r.key, "data-role": r.role },
    })),
    attrs: { id: "leaderboard-table", class: "scores" },
  });
  const notes = rows
    .filter((r) => !r.holdout && r.holdoutNote)
    .map(
      (r) =>
        `<li>${esc(r.label)}${r.candidate ? ` (${esc(r.key)})` : ""}: no holdout score — ${esc(r.holdoutNote!)}</li>`,
    );

  const conventionTables = (["validation", "holdout"] as const).map((split) => {
    const ranking = rankConventions(
      rows.map((r) => ({ name: r.candidate ? r.key : r.label, score: scoreOf(r, split) })),
      chosen,
      region,
    );
    const t = table({
      head: [
        [
          "row",
          "id",
          ...ranking.conventions.map((k) => ({
            html: k === chosen ? `<b>${esc(k)}</b> (chosen)` : esc(k),
            attrs: { class: "num", title: CONVENTION_HELP[k] },
          })),
        ],
      ],
      rows: rows.map((r, i) => ({
        cells: [
          { html: esc(r.label), attrs: { class: `role role-${r.role}` } },
          r.candidate ? `<code>${esc(r.key)}</code>` : "–",
          ...ranking.conventions.map((k, j) => {
            const v = ranking.overall[i][j];
            const rank = ranking.rank[i][j];
            const flag = ranking.differs[i][j];
            return {
              html: Number.isNaN(v)
                ? "–"
                : `${num(v, 4)} <span class="rank">#${rank}</span>${flag ? ' <span class="flag" title="rank differs from the chosen convention">⚑</span>' : ""}`,
              attrs: {
                class: `num${flag ? " rank-changed" : ""}`,
                "data-convention": k,
                "data-split": split,
              },
            };
          }),
        ],
        attrs: { "data-key": r.key },
      })),
      attrs: { class: "conventions", "data-split": split },
    });
    const flags = ranking.flags.length
      ? `<div class="flags">${ranking.flags.map((f) => `<p class="flag-line">⚑ ${esc(f)}</p>`).join("")}</div>`
      : `<p class="agree">The conventions agree on the first place and on the order.</p>`;
    const skipped = ranking.skipped.length
      ? `<p class="muted">Not comparable here (no row has a score): ${ranking.skipped.map((k) => esc(k)).join(", ")}.</p>`
      : "";
    return `<h3>Overall under each aggregation convention — ${split}</h3>\n${flags}\n${skipped}\n${t}`;
  });
  const html = [
    `<p>ILAMB scores of region <b>${esc(region)}</b> (higher is better, 1 is perfect). Overall is <b>${esc(chosen)}</b>: ${esc(CONVENTION_HELP[chosen])}. ` +
      `Train and validation scores are the ledger's; holdout scores were computed once, when the holdout was opened, and read back from the ledger.</p>`,
    main,
    notes.length ? `<ul class="notes">${notes.join("")}</ul>` : "",
    `<p>The conventions weigh the same components differently; a headline that depends on the convention is flagged (origin.md: “single-scalar metrics get gamed silently”).</p>`,
    ...conventionTables,
  ].join("\n");
  return { id: "leaderboard", title: "Leaderboard", html };
}
