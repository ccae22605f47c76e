import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { NOLEAP_MONTH_DAYS } from "../../src/grid/time.ts";
import { loadDataset } from "../../src/io/dataset-config.ts";
import { readGridded } from "../../src/io/read.ts";
import { PANTANAL, seq, skipUnless, tmpDir, writeGfedYear, writeH5 } from "./helpers.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test(
  "the Pantanal config: 52 cells × 36 months, every driver in Kiln's internal units",
  { skip: skipUnless(PANTANAL) },
  async () => {
    const L = await loadDataset(path.join(REPO, "examples/pantanal/dataset.yaml"));
    const ds = L.dataset;
    assert.equal(L.name, "pantanal");
    assert.equal(L.target, "burned_area");
    assert.equal(ds.nCell, 52);
    assert.equal(ds.nTime, 36);
    assert.equal(ds.time.describe(), "2010-01..2012-12 (36 months)");
    const units = Object.fromEntries([...ds.fields.values()].map((f) => [f.name, f.units]));
    assert.deepEqual(units, {
      burned_area: "1",
      pr: "mm day-1",
      tas: "degC",
      tasmax: "degC",
      vpd: "kPa",
      vpdmax: "kPa",
      drydays: "1",
      consecdry: "day",
      lightning: "flashes km-2 month-1",
      treecover: "1",
      totalcover: "1",
      cveg: "unstated",
    });
    assert.deepEqual(L.sources.vpd, {
      field: "vpd",
      file: path.join(PANTANAL, "vpd_mean.nc"),
      variable: "unknown",
      fileUnits: "K",
      declaredUnits: "Pa",
      scale: 1,
      internalUnits: "kPa",
    });
    // each field against the raw file values, converted by hand
    const days = (t: number) => NOLEAP_MONTH_DAYS[ds.time.months[t] - 1];
    const checks: [string, string, string, (x: number, t: number) => number][] = [
      ["burned_area", "burnt_area.nc", "percentage_of_area_burned", (x) => x / 100],
      ["pr", "pr_mean.nc", "pr", (x) => x * 86400],
      ["tas", "tas_mean.nc", "tas", (x) => x - 273.15],
      ["tasmax", "tas_max.nc", "tas", (x) => x - 273.15],
      ["vpd", "vpd_mean.nc", "unknown", (x) => x / 1000],
      ["vpdmax", "vpd_max.nc", "unknown", (x) => x / 1000],
      ["drydays", "dry_days.nc", "pr", (x) => x],
      ["consecdry", "consec_dry_mean.nc", "pr", (x) => x],
      ["lightning", "lightning.nc", "cloud2ground", (x, t) => x * days(t)],
      ["treecover", "Tree_cover_vcf.nc", "Tree_cover", (x) => x],
      ["totalcover", "Total_cover_vcf.nc", "total_cover", (x) => x],
      ["cveg", "cveg.nc", "variable", (x) => x],
    ];
    for (const [name, file, variable, fn] of checks) {
      const raw = await readGridded(path.join(PANTANAL, file), { variable });
      const f = ds.field(name);
      const nT = f.isStatic ? 1 : 36;
      assert.equal(f.isStatic, raw.time === null, name);
      for (let t = 0; t < nT; t++)
        for (let c = 0; c < 52; c++) {
          const want = Math.fround(fn(raw.data[t * 96 + ds.cells.flat[c]], t));
          const got = f.data[t * 52 + c];
          assert.ok(Number.isFinite(got), `${name} is missing at t ${t} cell ${c}`);
          assert.ok(
            Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)),
            `${name} t ${t} c ${c}: ${got} ≠ ${want}`,
          );
        }
    }
    // January lightning: 31 days of the file's per-day rate
    const li = await readGridded(path.join(PANTANAL, "lightning.nc"));
    assert.ok(Math.abs(ds.field("lightning").data[0] / li.data[ds.cells.flat[0]] - 31) < 1e-5);
  },
);

