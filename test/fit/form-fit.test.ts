import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { FitProblem, fitForm } from "../../src/fit/form/index.ts";
import { SqliteStorage } from "../../src/fit/storage/sqlite.ts";
import { parseForm } from "../../src/forms/index.ts";
import { generateWorld } from "../../src/world/index.ts";

const world = generateWorld({ resolution: 10, firstYear: 2001, lastYear: 2006, seed: 3 });
const search = world.dataset.selectYears([2001, 2002, 2003, 2004, 2005]);
const problem = FitProblem.create({
  dataset: search,
  target: "burned_area",
  train: [2001, 2002, 2003],
  validation: [2004, 2005],
  metric: {
    convention: "ilamb-2.7",
    region: "global",
    regions: ["global", "nhaf", "shaf"],
    rmseBasis: "cycle",
    massWeighting: true,
  },
});
const truth = parseForm(`
name: truth
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: accumulated_dryness
`);

test("a fit beats the form's defaults on the training years and scores validation too", async () => {
  const fit = await fitForm(problem, truth, { sampler: "auto", trials: 60, jobs: 1, seed: 1 });
  const atDefaults = problem.score(truth, truth.defaults, "train").overall!;
  assert.ok(fit.train.overall! > atDefaults, `${fit.train.overall} vs defaults ${atDefaults}`);
  assert.ok(
    Math.abs(fit.trainValue - fit.train.overall!) < 1e-12,
    "the best trial's value is the train Overall",
  );
  assert.ok(fit.validation && fit.validation.overall! > 0 && fit.validation.overall! <= 1);
  assert.equal(fit.trials, 60);
  for (const [k, v] of Object.entries(fit.params)) {
    const j = truth.indexOf(k);
    assert.ok(v >= truth.lo[j] && v <= truth.hi[j], `${k}=${v} inside its bounds`);
  }
  // the summary carries every region and every convention
  assert.deepEqual(Object.keys(fit.train.regions).sort(), ["global", "nhaf", "shaf"]);
  assert.equal(typeof fit.train.regions.global.overall.mean4, "number");
});

test("two parallel jobs are reproducible from the seed", async () => {
  const a = await fitForm(problem, truth, { sampler: "auto", trials: 24, jobs: 2, seed: 5 });
  const b = await fitForm(problem, truth, { sampler: "auto", trials: 24, jobs: 2, seed: 5 });
  assert.deepEqual(a.params, b.params);
  assert.equal(a.trainValue, b.trainValue);
});

test("a fit in SQLite resumes: a second call only adds the missing trials", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-fit-"));
  const file = path.join(dir, "study.sqlite");
  const s1 = new SqliteStorage(file);
  const first = await fitForm(problem, truth, {
    sampler: "tpe",
    trials: 15,
    jobs: 1,
    seed: 2,
    storage: s1,
    studyName: "s",
  });
  s1.close();
  const s2 = new SqliteStorage(file);
  const second = await fitForm(problem, truth, {
    sampler: "tpe",
    trials: 30,
    jobs: 1,
    seed: 2,
    storage: s2,
    studyName: "s",
  });
  s2.close();
  assert.equal(first.trials, 15);
  assert.equal(second.trials, 30);
  assert.ok(second.trainValue >= first.trainValue);
});

test("the target is never an input of a form's kernel", () => {
  assert.ok(!problem.drivers.includes("burned_area"));
  assert.ok(!("burned_area" in problem.inputs.fields));
  assert.ok(problem.drivers.includes("gpp"));
});
