import { KilnError } from "../../util/errors.ts";
import { chartPng, type ChartPngOptions, type ChartSpec } from "./chart-render.ts";
import { CHART_CONFIG, finiteOrNull, titleBlock } from "./chart-theme.ts";

export interface HeatmapOptions {
  /** Row labels, top to bottom; also the column labels unless `columnLabels` is given. */
  labels: readonly string[];
  columnLabels?: readonly string[];
  /** values[r][c]; NaN (e.g. an undefined diagonal) is drawn as an empty grey cell. */
  values: readonly ArrayLike<number>[];
  title?: string;
  subtitle?: string;
  /** Title of the colour legend, e.g. "interaction index". */
  legendTitle?: string;
  /** The value drawn white, between blue (below) and red (above); default 0. */
  centre?: number;
  /** Colour range; default symmetric about the centre, out to the largest |value − centre|. */
  range?: readonly [number, number];
  /** Print each value in its cell, to two significant digits of the largest (default: at most 12 × 12). */
  showValues?: boolean;
  /** Cell size in SVG pixels (default 50). */
  cellSize?: number;
}

const EMPTY = "#eeeeee";

/** The vega-lite specification of a labelled matrix with diverging colours centred on `centre`. */
export function heatmapSpec(opts: HeatmapOptions): ChartSpec {
  const where = opts.title ? `heatmap '${opts.title}'` : "heatmap";
  const rowsL = opts.labels;
  const colsL = opts.columnLabels ?? opts.labels;
  if (rowsL.length === 0 || colsL.length === 0) {
    throw new KilnError("the matrix has no rows or no columns", { where, hint: "pass labels and values" });
  }
  for (const names of [rowsL, colsL]) {
    const dup = names.find((l, k) => names.indexOf(l) !== k);
    if (dup !== undefined)
      throw new KilnError(`the label '${dup}' is used twice`, { where, hint: "labels must differ" });
  }
  if (opts.values.length !== rowsL.length || opts.values.some((r) => r.length !== colsL.length)) {
    throw new KilnError(
      `values must be ${rowsL.length} rows of ${colsL.length}, got ${opts.values.length} rows of ${opts.values.map((r) => r.length).join("/")}`,
      { where, hint: "one row per label, one column per column label" },
    );
  }
  const centre = opts.centre ?? 0;
  let spread = 0;
  for (const r of opts.values)
    for (let c = 0; c < r.length; c++)
      if (Number.isFinite(r[c])) spread = Math.max(spread, Math.abs(r[c] - centre));
  const [lo, hi] = opts.range ?? [centre - (spread || 1), centre + (spread || 1)];
  if (!(lo < centre && centre < hi)) {
    throw new KilnError(`the range [${lo}, ${hi}] does not contain the centre ${centre}`, { where });
  }
  const decimals = Math.max(0, Math.min(6, 1 - Math.floor(Math.log10(Math.max(Math.abs(lo), Math.abs(hi))))));
  const cells: Record<string, string | number | boolean | null>[] = [];
  opts.values.forEach((r, i) => {
    for (let j = 0; j < colsL.length; j++) {
      const v = finiteOrNull(r[j]);
      // Far from the centre the colour is dark: write the number in white there.
      const strength =
        v === null ? 0 : v >= centre ? (v - centre) / (hi - centre) : (centre - v) / (centre - lo);
      cells.push({
        row: rowsL[i],
        col: colsL[j],
        value: v,
        text: v === null ? "" : fixed(v, decimals),
        dark: strength > 0.6,
      });
    }
  });
  const showValues = opts.showValues ?? (rowsL.length <= 12 && colsL.length <= 12);
  const step = opts.cellSize ?? 50;
  const x = {
    field: "col",
    type: "nominal" as const,
    sort: colsL,
    title: null,
    axis: { orient: "top" as const, labelAngle: -40, labelLimit: 200, domain: false, ticks: false },
  };
  const y = {
    field: "row",
    type: "nominal" as const,
    sort: rowsL,
    title: null,
    axis: { labelLimit: 200, domain: false, ticks: false },
  };
  const layer: object[] = [
    { mark: { type: "rect", color: EMPTY, stroke: "#ffffff", strokeWidth: 1 }, encoding: { x, y } },
    {
      transform: [{ filter: "isValid(datum.value)" }],
      mark: { type: "rect", stroke: "#ffffff", strokeWidth: 1 },
      encoding: {
        x,
        y,
        color: {
          field: "value",
          type: "quantitative" as const,
          scale: { scheme: "redblue", reverse: true, domain: [lo, hi], domainMid: centre, clamp: true },
          legend: {
            title: opts.legendTitle ?? null,
            gradientLength: Math.max(120, Math.min(300, step * rowsL.length)),
          },
        },
      },
    },
  ];
  if (showValues) {
    layer.push({
      mark: { type: "text", fontSize: step >= 40 ? 11 : 9 },
      encoding: {
        x,
        y,
        text: { field: "text" },
        color: { condition: { test: "datum.dark", value: "#ffffff" }, value: "#222222" },
      },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: { ...CHART_CONFIG, view: { stroke: null } },
    title: titleBlock(opts.title, opts.subtitle),
    data: { values: cells },
    width: { step },
    height: { step },
    layer,
  } as ChartSpec;
}

/** A labelled matrix (e.g. the pairwise Shapley interaction index) as PNG: blue below the centre, red above. */
export function heatmap(opts: HeatmapOptions, png: ChartPngOptions = {}): Buffer {
  return chartPng(heatmapSpec(opts), png);
}

/** Fixed decimals with a true minus sign; "−0.000" reads as 0. */
function fixed(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return Number(s) === 0 ? (0).toFixed(decimals) : s.replace("-", "\u2212");
}
