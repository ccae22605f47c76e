/**
 * Form-fitting benchmark: how fast each sampler climbs ILAMB Overall on real form-fitting problems.
 * For the built-in world's true form and the four stock baselines (examples/), each sampler fits each form
 * from `fitForm`'s starts (the form's defaults and the global scale spread over its range) over several
 * seeds, and the best training Overall is read at each budget: median [min, max] over seeds, plus ms per
 * trial (wall, objective included) and the load average while it ran (the cores are shared).
 *
 *   npx tsx bench/fit-forms.ts [--world out/world] [--forms truth,b1,b2,b3,b4] [--samplers auto,cmaes,tpe,qmc,random]
 *                              [--seeds 5] [--first-seed 0] [--budgets 100,200,300,500,800] [--jobs 1]
 *                              [--log runs.jsonl] [--report-only] [--train 1997-2008] [--validation 2009-2012]
 *                              [--resolution 4]
 *
 * A sampler is a registry name (`auto`, `cmaes`, `tpe`, …) or a name with options, `name+key=value+…`
 * (numbers, true/false or text; see `makeSampler`), e.g. `auto+popsize=6`; `budget=each` gives the sampler
 * each budget as its `budget` option and runs it once per budget (a sampler that plans for its budget,
 * as fitForm's does, e.g. `auto+budget=each`). With `--log FILE`, every run
 * is appended to FILE as one JSON line and runs already in it (same form, sampler, seed, jobs, budget) are
 * not repeated, so a long comparison can be split over several processes and the tables rebuilt from the
 * file (`--report-only`). The loaded world and the prepared problem are cached for the whole process.
 * Without a world on disk the default world is generated in memory (the defaults of `kiln world`);
 * `--resolution R` generates it at R degrees instead (4°: about 4× fewer cells, for quick screening).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FitProblem } from "../src/fit/form/problem.ts";
import { defaultStarts, searchSpace, toParams } from "../src/fit/form/fit-form.ts";
import { formObjective } from "../src/fit/form/objective.ts";
import { toPlainProblem, type PlainProblem } from "../src/fit/form/plain.ts";
import type { WorkerContext } from "../src/fit/form/worker-objective.ts";
import { shareArrays } from "../src/fit/parallel/shared.ts";
import { makeSampler, parseSamplerSpec } from "../src/fit/samplers/registry.ts";
import type { Sampler } from "../src/fit/samplers/sampler.ts";
import { createStudy } from "../src/fit/study.ts";
import type { Form } from "../src/forms/form.ts";
import { loadForm } from "../src/forms/check.ts";
import { parseYears } from "../src/grid/split.ts";
import { loadDataset } from "../src/io/dataset-config.ts";
import { generateWorld, readTruthFile } from "../src/world/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const FORM_FILES: Record<string, string> = {
  truth: "examples/world/truth.form.yaml",
  b1: "examples/baselines/b1-globfirm.form.yaml",
  b2: "examples/baselines/b2-simfire.form.yaml",
  b3: "examples/baselines/b3-clm-li.form.yaml",
  b4: "examples/baselines/b4-confire.form.yaml",
};

function arg(name: string, dflt: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : dflt;
}

interface RunRecord {
  form: string;
  formHash: string;
  sampler: string;
  seed: number;
  jobs: number;
  trials: number;
  /** Best training Overall after each trial (trial-number order). */
  curve: number[];
  msPerTrial: number;
  samplerMsPerTrial: number;
  load: number;
  problem: string;
}

const cache: { problem?: FitProblem; plain?: PlainProblem; source?: string } = {};

