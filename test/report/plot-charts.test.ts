import assert from "node:assert/strict";
import { test } from "node:test";
import * as vega from "vega";
import { compile } from "vega-lite";
import {
  barChart,
  barChartSpec,
  chartPng,
  chartSvg,
  heatmap,
  heatmapSpec,
  lineChart,
  lineChartSpec,
  paretoFront,
  scatterChart,
  ZERO_GROUP,
} from "../../src/report/plot/index.ts";
import { ILAMB_REGION_LABELS } from "../../src/grid/regions.ts";
import { KilnError } from "../../src/util/errors.ts";
import { decodePng, type Pixels } from "../helpers/png.ts";

function hex(h: string): [number, number, number] {
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

function near(a: readonly number[], b: readonly number[], tol: number): boolean {
  return a.every((v, k) => Math.abs(v - b[k]) <= tol);
}

/** Pixels matching a colour, as a list of [x, y]. */
function pixelsOf(px: Pixels, colour: readonly number[], tol = 3): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < px.height; y++)
    for (let x = 0; x < px.width; x++) if (near(px.at(x, y), colour, tol)) out.push([x, y]);
  return out;
}

/** The longest horizontal run of a colour in each pixel row. */
function runsByRow(px: Pixels, colour: readonly number[]): number[] {
  const runs: number[] = [];
  for (let y = 0; y < px.height; y++) {
    let best = 0;
    let cur = 0;
    for (let x = 0; x < px.width; x++) {
      cur = near(px.at(x, y), colour, 3) ? cur + 1 : 0;
      best = Math.max(best, cur);
    }
    runs.push(best);
  }
  return runs;
}

const svgSize = (svg: string) => {
  const m = /<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(svg);
  assert.ok(m, "the SVG states its size");
  return [Number(m[1]), Number(m[2])];
};

test("bar chart: a bar three times the value is three times as long, in input order", async () => {
  const png = barChart(
    {
      bars: [
        { label: "small", value: 1 },
        { label: "large", value: 3 },
      ],
      showValues: false,
    },
    { scale: 1 },
  );
  const px = await decodePng(png);
  const runs = runsByRow(px, hex("#4c78a8"));
  const rows = runs.map((r, y) => [y, r]).filter(([, r]) => r > 5);
  assert.ok(rows.length > 10, "bars are drawn");
  const firstY = rows[0][0];
  const lastY = rows[rows.length - 1][0];
  const top = Math.max(...rows.filter(([y]) => y < (firstY + lastY) / 2).map(([, r]) => r));
  const bottom = Math.max(...rows.filter(([y]) => y > (firstY + lastY) / 2).map(([, r]) => r));
  // The first bar ("small", value 1) is on top; bars start at zero, so lengths are proportional to values.
  assert.ok(Math.abs(bottom / top - 3) < 0.05, `lengths ${top} and ${bottom}`);
});

test("bar chart: error bars and the grey 'indistinguishable from zero' group are drawn", async () => {
  const bars = [
    { label: "GPP gate", value: 0.12, error: 0.01, group: "carries weight" },
    { label: "biomass hump", value: 0.004, error: 0.006, group: ZERO_GROUP },
  ];
  const svg = chartSvg(barChartSpec({ bars, valueTitle: "φ" }));
  assert.match(svg, /0\.12 ± 0\.01/);
  assert.match(svg, /indistinguishable from zero/);
  const px = await decodePng(barChart({ bars }, { scale: 1 }));
  assert.ok(pixelsOf(px, hex("#b8b8b8")).length > 20, "the zero-group bar is grey");
  assert.ok(pixelsOf(px, hex("#4c78a8")).length > 200, "the other bar has the first palette colour");
  assert.throws(() => barChartSpec({ bars: [bars[0], bars[0]] }), KilnError);
  assert.throws(() => barChartSpec({ bars: [{ label: "x", value: NaN }] }), KilnError);
  assert.throws(() => barChartSpec({ bars: [] }), KilnError);
});

test("line chart: a rising series rises on the picture; PNG size is the SVG size times the scale", async () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const opts = {
    series: [{ name: "rising", x, y: x.map((m) => m * m) }],
    months: true,
    title: "Seasonal cycle",
  };
  const svg = chartSvg(lineChartSpec(opts));
  const [w, h] = svgSize(svg);
  const png = lineChart(opts, { scale: 2 });
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [Math.round(w * 2), Math.round(h * 2)]);
  const pts = pixelsOf(await decodePng(lineChart(opts, { scale: 1 })), hex("#4c78a8"), 40);
  assert.ok(pts.length > 50);
  const xs = pts.map(([px]) => px);
  const left = pts.filter(([px]) => px < Math.min(...xs) + 20);
  const right = pts.filter(([px]) => px > Math.max(...xs) - 20);
  const meanY = (p: [number, number][]) => p.reduce((s, [, y]) => s + y, 0) / p.length;
  assert.ok(meanY(right) < meanY(left) - 50, "the right end is higher (smaller y) than the left end");
  assert.match(svg, />Jan</);
  assert.match(svg, />Dec</);
});

