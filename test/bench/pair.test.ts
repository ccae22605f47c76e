/** Making a file pair comparable: common months, cells valid in either file, one grid. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeComparable } from "../../src/bench/index.ts";
import { Grid } from "../../src/grid/grid.ts";
import { TimeAxis } from "../../src/grid/time.ts";
import type { GriddedVariable } from "../../src/io/types.ts";
import { KilnError } from "../../src/util/errors.ts";

function gridded(
  grid: Grid,
  time: TimeAxis,
  f: (t: number, g: number) => number,
  path: string,
): GriddedVariable {
  const data = new Float64Array(time.length * grid.nCell);
  for (let t = 0; t < time.length; t++)
    for (let g = 0; g < grid.nCell; g++) data[t * grid.nCell + g] = f(t, g);
  return { name: "burntArea", units: "%", grid, time, data, path };
}

test("the pair is clipped to the common months and keeps cells valid in either file", () => {
  const grid = Grid.regular(60);
  const ref = gridded(grid, TimeAxis.years(2001, 2003), (t, g) => (g === 0 ? NaN : 1000 * t + g), "ref.nc");
  // the model runs 2002-06..2004-12 and has no data in cell 1; cell 0 only in the model
  const model = gridded(
    grid,
    TimeAxis.monthly(2002, 6, 31),
    (t, g) => (g === 1 ? NaN : -(1000 * t + g)),
    "m.nc",
  );
  const p = makeComparable(ref, model);
  assert.equal(p.time.describe(), "2002-06..2003-12 (19 months)");
  assert.equal(p.cells.length, grid.nCell, "cells valid in either file");
  const nC = p.cells.length;
  // first common month: reference step 17 (2002-06), model step 0
  assert.equal(p.ref[0 * nC + 2], 17000 + 2);
  assert.equal(p.model[0 * nC + 2], -2);
  assert.ok(Number.isNaN(p.ref[0]) && Number.isNaN(p.model[1]));
  assert.equal(p.ref[18 * nC + 5], 1000 * 35 + 5);

  const none = gridded(grid, TimeAxis.years(2001, 2003), () => NaN, "empty.nc");
  const q = makeComparable(
    none,
    gridded(grid, TimeAxis.years(2001, 2003), (_t, g) => (g < 2 ? 1 : NaN), "m2.nc"),
  );
  assert.equal(q.cells.length, 2);
});

test("a model on a different grid is an error naming both grids", () => {
  const ref = gridded(Grid.regular(60), TimeAxis.years(2001, 2001), () => 1, "ref.nc");
  const model = gridded(Grid.regular(30), TimeAxis.years(2001, 2001), () => 1, "model.nc");
  assert.throws(
    () => makeComparable(ref, model),
    (e: unknown) =>
      e instanceof KilnError &&
      /model\.nc is on 6×12 grid of 30°×30° cells/.test(e.message) &&
      /ref\.nc is on 3×6 grid of 60°×60° cells/.test(e.message),
  );
});

test("no common month, or different months inside the common period, are errors", () => {
  const grid = Grid.regular(90);
  const ref = gridded(grid, TimeAxis.years(2001, 2001), () => 1, "ref.nc");
  assert.throws(
    () =>
      makeComparable(
        ref,
        gridded(grid, TimeAxis.years(2005, 2005), () => 1, "m.nc"),
      ),
    /share no month/,
  );
  const gappy = gridded(grid, new TimeAxis([2001, 2001, 2001], [1, 2, 5]), () => 1, "g.nc");
  assert.throws(() => makeComparable(ref, gappy), /must be the same months/);
});
