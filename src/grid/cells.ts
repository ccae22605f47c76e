import type { Grid } from "./grid.ts";

/** The compressed index of a Dataset's valid cells: cell c sits at grid row rows[c], column cols[c]. */
export class CellIndex {
  readonly grid: Grid;
  /** Row-major grid index of each valid cell, increasing. */
  readonly flat: Int32Array;
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  /** Grid index → cell number, or -1 where the cell is not valid. */
  readonly lookup: Int32Array;
  /** Area of each valid cell in m². */
  readonly areas: Float64Array;

  constructor(grid: Grid, flat: ArrayLike<number>) {
    this.grid = grid;
    this.flat = Int32Array.from(flat);
    const n = this.flat.length;
    this.rows = new Int32Array(n);
    this.cols = new Int32Array(n);
    this.lookup = new Int32Array(grid.nCell).fill(-1);
    this.areas = new Float64Array(n);
    const gridAreas = grid.areas();
    for (let c = 0; c < n; c++) {
      const g = this.flat[c];
      if (!(g >= 0 && g < grid.nCell)) throw new Error(`CellIndex: grid index ${g} is outside the grid`);
      if (c > 0 && g <= this.flat[c - 1]) throw new Error("CellIndex: grid indices must increase");
      this.rows[c] = Math.floor(g / grid.nLon);
      this.cols[c] = g % grid.nLon;
      this.lookup[g] = c;
      this.areas[c] = gridAreas[g];
    }
  }

  /** Every cell of the grid. */
  static all(grid: Grid): CellIndex {
    const flat = new Int32Array(grid.nCell);
    for (let g = 0; g < grid.nCell; g++) flat[g] = g;
    return new CellIndex(grid, flat);
  }

  /** The cells where `mask[g]` is truthy (mask over the whole grid, row-major). */
  static fromMask(grid: Grid, mask: ArrayLike<number | boolean>): CellIndex {
    if (mask.length !== grid.nCell) {
      throw new Error(`CellIndex.fromMask: mask has ${mask.length} entries, the grid ${grid.nCell}`);
    }
    const flat: number[] = [];
    for (let g = 0; g < grid.nCell; g++) if (mask[g]) flat.push(g);
    return new CellIndex(grid, flat);
  }

  get length(): number {
    return this.flat.length;
  }

  lat(c: number): number {
    return this.grid.lat[this.rows[c]];
  }

  lon(c: number): number {
    return this.grid.lon[this.cols[c]];
  }

  /** Scatter per-cell values onto the full grid (row-major), `fill` elsewhere. */
  toGrid(values: ArrayLike<number>, fill = NaN): Float64Array {
    const out = new Float64Array(this.grid.nCell).fill(fill);
    for (let c = 0; c < this.flat.length; c++) out[this.flat[c]] = values[c];
    return out;
  }
}
