import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { evalFormToFile } from "../../src/cli/form.ts";
import { loadForm, parseForm } from "../../src/forms/check.ts";
import { interpretForm } from "../../src/forms/evaluate.ts";
import { inputsFromDataset } from "../../src/forms/inputs.ts";
import { compileKernel } from "../../src/forms/kernel.ts";
import { CellIndex, Dataset, Grid, TimeAxis, makeField } from "../../src/grid/index.ts";
import { readGridded } from "../../src/io/read.ts";
import { writeDataset } from "../../src/io/write.ts";
import { generateWorld } from "../../src/world/index.ts";
import { Rng } from "../../src/util/rng.ts";
import { maxRelDiff } from "./helpers.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BASELINES = ["b1-globfirm", "b2-simfire", "b3-clm-li", "b4-confire"].map((b) =>
  path.join(repo, "examples", "baselines", `${b}.form.yaml`),
);

const world = generateWorld({ resolution: 6, firstYear: 2001, lastYear: 2003, seed: 4 });

test("the built-in world's truth, written as a form of library mechanisms, reproduces its mean", () => {
  const t = world.truth;
  const form = parseForm(`
name: world-truth
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: accumulated_dryness
  - mechanism: archibald_temp_sigmoid
  - mechanism: popdens_suppression
`);
  const m = t.mechanisms;
  const p = form.vectorFrom({
    scale: t.scale,
    "vdw_gpp_gate.G0": m.vdw_gpp_gate.G0,
    "vdw_gpp_gate.a": m.vdw_gpp_gate.a,
    "accumulated_dryness.k": m.accumulated_dryness.k,
    "accumulated_dryness.D0": m.accumulated_dryness.D0,
    "archibald_temp_sigmoid.k": m.archibald_temp_sigmoid.k,
    "archibald_temp_sigmoid.T0": m.archibald_temp_sigmoid.T0,
    "popdens_suppression.floor": m.popdens_suppression.floor,
    "popdens_suppression.r": m.popdens_suppression.r,
    "popdens_suppression.q": m.popdens_suppression.q,
  });
  const inputs = inputsFromDataset(world.dataset);
  const out = new Float32Array(world.dataset.nTime * world.dataset.nCell);
  assert.equal(compileKernel(form).bind(inputs)(p, out), 0);
  assert.ok(
    maxRelDiff(out, world.truthMean, 1e-12) < 1e-5,
    `max rel diff ${maxRelDiff(out, world.truthMean, 1e-12)}`,
  );
  // every truth parameter is inside the library's bounds, so a fit can reach it
  for (let j = 0; j < form.nParams; j++)
    assert.ok(p[j] >= form.lo[j] && p[j] <= form.hi[j], form.paramNames[j]);
});

test("the four stock baselines check and evaluate on the built-in world", () => {
  const inputs = inputsFromDataset(world.dataset);
  for (const file of BASELINES) {
    const form = loadForm(file);
    const out = new Float32Array(world.dataset.nTime * world.dataset.nCell);
    const bad = compileKernel(form).bind(inputs)(form.defaults, out);
    assert.equal(bad, 0, form.name);
    assert.ok(
      out.every((v) => v >= 0 && v <= 1),
      `${form.name}: burned fraction outside [0, 1]`,
    );
    assert.ok(
      out.some((v) => v > 1e-4),
      `${form.name}: nothing burns`,
    );
    assert.ok(maxRelDiff(out, interpretForm(form, inputs, form.defaults), 1e-20) < 1e-6, form.name);
  }
  assert.deepEqual(
    BASELINES.map((f) => loadForm(f).nParams),
    [3, 4, 10, 15],
  );
});