// small synthetic files: 2 × 2 cells at 1°, 2001–2002
const dir = tmpDir();
const axes = (n: number, first = 2001) => ({
  time: {
    values: seq(n, (k) => 365 * (first - 2001) + 30 * k + 15),
    attrs: { units: "days since 2001-01-01", calendar: "360_day" },
  },
  lat: { values: Float64Array.of(1.5, 0.5), attrs: { units: "degrees_north" } },
  lon: { values: Float64Array.of(10.5, 11.5), attrs: { units: "degrees_east" } },
});
// cell (lat 1.5, lon 10.5) is NaN in the target; (0.5, 11.5) NaN in tas
const ba = seq(24 * 4, (k) => (k % 4 === 0 ? NaN : (k % 7) * 1.5));
const tas = seq(24 * 4, (k) => (k % 4 === 3 ? NaN : 280 + k / 10));
await writeH5(path.join(dir, "ba.nc"), {
  dims: axes(24),
  vars: { ba: { dims: ["time", "lat", "lon"], data: Float32Array.from(ba), attrs: { units: "%" } } },
});
await writeH5(path.join(dir, "tas.nc"), {
  dims: axes(24),
  vars: { t2m: { dims: ["time", "lat", "lon"], data: Float32Array.from(tas), attrs: { units: "K" } } },
});
await writeH5(path.join(dir, "pr2002.nc"), {
  dims: axes(12, 2002),
  vars: {
    pr: {
      dims: ["time", "lat", "lon"],
      data: new Float32Array(48).fill(1e-5),
      attrs: { units: "kg m-2 s-1" },
    },
  },
});
await writeH5(path.join(dir, "tree.nc"), {
  dims: { lat: axes(1).lat, lon: axes(1).lon },
  vars: { tc: { dims: ["lat", "lon"], data: Float32Array.of(10, 20, 30, 40), attrs: { units: "%" } } },
});
await writeH5(path.join(dir, "nounits.nc"), {
  dims: { lat: axes(1).lat, lon: axes(1).lon },
  vars: { v: { dims: ["lat", "lon"], data: Float32Array.of(1, 2, 3, 4) } },
});
await writeH5(path.join(dir, "coarse.nc"), {
  dims: {
    ...axes(24),
    lat: { values: Float64Array.of(1), attrs: { units: "degrees_north" } },
    lon: { values: Float64Array.of(11), attrs: { units: "degrees_east" } },
  },
  vars: { x: { dims: ["time", "lat", "lon"], data: new Float32Array(24), attrs: { units: "K" } } },
});
await writeH5(path.join(dir, "mask.nc"), {
  dims: { lat: axes(1).lat, lon: axes(1).lon },
  vars: { m: { dims: ["lat", "lon"], data: Float32Array.of(0, 1, NaN, 1) } },
});

