import type { CellIndex } from "../grid/cells.ts";
import type { Grid } from "../grid/grid.ts";

const DEG = Math.PI / 180;
const KM_PER_DEG = 111.2;

/** Per-cell geography of the built-in world: position, distance to the sea, a coarse relief. */
export interface Geography {
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Distance from the cell centre to the nearest sea cell's centre, km (0 next to nothing but sea). */
  readonly coastKm: Float64Array;
  /** Elevation above sea level, km, from a few smooth mountain ranges. */
  readonly elevKm: Float64Array;
}

export function geography(grid: Grid, cells: CellIndex, landFrac: ArrayLike<number>): Geography {
  const n = cells.length;
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    lat[c] = cells.lat(c);
    lon[c] = cells.lon(c);
  }
  const dist = distanceToSea(grid, landFrac);
  const coastKm = new Float64Array(n);
  for (let c = 0; c < n; c++) coastKm[c] = dist[cells.flat[c]];
  const elevKm = new Float64Array(n);
  for (let c = 0; c < n; c++) elevKm[c] = relief(lat[c], lon[c]);
  return { lat, lon, coastKm, elevKm };
}

/**
 * Distance (km) from each grid cell to the nearest sea cell (land fraction < 0.5), by a chamfer
 * transform over the 8 neighbours with local metric distances, periodic in longitude on a global grid.
 */
export function distanceToSea(grid: Grid, landFrac: ArrayLike<number>): Float64Array {
  const { nLat, nLon } = grid;
  const global = Math.abs(grid.lonBounds[nLon] - grid.lonBounds[0] - 360) < 1e-6;
  const d = new Float64Array(grid.nCell);
  for (let g = 0; g < grid.nCell; g++) d[g] = landFrac[g] >= 0.5 ? Infinity : 0;
  const cosLat = Float64Array.from(grid.lat, (la) => Math.cos(la * DEG));
  const dLat = new Float64Array(nLat);
  for (let i = 1; i < nLat; i++) dLat[i] = (grid.lat[i] - grid.lat[i - 1]) * KM_PER_DEG;
  const dLon = ((grid.lonBounds[nLon] - grid.lonBounds[0]) / nLon) * KM_PER_DEG;
  const relax = (i: number, j: number, i2: number, j2: number): boolean => {
    if (i2 < 0 || i2 >= nLat) return false;
    if (j2 < 0 || j2 >= nLon) {
      if (!global) return false;
      j2 = (j2 + nLon) % nLon;
    }
    const other = d[i2 * nLon + j2];
    if (other === Infinity) return false;
    const dy = i2 === i ? 0 : dLat[Math.max(i, i2)];
    const dx = j2 === j ? 0 : dLon * 0.5 * (cosLat[i] + cosLat[i2]);
    const cand = other + Math.sqrt(dx * dx + dy * dy);
    const g = i * nLon + j;
    if (cand < d[g]) {
      d[g] = cand;
      return true;
    }
    return false;
  };
  for (let round = 0; round < 20; round++) {
    let changed = false;
    for (let i = 0; i < nLat; i++) {
      for (let j = 0; j < nLon; j++) {
        if (d[i * nLon + j] === 0) continue;
        changed = relax(i, j, i - 1, j - 1) || changed;
        changed = relax(i, j, i - 1, j) || changed;
        changed = relax(i, j, i - 1, j + 1) || changed;
        changed = relax(i, j, i, j - 1) || changed;
      }
    }
    for (let i = nLat - 1; i >= 0; i--) {
      for (let j = nLon - 1; j >= 0; j--) {
        if (d[i * nLon + j] === 0) continue;
        changed = relax(i, j, i + 1, j + 1) || changed;
        changed = relax(i, j, i + 1, j) || changed;
        changed = relax(i, j, i + 1, j - 1) || changed;
        changed = relax(i, j, i, j + 1) || changed;
      }
    }
    if (!changed) break;
  }
  // A grid with no sea at all (a small box inside a continent): call everything far from the sea.
  for (let g = 0; g < grid.nCell; g++) if (d[g] === Infinity) d[g] = 3000;
  return d;
}

/** [lat, lon, σlat, σlon, height km]: the main ranges and plateaus, as smooth Gaussian blobs. */
const RANGES: readonly (readonly [number, number, number, number, number])[] = [
  [32, 88, 4.5, 11, 4.6], // Tibet and the Himalaya
  [47, 100, 4, 12, 1.4], // Mongolia
  [39, 73, 3, 5, 2.5], // Pamir and Tian Shan
  [33, 55, 5, 10, 1.2], // Iranian plateau
  [39, 35, 3, 6, 1.0], // Anatolia
  [46, 10, 1.5, 3.5, 1.2], // Alps
  [9, 39, 4, 4, 2.0], // Ethiopian highlands
  [-3, 35, 5, 4, 1.4], // East African plateau
  [-26, 27, 6, 8, 1.2], // southern African plateau
  [-12, 28, 5, 7, 1.0], // Zambian and Katangan plateau
  [40, -110, 9, 6, 2.0], // Rockies and the Great Basin
  [56, -124, 6, 4, 1.1], // Canadian Rockies
  [22, -102, 5, 4, 1.8], // Mexican plateau
  [5, -75, 5, 2.5, 2.2], // northern Andes
  [-16, -68, 6, 3, 3.8], // Altiplano
  [-33, -70, 8, 1.8, 2.8], // central Andes
  [-46, -72, 5, 1.5, 1.2], // Patagonian Andes
  [-19, -45, 6, 5, 0.8], // Brazilian highlands
  [72, -40, 7, 12, 2.3], // Greenland ice sheet
  [-32, 148, 5, 3, 0.7], // Great Dividing Range
  [63, 135, 6, 15, 0.8], // east Siberian ranges
];

function relief(lat: number, lon: number): number {
  let h = 0;
  for (const [la, lo, sla, slo, height] of RANGES) {
    let dlon = Math.abs(lon - lo);
    if (dlon > 180) dlon = 360 - dlon;
    const z = ((lat - la) / sla) ** 2 + (dlon / slo) ** 2;
    if (z < 25) h += height * Math.exp(-0.5 * z);
  }
  return Math.min(h, 5.5);
}