/** A hand-made dataset: 3 cells on a 10° grid, 24 months, every driver the baselines read. */
function handMade(): Dataset {
  const grid = Grid.regular(10);
  const cells = new CellIndex(grid, [grid.index(8, 3), grid.index(10, 20), grid.index(13, 30)]);
  const time = TimeAxis.years(2010, 2011);
  const rng = new Rng(8);
  const n = time.length * cells.length;
  const series = (f: (t: number, c: number) => number) => {
    const a = new Float32Array(n);
    for (let t = 0; t < time.length; t++)
      for (let c = 0; c < cells.length; c++) a[t * cells.length + c] = f(t, c);
    return a;
  };
  const season = (t: number, c: number) => Math.sin((2 * Math.PI * (t + 3 * c)) / 12);
  return new Dataset(grid, time, cells, [
    makeField(
      "tas",
      "degC",
      series((t, c) => 22 + 6 * season(t, c)),
    ),
    makeField(
      "pr",
      "mm day-1",
      series((t, c) => Math.max(0, 3 + 3 * season(t, c) + rng.uniform(-0.5, 0.5))),
    ),
    makeField(
      "rh",
      "%",
      series((t, c) => 55 + 25 * season(t, c)),
    ),
    makeField(
      "vpd",
      "kPa",
      series((t, c) => 1.5 - season(t, c)),
    ),
    makeField(
      "soilm",
      "1",
      series((t, c) => 0.4 + 0.3 * season(t, c)),
    ),
    makeField(
      "drydays",
      "1",
      series((t, c) => 0.5 - 0.4 * season(t, c)),
    ),
    makeField(
      "gpp",
      "gC m-2 day-1",
      series((t, c) => 4 + 3 * season(t, c)),
    ),
    makeField(
      "biomass",
      "kgC m-2",
      series(() => rng.uniform(0.3, 4)),
    ),
    makeField("treecover", "1", Float32Array.of(0.1, 0.4, 0.7), true),
    makeField(
      "lightning",
      "flashes km-2 month-1",
      series(() => rng.uniform(0, 5)),
    ),
    makeField(
      "popdens",
      "km-2",
      series((_, c) => [2, 30, 400][c]),
    ),
    makeField(
      "cropland",
      "1",
      series((_, c) => [0.05, 0.2, 0.5][c]),
    ),
    makeField(
      "burned_area",
      "1",
      series(() => rng.uniform(0, 0.01)),
    ),
  ]);
}

test("kiln form eval writes an ILAMB-ready prediction of each baseline from a dataset config", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const ds = handMade();
  const config = await writeDataset(ds, path.join(dir, "data"), { name: "hand", target: "burned_area" });
  for (const file of BASELINES) {
    const out = path.join(dir, `${path.basename(file, ".form.yaml")}.nc`);
    const r = await evalFormToFile(file, { data: config, out });
    assert.equal(r.nonFinite, 0);
    assert.match(r.message, /Mkm² per year/);
    const v = await readGridded(out, { variable: "burntArea" });
    assert.equal(v.units, "%");
    const form = loadForm(file);
    const want = interpretForm(form, inputsFromDataset(ds), form.defaults);
    for (let t = 0; t < ds.nTime; t++) {
      for (let c = 0; c < ds.nCell; c++) {
        const got = v.data[t * ds.grid.nCell + ds.cells.flat[c]];
        const w = 100 * want[t * ds.nCell + c];
        assert.ok(
          Math.abs(got - w) <= 1e-5 * Math.max(Math.abs(w), 1e-9),
          `${form.name} t=${t} c=${c}: ${got} vs ${w}`,
        );
      }
    }
    // cells outside the dataset are missing values
    assert.ok(Number.isNaN(v.data[0]));
  }
  // parameters from a file, with an error naming what is missing
  const pfile = path.join(dir, "p.json");
  fs.writeFileSync(pfile, JSON.stringify({ scale: 0.5, "season.m_e": 0.4 }));
  await assert.rejects(
    evalFormToFile(BASELINES[0], { data: config, out: path.join(dir, "x.nc"), params: pfile }),
    /missing: fuel\.B_min/,
  );
  fs.writeFileSync(pfile, JSON.stringify({ params: { scale: 0.5, "season.m_e": 0.4, "fuel.B_min": 0.1 } }));
  const r = await evalFormToFile(BASELINES[0], { data: config, out: path.join(dir, "x.nc"), params: pfile });
  assert.match(r.message, /parameters from/);
});
