import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { listGridded, readGridded } from "../../src/io/read.ts";
import { sniffFormat } from "../../src/io/raw.ts";
import {
  ILAMB_FIXTURES,
  PANTANAL,
  hasNcdump,
  ncdumpValues,
  seq,
  skipUnless,
  tmpDir,
  writeH5,
} from "./helpers.ts";

const dir = tmpDir();
const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
const sameValues = (got: ArrayLike<number>, want: ArrayLike<number>, what: string) => {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) {
    if (Number.isNaN(want[k])) assert.ok(Number.isNaN(got[k]), `${what}[${k}]: ${got[k]} should be missing`);
    else
      assert.ok(
        Math.abs(got[k] - want[k]) <= 1e-6 * Math.max(1, Math.abs(want[k])),
        `${what}[${k}]: ${got[k]} ≠ ${want[k]}`,
      );
  }
};
const ymOf = (t: { years: Int32Array; months: Int32Array }) =>
  Array.from(t.years, (y, k) => `${y}-${String(t.months[k]).padStart(2, "0")}`);

test("NetCDF4 with latitude north to south, 360_day hours, _FillValue, missing_value and NaN", async () => {
  // d[t][i][j] = 100 t + 10 i + j in file order; lat 10, 5, 0 (north to south)
  const vals = seq(3 * 3 * 2, (k) => 100 * Math.floor(k / 6) + 10 * Math.floor((k % 6) / 2) + (k % 2));
  vals[0] = -999; // _FillValue at t0, north row, west column
  vals[1 * 6 + 2 * 2 + 1] = -888; // missing_value at t1, south row, east column
  vals[2 * 6 + 1 * 2 + 0] = NaN; // t2, middle row, west column
  const file = await writeH5(path.join(dir, "ns.nc"), {
    dims: {
      time: {
        values: Float64Array.of(15 * 24, 45 * 24, 75 * 24),
        attrs: { units: "hours since 2000-01-01 00:00:00", calendar: "360_day" },
      },
      lat: { values: Float64Array.of(10, 5, 0), attrs: { units: "degrees_north" } },
      lon: { values: Float64Array.of(20, 25), attrs: { units: "degrees_east" } },
    },
    vars: {
      x: {
        dims: ["time", "lat", "lon"],
        data: f32(vals),
        attrs: { _FillValue: Float32Array.of(-999), missing_value: Float32Array.of(-888), units: "K" },
      },
    },
  });
  assert.equal(sniffFormat(file), "hdf5");
  const g = await readGridded(file);
  assert.equal(g.name, "x");
  assert.equal(g.units, "K");
  assert.deepEqual([...g.grid.lat], [0, 5, 10]);
  assert.deepEqual([...g.grid.latBounds], [-2.5, 2.5, 7.5, 12.5]);
  assert.deepEqual(ymOf(g.time!), ["2000-01", "2000-02", "2000-03"]);
  const want = new Float64Array(18);
  for (let t = 0; t < 3; t++)
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) want[(t * 3 + i) * 2 + j] = vals[t * 6 + (2 - i) * 2 + j];
  want[(0 * 3 + 2) * 2 + 0] = NaN;
  want[(1 * 3 + 0) * 2 + 1] = NaN;
  want[(2 * 3 + 1) * 2 + 0] = NaN;
  sameValues(g.data, want, "flipped");
  assert.ok(Number.isNaN(g.data[(0 * 3 + 2) * 2 + 0]), "the fill value is missing");
  // the units option overrides the attribute
  assert.equal((await readGridded(file, { units: "Pa" })).units, "Pa");
});

test("GFED-style HDF5: 2-D lat/lon without dimension names, north to south, a variable in a group", async () => {
  const lat = new Float32Array(12);
  const lon = new Float32Array(12);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 4; j++) {
      lat[i * 4 + j] = 0.625 - 0.25 * i;
      lon[i * 4 + j] = 30.125 + 0.25 * j;
    }
  const frac = seq(12, (k) => k / 100);
  const file = await writeH5(path.join(dir, "gfedlike.hdf5"), {
    vars: {
      lat: { shape: [3, 4], data: lat },
      lon: { shape: [3, 4], data: lon },
      "burned_area/01/burned_fraction": { shape: [3, 4], data: f32(frac) },
    },
  });
  const g = await readGridded(file, { variable: "burned_area/01/burned_fraction" });
  assert.equal(g.time, null);
  assert.deepEqual([...g.grid.lat], [0.125, 0.375, 0.625]);
  assert.deepEqual([...g.grid.lonBounds], [30, 30.25, 30.5, 30.75, 31]);
  const want = seq(12, (k) => frac[(2 - Math.floor(k / 4)) * 4 + (k % 4)]);
  sameValues(g.data, f32(want), "gfed-like");
});

