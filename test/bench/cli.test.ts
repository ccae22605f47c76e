/** `kiln score` end to end on the ILAMB fixture files, writing into a fresh temporary folder. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildProgram } from "../../src/cli/main.ts";
import { modelNames } from "../../src/cli/score.ts";
import { CellIndex } from "../../src/grid/cells.ts";
import { Dataset } from "../../src/grid/dataset.ts";
import { Grid } from "../../src/grid/grid.ts";
import { TimeAxis } from "../../src/grid/time.ts";
import { writeIlambBurntArea } from "../../src/io/write.ts";
import { KilnError } from "../../src/util/errors.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "..", "fixtures", "ilamb");
const REF = path.join(fixtures, "ref", "burntArea.nc");
const MOD = path.join(fixtures, "MOD", "burntArea.nc");

async function kiln(...args: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  await program.parseAsync(["node", "kiln", ...args]);
}

function isPng(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  assert.deepEqual([...b.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${file} is a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test("kiln score writes scores.json, scores.csv, the leaderboard and readable maps", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  await kiln("score", REF, MOD, REF, "--out", out, "--quiet");
  const doc = JSON.parse(fs.readFileSync(path.join(out, "scores.json"), "utf8"));
  const want = JSON.parse(fs.readFileSync(path.join(fixtures, "ilamb_scores_cycle_mass.json"), "utf8"));
  const mod = doc.models["MOD/burntArea"].scalars;
  for (const k of Object.keys(want)) {
    if (want[k] === null) assert.equal(mod[k], null, k);
    else
      assert.ok(
        Math.abs(mod[k] - want[k]) <= 1e-9 * Math.abs(want[k]) + 1e-12,
        `${k}: ${mod[k]} vs ${want[k]}`,
      );
  }
  assert.equal(doc.models["ref/burntArea"].scalars["Overall Score global"], 1);
  assert.equal(doc.leaderboard.entries[0].model, "ref/burntArea");
  assert.equal(doc.models["MOD/burntArea"].cycles.global.reference.length, 12);
  assert.ok(doc.benchmark["Period Mean (original grids) global"] > 0);

  const csv = fs.readFileSync(path.join(out, "scores.csv"), "utf8").trim().split("\n");
  assert.equal(csv.length, 1 + 2 * 15, "one row per model × region");
  assert.match(csv[0], /^model,region,Period Mean \(original grids\),/);
  assert.match(csv[0], /Overall \(ilamb3\),Overall \(min\)$/);
  assert.match(fs.readFileSync(path.join(out, "leaderboard.md"), "utf8"), /\| 1 \| ref\/burntArea \|/);
  assert.equal(fs.readFileSync(path.join(out, "leaderboard.csv"), "utf8").trim().split("\n").length, 3);

  const maps = fs.readdirSync(path.join(out, "maps")).sort();
  for (const f of ["bias", "bias_score", "rmse_score", "phase_shift", "model_mean", "cycles"]) {
    assert.ok(maps.includes(`MOD_burntArea_${f}.png`), `${f} map in ${maps.join(", ")}`);
  }
  const size = isPng(path.join(out, "maps", "MOD_burntArea_bias.png"));
  assert.ok(size.width >= 600 && size.height >= 300, `${size.width}×${size.height}`);
  isPng(path.join(out, "maps", "reference_mean.png"));
});

test("kiln score options: series basis without mass weighting, a region subset, no maps", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  await kiln(
    "score",
    REF,
    MOD,
    "--out",
    out,
    "--rmse-basis",
    "series",
    "--no-mass-weighting",
    "--regions",
    "global,aust",
    "--convention",
    "min",
    "--no-maps",
    "--quiet",
  );
  const doc = JSON.parse(fs.readFileSync(path.join(out, "scores.json"), "utf8"));
  const want = JSON.parse(fs.readFileSync(path.join(fixtures, "ilamb_scores_series_nomass.json"), "utf8"));
  const got = doc.models.burntArea.scalars;
  assert.deepEqual(Object.keys(got).filter((k) => k.endsWith(" aust")).length, 13);
  for (const k of ["Overall Score global", "RMSE Score aust", "Bias Score global"]) {
    assert.ok(Math.abs(got[k] - want[k]) < 1e-12, `${k}: ${got[k]} vs ${want[k]}`);
  }
  assert.equal(doc.options.convention, "min");
  assert.ok(!fs.existsSync(path.join(out, "maps")));
});

test("a model on a different grid is an error naming both grids", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const grid = Grid.regular(30);
  const time = TimeAxis.years(2001, 2003);
  const ds = new Dataset(grid, time, CellIndex.all(grid));
  const coarse = path.join(dir, "coarse.nc");
  await writeIlambBurntArea(coarse, ds, new Float32Array(time.length * grid.nCell).fill(0.01));
  await assert.rejects(
    kiln("score", REF, coarse, "--out", path.join(dir, "out"), "--quiet"),
    (e: unknown) =>
      e instanceof KilnError &&
      e.message.includes("6×12 grid of 30°×30° cells") &&
      e.message.includes("18×36 grid of 10°×10° cells") &&
      e.message.includes("coarse.nc"),
  );
  await assert.rejects(
    kiln("score", REF, MOD, "--out", dir, "--convention", "best", "--quiet"),
    /unknown aggregation convention 'best'/,
  );
});

test("model names are file names, with their folder when two share one", () => {
  assert.deepEqual(modelNames(["/a/CLM.nc", "/b/ED.nc"]), ["CLM", "ED"]);
  assert.deepEqual(modelNames(["/a/x/burntArea.nc", "/a/y/burntArea.nc"]), ["x/burntArea", "y/burntArea"]);
});
