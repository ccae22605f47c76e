import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CellIndex } from "../../src/grid/cells.ts";
import { Dataset } from "../../src/grid/dataset.ts";
import { makeField } from "../../src/grid/field.ts";
import { Grid } from "../../src/grid/grid.ts";
import { TimeAxis } from "../../src/grid/time.ts";
import { loadDataset } from "../../src/io/dataset-config.ts";
import { readGridded } from "../../src/io/read.ts";
import { writeDataset, writeIlambBurntArea } from "../../src/io/write.ts";
import { Rng } from "../../src/util/rng.ts";
import { ILAMB_FIXTURES, hasNcdump, ncdump, ncdumpValues, tmpDir } from "./helpers.ts";

const dir = tmpDir();

function sample(time: TimeAxis, grid: Grid): Dataset {
  const rng = new Rng(11);
  const mask = Array.from({ length: grid.nCell }, (_, g) => (g % 5 === 2 ? 0 : 1));
  const cells = CellIndex.fromMask(grid, mask);
  const nC = cells.length;
  const nT = time.length;
  const monthly = (fn: () => number, nanEvery = 0) =>
    Float32Array.from({ length: nT * nC }, (_, k) => (nanEvery && k % nanEvery === 3 ? NaN : fn()));
  return new Dataset(grid, time, cells, [
    makeField(
      "burned_area",
      "1",
      monthly(() => rng.next() * 0.1, 17),
      false,
      "burned fraction",
    ),
    makeField(
      "tas",
      "degC",
      monthly(() => rng.normal() * 10 + 15),
    ),
    makeField(
      "treecover",
      "1",
      Float32Array.from({ length: nC }, () => rng.next()),
      true,
    ),
    makeField(
      "mystery",
      "unstated",
      monthly(() => rng.next() * 1e6 - 5e5),
    ),
  ]);
}

test("writeDataset then loadDataset gives identical values, cells, grid and months", async (t) => {
  const grid = Grid.regular(1, { latMin: -3, latMax: 0, lonMin: 100, lonMax: 104 });
  const ds = sample(TimeAxis.monthly(2001, 3, 14), grid);
  const cfg = await writeDataset(ds, path.join(dir, "rt"), {
    name: "round-trip",
    target: "burned_area",
    attributes: { author: "test" },
  });
  assert.equal(cfg, path.join(dir, "rt", "dataset.yaml"));
  const back = await loadDataset(cfg);
  assert.equal(back.name, "round-trip");
  assert.equal(back.target, "burned_area");
  assert.deepEqual(back.config.attributes, { author: "test" });
  const b = back.dataset;
  assert.ok(b.grid.sameAs(grid, 0));
  assert.deepEqual([...b.cells.flat], [...ds.cells.flat]);
  assert.deepEqual([...b.time.years], [...ds.time.years]);
  assert.deepEqual([...b.time.months], [...ds.time.months]);
  assert.deepEqual(b.names(), ds.names());
  for (const f of ds.fields.values()) {
    const g = b.field(f.name);
    assert.equal(g.units, f.units, f.name);
    assert.equal(g.isStatic, f.isStatic, f.name);
    assert.equal(g.data.length, f.data.length);
    for (let k = 0; k < f.data.length; k++)
      assert.ok(Object.is(g.data[k], f.data[k]), `${f.name}[${k}]: ${g.data[k]} ≠ ${f.data[k]}`);
  }
  if (!hasNcdump()) t.diagnostic("ncdump absent: the written files were not opened with the NetCDF library");
  else {
    for (const name of ["burned_area", "tas", "treecover", "mystery", "cells"]) {
      const h = ncdump(["-h", path.join(dir, "rt", `${name}.nc`)]);
      assert.match(h, /lat = 3 ;/);
      assert.match(h, /lon = 4 ;/);
      if (name === "burned_area") assert.match(h, /float burned_area\(time, lat, lon\) ;/);
      if (name === "treecover") assert.match(h, /float treecover\(lat, lon\) ;/);
    }
  }
});

test("writeIlambBurntArea: % with 1e20 fill, noleap time with bounds, ILAMB's layout", async (t) => {
  const grid = Grid.regular(10);
  const ds = sample(TimeAxis.years(2001, 2003), grid);
  const frac = ds.field("burned_area").data;
  const file = path.join(dir, "ilamb", "burntArea.nc");
  await writeIlambBurntArea(file, ds, frac);
  const g = await readGridded(file);
  assert.equal(g.name, "burntArea");
  assert.equal(g.units, "%");
  assert.equal(g.time!.describe(), "2001-01..2003-12 (36 months)");
  const nG = grid.nCell;
  for (let t = 0; t < 36; t++)
    for (let gi = 0; gi < nG; gi++) {
      const c = ds.cells.lookup[gi];
      const x = g.data[t * nG + gi];
      if (c < 0 || Number.isNaN(frac[t * ds.nCell + c])) assert.ok(Number.isNaN(x), `fill at t ${t} g ${gi}`);
      else assert.equal(x, 100 * frac[t * ds.nCell + c]);
    }
  const fixture = path.join(ILAMB_FIXTURES, "MOD", "burntArea.nc");
  if (!hasNcdump() || !fs.existsSync(fixture)) {
    t.diagnostic(`layout not compared: ${hasNcdump() ? `${fixture} is absent` : "ncdump is absent"}`);
    return;
  }
  // the header of ILAMB's own file, up to the global attributes Kiln adds
  const header = (f: string) =>
    ncdump(["-h", f])
      .split("\n")
      .filter(
        (l) => l.trim() && !l.startsWith("netcdf") && !l.includes("global attributes") && !/^\t\t:/.test(l),
      )
      .join("\n");
  assert.equal(header(file), header(fixture));
  // the same time stamps and bounds as ILAMB wrote for 2001–2003
  assert.deepEqual([...ncdumpValues(file, "time")], [...ncdumpValues(fixture, "time")]);
  assert.deepEqual([...ncdumpValues(file, "time_bnds")], [...ncdumpValues(fixture, "time_bnds")]);
  assert.deepEqual([...ncdumpValues(file, "lat_bnds")], [...ncdumpValues(fixture, "lat_bnds")]);
  // ncdump prints the fill as _ exactly where the cell is invalid or the value missing
  const printed = ncdumpValues(file, "burntArea");
  for (let k = 0; k < printed.length; k++)
    assert.equal(Number.isNaN(printed[k]), Number.isNaN(g.data[k]), `k ${k}`);
});

test("writer errors: a prediction of the wrong length, a target that is not a field", async () => {
  const ds = sample(TimeAxis.years(2001, 2001), Grid.regular(30));
  await assert.rejects(
    writeIlambBurntArea(path.join(dir, "bad.nc"), ds, new Float32Array(5)),
    /the prediction has 5 values; the dataset needs \d+ \(12 months × \d+ cells\)/,
  );
  await assert.rejects(
    writeDataset(ds, path.join(dir, "bad"), { name: "x", target: "nope" }),
    /target 'nope' is not a field/,
  );
});