test("netCDF-style 2-D lat/lon named in `coordinates` (dimensions y, x)", async () => {
  const lat2 = new Float64Array(6);
  const lon2 = new Float64Array(6);
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 3; j++) {
      lat2[i * 3 + j] = 50 - 10 * i;
      lon2[i * 3 + j] = -10 + 10 * j;
    }
  const file = await writeH5(path.join(dir, "aux2d.nc"), {
    dims: {
      time: { values: Float64Array.of(14), attrs: { units: "days since 2010-01-01", calendar: "noleap" } },
      y: { size: 2 },
      x: { size: 3 },
    },
    vars: {
      lat: { dims: ["y", "x"], data: lat2, attrs: { units: "degrees_north" } },
      lon: { dims: ["y", "x"], data: lon2, attrs: { units: "degrees_east" } },
      v: {
        dims: ["time", "y", "x"],
        data: f32([1, 2, 3, 4, 5, 6]),
        attrs: { coordinates: "lat lon", units: "1" },
      },
    },
  });
  assert.deepEqual(await listGridded(file), ["v"]);
  const g = await readGridded(file);
  assert.deepEqual([...g.grid.lat], [40, 50]);
  assert.deepEqual([...g.grid.lon], [-10, 0, 10]);
  sameValues(g.data, [4, 5, 6, 1, 2, 3], "aux2d");
});

test("packed int16 (scale_factor, add_offset, valid_range), months since, longitudes 0..360 moved to −180..180", async () => {
  // (time 2, lat 2, lon 4); lon 0, 90, 180, 270 → −90, 0, 90, 180
  const packed = Int16Array.from([0, 1, 2, 3, 4, 5, -5, 7, 10, 11, 12, 13, 14, -32767, 16, 2000]);
  const file = await writeH5(path.join(dir, "packed.nc"), {
    dims: {
      time: {
        values: Float64Array.of(1, 2),
        attrs: { units: "months since 1999-12-01", calendar: "noleap" },
      },
      lat: { values: Float64Array.of(-45, 45), attrs: { units: "degrees_north", bounds: "lat_bnds" } },
      lon: { values: Float64Array.of(0, 90, 180, 270), attrs: { units: "degrees_east" } },
      nb: { size: 2 },
    },
    vars: {
      lat_bnds: { dims: ["lat", "nb"], data: Float64Array.of(-90, 0, 0, 90) },
      p: {
        dims: ["time", "lat", "lon"],
        data: packed,
        attrs: {
          scale_factor: 0.5,
          add_offset: 10,
          valid_range: Int16Array.of(0, 1000),
          _FillValue: Int16Array.of(-32767),
        },
      },
    },
  });
  const g = await readGridded(file);
  assert.deepEqual(ymOf(g.time!), ["2000-01", "2000-02"]);
  assert.deepEqual([...g.grid.latBounds], [-90, 0, 90]);
  assert.deepEqual([...g.grid.lon], [-90, 0, 90, 180]);
  const u = (x: number) => 10 + 0.5 * x;
  // output column order takes file columns 3, 0, 1, 2
  sameValues(
    g.data,
    [u(3), u(0), u(1), u(2), u(7), u(4), u(5), NaN, u(13), u(10), u(11), u(12), NaN, u(14), NaN, u(16)],
    "packed",
  );
});

test("no _FillValue: netCDF's default float fill is missing; a double 1e20 fill on float data too", async () => {
  const file = await writeH5(path.join(dir, "deffill.nc"), {
    dims: {
      lat: { values: Float64Array.of(0, 1), attrs: { units: "degrees_north" } },
      lon: { values: Float64Array.of(0), attrs: { units: "degrees_east" } },
    },
    vars: {
      a: { dims: ["lat", "lon"], data: Float32Array.of(9.969209968386869e36, 3) },
      b: {
        dims: ["lat", "lon"],
        data: Float32Array.of(1e20, 4),
        attrs: { _FillValue: Float64Array.of(1e20) },
      },
    },
  });
  sameValues((await readGridded(file, { variable: "a" })).data, [NaN, 3], "a");
  sameValues((await readGridded(file, { variable: "b" })).data, [NaN, 4], "b");
});

test("time steps stored out of order come back in order", async () => {
  const file = await writeH5(path.join(dir, "order.nc"), {
    dims: {
      time: {
        values: Float64Array.of(45, 15),
        attrs: { units: "days since 2000-01-01", calendar: "noleap" },
      },
      lat: { values: Float64Array.of(0), attrs: { units: "degrees_north" } },
      lon: { values: Float64Array.of(0), attrs: { units: "degrees_east" } },
    },
    vars: { v: { dims: ["time", "lat", "lon"], data: Float32Array.of(2, 1) } },
  });
  const g = await readGridded(file);
  assert.deepEqual(ymOf(g.time!), ["2000-01", "2000-02"]);
  sameValues(g.data, [1, 2], "ordered");
});