/** The fit problem of the built-in world (loaded or generated once per process). */
async function worldProblem(
  dir: string,
  train: number[],
  validation: number[],
  resolution: number | undefined,
): Promise<FitProblem> {
  if (cache.problem) return cache.problem;
  const years = [...train, ...validation];
  const t0 = performance.now();
  let dataset;
  if (resolution !== undefined) {
    dataset = generateWorld({ resolution }).dataset;
    cache.source = `the default world at ${resolution}°, generated in memory`;
  } else if (fs.existsSync(path.join(dir, "dataset.yaml"))) {
    dataset = (await loadDataset(path.join(dir, "dataset.yaml"))).dataset;
    cache.source = dir;
  } else {
    dataset = generateWorld().dataset;
    cache.source = "the default world, generated in memory";
  }
  cache.problem = FitProblem.create({
    dataset: dataset.selectYears(years),
    target: "burned_area",
    train,
    validation,
  });
  console.error(`# world: ${cache.source} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return cache.problem;
}

/** Times the sampler's own work, per trial. */
class TimedSampler implements Sampler {
  readonly name: string;
  ms = 0;
  constructor(private readonly inner: Sampler) {
    this.name = inner.name;
  }
  async sampleRelative(...a: Parameters<Sampler["sampleRelative"]>) {
    const t0 = performance.now();
    const r = await this.inner.sampleRelative(...a);
    this.ms += performance.now() - t0;
    return r;
  }
  sampleIndependent(...a: Parameters<Sampler["sampleIndependent"]>) {
    const t0 = performance.now();
    const r = this.inner.sampleIndependent(...a);
    this.ms += performance.now() - t0;
    return r;
  }
}

/** One fit as `fitForm` runs it (same starts, same objective), recording the best value after each trial. */
async function runFit(
  problem: FitProblem,
  form: Form,
  samplerSpec: string,
  seed: number,
  trials: number,
  jobs: number,
): Promise<Omit<RunRecord, "form" | "problem">> {
  const { name, options } = parseSamplerSpec(samplerSpec);
  if (options.budget === "each") options.budget = trials;
  const sampler = new TimedSampler(makeSampler(name, undefined, options));
  const study = await createStudy({ name: "bench", direction: "maximize", sampler, seed });
  const seen = new Set<string>();
  for (const v of defaultStarts(form)) {
    const p = toParams(form, v);
    const key = JSON.stringify(p);
    if (seen.has(key)) continue;
    seen.add(key);
    await study.enqueueTrial(p);
  }
  const curve: number[] = [];
  let best = -Infinity;
  const callbacks = [
    (_s: unknown, t: { number: number; value: number | undefined; state: string }) => {
      if (t.state === "COMPLETE" && t.value !== undefined && t.value > best) best = t.value;
      curve[t.number] = best;
    },
  ];
  const space = searchSpace(form);
  const load0 = os.loadavg()[0];
  const t0 = performance.now();
  if (jobs > 1) {
    cache.plain ??= toPlainProblem(problem);
    const context: WorkerContext = { problem: cache.plain, spec: shareArrays(form.spec) };
    await study.optimize(
      {
        module: new URL("../src/fit/form/worker-objective.ts", import.meta.url),
        exportName: "objective",
        initName: "init",
        context,
      },
      { nTrials: trials, jobs, space, callbacks, maxFailuresBeforeFirstSuccess: trials },
    );
  } else {
    const run = formObjective(problem, form);
    await study.optimize((t) => run(t.params), {
      nTrials: trials,
      space,
      callbacks,
      maxFailuresBeforeFirstSuccess: trials,
    });
  }
  const ms = performance.now() - t0;
  return {
    formHash: form.hash,
    sampler: samplerSpec,
    seed,
    jobs,
    trials,
    curve,
    msPerTrial: ms / trials,
    samplerMsPerTrial: sampler.ms / trials,
    load: (load0 + os.loadavg()[0]) / 2,
  };
}

function quantile(v: number[], q: number): number {
  const s = v.slice().sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/** A sampler whose behaviour depends on the budget (`budget=each`) runs once per budget. */
const perBudget = (spec: string) => spec.includes("+budget=each");

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "—");

/** The truth's own parameters scored as the true form (a reference line, when the world has truth.json). */
function truthReference(problem: FitProblem, form: Form, dir: string): number | undefined {
  const file = path.join(dir, "truth.json");
  if (!fs.existsSync(file)) return undefined;
  const t = readTruthFile(file);
  const v = Float64Array.from(form.defaults);
  form.paramNames.forEach((n, k) => {
    if (n === "scale") v[k] = t.scale;
    else {
      const [mech, p] = n.split(".");
      const m = (t.mechanisms as Record<string, Record<string, number>>)[mech];
      if (m && typeof m[p] === "number") v[k] = m[p];
    }
  });
  return problem.score(form, v, "train").overall ?? undefined;
}

function report(
  records: RunRecord[],
  forms: string[],
  samplers: string[],
  budgets: number[],
  seeds: number[],
  jobs: number,
) {
  const best = new Map<string, number>();
  for (const r of records) best.set(r.form, Math.max(best.get(r.form) ?? -Infinity, ...r.curve));
  const gaps = new Map<string, number[][]>(); // sampler → per budget → per form median gap
  for (const form of forms) {
    const rows = samplers
      .map((s) => {
        const rs = records.filter(
          (r) => r.form === form && r.sampler === s && r.jobs === jobs && seeds.includes(r.seed),
        );
        return { s, rs, seeds: new Set(rs.map((r) => r.seed)).size };
      })
      .filter((x) => x.rs.length > 0);
    if (rows.length === 0) continue;
    console.log(
      `\n### ${form} (best seen in any logged run: ${f4(best.get(form) ?? NaN)})\n\n| sampler | seeds | ${budgets.map((b) => `@${b}`).join(" | ")} | ms/trial | sampler ms/trial | load |`,
    );
    console.log(`|---|---|${budgets.map(() => "---|").join("")}---|---|---|`);
    for (const { s, rs, seeds: nSeeds } of rows) {
      const cells = budgets.map((b, j) => {
        const v = rs
          .filter((r) => (perBudget(s) ? r.trials === b : r.curve.length >= b))
          .map((r) => r.curve[b - 1]);
        if (v.length === 0) return "—";
        const med = quantile(v, 0.5);
        const g = gaps.get(s) ?? budgets.map(() => []);
        g[j].push((best.get(form) as number) - med);
        gaps.set(s, g);
        return `${f4(med)} [${f4(Math.min(...v))}, ${f4(Math.max(...v))}]`;
      });
      const ms = quantile(
        rs.map((r) => r.msPerTrial),
        0.5,
      );
      const load = quantile(
        rs.map((r) => r.load),
        0.5,
      );
      const samplerMs = quantile(
        rs.map((r) => r.samplerMsPerTrial),
        0.5,
      );
      console.log(
        `| ${s} | ${nSeeds} | ${cells.join(" | ")} | ${ms.toFixed(1)} | ${samplerMs.toFixed(2)} | ${load.toFixed(1)} |`,
      );
    }
  }
  console.log(
    `\n### Mean gap to the best value seen, over forms (median over seeds per form; lower is better)\n\n| sampler | forms | ${budgets.map((b) => `@${b}`).join(" | ")} |`,
  );
  console.log(`|---|---|${budgets.map(() => "---|").join("")}`);
  for (const [s, g] of gaps) {
    const n = g[0].length;
    console.log(
      `| ${s} | ${n} | ${g.map((x) => (x.length ? (x.reduce((a, b) => a + b, 0) / x.length).toFixed(4) : "—")).join(" | ")} |`,
    );
  }
}

