/** Per-region mean seasonal cycles over the validation years: the reference against the winner and the best baseline. */
import { GFED_BOXES } from "../../grid/regions.ts";
import { lineChart, type LineSeries } from "../plot/index.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, years } from "../html.ts";

const NAMES: Record<string, string> = {
  global: "Global",
  ...Object.fromEntries(GFED_BOXES.map((b) => [b.label, b.name])),
};
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export function cyclesSection(ctx: ReportContext): Section {
  const view = ctx.residuals;
  const first = view?.models[0];
  if (!view || !first || first.fields.cycles.length === 0) {
    return {
      id: "cycles",
      title: "Seasonal cycles",
      html: "<p>No seasonal cycles: the search view could not be loaded, or it holds fewer than 12 months.</p>",
    };
  }
  // Slot k of a cycle is the k-th month kept: put them in calendar order, January first.
  const m0 = view.prep.time.months[0] - 1;
  const calendar = (slots: Float64Array) => MONTHS.map((m) => slots[(m - 1 - m0 + 12) % 12]);
  const series: LineSeries[] = [];
  const empty: string[] = [];
  for (const cyc of first.fields.cycles) {
    // A region without scored cells (e.g. a box with no land at a coarse resolution), or where neither the
    // reference nor any model burns, has no cycle worth a panel: it is named under the chart instead.
    const burns = (a: Float64Array) => a.some((v) => Number.isFinite(v) && v !== 0);
    const models = view.models.map((m) => m.fields.cycles.find((x) => x.region === cyc.region)?.model);
    if (!burns(cyc.ref) && !models.some((m) => m && burns(m))) {
      empty.push(cyc.region);
      continue;
    }
    const panel = `${NAMES[cyc.region] ?? cyc.region} (${cyc.region})`;
    series.push({ name: "reference", x: MONTHS, y: calendar(cyc.ref), panel, style: "line-points" });
    for (const m of view.models) {
      const c = m.fields.cycles.find((x) => x.region === cyc.region);
      if (c)
        series.push({
          name: `${m.row.label} ${m.row.key}`,
          x: MONTHS,
          y: calendar(c.model),
          panel,
          dashed: m.row.role !== "winner",
        });
    }
  }
  const png = lineChart({
    series,
    title: `Mean seasonal cycle by region (${view.part} years ${years(view.years)})`,
    subtitle: "area-mean burned area over each region's scored cells",
    yTitle: view.units,
    months: true,
    columns: 5,
    colours: { reference: "#222222" },
  });
  const img = ctx.site.image("cycles", png, "mean seasonal cycle per region, model against reference", {
    scale: 2,
    cls: "chart wide",
  });
  const html = [
    `<p>Each panel is one ILAMB region: the reference (black) against ${view.models.map((m) => `${esc(m.row.label)} <code>${esc(m.row.key)}</code>`).join(" and ")}, ` +
      `over the ${esc(view.part)} years ${esc(years(view.years))}. Each panel has its own y range; a model right in size but wrong in timing shows here before it shows in the scores.</p>`,
    `<figure>${img}${empty.length ? `<figcaption>No fire in the reference or the models, or no scored cells: ${empty.map((r) => `${esc(NAMES[r] ?? r)} (${esc(r)})`).join(", ")}.</figcaption>` : ""}</figure>`,
  ].join("\n");
  return { id: "cycles", title: "Seasonal cycles", html };
}
