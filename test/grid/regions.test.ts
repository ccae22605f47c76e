import assert from "node:assert/strict";
import { test } from "node:test";
import { GFED_BOXES, Grid, boxRegion, ilambRegions, rasterRegions } from "../../src/grid/index.ts";

test("GFED boxes use lat0 < lat <= lat1 on cell centres", () => {
  // 0.5° grid: centres at ..., 0.25, 0.75, ...; nhaf is 0.25 < lat <= 20.25, so 0.25 is out and 20.25 is in
  const g = Grid.regular(0.5);
  const nhaf = boxRegion(
    g,
    GFED_BOXES.find((b) => b.label === "nhaf")!,
  );
  const col = g.colOf(10.1);
  assert.equal(nhaf.mask[g.index(g.rowOf(0.3), col)], 0);
  assert.equal(nhaf.mask[g.index(g.rowOf(0.8), col)], 1);
  assert.equal(nhaf.mask[g.index(g.rowOf(20.1), col)], 1);
  assert.equal(nhaf.mask[g.index(g.rowOf(20.6), col)], 0);
});

test("ILAMB regions: global is every cell; unknown labels are an error", () => {
  const g = Grid.regular(10);
  const [glob, aust] = ilambRegions(g, ["global", "aust"]);
  assert.equal(
    glob.mask.reduce((s, x) => s + x, 0),
    g.nCell,
  );
  assert.ok(aust.mask.reduce((s, x) => s + x, 0) > 0);
  assert.throws(() => ilambRegions(g, ["mars"]), /unknown region 'mars'.*bona/);
});

test("raster regions follow the codes", () => {
  const g = Grid.regular(90);
  const raster = [0, 1, 2, 14, 0, 0, 1, 1];
  const rs = rasterRegions(g, raster);
  assert.equal(rs.length, 14);
  assert.deepEqual([...rs[0].mask], [0, 1, 0, 0, 0, 0, 1, 1]);
  assert.equal(rs[13].label, "aust");
  assert.deepEqual([...rs[13].mask], [0, 0, 0, 1, 0, 0, 0, 0]);
});
