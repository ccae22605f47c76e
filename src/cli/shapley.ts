/** `kiln shapley FORM --frame kiln.yaml`: which mechanisms carry weight, with refits. */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { attributeForm } from "../ablate/attribute.ts";
import { formatInteractionMatrix, formatPruning, formatShapleyTable } from "../ablate/table.ts";
import type { SamplerName } from "../fit/samplers/registry.ts";
import { loadForm } from "../forms/index.ts";
import { interactionHeatmapPng, shapleyBarPng } from "../report/shapley-charts.ts";
import { loadFrame } from "../search/frame.ts";
import { loadSearchData } from "../search/loop/data.ts";
import { componentTable, intOption, samplerOption } from "./fit.ts";
import type { RegisterVerb } from "./verbs.ts";

export const registerShapley: RegisterVerb = (program: Command) => {
  program
    .command("shapley")
    .description("Shapley values of a form's mechanisms with refits, interactions, and the pruning step")
    .argument("<form>", "form file (YAML or JSON)")
    .requiredOption("--frame <kiln.yaml>", "the frame: dataset, target, years, metric")
    .option("--exact", "enumerate all 2^N coalitions (default up to 12 mechanisms)")
    .option("--permutations <m>", "sample at most M permutations (antithetic pairs) instead")
    .option("--jobs <n>", "coalitions fitted at once, one per worker thread", "2")
    .option("--trials <n>", "trials of the full form's refit; coalitions get a share by parameter count")
    .option("--sampler <name>", "sampler of every refit")
    .option("--noise-seeds <n>", "extra seeds for the refit-noise estimate", "2")
    .option("--out <dir>", "where attribution.json and the charts go (default shapley-<form name>)")
    .addHelpText(
      "after",
      "\nExample:\n  kiln shapley examples/world/eight.form.yaml --frame examples/world/kiln.yaml --exact --jobs 2",
    )
    .action(async (formPath: string, o: Record<string, string | boolean | undefined>) => {
      const lf = loadFrame(o.frame as string);
      const form = loadForm(formPath);
      const out = (o.out as string | undefined) ?? `shapley-${form.name.replace(/[^A-Za-z0-9_.-]+/g, "_")}`;
      fs.mkdirSync(out, { recursive: true });
      const data = await loadSearchData(lf);
      const seed = lf.frame.seed;
      const nNoise = intOption(o.noiseSeeds as string, "--noise-seeds", 2, 0);
      const method = o.permutations ? "permutation" : o.exact ? "exact" : undefined;
      let lastPrint = 0;
      const attribution = await attributeForm(data.problem, form, {
        fit: {
          sampler: samplerOption(o.sampler as string | undefined, lf.frame.fit.sampler as SamplerName),
          trials: intOption(o.trials as string | undefined, "--trials", lf.frame.budget.shapleyTrials),
          jobs: 1,
          seed,
        },
        method,
        maxPermutations: o.permutations
          ? intOption(o.permutations as string, "--permutations", 20)
          : undefined,
        concurrency: intOption(o.jobs as string, "--jobs", 2),
        noiseSeeds: Array.from({ length: nNoise }, (_, k) => seed + 1 + k),
        storagePath: path.join(out, "fits.sqlite"),
        onProgress: (e) => {
          const now = Date.now();
          if (now - lastPrint < 2000 && e.done < e.total) return;
          lastPrint = now;
          const eta = e.etaMs === null ? "?" : `${Math.round(e.etaMs / 1000)} s`;
          process.stderr.write(
            `${e.phase}: ${e.done}/${e.total} refits, ${Math.round(e.elapsedMs / 1000)} s, ETA ${eta}\n`,
          );
        },
      });
      const val = attribution.shapley.validation;
      fs.writeFileSync(path.join(out, "attribution.json"), JSON.stringify(attribution, null, 2) + "\n");
      fs.writeFileSync(path.join(out, "shapley.png"), shapleyBarPng(val));
      const heat = interactionHeatmapPng(val);
      if (heat) fs.writeFileSync(path.join(out, "interactions.png"), heat);
      const trainShare = attribution.shapley.train.share;
      console.log(
        `${form.name}: ${attribution.fitsRun} refits in ${attribution.seconds.toFixed(0)} s; budget by parameter count ${JSON.stringify(attribution.budget)}`,
      );
      console.log("\nValidation years");
      console.log(formatShapleyTable(val));
      console.log("\n" + formatInteractionMatrix(val));
      console.log("\nTraining-years share beside the validation share (a large gap flags overfitting)");
      attribution.players.forEach((p, i) => {
        const v = val.share[i];
        const t = trainShare[i];
        const flag = attribution.shapley.overfit[i] ? "  ← buys training score" : "";
        console.log(
          `  ${p.padEnd(28)} train ${t === null ? "—" : (100 * t).toFixed(1) + "%"}  validation ${v === null ? "—" : (100 * v).toFixed(1) + "%"}${flag}`,
        );
      });
      console.log("\n" + formatPruning(attribution.pruning));
      if (attribution.reduced) {
        const r = attribution.reduced;
        console.log(`\nFull against reduced (${r.kept.join(" × ")}), refit with the same budget:`);
        console.log(
          componentTable([
            { label: "full val", s: r.full.validation },
            { label: "reduced val", s: r.validation },
          ]),
        );
      }
      console.log(`\nwrote ${out}/attribution.json, shapley.png${heat ? ", interactions.png" : ""}`);
    });
};
