/**
 * Time to fit each stock baseline (and the world's true form) on the built-in world with `fitForm`, at
 * --jobs 1 and --jobs 2: wall seconds, ms per trial, and the training / validation Overall reached.
 *
 *   npx tsx bench/fit-baselines.ts [--world out/world] [--trials 300] [--forms b1,b2,b3,b4,truth]
 *
 * Without a world on disk the default world is generated in memory (as `kiln world` would write it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FitProblem, fitForm } from "../src/fit/form/index.ts";
import { loadForm } from "../src/forms/index.ts";
import type { Dataset } from "../src/grid/dataset.ts";
import { loadDataset } from "../src/io/dataset-config.ts";
import { generateWorld } from "../src/world/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const FORMS: Record<string, string> = {
  b1: "examples/baselines/b1-globfirm.form.yaml",
  b2: "examples/baselines/b2-simfire.form.yaml",
  b3: "examples/baselines/b3-clm-li.form.yaml",
  b4: "examples/baselines/b4-confire.form.yaml",
  truth: "examples/world/truth.form.yaml",
};

function arg(name: string, dflt: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : dflt;
}

const worldDir = path.resolve(ROOT, arg("world", "out/world"));
const trials = Number(arg("trials", "300"));
const names = arg("forms", "b1,b2,b3,b4,truth").split(",");

let dataset: Dataset;
const config = path.join(worldDir, "dataset.yaml");
if (fs.existsSync(config)) dataset = (await loadDataset(config)).dataset;
else {
  console.log(`(no world at ${worldDir}: generating the default world in memory)`);
  dataset = generateWorld().dataset;
}
const years = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
const problem = FitProblem.create({
  dataset: dataset.selectYears(years(1997, 2012)),
  target: "burned_area",
  train: years(1997, 2008),
  validation: years(2009, 2012),
});
console.log(
  `built-in world: ${dataset.nCell} cells, train 1997–2008 (${problem.train.length * 12} months), ` +
    `${trials} trials per fit, sampler auto, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`,
);
console.log("form          params  jobs   wall s   ms/trial   train Overall   validation Overall");
for (const name of names) {
  const form = loadForm(path.join(ROOT, FORMS[name] ?? name));
  for (const jobs of [1, 2]) {
    const fit = await fitForm(problem, form, { sampler: "auto", trials, jobs, seed: 1 });
    console.log(
      `${form.name.padEnd(14)}${String(form.nParams).padStart(6)}${String(jobs).padStart(6)}` +
        `${fit.seconds.toFixed(1).padStart(9)}${((1000 * fit.seconds) / fit.trials).toFixed(1).padStart(11)}` +
        `${fit.train.overall!.toFixed(4).padStart(16)}${(fit.validation?.overall ?? NaN).toFixed(4).padStart(21)}`,
    );
  }
}
