import type { Grid } from "./grid.ts";

/** A named set of grid cells. `mask[g]` is 1 for grid cell g (row-major lat, lon) inside the region. */
export interface Region {
  readonly label: string;
  readonly name: string;
  readonly mask: Uint8Array;
}

export interface RegionBox {
  readonly label: string;
  readonly name: string;
  readonly lat0: number;
  readonly lat1: number;
  readonly lon0: number;
  readonly lon1: number;
}

/** ILAMB 2.7's built-in GFED boxes (src/ILAMB/Regions.py). */
export const GFED_BOXES: readonly RegionBox[] = [
  { label: "bona", name: "Boreal North America", lat0: 49.75, lat1: 79.75, lon0: -170.25, lon1: -60.25 },
  { label: "tena", name: "Temperate North America", lat0: 30.25, lat1: 49.75, lon0: -125.25, lon1: -66.25 },
  { label: "ceam", name: "Central America", lat0: 9.75, lat1: 30.25, lon0: -115.25, lon1: -80.25 },
  { label: "nhsa", name: "N. Hemisphere South America", lat0: 0.25, lat1: 12.75, lon0: -80.25, lon1: -50.25 },
  {
    label: "shsa",
    name: "S. Hemisphere South America",
    lat0: -59.75,
    lat1: 0.25,
    lon0: -80.25,
    lon1: -33.25,
  },
  { label: "euro", name: "Europe", lat0: 35.25, lat1: 70.25, lon0: -10.25, lon1: 30.25 },
  { label: "mide", name: "Middle East", lat0: 20.25, lat1: 40.25, lon0: -10.25, lon1: 60.25 },
  { label: "nhaf", name: "N. Hemisphere Africa", lat0: 0.25, lat1: 20.25, lon0: -20.25, lon1: 45.25 },
  { label: "shaf", name: "S. Hemisphere Africa", lat0: -34.75, lat1: 0.25, lon0: 10.25, lon1: 45.25 },
  { label: "boas", name: "Boreal Asia", lat0: 54.75, lat1: 70.25, lon0: 30.25, lon1: 179.75 },
  { label: "ceas", name: "Central Asia", lat0: 30.25, lat1: 54.75, lon0: 30.25, lon1: 142.58 },
  { label: "seas", name: "Southeast Asia", lat0: 5.25, lat1: 30.25, lon0: 65.25, lon1: 120.25 },
  { label: "eqas", name: "Equatorial Asia", lat0: -10.25, lat1: 10.25, lon0: 99.75, lon1: 150.25 },
  { label: "aust", name: "Australia", lat0: -41.25, lat1: -10.5, lon0: 112.0, lon1: 154.0 },
];

export const GFED_LABELS: readonly string[] = GFED_BOXES.map((b) => b.label);

/** `global` followed by the 14 GFED boxes, in ILAMB's order. */
export const ILAMB_REGION_LABELS: readonly string[] = ["global", ...GFED_LABELS];

/** GFED4.1s `ancill/basis_regions` codes 1..14 (0 is ocean). */
export const GFED_BASIS_CODES: Readonly<Record<number, string>> = Object.fromEntries(
  GFED_BOXES.map((b, k) => [k + 1, b.label]),
);

/** The whole grid. */
export function globalRegion(grid: Grid): Region {
  return { label: "global", name: "Global", mask: new Uint8Array(grid.nCell).fill(1) };
}

/** Cells whose centre satisfies lat0 < lat ≤ lat1 and lon0 < lon ≤ lon1, as ILAMB's getMask. */
export function boxRegion(grid: Grid, box: RegionBox): Region {
  const mask = new Uint8Array(grid.nCell);
  for (let i = 0; i < grid.nLat; i++) {
    const la = grid.lat[i];
    if (!(la > box.lat0 && la <= box.lat1)) continue;
    for (let j = 0; j < grid.nLon; j++) {
      const lo = grid.lon[j];
      if (lo > box.lon0 && lo <= box.lon1) mask[i * grid.nLon + j] = 1;
    }
  }
  return { label: box.label, name: box.name, mask };
}

/** ILAMB regions by label (`global` and the GFED boxes); an unknown label is an error listing the known ones. */
export function ilambRegions(grid: Grid, labels: readonly string[] = ILAMB_REGION_LABELS): Region[] {
  return labels.map((label) => {
    if (label === "global") return globalRegion(grid);
    const box = GFED_BOXES.find((b) => b.label === label);
    if (!box) {
      throw new Error(`unknown region '${label}'; ILAMB's regions are: ${ILAMB_REGION_LABELS.join(", ")}`);
    }
    return boxRegion(grid, box);
  });
}

/**
 * Regions from an integer raster on the grid (e.g. GFED's `ancill/basis_regions`): one region per code in
 * `codes`, named by its label. Codes absent from `codes` (such as 0 for ocean) belong to no region.
 */
export function rasterRegions(
  grid: Grid,
  raster: ArrayLike<number>,
  codes: Readonly<Record<number, string>> = GFED_BASIS_CODES,
  names: Readonly<Record<string, string>> = {},
): Region[] {
  if (raster.length !== grid.nCell) {
    throw new Error(`region raster has ${raster.length} cells, the grid ${grid.nCell} (${grid.describe()})`);
  }
  return Object.entries(codes).map(([code, label]) => {
    const k = Number(code);
    const mask = new Uint8Array(grid.nCell);
    for (let g = 0; g < grid.nCell; g++) if (raster[g] === k) mask[g] = 1;
    const box = GFED_BOXES.find((b) => b.label === label);
    return { label, name: names[label] ?? box?.name ?? label, mask };
  });
}
