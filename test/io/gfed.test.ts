import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Grid } from "../../src/grid/grid.ts";
import { readGfed } from "../../src/io/gfed.ts";
import { tmpDir, writeGfedYear, type GfedBox } from "./helpers.ts";

// a 2° × 3° box at 0.25°: 8 rows (10°N..8°N, stored north to south) × 12 columns (20°E..23°E)
const NLAT = 8;
const NLON = 12;
const NORTH = 10;
const WEST = 20;

function regions(): Uint8Array {
  const r = new Uint8Array(NLAT * NLON);
  for (let i = 0; i < NLAT; i++)
    for (let j = 0; j < NLON; j++) {
      // ocean in the two northernmost rows' first four columns (a whole 1° block at 0.5°/1°: see below)
      if (i < 4 && j < 4) r[i * NLON + j] = 0;
      else r[i * NLON + j] = j < 6 ? 9 : 8;
    }
  // one 0.5° block (rows 4-5, cols 4-5) split 9, 9 | 5, 5 → tie → 5 (the smaller code)
  r[5 * NLON + 4] = 5;
  r[5 * NLON + 5] = 5;
  // one 0.5° block (rows 6-7, cols 0-1) with three ocean cells and one land cell of region 3
  r[6 * NLON + 0] = 0;
  r[6 * NLON + 1] = 0;
  r[7 * NLON + 0] = 3;
  r[7 * NLON + 1] = 0;
  return r;
}

function months(year: number): Float32Array[] {
  return Array.from({ length: 12 }, (_, m) =>
    Float32Array.from({ length: NLAT * NLON }, (_, k) => ((k * 7 + m * 13 + year) % 17) / 100),
  );
}

const dir = tmpDir();
const box = (extra: Partial<GfedBox> = {}): GfedBox => ({
  north: NORTH,
  west: WEST,
  nLat: NLAT,
  nLon: NLON,
  regions: regions(),
  ...extra,
});
await writeGfedYear(path.join(dir, "GFED4.1s_2003.hdf5"), box({ months: months(2003) }));
await writeGfedYear(path.join(dir, "GFED4.1s_2004.hdf5"), box({ months: months(2004) }));
await writeGfedYear(path.join(dir, "GFED4.1s_2017_beta.hdf5"), box());
await writeGfedYear(path.join(dir, "GFED4.1s_2005.hdf5"), box({ months: months(2005).slice(0, 6) }));

/** Brute force: area-weighted mean of the fine cells of each coarse cell, areas from src/grid's formula. */
function expected(year: number, m: number, res: number, coarse: Grid): Float64Array {
  const fine = Grid.regular(0.25, { latMin: NORTH - 2, latMax: NORTH, lonMin: WEST, lonMax: WEST + 3 });
  const areas = fine.areas();
  const num = new Float64Array(coarse.nCell);
  const den = new Float64Array(coarse.nCell);
  const data = months(year)[m];
  for (let i = 0; i < NLAT; i++)
    for (let j = 0; j < NLON; j++) {
      const la = NORTH - 0.125 - 0.25 * i;
      const lo = WEST + 0.125 + 0.25 * j;
      const a = areas[fine.index(fine.rowOf(la), fine.colOf(lo))];
      const g = coarse.index(coarse.rowOf(la), coarse.colOf(lo));
      num[g] += data[i * NLON + j] * a;
      den[g] += a;
    }
  return num.map((x, g) => x / den[g]);
}

