import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { attributeForm, RefitGames } from "../../src/ablate/index.ts";
import { FitProblem } from "../../src/fit/form/index.ts";
import { parseForm } from "../../src/forms/index.ts";
import { generateWorld } from "../../src/world/index.ts";

const world = generateWorld({ resolution: 10, firstYear: 2001, lastYear: 2005, seed: 7 });
const problem = FitProblem.create({
  dataset: world.dataset,
  target: "burned_area",
  train: [2001, 2002, 2003],
  validation: [2004, 2005],
  metric: {
    convention: "ilamb-2.7",
    region: "global",
    regions: ["global"],
    rmseBasis: "cycle",
    massWeighting: true,
  },
});
const form = parseForm(`
name: three
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: accumulated_dryness
  - mechanism: wet_suppression
`);
const fit = { sampler: "auto" as const, trials: 24, jobs: 1, seed: 3 };

test("refit Shapley: exact values split v(N) − v(∅), coalitions are cached in storage, a re-run refits nothing", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-shap-"));
  const storagePath = path.join(dir, "fits.sqlite");
  const a = await attributeForm(problem, form, {
    fit,
    minTrials: 8,
    storagePath,
    noiseSeeds: [],
    refitReduced: false,
  });
  const v = a.shapley.validation;
  assert.deepEqual(v.players, ["vdw_gpp_gate", "accumulated_dryness", "wet_suppression"]);
  const sum = v.phi.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(sum - (v.vFull - v.vEmpty)) < 1e-12, "efficiency");
  assert.equal(a.fitsRun, 8, "all 2^3 coalitions refit once");
  // v(∅) is the scale-only model: the same as fitting a one-parameter form
  assert.equal(a.budget[1], 8);
  assert.equal(v.interaction?.length, 3);

  const again = await attributeForm(problem, form, {
    fit,
    minTrials: 8,
    storagePath,
    noiseSeeds: [],
    refitReduced: false,
  });
  assert.equal(again.fitsRun, 0, "every coalition comes from the storage");
  assert.deepEqual(again.shapley.validation.phi, v.phi);
});

test("a killed ablation resumes: coalitions fitted before the stop are not refit", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-shap-"));
  const storagePath = path.join(dir, "fits.sqlite");
  const games = await RefitGames.open(problem, form, { fit, minTrials: 8, storagePath });
  await games.validation.value(0b001);
  await games.validation.value(0b011, { subsets: [0b001] });
  assert.equal(games.fitsRun, 2);
  await games.close(); // the process "dies" here
  const a = await attributeForm(problem, form, {
    fit,
    minTrials: 8,
    storagePath,
    noiseSeeds: [],
    refitReduced: false,
  });
  assert.equal(a.fitsRun, 6, "only the six coalitions not fitted before");
});

test("warm starts nest: a coalition's training score is at least its best subset's", async () => {
  const games = await RefitGames.open(problem, form, { fit, minTrials: 8 });
  const solo = await games.train.value(0b001);
  const pair = await games.train.value(0b011, { subsets: [0b001] });
  await games.close();
  assert.ok(pair >= solo - 1e-12, `${pair} >= ${solo}`);
});
