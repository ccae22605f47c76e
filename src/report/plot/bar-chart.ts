import { KilnError } from "../../util/errors.ts";
import { chartPng, type ChartPngOptions, type ChartSpec } from "./chart-render.ts";
import { CHART_CONFIG, categoryColours, requireNonEmpty, shortNumber, titleBlock } from "./chart-theme.ts";

export interface Bar {
  label: string;
  value: number;
  /** Half-width of the error bar (e.g. a standard error); drawn as value ± error. */
  error?: number;
  /** A legend category with its own colour, e.g. "indistinguishable from zero". */
  group?: string;
}

export interface BarChartOptions {
  /** Drawn top to bottom in this order. */
  bars: readonly Bar[];
  title?: string;
  subtitle?: string;
  /** Title of the value axis, e.g. "Shapley value φ (Overall score)". */
  valueTitle?: string;
  /** Colours by group (the palette fills the rest; a group named "indistinguishable from zero" defaults to grey). */
  groupColours?: Record<string, string>;
  /** Write value (± error) beside each bar (default: when there are at most 24 bars). */
  showValues?: boolean;
  /** Width of the plot in SVG pixels (default 460); each bar gets 24 pixels of height. */
  width?: number;
}

const BAR_COLOUR = "#4c78a8";
export const ZERO_GROUP = "indistinguishable from zero";
const ZERO_GREY = "#b8b8b8";

/** The vega-lite specification of a horizontal bar chart with optional error bars. */
export function barChartSpec(opts: BarChartOptions): ChartSpec {
  const where = opts.title ? `bar chart '${opts.title}'` : "bar chart";
  requireNonEmpty(opts.bars.length, "bars", where);
  const labels = opts.bars.map((b) => b.label);
  const dup = labels.find((l, k) => labels.indexOf(l) !== k);
  if (dup !== undefined)
    throw new KilnError(`the label '${dup}' is used twice`, { where, hint: "give each bar its own label" });
  for (const b of opts.bars) {
    if (!Number.isFinite(b.value)) {
      throw new KilnError(`bar '${b.label}' has the value ${b.value}`, {
        where,
        hint: "give every bar a finite value",
      });
    }
    if (b.error !== undefined && !(b.error >= 0)) {
      throw new KilnError(`bar '${b.label}' has the error ${b.error}`, {
        where,
        hint: "errors are half-widths ≥ 0",
      });
    }
  }
  const groups: string[] = [];
  for (const b of opts.bars) if (b.group !== undefined && !groups.includes(b.group)) groups.push(b.group);
  const given = { [ZERO_GROUP]: ZERO_GREY, ...opts.groupColours };
  const showValues = opts.showValues ?? opts.bars.length <= 24;
  const rows = opts.bars.map((b) => {
    const e = b.error ?? 0;
    return {
      label: b.label,
      value: b.value,
      lo: b.value - e,
      hi: b.value + e,
      hasError: b.error !== undefined,
      textAt: Math.max(0, b.value + e),
      group: b.group ?? "",
      text: shortNumber(b.value) + (b.error !== undefined ? ` ± ${shortNumber(b.error)}` : ""),
    };
  });
  const y = {
    field: "label",
    type: "nominal" as const,
    sort: labels,
    title: null,
    axis: { labelLimit: 240 },
  };
  const valueTitle = opts.valueTitle ?? null;
  const x = {
    field: "value",
    type: "quantitative" as const,
    title: valueTitle,
    axis: { grid: true },
  };
  const color =
    groups.length > 0
      ? {
          field: "group",
          type: "nominal" as const,
          scale: { domain: groups, range: categoryColours(groups, given) },
          legend: { title: null, orient: "bottom" as const },
        }
      : { value: BAR_COLOUR };
  const layer: object[] = [
    { mark: { type: "bar", height: { band: 0.7 } }, encoding: { y, x, color } },
    {
      mark: { type: "rule", color: "#444444" },
      encoding: { x: { datum: 0, type: "quantitative", title: valueTitle } },
    },
  ];
  if (rows.some((r) => r.hasError)) {
    layer.push({
      transform: [{ filter: { field: "hasError", equal: true } }],
      mark: { type: "errorbar", ticks: { size: 9, color: "#222222" }, rule: { color: "#222222" } },
      encoding: { y, x: { field: "lo", type: "quantitative", title: valueTitle }, x2: { field: "hi" } },
    });
  }
  if (showValues) {
    // Right of the bar's far end, or of zero for negative bars, so text never runs into the labels.
    layer.push({
      mark: { type: "text", align: "left", dx: 5, fontSize: 10.5, color: "#333333" },
      encoding: {
        y,
        x: { field: "textAt", type: "quantitative", title: valueTitle },
        text: { field: "text" },
      },
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CHART_CONFIG,
    title: titleBlock(opts.title, opts.subtitle),
    data: { values: rows },
    width: opts.width ?? 460,
    height: { step: 24 },
    layer,
  } as ChartSpec;
}

/** Labelled horizontal bars with optional error bars and highlight groups, as PNG. */
export function barChart(opts: BarChartOptions, png: ChartPngOptions = {}): Buffer {
  return chartPng(barChartSpec(opts), png);
}
