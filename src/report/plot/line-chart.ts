import { KilnError } from "../../util/errors.ts";
import { chartPng, type ChartPngOptions, type ChartSpec } from "./chart-render.ts";
import { CHART_CONFIG, categoryColours, finiteOrNull, requireNonEmpty, titleBlock } from "./chart-theme.ts";

export interface LineSeries {
  /** Legend entry; series with the same name in different panels share a colour. */
  name: string;
  x: ArrayLike<number>;
  /** NaN breaks the line. */
  y: ArrayLike<number>;
  /** Small multiples: the panel (e.g. region) this series is drawn in. Either every series has one or none. */
  panel?: string;
  /** "line" (default), "points", "line-points", or "step" (a step line, e.g. the best score so far). */
  style?: "line" | "points" | "line-points" | "step";
  dashed?: boolean;
}

export interface LineChartOptions {
  series: readonly LineSeries[];
  title?: string;
  subtitle?: string;
  xTitle?: string;
  yTitle?: string;
  /** x holds months 1..12: ticks on every month, labelled with its initial (or short name on wide charts). */
  months?: boolean;
  /** Panels per row for small multiples (default 5). */
  columns?: number;
  /** One y scale for all panels (default false: each panel fits its own range). */
  sharedY?: boolean;
  /** Include y = 0 in the y range (default true). */
  yZero?: boolean;
  logY?: boolean;
  /** Size of the plot (of each panel) in SVG pixels; default 560 × 300, or 180 × 110 per panel. */
  width?: number;
  height?: number;
  /** Colours by series name (the palette fills the rest). */
  colours?: Record<string, string>;
}

const MONTH_INITIALS = "['J','F','M','A','M','J','J','A','S','O','N','D'][datum.value - 1]";
const MONTH_NAMES =
  "['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'][datum.value - 1]";

/** The vega-lite specification of a line chart (one panel, or small multiples when series have panels). */
export function lineChartSpec(opts: LineChartOptions): ChartSpec {
  const where = opts.title ? `line chart '${opts.title}'` : "line chart";
  requireNonEmpty(opts.series.length, "series", where);
  const withPanel = opts.series.filter((s) => s.panel !== undefined).length;
  if (withPanel !== 0 && withPanel !== opts.series.length) {
    throw new KilnError(`${withPanel} of ${opts.series.length} series name a panel`, {
      where,
      hint: "give every series a panel (small multiples) or none",
    });
  }
  const faceted = withPanel > 0;
  const names: string[] = [];
  const panels: string[] = [];
  const rows: Record<string, string | number | null>[] = [];
  opts.series.forEach((s, k) => {
    if (s.x.length !== s.y.length) {
      throw new KilnError(`series '${s.name}' has ${s.x.length} x values and ${s.y.length} y values`, {
        where,
        hint: "give x and y the same length",
      });
    }
    if (!names.includes(s.name)) names.push(s.name);
    if (s.panel !== undefined && !panels.includes(s.panel)) panels.push(s.panel);
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.x[i])) continue;
      const y = opts.logY && !(s.y[i] > 0) ? null : finiteOrNull(s.y[i]);
      rows.push({
        x: s.x[i],
        y,
        series: s.name,
        panel: s.panel ?? "",
        style: s.style ?? "line",
        dash: s.dashed ? "dashed" : "solid",
        key: k,
      });
    }
  });
  const width = opts.width ?? (faceted ? 180 : 560);
  const height = opts.height ?? (faceted ? 110 : 300);
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: opts.xTitle ?? null,
    scale: opts.months ? { domain: [1, 12] } : { zero: false, nice: false },
    axis: opts.months
      ? {
          values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
          labelExpr: width >= 320 ? MONTH_NAMES : MONTH_INITIALS,
          grid: true,
        }
      : { grid: true, tickMinStep: 1 },
  };
  const y = {
    field: "y",
    type: "quantitative" as const,
    // Small multiples would repeat the y title beside every panel; it goes under the chart title instead.
    title: faceted ? null : (opts.yTitle ?? null),
    scale: opts.logY ? { type: "log" as const } : { zero: opts.yZero ?? true },
    axis: { grid: true, tickCount: faceted ? 4 : 6 },
  };
  const color = {
    field: "series",
    type: "nominal" as const,
    scale: { domain: names, range: categoryColours(names, opts.colours) },
    legend: { title: null, orient: faceted ? ("top" as const) : ("right" as const), labelLimit: 260 },
  };
  const strokeDash = {
    field: "dash",
    type: "nominal" as const,
    scale: {
      domain: ["solid", "dashed"],
      range: [
        [1, 0],
        [6, 3],
      ],
    },
    legend: null,
  };
  const line = (styles: string[], interpolate: "linear" | "step-after") => ({
    transform: [{ filter: { field: "style", oneOf: styles } }],
    mark: {
      type: "line" as const,
      interpolate,
      strokeWidth: faceted ? 1.6 : 2,
      invalid: "break-paths-filter-domains" as const,
    },
    encoding: { x, y, color, strokeDash, detail: { field: "key", type: "nominal" as const } },
  });
  const points = {
    transform: [
      { filter: { field: "style", oneOf: ["points", "line-points"] } },
      { filter: "isValid(datum.y)" },
    ],
    mark: { type: "point" as const, filled: true, size: faceted ? 18 : 36, opacity: 0.85 },
    encoding: { x, y, color },
  };
  const styles = new Set(opts.series.map((s) => s.style ?? "line"));
  const layer = [
    ...(styles.has("line") || styles.has("line-points") ? [line(["line", "line-points"], "linear")] : []),
    ...(styles.has("step") ? [line(["step"], "step-after")] : []),
    ...(styles.has("points") || styles.has("line-points") ? [points] : []),
  ];
  const base = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    title: titleBlock(
      opts.title,
      faceted && opts.yTitle ? joinLines(opts.subtitle, `y: ${opts.yTitle}`) : opts.subtitle,
    ),
    data: { values: rows },
  };
  if (!faceted) return { ...base, width, height, layer } as ChartSpec;
  return {
    ...base,
    facet: { field: "panel", type: "nominal", sort: panels, header: { title: null } },
    columns: Math.max(1, Math.round(opts.columns ?? 5)),
    spec: { width, height, layer },
    // Each panel draws its own x axis: with shared ones, vega-lite also draws an axis under the empty cells of
    // an incomplete last row.
    resolve: { scale: { y: opts.sharedY ? "shared" : "independent" }, axis: { x: "independent" } },
  } as ChartSpec;
}

/** Several named series over x as PNG; with panels, one small chart per panel in a grid. */
export function lineChart(opts: LineChartOptions, png: ChartPngOptions = {}): Buffer {
  return chartPng(lineChartSpec(opts), png);
}

function joinLines(a: string | undefined, b: string): string {
  return a ? `${a} · ${b}` : b;
}
