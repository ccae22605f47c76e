import { KilnError } from "../../util/errors.ts";
import { chartPng, type ChartPngOptions, type ChartSpec } from "./chart-render.ts";
import { CHART_CONFIG, finiteOrNull, requireNonEmpty, titleBlock } from "./chart-theme.ts";

export interface ScatterPoint {
  x: number;
  y: number;
  /** Written beside the point when it is highlighted (e.g. a candidate id). */
  label?: string;
  /** In the highlighted subset (e.g. the Pareto front): drawn larger, in colour, joined by a step line. */
  highlight?: boolean;
}

export interface ScatterChartOptions {
  points: readonly ScatterPoint[];
  title?: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  /** Legend names of the two sets (default "Pareto front" and "other candidates"). */
  highlightName?: string;
  otherName?: string;
  /** How the highlighted points are joined, in order of x: "step" (default, step-after), "line" or "none". */
  connect?: "step" | "line" | "none";
  /** Write highlighted points' labels (default true). */
  labelHighlighted?: boolean;
  xZero?: boolean;
  yZero?: boolean;
  logX?: boolean;
  /** Plot size in SVG pixels (default 520 × 320). */
  width?: number;
  height?: number;
}

const HIGHLIGHT = "#e45756";
const OTHER = "#9aa5b1";

/** The vega-lite specification of a scatter plot with a highlighted, connected subset. */
export function scatterChartSpec(opts: ScatterChartOptions): ChartSpec {
  const where = opts.title ? `scatter chart '${opts.title}'` : "scatter chart";
  requireNonEmpty(opts.points.length, "points", where);
  if (opts.logX && opts.points.some((p) => !(p.x > 0))) {
    throw new KilnError("a log x axis needs positive x values", {
      where,
      hint: "drop logX or the points with x ≤ 0",
    });
  }
  const hiName = opts.highlightName ?? "Pareto front";
  const loName = opts.otherName ?? "other candidates";
  const rows = opts.points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .map((p) => ({
      x: p.x,
      y: finiteOrNull(p.y),
      set: p.highlight ? hiName : loName,
      size: p.highlight ? 70 : 28,
      label: p.highlight && (opts.labelHighlighted ?? true) ? (p.label ?? "") : "",
    }));
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: opts.xTitle ?? null,
    scale: opts.logX ? { type: "log" as const } : { zero: opts.xZero ?? false, padding: 12 },
    axis: { grid: true },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    title: opts.yTitle ?? null,
    scale: { zero: opts.yZero ?? false, padding: 12 },
    axis: { grid: true },
  };
  const color = {
    field: "set",
    type: "nominal" as const,
    scale: { domain: [hiName, loName], range: [HIGHLIGHT, OTHER] },
    legend: { title: null, orient: "bottom" as const },
  };
  const onlyHigh = { filter: { field: "set", equal: hiName } };
  const connect = opts.connect ?? "step";
  const layer: object[] = [];
  if (connect !== "none" && rows.some((r) => r.set === hiName)) {
    layer.push({
      transform: [onlyHigh],
      mark: {
        type: "line",
        interpolate: connect === "step" ? "step-after" : "linear",
        color: HIGHLIGHT,
        strokeWidth: 1.6,
        opacity: 0.8,
      },
      encoding: { x, y, order: { field: "x", type: "quantitative" as const } },
    });
  }
  layer.push({
    mark: { type: "point", filled: true, opacity: 0.9 },
    encoding: {
      x,
      y,
      color,
      size: { field: "size", type: "quantitative" as const, scale: null, legend: null },
      order: { field: "set", type: "nominal" as const, sort: "descending" as const },
    },
  });
  if (rows.some((r) => r.label)) {
    layer.push({
      transform: [onlyHigh],
      mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 10.5, color: "#333333" },
      encoding: { x, y, text: { field: "label" } },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    title: titleBlock(opts.title, opts.subtitle),
    data: { values: rows },
    width: opts.width ?? 520,
    height: opts.height ?? 320,
    layer,
  } as ChartSpec;
}

/** Points (e.g. score against parameter count) with a highlighted subset joined by a step line, as PNG. */
export function scatterChart(opts: ScatterChartOptions, png: ChartPngOptions = {}): Buffer {
  return chartPng(scatterChartSpec(opts), png);
}
