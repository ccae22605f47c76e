import { createCanvas, type Canvas, type SKRSContext2D } from "@napi-rs/canvas";
import type { Position } from "geojson";
import { coastlines } from "../../grid/land.ts";
import { parseColour, LUT_SIZE } from "./colours.ts";
import { canvasFont, ensureCanvasFonts } from "./fonts.ts";
import { FONT, MAP_CONSTANTS, type MapLayout } from "./map-layout.ts";
import type { MapOptions, PreparedMap } from "./map-options.ts";
import { NO_DATA_COLOUR } from "./map-options.ts";
import { latLabel, lonLabel } from "./ticks.ts";

const INK = "#222222";
const SOFT_INK = "#444444";
const { TICK, TRIANGLE } = MAP_CONSTANTS;

/** Draws a whole map figure (title, cells, coastlines, axes, colour bar) on a new canvas. */
export function drawMap(opts: MapOptions, prep: PreparedMap, layout: MapLayout): Canvas {
  ensureCanvasFonts();
  const canvas = createCanvas(layout.width, layout.height);
  const ctx = canvas.getContext("2d");
  // A fixed language, so text shaping does not follow the host's locale (same bytes on every machine).
  ctx.lang = "en";
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, layout.width, layout.height);
  drawTitles(ctx, layout);
  drawCells(ctx, prep, layout, parseColour(opts.noDataColour ?? NO_DATA_COLOUR));
  ctx.save();
  ctx.beginPath();
  ctx.rect(layout.map.x, layout.map.y, layout.map.width, layout.map.height);
  ctx.clip();
  if (opts.graticule ?? true) drawGraticule(ctx, layout);
  if (opts.coastlines ?? true) drawCoastlines(ctx, layout);
  ctx.restore();
  drawFrameAndAxes(ctx, layout);
  drawColourBar(ctx, prep, layout, opts.units);
  if (prep.hasNoData) drawNoDataKey(ctx, layout, opts.noDataColour ?? NO_DATA_COLOUR);
  return canvas;
}

function drawTitles(ctx: SKRSContext2D, layout: MapLayout): void {
  ctx.textBaseline = "alphabetic";
  ctx.textAlign = "left";
  let y = MAP_CONSTANTS.PAD;
  if (layout.title) {
    y += FONT.title;
    ctx.font = canvasFont(FONT.title, true);
    ctx.fillStyle = INK;
    ctx.fillText(layout.title, layout.map.x, y);
    y += 6;
  }
  if (layout.subtitle) {
    y += FONT.subtitle;
    ctx.font = canvasFont(FONT.subtitle);
    ctx.fillStyle = "#555555";
    ctx.fillText(layout.subtitle, layout.map.x, y);
  }
}

/** Every shown cell as a block of whole pixels, written straight into the image (no resampling). */
function drawCells(
  ctx: SKRSContext2D,
  prep: PreparedMap,
  layout: MapLayout,
  noData: [number, number, number],
): void {
  const { grid, values, scale, lut } = prep;
  const { width: W, height: H } = layout.map;
  const nLon = grid.nLon;
  const rgba = new Uint32Array(values.length);
  const noDataPacked = pack(noData[0], noData[1], noData[2]);
  for (let g = 0; g < values.length; g++) {
    const t = scale.norm(values[g]);
    if (t !== t) {
      rgba[g] = noDataPacked;
      continue;
    }
    const k = t <= 0 ? 0 : t >= 1 ? LUT_SIZE - 1 : Math.floor(t * LUT_SIZE);
    rgba[g] = pack(lut[3 * k], lut[3 * k + 1], lut[3 * k + 2]);
  }
  const colOfX = new Int32Array(W);
  for (let j = 0; j < nLon; j++) colOfX.fill(j, layout.colEdges[j], layout.colEdges[j + 1]);
  const image = ctx.createImageData(W, H);
  const px = new Uint32Array(image.data.buffer, image.data.byteOffset, W * H);
  for (let i = 0; i < grid.nLat; i++) {
    const rowBase = i * nLon;
    for (let y = layout.rowEdges[i + 1]; y < layout.rowEdges[i]; y++) {
      const line = y * W;
      for (let x = 0; x < W; x++) px[line + x] = rgba[rowBase + colOfX[x]];
    }
  }
  ctx.putImageData(image, layout.map.x, layout.map.y);
}