test(
  "NetCDF3 classic with a record (unlimited) time, written by ncgen",
  { skip: hasNcdump() ? false : "ncgen/ncdump absent" },
  async () => {
    const cdl = `netcdf rec {
dimensions: time = UNLIMITED ; lat = 2 ; lon = 3 ;
variables:
  double time(time) ; time:units = "days since 2001-01-01" ; time:calendar = "365_day" ;
  float lat(lat) ; lat:units = "degrees_north" ;
  float lon(lon) ; lon:units = "degrees_east" ;
  short n(time, lat, lon) ; n:_FillValue = -1s ; n:units = "count" ;
  float w(lat, lon) ; w:units = "1" ;
data:
  time = 15.5, 45 ;
  lat = 10, -10 ;
  lon = 1, 2, 3 ;
  n = 1, 2, 3, 4, 5, -1, 7, 8, 9, 10, 11, 12 ;
  w = 0.5, 0.25, 0.125, 1, 2, 4 ;
}`;
    for (const kind of ["classic", "64-bit-offset"]) {
      const cdlFile = path.join(dir, `rec-${kind}.cdl`);
      const nc = path.join(dir, `rec-${kind}.nc`);
      fs.writeFileSync(cdlFile, cdl);
      execFileSync("ncgen", ["-b", "-k", kind, "-o", nc, cdlFile]);
      assert.equal(sniffFormat(nc), "netcdf3");
      const g = await readGridded(nc, { variable: "n" });
      assert.deepEqual(ymOf(g.time!), ["2001-01", "2001-02"]);
      assert.deepEqual([...g.grid.lat], [-10, 10]);
      sameValues(g.data, [4, 5, NaN, 1, 2, 3, 10, 11, 12, 7, 8, 9], `n (${kind})`);
      const w = await readGridded(nc, { variable: "w" });
      assert.equal(w.time, null);
      sameValues(w.data, [1, 2, 4, 0.5, 0.25, 0.125], `w (${kind})`);
    }
  },
);

test(
  "ILAMB fixtures (NetCDF3): the values ncdump prints, on the 10° grid, 2001–2003",
  { skip: skipUnless(ILAMB_FIXTURES) },
  async (t) => {
    for (const which of ["ref", "MOD"]) {
      const file = path.join(ILAMB_FIXTURES, which, "burntArea.nc");
      assert.equal(sniffFormat(file), "netcdf3");
      const g = await readGridded(file);
      assert.equal(g.name, "burntArea");
      assert.equal(g.units, "%");
      assert.equal(g.grid.nLat, 18);
      assert.equal(g.grid.nLon, 36);
      assert.equal(g.grid.lat[0], -85);
      assert.equal(g.grid.lonBounds[0], -180);
      assert.equal(g.time!.describe(), "2001-01..2003-12 (36 months)");
      assert.deepEqual([...g.time!.bounds.subarray(0, 2)], [55115, 55146]);
      if (!hasNcdump()) {
        t.diagnostic("ncdump absent: values not cross-checked");
        continue;
      }
      // the fixture is already south to north, so ncdump's order is Kiln's
      sameValues(g.data, ncdumpValues(file, "burntArea"), which);
    }
  },
);

test(
  "Pantanal (NetCDF4): flipped to south-to-north, NaN outside the region, both calendars",
  { skip: skipUnless(PANTANAL) },
  async (t) => {
    const ba = await readGridded(path.join(PANTANAL, "burnt_area.nc"));
    assert.equal(ba.name, "percentage_of_area_burned");
    assert.equal(ba.grid.lat[0], -21.75);
    assert.equal(ba.grid.lat[11], -16.25);
    // burnt_area: standard calendar, no bounds; lightning: proleptic_gregorian with bounds
    assert.equal(ba.time!.describe(), "2010-01..2012-12 (36 months)");
    const li = await readGridded(path.join(PANTANAL, "lightning.nc"));
    assert.equal(li.time!.describe(), "2010-01..2012-12 (36 months)");
    assert.equal(li.fileUnits, "1.15740740740741e-11 m-2.s-1");
    let finite = 0;
    for (const x of ba.data) if (!Number.isNaN(x)) finite++;
    assert.equal(finite, 52 * 36);
    const tree = await readGridded(path.join(PANTANAL, "Tree_cover_vcf.nc"));
    assert.equal(tree.time, null);
    if (!hasNcdump()) return t.diagnostic("ncdump absent: values not cross-checked");
    for (const [g, v] of [
      [ba, "percentage_of_area_burned"],
      [li, "cloud2ground"],
      [tree, "Tree_cover"],
    ] as const) {
      const raw = ncdumpValues(g.path, v);
      const nT = g.time ? g.time.length : 1;
      const want = new Float64Array(raw.length);
      for (let s = 0; s < nT; s++)
        for (let i = 0; i < 12; i++)
          for (let j = 0; j < 8; j++) want[(s * 12 + i) * 8 + j] = raw[(s * 12 + (11 - i)) * 8 + j];
      sameValues(g.data, want, v);
    }
  },
);

