/** Small hand-made reference/model pairs in Kiln's compressed layout. */
import { CellIndex } from "../../../src/grid/cells.ts";
import { Grid } from "../../../src/grid/grid.ts";
import { TimeAxis } from "../../../src/grid/time.ts";

export interface Synthetic {
  grid: Grid;
  cells: CellIndex;
  time: TimeAxis;
  nC: number;
  nT: number;
}

/** Every cell of a `res`° global grid, monthly over `first`..`last`. */
export function synthetic(res: number, first: number, last: number): Synthetic {
  const grid = Grid.regular(res);
  const cells = CellIndex.all(grid);
  const time = TimeAxis.years(first, last);
  return { grid, cells, time, nC: cells.length, nT: time.length };
}

/** data[t * nC + c] = f(t, c, month 1..12, year). */
export function field(
  s: Synthetic,
  f: (t: number, c: number, month: number, year: number) => number,
): Float64Array {
  const out = new Float64Array(s.nT * s.nC);
  for (let t = 0; t < s.nT; t++) {
    for (let c = 0; c < s.nC; c++) out[t * s.nC + c] = f(t, c, s.time.months[t], s.time.years[t]);
  }
  return out;
}

/** A deterministic pseudo-random number in [0, 1) from integers (no state). */
export function hash01(...k: number[]): number {
  let h = 2166136261;
  for (const x of k) {
    h ^= x + 0x9e3779b9;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return (h >>> 0) / 4294967296;
}