/** RGBA bytes as one little-endian 32-bit word (x64 and arm64 are little-endian). */
function pack(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function drawGraticule(ctx: SKRSContext2D, layout: MapLayout): void {
  const { map } = layout;
  ctx.strokeStyle = "rgba(0, 0, 0, 0.13)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const lon of layout.lonTicks) {
    const x = Math.round(xOf(layout, lon)) + 0.5;
    if (x <= map.x + 1 || x >= map.x + map.width - 1) continue;
    ctx.moveTo(x, map.y);
    ctx.lineTo(x, map.y + map.height);
  }
  for (const lat of layout.latTicks) {
    const y = Math.round(yOf(layout, lat)) + 0.5;
    if (y <= map.y + 1 || y >= map.y + map.height - 1) continue;
    ctx.moveTo(map.x, y);
    ctx.lineTo(map.x + map.width, y);
  }
  ctx.stroke();
}

function xOf(layout: MapLayout, lon: number): number {
  return layout.map.x + ((lon - layout.lonMin) / (layout.lonMax - layout.lonMin)) * layout.map.width;
}

function yOf(layout: MapLayout, lat: number): number {
  return layout.map.y + ((layout.latMax - lat) / (layout.latMax - layout.latMin)) * layout.map.height;
}

/**
 * Natural Earth coastlines, repeated at ±360° so grids on 0..360 longitudes get them too; the artificial
 * edges where the data set cuts land at the antimeridian and along the South Pole are skipped.
 */
function drawCoastlines(ctx: SKRSContext2D, layout: MapLayout): void {
  const lonSpan = layout.lonMax - layout.lonMin;
  const latSpan = layout.latMax - layout.latMin;
  const rings = coastlines(lonSpan < 100 && latSpan < 70 ? "50m" : "110m");
  const pxPerDeg = layout.map.width / lonSpan;
  ctx.strokeStyle = "#1a1a1a";
  ctx.lineWidth = pxPerDeg >= 8 ? 1.4 : pxPerDeg >= 3 ? 1 : 0.8;
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  ctx.beginPath();
  for (const shift of [-360, 0, 360]) {
    if (180 + shift <= layout.lonMin || -180 + shift >= layout.lonMax) continue;
    for (const ring of rings) {
      if (!ringMayShow(ring, shift, layout)) continue;
      traceRing(ctx, ring, shift, layout);
    }
  }
  ctx.stroke();
}

function ringMayShow(ring: Position[], shift: number, layout: MapLayout): boolean {
  for (const p of ring) {
    const lon = p[0] + shift;
    if (
      lon >= layout.lonMin - 5 &&
      lon <= layout.lonMax + 5 &&
      p[1] >= layout.latMin - 5 &&
      p[1] <= layout.latMax + 5
    ) {
      return true;
    }
  }
  return false;
}

function traceRing(ctx: SKRSContext2D, ring: Position[], shift: number, layout: MapLayout): void {
  let penDown = false;
  for (let k = 0; k < ring.length; k++) {
    const [lon, lat] = ring[k];
    if (k > 0) {
      const [pLon, pLat] = ring[k - 1];
      const cut =
        Math.abs(lon - pLon) > 180 ||
        (Math.abs(lon) >= 179.99 && Math.abs(pLon) >= 179.99) ||
        (lat <= -89.99 && pLat <= -89.99);
      if (cut) penDown = false;
    }
    const x = xOf(layout, lon + shift);
    const y = yOf(layout, lat);
    if (penDown) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    penDown = true;
  }
}

function drawFrameAndAxes(ctx: SKRSContext2D, layout: MapLayout): void {
  const { map } = layout;
  ctx.strokeStyle = SOFT_INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(map.x - 0.5, map.y - 0.5, map.width + 1, map.height + 1);
  ctx.font = canvasFont(FONT.tick);
  ctx.fillStyle = "#333333";
  ctx.beginPath();
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const bottom = map.y + map.height;
  for (const lon of layout.lonTicks) {
    const x = Math.round(xOf(layout, lon)) + 0.5;
    ctx.moveTo(x, bottom + 0.5);
    ctx.lineTo(x, bottom + TICK + 0.5);
    ctx.fillText(lonLabel(lon), x, bottom + TICK + 3);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const lat of layout.latTicks) {
    const y = Math.round(yOf(layout, lat)) + 0.5;
    ctx.moveTo(map.x - 0.5, y);
    ctx.lineTo(map.x - TICK - 0.5, y);
    ctx.fillText(latLabel(lat), map.x - TICK - 4, y);
  }
  ctx.stroke();
}

