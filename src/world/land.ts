import { CellIndex } from "../grid/cells.ts";
import type { Grid } from "../grid/grid.ts";
import { landPolygons, type Rings } from "../grid/land.ts";

export interface LandMaskOptions {
  /** Natural Earth scale: "50m" (default) or the coarser "110m". */
  readonly scale?: "110m" | "50m";
  /** Sample points per cell side (samples² points per cell). */
  readonly samples?: number;
}

/**
 * Fraction of each grid cell (row-major) covered by Natural Earth land, by point-in-polygon sampling on a
 * regular sub-grid. Point-in-polygon is done by scanlines: for each row of sample points the crossings of
 * every ring edge are collected and sorted, and the even–odd rule fills between pairs, so the cost is one
 * pass over the edges plus the crossings, not points × edges.
 */
export function landFraction(grid: Grid, opts: LandMaskOptions = {}): Float64Array {
  const samples = opts.samples ?? 4;
  const polys = landPolygons(opts.scale ?? "50m");
  const lon0 = grid.lonBounds[0];
  const dLon = (grid.lonBounds[grid.nLon] - lon0) / grid.nLon;
  for (let j = 1; j <= grid.nLon; j++) {
    if (Math.abs(grid.lonBounds[j] - (lon0 + j * dLon)) > 1e-6) {
      throw new Error("landFraction needs a grid with regular longitude spacing (Grid.regular)");
    }
  }
  const nRows = grid.nLat * samples;
  const sampleLat = new Float64Array(nRows);
  for (let i = 0; i < grid.nLat; i++) {
    const s = grid.latBounds[i];
    const h = (grid.latBounds[i + 1] - s) / samples;
    for (let k = 0; k < samples; k++) sampleLat[i * samples + k] = s + (k + 0.5) * h;
  }
  const crossings = collectCrossings(polys, sampleLat);
  const nCols = grid.nLon * samples;
  const dx = dLon / samples;
  const out = new Float64Array(grid.nCell);
  const w = 1 / (samples * samples);
  for (let r = 0; r < nRows; r++) {
    const xs = crossings[r];
    if (xs.length < 2) continue;
    xs.sort((a, b) => a - b);
    const row = Math.floor(r / samples);
    for (let p = 0; p + 1 < xs.length; p += 2) {
      // sample columns k with centre lon0 + (k + 0.5) dx inside [xs[p], xs[p+1])
      const k0 = Math.max(0, Math.ceil((xs[p] - lon0) / dx - 0.5));
      const k1 = Math.min(nCols - 1, Math.ceil((xs[p + 1] - lon0) / dx - 0.5) - 1);
      for (let k = k0; k <= k1; k++) out[row * grid.nLon + Math.floor(k / samples)] += w;
    }
  }
  return out;
}

/** Longitudes where ring edges cross each sample latitude (half-open in latitude, so vertices count once). */
function collectCrossings(polys: readonly Rings[], sampleLat: Float64Array): number[][] {
  const rows: number[][] = Array.from({ length: sampleLat.length }, () => []);
  const first = sampleLat[0];
  const step = sampleLat.length > 1 ? sampleLat[1] - sampleLat[0] : 1;
  // Sample latitudes are regular within a grid row but the grid may not be; fall back to a search.
  const regular = sampleLat.every((y, r) => Math.abs(y - (first + r * step)) < 1e-9);
  const addCrossing = (r: number, x: number) => rows[r].push(x);
  const rowRange = (lo: number, hi: number): [number, number] =>
    regular
      ? [
          Math.max(0, Math.ceil((lo - first) / step)),
          Math.min(sampleLat.length - 1, Math.ceil((hi - first) / step) - 1),
        ]
      : [0, sampleLat.length - 1];
  for (const poly of polys) {
    for (const ring of poly) {
      // Natural Earth rings that straddle the antimeridian jump from +180 to -180; such an edge is not
      // drawn, and the cut is closed by virtual edges along x = ±180 between pairs of jumps (or down to
      // the pole for a ring that encircles it).
      const jumps: number[] = [];
      for (let v = 0; v + 1 < ring.length; v++) {
        const [xa, ya] = ring[v];
        const [xb, yb] = ring[v + 1];
        if (Math.abs(xb - xa) > 180) {
          jumps.push(0.5 * (ya + yb));
          continue;
        }
        if (ya === yb) continue;
        const lo = Math.min(ya, yb);
        const hi = Math.max(ya, yb);
        const [r0, r1] = rowRange(lo, hi);
        for (let r = r0; r <= r1; r++) {
          const y = sampleLat[r];
          if (y < lo || y >= hi) continue;
          addCrossing(r, xa + ((y - ya) / (yb - ya)) * (xb - xa));
        }
      }
      if (jumps.length === 0) continue;
      jumps.sort((a, b) => a - b);
      if (jumps.length % 2 === 1) {
        if (jumps[0] < 0) jumps.unshift(-90);
        else jumps.push(90);
      }
      for (let p = 0; p + 1 < jumps.length; p += 2) {
        const [r0, r1] = rowRange(jumps[p], jumps[p + 1]);
        for (let r = r0; r <= r1; r++) {
          const y = sampleLat[r];
          if (y < jumps[p] || y >= jumps[p + 1]) continue;
          addCrossing(r, -180);
          addCrossing(r, 180);
        }
      }
    }
  }
  return rows;
}

export interface LandCellsOptions extends LandMaskOptions {
  /** A cell is land when at least this fraction of it is land. */
  readonly threshold?: number;
  /** Drop cells south of this latitude (default -60: Antarctica's ice sheet, where nothing burns). */
  readonly southLimit?: number;
  /** A land fraction already computed by landFraction on this grid. */
  readonly fraction?: ArrayLike<number>;
}

/** The valid cells of the built-in world: land cells by Natural Earth, Antarctica left out. */
export function landCells(grid: Grid, opts: LandCellsOptions = {}): CellIndex {
  const frac = opts.fraction ?? landFraction(grid, opts);
  const threshold = opts.threshold ?? 0.5;
  const south = opts.southLimit ?? -60;
  const mask = new Uint8Array(grid.nCell);
  for (let i = 0; i < grid.nLat; i++) {
    if (grid.lat[i] < south) continue;
    for (let j = 0; j < grid.nLon; j++) {
      const g = i * grid.nLon + j;
      if (frac[g] >= threshold) mask[g] = 1;
    }
  }
  return CellIndex.fromMask(grid, mask);
}