let n = 0;
async function load(yaml: string) {
  const file = path.join(dir, `cfg${n++}.yaml`);
  fs.writeFileSync(file, yaml);
  return loadDataset(file);
}
async function fails(yaml: string, ...patterns: RegExp[]) {
  await assert.rejects(load(yaml), (e: Error) => {
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test("conversion, static fields, years, and the cells rules", async () => {
  const base = `name: small
target: burned_area
variables:
  burned_area: { file: ba.nc, units: "%" }
  tas: { file: tas.nc, variable: t2m }
  treecover: { file: tree.nc }
`;
  const a = await load(base);
  const ds = a.dataset;
  assert.equal(ds.nTime, 24);
  assert.equal(ds.time.describe(), "2001-01..2002-12 (24 months)");
  // target rule: the 3 cells where burned area is defined; the north-west cell (file row 0, col 0) is out
  assert.equal(ds.nCell, 3);
  assert.deepEqual([...ds.cells.flat], [0, 1, 3]); // south row (0, 1), then north-east (3)
  const tasF = ds.field("tas");
  // cell 0 = grid (south, west) = file row 1, col 0 = file index 2 within a step
  assert.ok(Math.abs(tasF.data[0] - Math.fround(tas[2] - 273.15)) < 1e-4);
  assert.ok(Number.isNaN(tasF.data[1])); // tas is missing in the south-east cell, which the target keeps
  assert.equal(ds.field("burned_area").data[5 * 3 + 2], Math.fround(ba[5 * 4 + 1] / 100));
  const tree = ds.field("treecover");
  assert.ok(tree.isStatic);
  assert.deepEqual([...tree.data], [0.3, 0.4, 0.2].map(Math.fround));
  assert.equal(a.sources.tas.declaredUnits, "K"); // from the attribute
  assert.equal(a.sources.treecover.declaredUnits, "%");

  // all-fields: only cells where every field has a value
  const b = await load(base + "cells: all-fields\n");
  assert.deepEqual([...b.dataset.cells.flat], [0, 3]);
  // a mask file: finite and non-zero
  const c = await load(base + "cells: { file: mask.nc, variable: m }\n");
  assert.deepEqual([...c.dataset.cells.flat], [1, 3]);
  // years: 2002 only, and a driver that only covers 2002
  const d = await load(base.replace("variables:", "years: 2002\nvariables:") + "  pr: { file: pr2002.nc }\n");
  assert.equal(d.dataset.time.describe(), "2002-01..2002-12 (12 months)");
  assert.ok(Math.abs(d.dataset.field("pr").data[0] - 0.864) < 1e-6);
  // cell 2 is grid cell 3 (north, east) = file row 0, column 1
  assert.equal(d.dataset.field("burned_area").data[3 * 5 + 2], Math.fround(ba[(12 + 5) * 4 + 1] / 100));
  // scale multiplies the file's values before conversion (as CF's scale_factor)
  const e = await load(base.replace('units: "%" }', 'units: "1", scale: 0.01 }'));
  assert.equal(e.dataset.field("burned_area").data[2], Math.fround(0.01 * ba[1]));
});

test("a GFED folder as the target source", async () => {
  const gdir = path.join(dir, "gfed");
  fs.mkdirSync(gdir);
  const months = Array.from({ length: 12 }, (_, m) => new Float32Array(32).fill(m / 100));
  const regions = new Uint8Array(32).fill(4);
  for (const k of [0, 1, 4, 5]) regions[k] = 0; // the north-west 0.5° block
  await writeGfedYear(path.join(gdir, "GFED4.1s_2001.hdf5"), {
    north: 2,
    west: 10,
    nLat: 8,
    nLon: 4,
    regions,
    months,
  });
  const L = await load(`name: g
years: 2001
target: burned_area
variables:
  burned_area: { gfed: gfed, resolution: 0.5 }
`);
  assert.equal(L.dataset.grid.describe(), "4×2 grid of 0.5°×0.5° cells, lat 0..2, lon 10..11");
  assert.equal(L.dataset.nCell, 7); // the north-west 0.5° block is ocean
  assert.ok(L.basisRegions);
  assert.ok(Math.abs(L.dataset.field("burned_area").data[7 * 6] - 0.06) < 1e-7);
  await fails(
    `name: g
target: burned_area
variables:
  burned_area: { gfed: gfed }
`,
    /a GFED source needs `years:`/,
  );
});

test("config errors name the file, the line and the key", async () => {
  await fails("name: x\nvariables:\n  tas: { file: tas.nc\n", /cfg\d+\.yaml:\d+:\d+/, /YAML syntax error/);
  await fails(
    "name: x\nvariables:\n  tas:\n    file: tas.nc\n    unit: K\n",
    /cfg\d+\.yaml:5:11 \(key variables\.tas\.unit\)/,
    /Unrecognized key: "unit"/,
    /allowed here: file, variable, units/,
  );
  await fails(
    "name: x\nvariabels: {}\n",
    /Unrecognized key: "variabels"/,
    /allowed here: name, description, root/,
  );
  await fails(
    "name: x\ntarget: ba\nvariables:\n  tas: { file: tas.nc }\n",
    /target 'ba' is not one of the variables \(tas\)/,
    /key target/,
  );
  await fails(
    "name: x\nyears: 2002-2001\nvariables:\n  tas: { file: tas.nc }\n",
    /runs backwards/,
    /key years/,
  );
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc, scale: 0 }\n",
    /scale must be a finite, non-zero number/,
  );
  await fails("variables:\n  tas: { file: tas.nc }\n", /name: Invalid input/);
  await fails(
    "name: x\nroot: nowhere\nvariables:\n  tas: { file: tas.nc }\n",
    /root folder .*nowhere does not exist/,
  );
  await assert.rejects(loadDataset(path.join(dir, "absent.yaml")), /absent\.yaml: dataset config not found/);
});

test("file errors: missing file, unknown variable, no units, units that do not convert", async () => {
  await fails(
    "name: x\nvariables:\n  tas: { file: nothere.nc }\n",
    /variables\.tas\.file: file not found: .*nothere\.nc/,
    /key variables\.tas/,
  );
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc, variable: tas }\n",
    /variables\.tas: .*no variable 'tas' in the file/,
  );
  await fails(
    "name: x\nvariables:\n  x: { file: nounits.nc }\n",
    /nounits\.nc, variable 'v' has no units attribute/,
    /declare/,
  );
  await fails(
    "name: x\nvariables:\n  vpd: { file: tas.nc, variable: t2m }\n",
    /variables\.vpd/,
    /tas\.nc, variable 't2m'/,
    /cannot convert 'K'/,
    /'kPa'/,
  );
  await fails(
    'name: x\nvariables:\n  pr: { file: tas.nc, units: "furlongs" }\n',
    /tas\.nc, variable 't2m'/,
    /unknown unit 'furlongs'/,
  );
});