test("line chart: small multiples draw one panel per region; NaN is null in a JSON-safe spec", () => {
  const m = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const series = ILAMB_REGION_LABELS.flatMap((r, k) => [
    { name: "reference", panel: r, x: m, y: m.map((i) => k + Math.sin(i)) },
    { name: "model", panel: r, x: m, y: m.map((i) => (i === 5 ? NaN : k + Math.cos(i))) },
  ]);
  const spec = lineChartSpec({ series, months: true, columns: 5, yTitle: "fraction" });
  const json = JSON.stringify(spec);
  assert.ok(!json.includes("NaN"));
  assert.deepEqual(JSON.parse(json), spec);
  const svg = chartSvg(spec);
  for (const r of ILAMB_REGION_LABELS) assert.ok(svg.includes(`>${r}</text>`), `a panel for ${r}`);
  // Five columns and three rows of 180 × 110 panels.
  const [w, h] = svgSize(svg);
  assert.ok(w > 5 * 180 && w < 5 * 300, `width ${w}`);
  assert.ok(h > 3 * 110 && h < 3 * 220, `height ${h}`);
  assert.throws(() => lineChartSpec({ series: [series[0], { ...series[1], panel: undefined }] }), KilnError);
  assert.throws(() => lineChartSpec({ series: [{ name: "bad", x: [1, 2], y: [1] }] }), KilnError);
});

test("heatmap: positive cells red, negative blue, where they belong; values printed; NaN cells empty", async () => {
  const opts = {
    labels: ["a", "b"],
    values: [
      [NaN, 1],
      [-1, NaN],
    ],
    cellSize: 60,
  };
  const svg = chartSvg(heatmapSpec(opts));
  assert.match(svg, />1\.0</);
  assert.match(svg, />−1\.0</);
  const px = await decodePng(heatmap(opts, { scale: 1 }));
  const reds = pixelsOf(px, [103, 0, 31], 40);
  const blues = pixelsOf(px, [5, 48, 97], 40);
  assert.ok(reds.length > 500 && blues.length > 500, `${reds.length} red and ${blues.length} blue pixels`);
  const mean = (p: [number, number][], k: 0 | 1) => p.reduce((s, q) => s + q[k], 0) / p.length;
  // Row a / column b (top right) holds +1; row b / column a (bottom left) holds −1.
  assert.ok(mean(reds, 0) > mean(blues, 0) + 30);
  assert.ok(mean(reds, 1) < mean(blues, 1) - 30);
  assert.ok(pixelsOf(px, [238, 238, 238], 1).length > 1000, "the two NaN cells are empty grey");
  assert.throws(() => heatmapSpec({ labels: ["a", "b"], values: [[1, 2]] }), KilnError);
});

test("scatter chart: the highlighted subset is drawn in its colour and joined by a step line", async () => {
  const points = [
    { x: 2, y: 0.4, label: "c1" },
    { x: 4, y: 0.55, label: "c2" },
    { x: 4, y: 0.5, label: "c3" },
    { x: 7, y: 0.6, label: "c4" },
    { x: 9, y: 0.58, label: "c5" },
  ];
  const front = paretoFront(points);
  assert.deepEqual(front, [true, true, false, true, false]);
  const png = scatterChart({ points: points.map((p, k) => ({ ...p, highlight: front[k] })) }, { scale: 1 });
  const px = await decodePng(png);
  const red = pixelsOf(px, hex("#e45756"), 30);
  assert.ok(red.length > 80, `${red.length} highlighted pixels`);
  // A step line: highlighted pixels in one row spanning the gap between two front points.
  const rows = new Map<number, number[]>();
  for (const [x, y] of red) rows.set(y, [...(rows.get(y) ?? []), x]);
  const widest = Math.max(...[...rows.values()].map((xs) => Math.max(...xs) - Math.min(...xs)));
  assert.ok(widest > 60, `a horizontal step ${widest} px long`);
});

test("Pareto front: dominance, ties, NaN and the sense of each axis", () => {
  const pts = [
    { x: 1, y: 1 },
    { x: 1, y: 1 },
    { x: 2, y: 1 },
    { x: 2, y: 3 },
    { x: NaN, y: 9 },
    { x: 3, y: 2 },
  ];
  assert.deepEqual(paretoFront(pts), [true, true, false, true, false, false]);
  assert.deepEqual(paretoFront(pts, { x: "max", y: "max" }), [false, false, false, true, false, true]);
  assert.deepEqual(paretoFront(pts, { x: "min", y: "min" }), [true, true, false, false, false, false]);
});

test("the synchronous SVG equals vega's own asynchronous toSVG", async () => {
  const spec = barChartSpec({
    bars: [
      { label: "a", value: 1, error: 0.2 },
      { label: "b", value: -2 },
    ],
    title: "t",
  });
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  vega.resetSVGDefIds();
  const official = await view.toSVG();
  assert.equal(chartSvg(spec), official);
});

test("charts are deterministic: same spec, same SVG and same PNG bytes", () => {
  const spec = heatmapSpec({
    labels: ["x", "y", "z"],
    values: [
      [NaN, 0.1, -0.2],
      [0.1, NaN, 0.05],
      [-0.2, 0.05, NaN],
    ],
  });
  assert.equal(chartSvg(spec), chartSvg(spec));
  assert.ok(chartPng(spec).equals(chartPng(spec)));
});
