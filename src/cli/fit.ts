/** `kiln fit FORM --frame kiln.yaml`: fit a form's parameters on the frame's training years. */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { ScoreSummary } from "../bench/summary.ts";
import { fitForm, type FitConfig } from "../fit/form/fit-form.ts";
import { SAMPLER_NAMES, type SamplerName } from "../fit/samplers/registry.ts";
import { openStorage } from "../fit/storage/open.ts";
import { loadForm } from "../forms/index.ts";
import { loadFrame } from "../search/frame.ts";
import { loadSearchData } from "../search/loop/data.ts";
import { KilnError } from "../util/errors.ts";
import { progress } from "../util/progress.ts";
import type { RegisterVerb } from "./verbs.ts";

export function intOption(text: string | undefined, what: string, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!Number.isInteger(x) || x < min)
    throw new KilnError(`${what} must be a whole number ≥ ${min}, got '${text}'`);
  return x;
}

export function samplerOption(text: string | undefined, fallback: SamplerName): SamplerName {
  if (text === undefined) return fallback;
  if (!(SAMPLER_NAMES as readonly string[]).includes(text)) {
    throw new KilnError(`unknown sampler '${text}'`, {
      where: "--sampler",
      hint: `use one of ${SAMPLER_NAMES.join(", ")}`,
    });
  }
  return text as SamplerName;
}

/** One line per component: train and validation side by side. */
export function componentTable(rows: { label: string; s: ScoreSummary | null }[]): string {
  const f = (x: number | null | undefined) => (x === null || x === undefined ? "   —  " : x.toFixed(4));
  const head = ["", "Overall", "Bias", "RMSE", "Seasonal", "Spatial"];
  const lines = [head.map((h, i) => (i === 0 ? h.padEnd(12) : h.padStart(9))).join("")];
  for (const { label, s } of rows) {
    const g = s?.regions[s.region];
    const cells = [f(s?.overall), f(g?.bias), f(g?.rmse), f(g?.seasonal), f(g?.spatial)];
    lines.push(label.padEnd(12) + cells.map((c) => c.padStart(9)).join(""));
  }
  return lines.join("\n");
}

export const registerFit: RegisterVerb = (program: Command) => {
  program
    .command("fit")
    .description("fit a form's parameters on the frame's training years (ILAMB Overall as the objective)")
    .argument("<form>", "form file (YAML or JSON)")
    .requiredOption("--frame <kiln.yaml>", "the frame: dataset, target, years, metric")
    .option("--trials <n>", "trials in all (a resumed study counts its finished ones)")
    .option("--jobs <n>", "trials evaluated at once in worker threads")
    .option("--sampler <name>", `one of ${SAMPLER_NAMES.join(", ")}`)
    .option("--seed <n>", "seed of the sampler (default: the frame's)")
    .option("--storage <url>", "study storage: memory or sqlite:PATH (resumable)", "memory")
    .option("--out <dir>", "where params.json and scores.json go (default fit-<form name>)")
    .addHelpText(
      "after",
      "\nExample:\n  kiln fit examples/world/truth.form.yaml --frame examples/world/kiln.yaml --trials 800 --jobs 2 --storage sqlite:out/fit.sqlite",
    )
    .action(async (formPath: string, o: Record<string, string | undefined>) => {
      const lf = loadFrame(o.frame!);
      const form = loadForm(formPath);
      const cfg: FitConfig = {
        sampler: samplerOption(o.sampler, lf.frame.fit.sampler as SamplerName),
        trials: intOption(o.trials, "--trials", lf.frame.budget.trialsPerForm),
        jobs: intOption(o.jobs, "--jobs", lf.frame.fit.jobs),
        seed: intOption(o.seed, "--seed", lf.frame.seed, 0),
      };
      const data = await loadSearchData(lf);
      const storage = openStorage(o.storage ?? "memory");
      process.stderr.write(
        `fitting ${form.name} (${form.nParams} parameters) on ${lf.frame.split.train.length} training years, ` +
          `${cfg.trials} trials, sampler ${cfg.sampler}, ${cfg.jobs} job(s)\n`,
      );
      const bar = progress("fit", cfg.trials);
      let last = 0;
      const fit = await fitForm(data.problem, form, {
        ...cfg,
        storage,
        onProgress: (done, _total, best) => {
          bar.tick(done - last, `best ${best.toFixed(4)}`);
          last = done;
        },
      }).finally(() => bar.stop());
      await storage.close();
      const out = o.out ?? `fit-${form.name.replace(/[^A-Za-z0-9_.-]+/g, "_")}`;
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(
        path.join(out, "params.json"),
        JSON.stringify({ form: form.name, hash: form.hash, params: fit.params }, null, 2) + "\n",
      );
      fs.writeFileSync(
        path.join(out, "scores.json"),
        JSON.stringify(
          {
            form: form.name,
            fit: { ...cfg, trials: fit.trials, failed: fit.failed, seconds: fit.seconds },
            train: fit.train,
            validation: fit.validation,
          },
          null,
          2,
        ) + "\n",
      );
      console.log(`${form.name}: ${fit.trials} trials (${fit.failed} failed) in ${fit.seconds.toFixed(1)} s`);
      console.log(
        componentTable([
          { label: "train", s: fit.train },
          { label: "validation", s: fit.validation },
        ]),
      );
      console.log("parameters:");
      for (const [k, v] of Object.entries(fit.params)) console.log(`  ${k.padEnd(36)} ${v.toPrecision(5)}`);
      console.log(`wrote ${path.join(out, "params.json")} and ${path.join(out, "scores.json")}`);
    });
};