test("alignment errors state both sides: grids, time spans, static mismatches", async () => {
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc }\n  other: { file: coarse.nc }\n",
    /the grids differ/,
    /variables\.tas \(.*tas\.nc\) is on a 2×2 grid/,
    /variables\.other \(.*coarse\.nc\) is on a 1×1 grid/,
  );
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc }\n  pr: { file: pr2002.nc }\n",
    /the time spans differ/,
    /2001-01\.\.2002-12 \(24 months\)/,
    /2002-01\.\.2002-12 \(12 months\)/,
    /set `years:`/,
  );
  await fails(
    "name: x\nyears: 2001-2002\nvariables:\n  pr: { file: pr2002.nc }\n",
    /the config asks for 2001-01\.\.2002-12/,
    /lacks 2001-01/,
  );
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc, static: true }\n",
    /static: true, but .*tas\.nc holds 24 time steps/,
  );
  await fails(
    "name: x\nvariables:\n  tas: { file: tas.nc }\n  treecover: { file: tree.nc, static: false }\n",
    /static: false, but .*has no time axis/,
  );
  await fails("name: x\nvariables:\n  treecover: { file: tree.nc }\n", /every variable is static/);
  await fails(
    "name: x\ntarget: burned_area\ncells: { file: mask.nc, variable: m }\nvariables:\n  burned_area: { file: ba.nc }\n  tas: { file: coarse.nc }\n",
    /the grids differ/,
  );
});

test("the GFED4.1s template is a valid config, and loads once `root` and `years` point at data", async () => {
  const template = fs.readFileSync(path.join(REPO, "examples/gfed/dataset.yaml"), "utf8");
  const gdir = path.join(dir, "tpl", "GFED4.1s");
  fs.mkdirSync(gdir, { recursive: true });
  const months = Array.from({ length: 12 }, (_, m) => new Float32Array(8 * 16).fill(m / 1000));
  await writeGfedYear(path.join(gdir, "GFED4.1s_2001.hdf5"), {
    north: 2,
    west: 10,
    nLat: 8,
    nLon: 16,
    regions: new Uint8Array(8 * 16).fill(5),
    months,
  });
  const L = await load(
    template.replace(/^root: .*$/m, `root: ${path.join(dir, "tpl")}`).replace(/^years: .*$/m, "years: 2001"),
  );
  assert.equal(L.name, "gfed4.1s");
  assert.equal(L.dataset.grid.describe(), "4×8 grid of 0.5°×0.5° cells, lat 0..2, lon 10..14");
  assert.equal(L.dataset.nTime, 12);
  assert.deepEqual([...new Set(L.basisRegions)], [5]);
});
