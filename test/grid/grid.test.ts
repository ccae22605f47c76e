import assert from "node:assert/strict";
import { test } from "node:test";
import { CellIndex, Dataset, EARTH_RADIUS_M, Grid, TimeAxis, makeField } from "../../src/grid/index.ts";

test("cell areas follow ILAMB's formula and sum to the sphere", () => {
  const g = Grid.regular(2);
  const a = g.areas();
  let sum = 0;
  for (const x of a) sum += x;
  assert.ok(Math.abs(sum / (4 * Math.PI * EARTH_RADIUS_M ** 2) - 1) < 1e-12);
  // one 2°x2° cell at the equator, by hand
  const i = g.rowOf(1);
  const j = g.colOf(1);
  const expect = EARTH_RADIUS_M ** 2 * (Math.sin((2 * Math.PI) / 180) - 0) * ((2 * Math.PI) / 180);
  assert.ok(Math.abs(a[g.index(i, j)] / expect - 1) < 1e-12);
  assert.equal(g.nLat, 90);
  assert.equal(g.nLon, 180);
  assert.equal(g.lat[0], -89);
});

test("grid from north-to-south centres is stored south to north with mid-point edges", () => {
  const g = Grid.fromCentres([5, 0, -5], [10, 20]);
  assert.deepEqual([...g.lat], [-5, 0, 5]);
  assert.deepEqual([...g.latBounds], [-7.5, -2.5, 2.5, 7.5]);
  assert.deepEqual([...g.lonBounds], [5, 15, 25]);
});

test("a resolution that does not divide the globe is a clear error", () => {
  assert.throws(() => Grid.regular(7), /does not divide/);
});

test("noleap time axis: bounds in days since 1850, accessors", () => {
  const t = TimeAxis.years(2001, 2002);
  assert.equal(t.length, 24);
  assert.equal(t.bounds[0], 151 * 365);
  assert.equal(t.bounds[1], 151 * 365 + 31);
  assert.equal(t.centres[1], 151 * 365 + 31 + 14);
  assert.equal(t.year(13), 2002);
  assert.equal(t.month(13), 2);
  assert.equal(t.days(13), 28);
  assert.equal(t.indexOf(2002, 12), 23);
  assert.ok(t.isContiguous());
  assert.ok(!t.select([0, 1, 12]).isContiguous());
});

test("dataset year selection shares memory for a contiguous range and copies otherwise", () => {
  const grid = Grid.regular(90);
  const cells = CellIndex.fromMask(grid, [1, 0, 1, 1, 0, 1, 1, 1]);
  const time = TimeAxis.years(2000, 2002);
  const data = new Float32Array(time.length * cells.length).map((_, k) => k);
  const ds = new Dataset(grid, time, cells, [
    makeField("x", "1", data),
    makeField("s", "1", new Float32Array(6), true),
  ]);
  const mid = ds.selectYears([2001]);
  assert.equal(mid.field("x").data.buffer, data.buffer);
  assert.equal(mid.field("x").data[0], 12 * 6);
  const ends = ds.selectYears([2000, 2002]);
  assert.notEqual(ends.field("x").data.buffer, data.buffer);
  assert.equal(ends.field("x").data[12 * 6], 24 * 6);
  assert.throws(() => ds.selectYears([1999]), /1999 are not in the dataset/);
  assert.throws(() => ds.field("y"), /no field 'y'.*x, s/);
});
