import { Grid } from "../../grid/grid.ts";
import { KilnError } from "../../util/errors.ts";
import { colourLut, DEFAULT_SCHEME, defaultReverse, type ColourKind } from "./colours.ts";
import { valueScale, type ValueScale } from "./scale.ts";

/** A latitude/longitude box in degrees (longitudes in the grid's own convention, e.g. −180..180 or 0..360). */
export interface LatLonBox {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

export interface MapOptions {
  grid: Grid;
  /** One value per grid cell, row-major (row 0 = southernmost); NaN = no data. Use CellIndex.toGrid for cells. */
  values: ArrayLike<number>;
  title?: string;
  /** A second, smaller line under the title (period, dataset, statistics). */
  subtitle?: string;
  /** The unit written along the colour bar, e.g. "fraction month⁻¹". */
  units?: string;
  /** sequential (default) for amounts, diverging for differences, cyclic for phase. */
  colours?: ColourKind;
  /** A d3 scheme name: viridis (default), magma, YlOrRd, …; RdBu (default), BrBG, …; rainbow (default), sinebow. */
  scheme?: string;
  /** Flip the scheme. Default: false, except red-first diverging schemes (RdBu, RdYlBu, Spectral), drawn blue→red. */
  reverse?: boolean;
  /** Colour range [low, high]; default 2nd–98th percentile of the shown cells, symmetric about the centre if diverging. */
  range?: readonly [number, number];
  /** Diverging: the value drawn in the middle colour (default 0). */
  centre?: number;
  /** Sequential: log10 colour spacing (values ≤ 0 take the lowest colour). */
  log?: boolean;
  /** Percentiles for the default range, default [2, 98]. */
  percentiles?: readonly [number, number];
  /** Show only the cells overlapping this box (zooms in; cells are scaled up to whole pixels). */
  box?: LatLonBox;
  /** Largest map area in pixels (default 1000 × 560); cells are whole pixels, at least one each. */
  maxWidth?: number;
  maxHeight?: number;
  /** Pixels per cell, overriding maxWidth/maxHeight. */
  pixelsPerCell?: number;
  /** Natural Earth coastlines (default true). */
  coastlines?: boolean;
  /** Faint lines at the labelled latitudes and longitudes (default true). */
  graticule?: boolean;
  /** Colour of cells without data (default NO_DATA_COLOUR). */
  noDataColour?: string;
}

export const NO_DATA_COLOUR = "#d9d9d9";

/** A map's options resolved: the shown sub-grid and its values, the value scale and the colour table. */
export interface PreparedMap {
  grid: Grid;
  values: Float64Array;
  scale: ValueScale;
  lut: Uint8Array;
  hasNoData: boolean;
  below: boolean;
  above: boolean;
}

export function prepareMap(opts: MapOptions, rangeFrom?: ArrayLike<number>): PreparedMap {
  const where = opts.title ? `map '${opts.title}'` : "map";
  if (opts.values.length !== opts.grid.nCell) {
    throw new KilnError(
      `${opts.values.length} values for a grid of ${opts.grid.nCell} cells (${opts.grid.describe()})`,
      {
        where,
        hint: "pass one value per grid cell, row-major; scatter compressed cells with CellIndex.toGrid(values)",
      },
    );
  }
  const { grid, values } = opts.box ? crop(opts.grid, opts.values, opts.box, where) : whole(opts);
  const kind = opts.colours ?? "sequential";
  const scheme = opts.scheme ?? DEFAULT_SCHEME[kind];
  const lut = colourLut(kind, scheme, opts.reverse ?? defaultReverse(kind, scheme));
  const scale = valueScale(rangeFrom ?? values, {
    kind,
    range: opts.range,
    centre: opts.centre,
    log: opts.log,
    percentiles: opts.percentiles,
  });
  let hasNoData = false;
  let below = false;
  let above = false;
  for (let g = 0; g < values.length; g++) {
    const t = scale.norm(values[g]);
    if (t !== t) hasNoData = true;
    else if (t < 0) below = true;
    else if (t > 1) above = true;
  }
  return { grid, values, scale, lut, hasNoData, below, above };
}

function whole(opts: MapOptions): { grid: Grid; values: Float64Array } {
  return { grid: opts.grid, values: Float64Array.from(opts.values) };
}

/** The rows and columns of cells that overlap the box, as their own grid. */
function crop(
  grid: Grid,
  values: ArrayLike<number>,
  box: LatLonBox,
  where: string,
): { grid: Grid; values: Float64Array } {
  if (!(box.latMin < box.latMax && box.lonMin < box.lonMax)) {
    throw new KilnError(`the box ${JSON.stringify(box)} is empty`, {
      where,
      hint: "give latMin < latMax and lonMin < lonMax in degrees",
    });
  }
  const rows = overlapping(grid.latBounds, box.latMin, box.latMax);
  const cols = overlapping(grid.lonBounds, box.lonMin, box.lonMax);
  if (!rows || !cols) {
    throw new KilnError(`the box ${JSON.stringify(box)} does not overlap the ${grid.describe()}`, {
      where,
      hint: "use the grid's longitude convention (−180..180 or 0..360) and latitudes in −90..90",
    });
  }
  const [i0, i1] = rows;
  const [j0, j1] = cols;
  const sub = new Grid(grid.latBounds.subarray(i0, i1 + 1), grid.lonBounds.subarray(j0, j1 + 1));
  const out = new Float64Array(sub.nCell);
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) out[(i - i0) * sub.nLon + (j - j0)] = values[i * grid.nLon + j];
  }
  return { grid: sub, values: out };
}

/** [first, last + 1) of the cells whose extent overlaps (lo, hi), or undefined. */
function overlapping(edges: Float64Array, lo: number, hi: number): [number, number] | undefined {
  let a = -1;
  let b = -1;
  for (let k = 0; k + 1 < edges.length; k++) {
    if (edges[k + 1] > lo && edges[k] < hi) {
      if (a < 0) a = k;
      b = k + 1;
    }
  }
  return a < 0 ? undefined : [a, b];
}