test("error paths: missing file, not NetCDF, CDF-5, no/several/unknown variable, curvilinear, time problems, extra dimension", async () => {
  await assert.rejects(readGridded(path.join(dir, "nope.nc")), /nope\.nc: file not found/);
  const junk = path.join(dir, "junk.nc");
  fs.writeFileSync(junk, "this is not a netcdf file");
  await assert.rejects(readGridded(junk), /junk\.nc: not a NetCDF or HDF5 file/);
  const cdf5 = path.join(dir, "cdf5.nc");
  fs.writeFileSync(cdf5, Buffer.from([0x43, 0x44, 0x46, 0x05, 0, 0, 0, 0]));
  await assert.rejects(readGridded(cdf5), /CDF-5/);

  const coords = {
    time: { values: Float64Array.of(15, 45), attrs: { units: "days since 2000-01-01", calendar: "noleap" } },
    lat: { values: Float64Array.of(0, 1), attrs: { units: "degrees_north" } },
    lon: { values: Float64Array.of(0), attrs: { units: "degrees_east" } },
  };
  const two = await writeH5(path.join(dir, "two.nc"), {
    dims: coords,
    vars: {
      a: { dims: ["time", "lat", "lon"], data: new Float32Array(4) },
      b: { dims: ["time", "lat", "lon"], data: new Float32Array(4) },
    },
  });
  await assert.rejects(readGridded(two), /several gridded variables: a, b; say which/);
  await assert.rejects(readGridded(two, { variable: "zz" }), (e: Error) => {
    assert.match(e.message, /no variable 'zz' in the file/);
    assert.match(e.message, /the file has: .*a.*b/);
    return true;
  });
  await assert.rejects(
    readGridded(two, { variable: "time" }),
    /'time' is not a gridded variable: it has 1 dimension/,
  );

  const none = await writeH5(path.join(dir, "none.nc"), { dims: { time: coords.time }, vars: {} });
  await assert.rejects(readGridded(none), /no gridded variable/);

  const curvy = await writeH5(path.join(dir, "curvy.hdf5"), {
    vars: {
      lat: { shape: [2, 2], data: Float32Array.of(0, 1, 2, 3) },
      lon: { shape: [2, 2], data: Float32Array.of(0, 1, 0, 1) },
      v: { shape: [2, 2], data: new Float32Array(4) },
    },
  });
  await assert.rejects(readGridded(curvy, { variable: "v" }), /curvilinear/);

  const noUnits = await writeH5(path.join(dir, "nounits.nc"), {
    dims: { ...coords, time: { values: Float64Array.of(15, 45) } },
    vars: { v: { dims: ["time", "lat", "lon"], data: new Float32Array(4) } },
  });
  await assert.rejects(readGridded(noUnits), /variable 'time': the time coordinate has no units attribute/);

  const badCal = await writeH5(path.join(dir, "badcal.nc"), {
    dims: {
      ...coords,
      time: { values: Float64Array.of(15, 45), attrs: { units: "days since 2000-01-01", calendar: "lunar" } },
    },
    vars: { v: { dims: ["time", "lat", "lon"], data: new Float32Array(4) } },
  });
  await assert.rejects(readGridded(badCal), /unknown calendar 'lunar'/);

  const daily = await writeH5(path.join(dir, "daily.nc"), {
    dims: { ...coords, time: { values: Float64Array.of(1, 2), attrs: { units: "days since 2000-01-01" } } },
    vars: { v: { dims: ["time", "lat", "lon"], data: new Float32Array(4) } },
  });
  await assert.rejects(readGridded(daily), /both fall in 2000-01; Kiln reads monthly data/);

  const levels = await writeH5(path.join(dir, "levels.nc"), {
    dims: { ...coords, lev: { values: Float64Array.of(1000, 850), attrs: { units: "hPa" } } },
    vars: { v: { dims: ["time", "lev", "lat", "lon"], data: new Float32Array(8) } },
  });
  await assert.rejects(readGridded(levels, { variable: "v" }), /extra dimension 'lev' of size 2/);
});
