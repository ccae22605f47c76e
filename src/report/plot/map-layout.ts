import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import type { Grid } from "../../grid/grid.ts";
import { canvasFont, ensureCanvasFonts } from "./fonts.ts";
import type { MapOptions, PreparedMap } from "./map-options.ts";
import { degreeTicks, formatTicks, latLabel, linearTicks, logTicks } from "./ticks.ts";
import type { ValueScale } from "./scale.ts";

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where everything sits in a rendered map, in PNG pixels (x to the right, y down). */
export interface MapLayout {
  width: number;
  height: number;
  /** The map area; cells fill it exactly. */
  map: PixelRect;
  /** The colour strip of the colour bar (without its end triangles). */
  colourBar: PixelRect;
  /** Edges of the shown area in degrees. */
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
  /** x of each longitude edge of the shown grid, relative to map.x (length nLon + 1, increasing). */
  colEdges: Int32Array;
  /** y of each latitude edge, relative to map.y (length nLat + 1; edge 0 is the southern one, at the bottom). */
  rowEdges: Int32Array;
  lonTicks: number[];
  latTicks: number[];
  barTicks: number[];
  barLabels: string[];
  title: string;
  subtitle: string;
}

export const FONT = {
  title: 16,
  subtitle: 12,
  tick: 11,
  units: 12,
};

const PAD = 12;
const TICK = 4;
const BAR_GAP = 20;
const BAR_WIDTH = 16;
const TRIANGLE = 11;
const MIN_BAR = 120;

let measureCtx: SKRSContext2D | undefined;

export function measure(text: string, sizePx: number, bold = false): number {
  ensureCanvasFonts();
  if (!measureCtx) {
    measureCtx = createCanvas(4, 4).getContext("2d");
    measureCtx.lang = "en";
  }
  measureCtx.font = canvasFont(sizePx, bold);
  return measureCtx.measureText(text).width;
}

export function layoutMap(opts: MapOptions, prep: PreparedMap): MapLayout {
  const g = prep.grid;
  const lonMin = g.lonBounds[0];
  const lonMax = g.lonBounds[g.nLon];
  const latMin = g.latBounds[0];
  const latMax = g.latBounds[g.nLat];
  const pxPerDeg = pixelsPerDegree(g, opts);
  const colEdges = new Int32Array(g.nLon + 1);
  const rowEdges = new Int32Array(g.nLat + 1);
  for (let j = 0; j <= g.nLon; j++) colEdges[j] = Math.round((g.lonBounds[j] - lonMin) * pxPerDeg);
  for (let i = 0; i <= g.nLat; i++) rowEdges[i] = Math.round((latMax - g.latBounds[i]) * pxPerDeg);
  const mapW = colEdges[g.nLon];
  const mapH = rowEdges[0];

  const lonTicks = degreeTicks(lonMin, lonMax, Math.max(4, Math.floor(mapW / 120)));
  const latTicks = degreeTicks(latMin, latMax, Math.max(4, Math.floor(mapH / 60)));
  const barLen = Math.max(MIN_BAR, mapH - 2 * TRIANGLE);
  const barTicks = colourBarTicks(prep.scale, Math.max(3, Math.round(barLen / 55)));
  const barLabels = formatTicks(barTicks, prep.scale.log);

  const title = opts.title ?? "";
  const subtitle = opts.subtitle ?? "";
  const latLabelW = Math.max(0, ...latTicks.map((v) => measure(latLabel(v), FONT.tick)));
  const barLabelW = Math.max(0, ...barLabels.map((s) => measure(s, FONT.tick)));
  const unitsW = opts.units ? FONT.units + 6 : 0;

  const mapX = PAD + Math.ceil(latLabelW) + TICK + 4;
  let top = PAD;
  if (title) top += FONT.title + 6;
  if (subtitle) top += FONT.subtitle + 6;
  const mapY = top + (title || subtitle ? 6 : 2);
  const barX = mapX + mapW + BAR_GAP;
  const barY = mapY + TRIANGLE;
  const right = barX + BAR_WIDTH + TICK + 4 + Math.ceil(barLabelW) + 6 + unitsW + PAD;
  const titleRight =
    mapX + Math.ceil(Math.max(measure(title, FONT.title, true), measure(subtitle, FONT.subtitle))) + PAD;
  const bottomOfArt = Math.max(mapY + mapH, barY + barLen + TRIANGLE);
  const height = bottomOfArt + TICK + 3 + FONT.tick + 4 + (prep.hasNoData ? 10 : 0) + PAD;
  return {
    width: Math.max(right, titleRight),
    height,
    map: { x: mapX, y: mapY, width: mapW, height: mapH },
    colourBar: { x: barX, y: barY, width: BAR_WIDTH, height: barLen },
    lonMin,
    lonMax,
    latMin,
    latMax,
    colEdges,
    rowEdges,
    lonTicks,
    latTicks,
    barTicks,
    barLabels,
    title,
    subtitle,
  };
}

/** Pixels per degree: whole pixels per cell (snapped for regular cells), fitting maxWidth × maxHeight. */
function pixelsPerDegree(g: Grid, opts: MapOptions): number {
  const lonSpan = g.lonBounds[g.nLon] - g.lonBounds[0];
  const latSpan = g.latBounds[g.nLat] - g.latBounds[0];
  const minCell = Math.min(minStep(g.lonBounds), minStep(g.latBounds));
  const dLon = lonSpan / g.nLon;
  const regularLon = Math.abs(minStep(g.lonBounds) - dLon) < 1e-6 * dLon;
  if (opts.pixelsPerCell !== undefined) {
    return Math.max(1, Math.round(opts.pixelsPerCell)) / (regularLon ? dLon : minCell);
  }
  const fit = Math.min((opts.maxWidth ?? 1000) / lonSpan, (opts.maxHeight ?? 560) / latSpan);
  const p = Math.max(fit, 1 / minCell);
  return regularLon ? Math.max(1, Math.floor(p * dLon + 1e-9)) / dLon : p;
}

function minStep(edges: Float64Array): number {
  let m = Infinity;
  for (let k = 1; k < edges.length; k++) m = Math.min(m, edges[k] - edges[k - 1]);
  return m;
}

function colourBarTicks(s: ValueScale, count: number): number[] {
  if (s.log) return logTicks(s.lo, s.hi);
  const ticks = linearTicks(s.lo, s.hi, count);
  if (s.kind === "diverging" && !ticks.some((t) => Math.abs(t - s.centre) <= 1e-9 * (s.hi - s.lo))) {
    ticks.push(s.centre);
    ticks.sort((a, b) => a - b);
  }
  return ticks;
}

/** The pixel (x, y) of a longitude and latitude on the map, in PNG coordinates. */
export function mapPixel(layout: MapLayout, lon: number, lat: number): [number, number] {
  const { map } = layout;
  return [
    map.x + ((lon - layout.lonMin) / (layout.lonMax - layout.lonMin)) * map.width,
    map.y + ((layout.latMax - lat) / (layout.latMax - layout.latMin)) * map.height,
  ];
}

export const MAP_CONSTANTS = { PAD, TICK, TRIANGLE, BAR_WIDTH };
