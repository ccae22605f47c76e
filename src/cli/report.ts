/** `kiln report RUN --out DIR`: the static HTML report of a finished run (opens the sealed holdout once). */
import path from "node:path";
import type { Command } from "commander";
import { writeReport } from "../report/build.ts";
import type { RegisterVerb } from "./verbs.ts";

interface ReportCliOptions {
  out?: string;
  truth?: boolean;
  quiet?: boolean;
}

export const registerReport: RegisterVerb = (program: Command) => {
  program
    .command("report")
    .description(
      "Write the HTML report of a finished run: the pinned frame, the leaderboard (winner, pruned winner, " +
        "baselines, truth) on train, validation and the sealed holdout under every aggregation convention, " +
        "per-region tables, residual maps, seasonal cycles, Shapley attribution, the search trajectory and " +
        "Pareto front, the input audit, and the winning formula with its exports. The holdout is opened here " +
        "once and recorded in the ledger; later reports reuse those scores. The site needs no server and no network.",
    )
    .argument("<run>", "the run folder (`kiln search --run`)")
    .option("--out <dir>", "output folder (default RUN/report)")
    .option("--no-truth", "for a synthetic world, do not refit the truth form as a reference row")
    .option("--quiet", "print only the path of the page")
    .addHelpText(
      "after",
      "\nExample:\n  kiln report runs/world --out out/report\n  open out/report/index.html",
    )
    .action(async (run: string, opts: ReportCliOptions) => {
      const say = (s: string) => {
        if (!opts.quiet) process.stdout.write(s + "\n");
      };
      const res = await writeReport(run, {
        out: opts.out,
        truth: opts.truth,
        onStep: (m) => say(`kiln report: ${m}`),
      });
      if (res.truth?.added) say(`kiln report: ${res.truth.note}`);
      say(`kiln report: ${res.holdout.message}`);
      say(
        `kiln report: ${res.sections.length} sections in ${res.seconds.total.toFixed(1)} s ` +
          `(truth ${res.seconds.truth.toFixed(1)} s, holdout ${res.seconds.holdout.toFixed(1)} s, data ${res.seconds.data.toFixed(1)} s, page ${res.seconds.page.toFixed(1)} s)`,
      );
      const rel = path.relative(process.cwd(), res.indexPath);
      process.stdout.write(`${rel.startsWith("..") ? res.indexPath : rel}\n`);
    });
};