test("coarsening to 0.5° and 1° is the area-weighted mean of the 0.25° cells", async () => {
  for (const res of [0.5, 1]) {
    const { dataset } = await readGfed(dir, { years: [2004, 2003], resolution: res });
    assert.equal(dataset.time.describe(), "2003-01..2004-12 (24 months)");
    const g = dataset.grid;
    assert.equal(g.nLat, 2 / res);
    assert.equal(g.nLon, 3 / res);
    assert.equal(g.latBounds[0], 8);
    assert.equal(g.lonBounds[g.nLon], 23);
    const f = dataset.field("burned_area");
    assert.equal(f.units, "1");
    for (const [t, year, m] of [
      [0, 2003, 0],
      [17, 2004, 5],
      [23, 2004, 11],
    ]) {
      const want = expected(year, m, res, g);
      for (let c = 0; c < dataset.nCell; c++) {
        const got = f.data[t * dataset.nCell + c];
        assert.ok(Math.abs(got - want[dataset.cells.flat[c]]) < 1e-7, `res ${res} t ${t} cell ${c}: ${got}`);
      }
    }
  }
});

test("basis regions by majority of land cells; all-ocean cells are not valid", async () => {
  const half = await readGfed(dir, { years: [2003], resolution: 0.5 });
  const g = half.dataset.grid;
  const at = (lat: number, lon: number) => half.basisRegions[g.index(g.rowOf(lat), g.colOf(lon))];
  assert.equal(at(9.75, 20.25), 0); // the ocean corner
  assert.equal(at(8.75, 21.25), 5); // 9, 9, 5, 5: the tie goes to the smaller code
  assert.equal(at(8.25, 20.25), 3); // one land cell of region 3 among three ocean cells
  assert.equal(at(8.25, 22.75), 8);
  // 2 × 2 ocean blocks of the 4 × 6 coarse grid are invalid
  assert.equal(half.dataset.nCell, 4 * 6 - 4);
  assert.equal(half.dataset.cells.lookup[g.index(g.rowOf(9.75), g.colOf(20.25))], -1);
  const one = await readGfed(dir, { years: [2003], resolution: 1 });
  const g1 = one.dataset.grid;
  assert.equal(one.basisRegions[g1.index(g1.rowOf(9.5), g1.colOf(20.5))], 0);
  // rows 10°-9°… 8° × columns 21°-22°: region 8 has 8 cells, region 9 six, region 5 two
  assert.equal(one.basisRegions[g1.index(g1.rowOf(8.5), g1.colOf(21.5))], 8);
  assert.equal(one.basisRegions[g1.index(g1.rowOf(8.5), g1.colOf(20.5))], 9);
  assert.equal(one.dataset.nCell, 5);
});

test("0.25° keeps the file's cells, flipped to south-to-north", async () => {
  const { dataset } = await readGfed(dir, { years: [2003], resolution: 0.25 });
  const g = dataset.grid;
  const src = months(2003)[0];
  const c = dataset.cells.lookup[g.index(0, NLON - 1)]; // southernmost row, easternmost column
  assert.ok(c >= 0);
  assert.equal(dataset.field("burned_area").data[c], src[(NLAT - 1) * NLON + NLON - 1]);
});

test("errors: a beta year without burned_area, a missing year, a missing month, a resolution that does not fit", async () => {
  await assert.rejects(readGfed(dir, { years: [2017], resolution: 0.5 }), (e: Error) => {
    assert.match(e.message, /GFED4\.1s_2017_beta\.hdf5 has no burned_area/);
    assert.match(e.message, /1997–2016/);
    return true;
  });
  await assert.rejects(readGfed(dir, { years: [2003, 2010], resolution: 0.5 }), (e: Error) => {
    assert.match(e.message, /no GFED4\.1s file for 2010/);
    assert.match(e.message, /the folder has years 2003\.\.2017/);
    return true;
  });
  await assert.rejects(
    readGfed(dir, { years: [2005], resolution: 0.5 }),
    /burned_area\/07\/burned_fraction is missing/,
  );
  await assert.rejects(readGfed(dir, { years: [2003], resolution: 0.3 }), (e: Error) => {
    assert.match(e.message, /cannot coarsen the 0\.25° grid to 0\.3°/);
    assert.match(e.message, /0\.25, 0\.5, 1/);
    return true;
  });
  await assert.rejects(
    readGfed(path.join(dir, "absent"), { years: [2003], resolution: 1 }),
    /GFED folder not found/,
  );
  assert.ok(fs.existsSync(dir));
});
