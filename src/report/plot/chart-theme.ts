import type { Config } from "vega-lite";
import { KilnError } from "../../util/errors.ts";
import { FONT_FAMILY } from "./fonts.ts";

/** The look shared by every chart: one font, quiet grid lines, titles anchored left as on the maps. */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  background: "#ffffff",
  padding: 12,
  view: { stroke: "#cccccc" },
  title: {
    fontSize: 16,
    fontWeight: "bold",
    anchor: "start",
    color: "#222222",
    subtitleFontSize: 12,
    subtitleColor: "#555555",
    offset: 12,
  },
  axis: {
    labelFontSize: 11,
    labelColor: "#333333",
    titleFontSize: 12,
    titleFontWeight: "normal",
    titleColor: "#222222",
    gridColor: "#ebebeb",
    domainColor: "#777777",
    tickColor: "#777777",
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", symbolStrokeWidth: 2 },
  header: { labelFontSize: 12, labelFontWeight: "bold", labelColor: "#222222", titleFontSize: 12 },
  axisY: { titlePadding: 8 },
  axisX: { titlePadding: 6 },
};

/** vega's tableau10, the category colours used when the caller names none. */
export const CATEGORY_COLOURS = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];

/** A title block for vega-lite (undefined when there is no title). */
export function titleBlock(
  title?: string,
  subtitle?: string,
): { text: string; subtitle?: string } | undefined {
  if (!title && !subtitle) return undefined;
  return subtitle ? { text: title ?? "", subtitle } : { text: title ?? "" };
}

/** JSON-safe number: NaN and ±Infinity become null (vega treats null as missing; JSON has no NaN). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Three significant digits, a true minus sign, no trailing zeros: 0.12345 → "0.123", −2e-5 → "−2e-5". */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  const s = a >= 1e-3 && a < 1e5 ? String(Number(a.toPrecision(3))) : a.toExponential(1).replace("e+", "e");
  return (v < 0 ? "\u2212" : "") + s;
}

/** Colours for named categories: the caller's where given, then the palette in order. */
export function categoryColours(names: readonly string[], given: Record<string, string> = {}): string[] {
  let next = 0;
  return names.map((n) => given[n] ?? CATEGORY_COLOURS[next++ % CATEGORY_COLOURS.length]);
}

export function requireNonEmpty(n: number, what: string, where: string): void {
  if (n === 0)
    throw new KilnError(`${what} is empty: nothing to draw`, { where, hint: `pass at least one ${what}` });
}