/** A vertical strip drawn pixel row by pixel row from the colour table, with triangles for clipped ends. */
function drawColourBar(ctx: SKRSContext2D, prep: PreparedMap, layout: MapLayout, units?: string): void {
  const bar = layout.colourBar;
  const { lut, scale } = prep;
  const image = ctx.createImageData(bar.width, bar.height);
  const px = new Uint32Array(image.data.buffer, image.data.byteOffset, bar.width * bar.height);
  for (let y = 0; y < bar.height; y++) {
    const t = 1 - (y + 0.5) / bar.height;
    const k = Math.min(LUT_SIZE - 1, Math.floor(t * LUT_SIZE));
    px.fill(pack(lut[3 * k], lut[3 * k + 1], lut[3 * k + 2]), y * bar.width, (y + 1) * bar.width);
  }
  ctx.putImageData(image, bar.x, bar.y);
  ctx.strokeStyle = SOFT_INK;
  ctx.lineWidth = 1;
  const cx = bar.x + bar.width / 2;
  if (prep.above) triangle(ctx, lutCss(lut, LUT_SIZE - 1), bar.x, bar.y, cx, bar.y - TRIANGLE);
  if (prep.below) {
    const b = bar.y + bar.height;
    triangle(ctx, lutCss(lut, 0), bar.x, b, cx, b + TRIANGLE);
  }
  ctx.strokeRect(bar.x - 0.5, bar.y - 0.5, bar.width + 1, bar.height + 1);

  ctx.font = canvasFont(FONT.tick);
  ctx.fillStyle = "#333333";
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.beginPath();
  const right = bar.x + bar.width;
  let labelRight = right;
  layout.barTicks.forEach((v, k) => {
    const t = scale.position(v);
    if (!(t >= -1e-9 && t <= 1 + 1e-9)) return;
    const y = Math.round(bar.y + (1 - t) * bar.height) + 0.5;
    ctx.moveTo(right, y);
    ctx.lineTo(right + TICK, y);
    ctx.fillText(layout.barLabels[k], right + TICK + 3, y);
    labelRight = Math.max(labelRight, right + TICK + 3 + ctx.measureText(layout.barLabels[k]).width);
  });
  ctx.stroke();
  if (units) {
    ctx.save();
    ctx.translate(labelRight + 8 + FONT.units / 2, bar.y + bar.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.font = canvasFont(FONT.units);
    ctx.fillStyle = INK;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(units, 0, 0);
    ctx.restore();
  }
}

function triangle(
  ctx: SKRSContext2D,
  fill: string,
  x: number,
  baseY: number,
  cx: number,
  tipY: number,
): void {
  const w = MAP_CONSTANTS.BAR_WIDTH;
  ctx.beginPath();
  ctx.moveTo(x - 0.5, baseY);
  ctx.lineTo(x + w + 0.5, baseY);
  ctx.lineTo(cx, tipY);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.stroke();
}

function lutCss(lut: Uint8Array, k: number): string {
  return `rgb(${lut[3 * k]}, ${lut[3 * k + 1]}, ${lut[3 * k + 2]})`;
}

function drawNoDataKey(ctx: SKRSContext2D, layout: MapLayout, colour: string): void {
  const x = layout.colourBar.x;
  const y =
    Math.max(layout.map.y + layout.map.height, layout.colourBar.y + layout.colourBar.height + TRIANGLE) + 8;
  ctx.fillStyle = colour;
  ctx.fillRect(x, y, 12, 12);
  ctx.strokeStyle = SOFT_INK;
  ctx.lineWidth = 1;
  ctx.strokeRect(x - 0.5, y - 0.5, 13, 13);
  ctx.font = canvasFont(FONT.tick);
  ctx.fillStyle = "#333333";
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.fillText("no data", x + 18, y + 6);
}
