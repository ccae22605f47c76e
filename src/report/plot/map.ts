import { createCanvas } from "@napi-rs/canvas";
import { KilnError } from "../../util/errors.ts";
import { canvasFont, ensureCanvasFonts } from "./fonts.ts";
import { drawMap } from "./map-draw.ts";
import { FONT, layoutMap, type MapLayout } from "./map-layout.ts";
import { prepareMap, type MapOptions } from "./map-options.ts";

/**
 * A north-up equirectangular map of one field on a regular lat/lon grid, as PNG: one block of whole
 * pixels per cell, Natural Earth coastlines, lat/lon labels, and a colour bar with ticks and the unit.
 */
export function renderMap(opts: MapOptions): Buffer {
  const prep = prepareMap(opts);
  return drawMap(opts, prep, layoutMap(opts, prep)).encodeSync("png");
}

/** Where the map area, colour bar and labels of `renderMap(opts)` sit, for locating things in the PNG. */
export function mapLayout(opts: MapOptions): MapLayout {
  return layoutMap(opts, prepareMap(opts));
}

export interface MapPanelOptions {
  maps: readonly MapOptions[];
  /** Maps per row (default: 2, or 1 for a single map). */
  columns?: number;
  /** A title over the whole panel. */
  title?: string;
  /**
   * One default colour range for all maps, from their pooled shown values (default false); each map's
   * other options stay its own, and a map with an explicit `range` keeps it.
   */
  sharedRange?: boolean;
  /** The maxWidth of maps that set neither maxWidth nor pixelsPerCell (default 640). */
  mapWidth?: number;
}

/** Several maps in a grid of rows and columns, as one PNG (e.g. reference, model and bias side by side). */
export function renderMapPanel(opts: MapPanelOptions): Buffer {
  const n = opts.maps.length;
  if (n === 0) throw new KilnError("a map panel needs at least one map", { where: "renderMapPanel" });
  const columns = Math.max(1, Math.min(n, Math.round(opts.columns ?? (n === 1 ? 1 : 2))));
  const maps = opts.maps.map((m) =>
    m.maxWidth === undefined && m.pixelsPerCell === undefined ? { ...m, maxWidth: opts.mapWidth ?? 640 } : m,
  );
  let preps = maps.map((m) => prepareMap(m));
  if (opts.sharedRange) {
    const pooled = pool(preps.map((p) => p.values));
    preps = maps.map((m) => prepareMap(m, pooled));
  }
  const canvases = maps.map((m, k) => drawMap(m, preps[k], layoutMap(m, preps[k])));
  const rows = Math.ceil(n / columns);
  const colW = Math.max(...canvases.map((c) => c.width));
  const rowH: number[] = [];
  for (let r = 0; r < rows; r++)
    rowH.push(Math.max(...canvases.slice(r * columns, (r + 1) * columns).map((c) => c.height)));
  const titleH = opts.title ? FONT.title + 2 + 16 : 0;
  const width = colW * columns;
  const height = titleH + rowH.reduce((a, b) => a + b, 0);
  ensureCanvasFonts();
  const panel = createCanvas(width, height);
  const ctx = panel.getContext("2d");
  ctx.lang = "en";
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  if (opts.title) {
    ctx.font = canvasFont(FONT.title + 2, true);
    ctx.fillStyle = "#222222";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.fillText(opts.title, 12, 12 + FONT.title + 2);
  }
  let y = titleH;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns && r * columns + c < n; c++)
      ctx.drawImage(canvases[r * columns + c], c * colW, y);
    y += rowH[r];
  }
  return panel.encodeSync("png");
}

/** The shown values of all maps in one array, for a shared default range. */
function pool(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