async function main(): Promise<void> {
  const dir = path.resolve(ROOT, arg("world", "out/world"));
  const forms = arg("forms", "truth,b1,b2,b3,b4").split(",");
  const samplers = arg("samplers", "auto,cmaes,tpe,qmc,random").split(",");
  const nSeeds = Number(arg("seeds", "5"));
  const firstSeed = Number(arg("first-seed", "0"));
  const seeds = Array.from({ length: nSeeds }, (_, k) => firstSeed + k);
  const budgets = arg("budgets", "100,200,300,500,800").split(",").map(Number);
  const trials = Math.max(...budgets);
  const jobs = Number(arg("jobs", "1"));
  const train = parseYears(arg("train", "1997-2008"));
  const validation = parseYears(arg("validation", "2009-2012"));
  const resolution = process.argv.includes("--resolution") ? Number(arg("resolution", "")) : undefined;
  const logFile = process.argv.includes("--log") ? path.resolve(arg("log", "")) : undefined;
  const records: RunRecord[] = [];
  if (logFile && fs.existsSync(logFile))
    for (const line of fs.readFileSync(logFile, "utf8").split("\n"))
      if (line.trim()) records.push(JSON.parse(line) as RunRecord);
  const problemKey = `${resolution === undefined ? path.basename(dir) : `world@${resolution}`}:${train[0]}-${train[train.length - 1]}:${validation[0]}-${validation[validation.length - 1]}`;
  const have = (form: string, s: string, seed: number, n: number) =>
    records.some(
      (r) =>
        r.form === form &&
        r.sampler === s &&
        r.seed === seed &&
        r.jobs === jobs &&
        (perBudget(s) ? r.trials === n : r.trials >= n) &&
        r.problem === problemKey,
    );

  console.log(
    `# Kiln form fitting — node ${process.version}, ${os.cpus().length} cores, seeds ${seeds[0]}–${seeds[seeds.length - 1]}, ` +
      `${trials} trials, jobs ${jobs}, train ${train[0]}–${train[train.length - 1]}, validation ${validation[0]}–${validation[validation.length - 1]}`,
  );
  if (!process.argv.includes("--report-only")) {
    const problem = await worldProblem(dir, train, validation, resolution);
    for (const name of forms) {
      const form = loadForm(path.resolve(ROOT, FORM_FILES[name] ?? name));
      if (name === "truth") {
        const ref = resolution === undefined ? truthReference(problem, form, dir) : undefined;
        if (ref !== undefined)
          console.log(`# truth form at the world's true parameters: training Overall ${f4(ref)}`);
      }
      for (const s of samplers)
        for (const seed of seeds)
          for (const n of perBudget(s) ? budgets : [trials]) {
            if (have(name, s, seed, n)) continue;
            const r = { form: name, problem: problemKey, ...(await runFit(problem, form, s, seed, n, jobs)) };
            records.push(r);
            if (logFile) fs.appendFileSync(logFile, JSON.stringify(r) + "\n");
            console.error(
              `# ${name} ${s} seed ${seed} (${n} trials): ${budgets
                .filter((b) => b <= n)
                .map((b) => f4(r.curve[b - 1]))
                .join(" ")} (${r.msPerTrial.toFixed(1)} ms/trial, load ${r.load.toFixed(1)})`,
            );
          }
    }
  }
  report(
    records.filter((r) => r.problem === problemKey),
    forms,
    samplers,
    budgets,
    seeds,
    jobs,
  );
}

await main();
