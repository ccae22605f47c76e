/**
 * `kiln demo`: for now, generate the default built-in world and audit it through the same io path as
 * real data (the full search loop joins later).
 */
import path from "node:path";
import type { Command } from "commander";
import { summaryLine } from "../audit/index.ts";
import { SCENARIOS } from "../world/index.ts";
import { printAudit, runAudit } from "./audit.ts";
import type { RegisterVerb } from "./verbs.ts";
import { describeWorldRun, runWorld } from "./world.ts";

interface DemoOptions {
  seed?: string;
  scenario?: string;
  resolution?: string;
  years?: string;
  maps?: boolean;
}

export const registerDemo: RegisterVerb = (program: Command) => {
  program
    .command("demo")
    .description(
      "Generate the built-in world (2°, 1997–2016) into a folder and audit it; prints where everything " +
        "went and what the audit found. Exits with status 1 when the audit finds errors.",
    )
    .argument("[dir]", "output folder", path.join("out", "world"))
    .option("--seed <n>", "world seed (default 1)")
    .option("--resolution <deg>", "cell size in degrees (default 2)")
    .option("--years <range>", "consecutive years (default 1997-2016)")
    .option(
      "--scenario <name>",
      `inject an input bug to see the audit catch it: ${SCENARIOS.map((s) => s.name).join(", ")}`,
    )
    .option("--no-maps", "skip the PNG maps")
    .addHelpText("after", "\nExample:\n  kiln demo\n  kiln demo out/bug --scenario dryness-bug")
    .action(async (dir: string, opts: DemoOptions) => {
      process.stdout.write(`kiln demo: 1/2 generating the built-in world into ${dir}\n`);
      const run = await runWorld({ ...opts, out: dir });
      process.stdout.write(describeWorldRun(run) + "\n\n");
      process.stdout.write(`kiln demo: 2/2 auditing ${run.written.configPath} (loaded through src/io)\n`);
      const audit = await runAudit(run.written.configPath);
      printAudit(audit, false);
      const errors = audit.findings.some((f) => f.severity === "error");
      process.stdout.write(
        `\n${summaryLine(audit.findings)}: ` +
          (errors
            ? "the audit stopped this world before any fit; see the errors above."
            : "the world is ready for a fit.") +
          `\nNext: kiln audit ${run.written.configPath} --json · open ${path.join(dir, "maps")}/*.png\n`,
      );
      if (errors) process.exitCode = 1;
    });
};
