/**
 * Per-region tables: the 15 ILAMB regions (global and the 14 GFED boxes) with every component, for the
 * winner and the best baseline, on the holdout (open), validation and train (folded), with the Overall gap.
 */
import { GFED_BOXES } from "../../grid/regions.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, signed, table, type CellLike } from "../html.ts";
import type { ReportRow } from "../roster.ts";
import { COMPONENT_COLUMNS, scoreCells, scoreOf, type SplitName } from "./leaderboard.ts";

const REGION_NAMES: Record<string, string> = {
  global: "Global",
  ...Object.fromEntries(GFED_BOXES.map((b) => [b.label, b.name])),
};

export function regionsSection(ctx: ReportContext): Section {
  const { run } = ctx;
  const models = [ctx.winner, ctx.baseline].filter((r): r is ReportRow => r !== null);
  if (models.length === 0) {
    return {
      id: "regions",
      title: "Regions",
      html: "<p>No scored winner or baseline to break down by region.</p>",
    };
  }
  const regions = run.frame.frame.metric.regions;
  const splits: SplitName[] = ["holdout", "validation", "train"];
  const parts = splits.map((split) => {
    const scores = models.map((m) => scoreOf(m, split));
    if (scores.every((s) => s === null)) return `<details><summary>${split}: not scored</summary></details>`;
    const head: CellLike[][] = [
      [
        { html: "region", attrs: { rowspan: 2 } },
        ...models.map((m) => ({ html: `${esc(m.label)} <code>${esc(m.key)}</code>`, attrs: { colspan: 5 } })),
        ...(models.length === 2 ? [{ html: "Δ Overall", attrs: { rowspan: 2, class: "num" } }] : []),
      ],
      models.flatMap(() => [
        ...COMPONENT_COLUMNS.map(([, t]) => ({ html: t, attrs: { class: "num" } })),
        { html: "Overall", attrs: { class: "num overall" } },
      ]),
    ];
    const rows = regions.map((label) => {
      const cells: CellLike[] = [
        { html: `${esc(REGION_NAMES[label] ?? label)} <span class="label">${esc(label)}</span>` },
      ];
      models.forEach((m, i) =>
        cells.push(...scoreCells(scores[i], label, split, split === "holdout" ? m.holdoutNote : null)),
      );
      if (models.length === 2) {
        const o = scores.map((s) => (s ? (s.regions[label]?.overall[s.convention] ?? null) : null));
        const d = o[0] !== null && o[1] !== null ? o[0] - o[1] : null;
        cells.push({
          html: signed(d),
          attrs: { class: `num ${d === null ? "" : d >= 0 ? "better" : "worse"}` },
        });
      }
      return { cells, attrs: { "data-region": label } };
    });
    const t = table({ head, rows, attrs: { class: "scores regions", "data-split": split } });
    const open =
      split === "holdout" ||
      (split === "validation" && scores.every((s, i) => s === null || models[i].holdout === null));
    return `<details${open ? " open" : ""}><summary>${split}${split === "holdout" ? " (sealed years, scored once)" : ""}</summary>\n${t}\n</details>`;
  });
  const html = [
    `<p>${models.map((m) => `${esc(m.label)} <code>${esc(m.key)}</code>`).join(" against ")}` +
      (ctx.baseline ? " (the baseline with the best validation Overall)" : "") +
      `. A region's Overall uses the chosen convention (${esc(run.frame.frame.metric.convention)}); Δ is winner minus baseline. ` +
      `Regions with little fire score noisily: read them beside the maps.</p>`,
    ...parts,
  ].join("\n");
  return { id: "regions", title: "Regions", html };
}
