import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readTruthChoice } from "../../src/cli/world-truth.ts";
import { compileKernel, inputsFromDataset, loadForm } from "../../src/forms/index.ts";
import { DEFAULT_TRUTH, builtinFormParams, generateWorld, truthRecord } from "../../src/world/index.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("a truth written as a form drives the world; truth.json records the form and its values", () => {
  const choice = readTruthChoice(path.join(repo, "examples/world/alt-truth.yaml"));
  assert.ok(choice.truthModel);
  assert.equal(choice.truth.heterogeneity.sigma, 0.4);
  const world = generateWorld({ resolution: 10, firstYear: 2001, lastYear: 2002, seed: 2, ...choice });
  const drivers = world.dataset.without(["burned_area"]);
  const rec = truthRecord(world) as { form: { name: string }; formParams: Record<string, number> };
  assert.equal(rec.form.name, "fuel-limited-truth");
  assert.equal(rec.formParams["pr_fuel_hump.B0"], 1.5);
  // the noise-free mean is the form evaluated with the file's parameters
  const mean = choice.truthModel.mean(drivers);
  assert.deepEqual(Array.from(mean), Array.from(world.truthMean));
  assert.ok(mean.some((v) => v > 0));
});

test("a bare form file is a truth at its default parameters; a wrong parameter name is a clear error", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-truth-"));
  const file = path.join(dir, "t.yaml");
  fs.writeFileSync(
    file,
    "name: two\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n",
  );
  const choice = readTruthChoice(file);
  const form = loadForm(file);
  const world = generateWorld({ resolution: 10, firstYear: 2001, lastYear: 2001, seed: 2, ...choice });
  const out = new Float32Array(world.dataset.nTime * world.dataset.nCell);
  compileKernel(form).bind(inputsFromDataset(world.dataset.without(["burned_area"])))(form.defaults, out);
  assert.deepEqual(Array.from(world.truthMean), Array.from(out));
  fs.writeFileSync(file, "form: { name: x, terms: [ { mechanism: vdw_gpp_gate } ] }\nparams: { G0: 2 }\n");
  assert.throws(() => readTruthChoice(file), /'G0' is not a parameter of the form.*\n.*vdw_gpp_gate\.G0/);
});

test("the built-in truth's record carries its form and its values under the form's names", () => {
  const p = builtinFormParams(DEFAULT_TRUTH);
  const form = loadForm(path.join(repo, "examples/world/truth.form.yaml"));
  assert.deepEqual(Object.keys(p).sort(), [...form.paramNames].sort());
});
