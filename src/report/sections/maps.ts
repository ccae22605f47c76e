/**
 * Maps of the winner and the best baseline over the validation years: period means beside the reference,
 * bias, phase shift of the seasonal peak, and the RMSE score (bench's residualFields, ILAMB's maps).
 */
import type { CellIndex } from "../../grid/cells.ts";
import { renderMapPanel, type MapOptions } from "../plot/index.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, years } from "../html.ts";
import type { ModelResiduals } from "../residual-view.ts";

export function mapsSection(ctx: ReportContext): Section {
  const view = ctx.residuals;
  if (!view || view.models.length === 0) {
    return {
      id: "maps",
      title: "Maps",
      html: "<p>No maps: the search view of the data could not be loaded, or no form has parameters.</p>",
    };
  }
  const cells: CellIndex = view.prep.cells;
  const grid = cells.grid;
  const when = `${view.part} years ${years(view.years)}`;
  const who = (m: ModelResiduals) => `${m.row.label} ${m.row.candidate ? m.row.key : ""}`.trim();
  const map = (
    m: ModelResiduals | null,
    values: ArrayLike<number>,
    extra: Partial<MapOptions>,
  ): MapOptions => ({
    grid,
    values: cells.toGrid(values),
    title: m ? who(m) : "reference",
    subtitle: m ? `${m.row.name} · ${when}` : `the data · ${when}`,
    ...extra,
  });
  const panel = (
    name: string,
    alt: string,
    title: string,
    maps: MapOptions[],
    shared: boolean,
    columns = maps.length,
  ) =>
    ctx.site.image(name, renderMapPanel({ maps, title, sharedRange: shared, columns, mapWidth: 560 }), alt, {
      cls: "map",
    });

  const ms = view.models;
  const means = panel(
    "map-period-mean",
    "period mean burned area: reference and models",
    `Period mean burned area (${when})`,
    [
      map(null, view.prep.refMean, { units: view.units, scheme: "YlOrRd", log: true }),
      ...ms.map((m) => map(m, m.fields.modelMean, { units: view.units, scheme: "YlOrRd", log: true })),
    ],
    true,
    Math.min(3, ms.length + 1),
  );
  const bias = panel(
    "map-bias",
    "bias maps",
    `Bias: model minus reference period mean (${when})`,
    ms.map((m) => map(m, m.fields.bias, { units: view.units, colours: "diverging" })),
    true,
  );
  const phase = panel(
    "map-phase",
    "phase shift maps",
    `Phase shift of the seasonal peak: model minus reference, months (${when})`,
    ms.map((m) =>
      map(m, m.fields.phaseShiftMonths, {
        units: "months (+: model peaks later)",
        colours: "diverging",
        scheme: "PuOr",
        range: [-6, 6],
      }),
    ),
    false,
  );
  const rmse = panel(
    "map-rmse-score",
    "RMSE score maps",
    `RMSE score per cell (${when}; 1 is perfect)`,
    ms.map((m) => map(m, m.fields.rmseScore, { units: "score", range: [0, 1] })),
    false,
  );
  const html = [
    `<p>Over the <b>${esc(view.part)} years ${esc(years(view.years))}</b> of the search view (the holdout years are read only by the holdout opening, which stores scores, not maps). ` +
      `${ms.map((m) => `${esc(m.row.label)} <code>${esc(m.row.key)}</code>`).join(" and ")}; period means in ${esc(view.units)} on a log colour scale shared by the three maps; grey cells have no data.</p>`,
    `<figure>${means}</figure>`,
    `<figure>${bias}<figcaption>Red: the model burns more than the reference; blue: less. One colour range for both maps.</figcaption></figure>`,
    `<figure>${phase}<figcaption>Months between the model's and the reference's peak month of the mean seasonal cycle (ILAMB's phase shift).</figcaption></figure>`,
    `<figure>${rmse}<figcaption>ILAMB's RMSE score per cell (RMSE basis: ${esc(ctx.run.frame.frame.metric.rmseBasis)}); 1 is perfect.</figcaption></figure>`,
  ].join("\n");
  return { id: "maps", title: "Maps", html };
}
