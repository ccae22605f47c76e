/**
 * `kiln demo`: the whole loop on the built-in world — generate the world, audit it, search forms with the
 * offline proposer, attribute and prune the winner, refit the truth under the same budget, open the sealed
 * holdout once, write the report, and print the winner against the baselines and the truth.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { parseDocument } from "yaml";
import type { ScoreSummary } from "../bench/summary.ts";
import { writeReport } from "../report/build.ts";
import { Ledger } from "../search/ledger/ledger.ts";
import type { HoldoutEntry } from "../search/ledger/entries.ts";
import { loadFrame } from "../search/frame/load.ts";
import { AuditStop, runSearch } from "../search/loop.ts";
import type { CandidateEntry } from "../search/types.ts";
import { KilnError } from "../util/errors.ts";
import { SCENARIOS } from "../world/index.ts";
import { printAudit, runAudit } from "./audit.ts";
import { intOption } from "./fit.ts";
import { SearchReporter } from "./search.ts";
import type { RegisterVerb } from "./verbs.ts";
import { describeWorldRun, runWorld } from "./world.ts";

interface DemoOptions {
  seed?: string;
  scenario?: string;
  resolution?: string;
  years?: string;
  forms?: string;
  trials?: string;
  maps?: boolean;
}

/** The demo's budget: the whole loop within about ten minutes on two cores at 2°. */
export const DEMO_BUDGET = { forms: 20, trialsPerForm: 500, shapleyTrials: 160 } as const;

const EXAMPLE_FRAME = fileURLToPath(new URL("../../examples/world/kiln.yaml", import.meta.url));

/**
 * The demo's frame: examples/world/kiln.yaml (comments kept) with the world's dataset, the demo budget and a
 * winner pick close to the most accurate form (PySR's "best" within 10% of the least loss).
 */
export function demoFrameText(
  datasetConfig: string,
  frameDir: string,
  forms: number,
  trials: number,
): string {
  const doc = parseDocument(fs.readFileSync(EXAMPLE_FRAME, "utf8"));
  doc.set("name", "world-demo");
  doc.set("dataset", path.relative(frameDir, datasetConfig) || datasetConfig);
  doc.setIn(["budget", "forms"], forms);
  doc.setIn(["budget", "trialsPerForm"], trials);
  doc.setIn(
    ["budget", "shapleyTrials"],
    Math.max(40, Math.round((trials * DEMO_BUDGET.shapleyTrials) / DEMO_BUDGET.trialsPerForm)),
  );
  doc.setIn(["budget", "wallTime"], "30m");
  doc.setIn(["win", "lossFactor"], 1.1);
  doc.commentBefore =
    " The frame `kiln demo` wrote for its run: examples/world/kiln.yaml with the demo's budget.\n" +
    " Run it again yourself: kiln search --frame <this file> --run <another folder>";
  return doc.toString();
}

export const registerDemo: RegisterVerb = (program: Command) => {
  program
    .command("demo")
    .description(
      "The whole loop on the built-in world: generate it (2°, 1997–2016), audit it, search forms with the " +
        "offline proposer, run Shapley and the pruning step on the winner, refit the truth under the same " +
        "budget, open the sealed holdout once, write the HTML report and print the winner against the " +
        "baselines and the truth. Run it again to resume or to reprint (nothing is recomputed).",
    )
    .argument("[dir]", "output folder (world/, kiln.yaml, run/, report/)", path.join("out", "demo"))
    .option("--seed <n>", "world seed (default 1)")
    .option("--resolution <deg>", "cell size in degrees (default 2)")
    .option("--years <range>", "consecutive years (default 1997-2016; the frame splits them 12/4/4)")
    .option("--forms <n>", `forms the search proposes (default ${DEMO_BUDGET.forms})`)
    .option("--trials <n>", `trials per form (default ${DEMO_BUDGET.trialsPerForm})`)
    .option(
      "--scenario <name>",
      `inject an input bug to see the audit stop the run: ${SCENARIOS.map((s) => s.name).join(", ")}`,
    )
    .option("--no-maps", "skip the world's PNG maps")
    .addHelpText(
      "after",
      "\nExample:\n  kiln demo\n  kiln demo out/quick --forms 6 --trials 150\n  kiln demo out/bug --scenario dryness-bug   # stops at the audit",
    )
    .action(async (dir: string, opts: DemoOptions) => {
      const started = Date.now();
      const say = (s: string) => process.stdout.write(s + "\n");
      const forms = intOption(opts.forms, "--forms", DEMO_BUDGET.forms, 0);
      const trials = intOption(opts.trials, "--trials", DEMO_BUDGET.trialsPerForm);
      if (opts.years && opts.years !== "1997-2016") {
        throw new KilnError("the demo's frame splits 1997-2016 into train, validation and holdout years", {
          where: "--years",
          hint: "use `kiln world` and `kiln search` with your own frame for other years",
        });
      }

      const worldDir = path.join(dir, "world");
      const runDir = path.join(dir, "run");
      const resumed = fs.existsSync(path.join(runDir, "ledger.jsonl"));
      let configPath = path.join(worldDir, "dataset.yaml");
      if (resumed && fs.existsSync(configPath)) {
        checkResumedWorld(worldDir, opts, dir);
        say(
          `kiln demo: 1/6 the world is already in ${worldDir} (the run there continues; delete ${dir} to start over)`,
        );
      } else {
        say(`kiln demo: 1/6 generating the built-in world into ${worldDir}`);
        const world = await runWorld({ ...opts, out: worldDir });
        say(describeWorldRun(world));
        configPath = world.written.configPath;
      }

      say(`\nkiln demo: 2/6 auditing ${configPath} (every driver and the target, before any fit)`);
      const audit = await runAudit(configPath);
      printAudit(audit, false);
      if (audit.findings.some((f) => f.severity === "error")) {
        say(
          "\nthe audit found errors: the demo stops here, before any fit (origin.md: the optimizer fits your bugs).",
        );
        process.exitCode = 1;
        return;
      }

      const framePath = path.join(dir, "kiln.yaml");
      if (!resumed) fs.writeFileSync(framePath, demoFrameText(configPath, dir, forms, trials));
      if (resumed && holdoutOpened(runDir)) {
        say(
          `\nkiln demo: 3/6 the search in ${runDir} has finished and its holdout is open: nothing left to search`,
        );
      } else {
        say(
          `\nkiln demo: 3/6 searching (offline proposer, ${forms} forms × ${trials} trials; frame ${framePath})`,
        );
        const reporter = new SearchReporter(false);
        let search;
        try {
          search = await runSearch(loadFrame(framePath), {
            runDir,
            resume: resumed,
            onEvent: (e) => reporter.on(e),
          });
        } catch (e) {
          reporter.stop();
          if (e instanceof AuditStop) {
            process.stderr.write(`kiln: ${e.message}\n`);
            process.exitCode = 1;
            return;
          }
          throw e;
        }
        reporter.stop();
        if (!search.end) {
          say(
            `\nthe search stopped early (${search.reason}); run \`kiln demo ${dir}\` again to continue it.`,
          );
          return;
        }
      }

      say(
        "\nkiln demo: 4/6 refitting the truth form with the same budget (a reference the search never saw)",
      );
      say("kiln demo: 5/6 opening the sealed holdout once and writing the report");
      const report = await writeReport(runDir, {
        out: path.join(dir, "report"),
        onStep: (m) => say(`  ${m}`),
      });
      say(`  ${report.holdout.message}`);

      say("\nkiln demo: 6/6 summary");
      say(demoSummary(runDir));
      say(`\nreport: ${report.indexPath}`);
      say(`took ${((Date.now() - started) / 60000).toFixed(1)} min`);
    });
};

/**
 * A resumed demo continues the world already in its folder; a --seed, --resolution or --scenario that asks for
 * another world must not be silently ignored.
 */
function checkResumedWorld(worldDir: string, opts: DemoOptions, dir: string): void {
  const file = path.join(worldDir, "truth.json");
  if (!fs.existsSync(file)) return;
  const truth = JSON.parse(fs.readFileSync(file, "utf8")) as {
    world?: { seed?: number; resolution?: number };
    scenario?: { name?: string } | string | null;
  };
  const had = {
    seed: truth.world?.seed ?? 1,
    resolution: truth.world?.resolution ?? 2,
    scenario: typeof truth.scenario === "string" ? truth.scenario : (truth.scenario?.name ?? null),
  };
  const asked = {
    seed: opts.seed === undefined ? had.seed : Number(opts.seed),
    resolution: opts.resolution === undefined ? had.resolution : Number(opts.resolution),
    scenario: opts.scenario === undefined ? had.scenario : opts.scenario,
  };
  const differ = (Object.keys(had) as (keyof typeof had)[]).filter((k) => had[k] !== asked[k]);
  if (differ.length === 0) return;
  const show = (w: typeof had) =>
    `seed ${w.seed}, ${w.resolution}°, ${w.scenario ? `scenario ${w.scenario}` : "no scenario"}`;
  throw new KilnError(
    `${dir} holds a demo run on another world (${show(had)}) than the one asked for (${show(asked)})`,
    {
      where: worldDir,
      hint: `give this demo its own folder (\`kiln demo out/other …\`), or delete ${dir} to start over`,
    },
  );
}

/** True once the report step has opened the run's sealed holdout (after which the search may not continue). */
function holdoutOpened(runDir: string): boolean {
  const ledger = Ledger.open(runDir, { readOnly: true });
  try {
    return ledger.entries.some((e) => e.kind === "holdout");
  } finally {
    ledger.close();
  }
}

/** The winner against the baselines and the truth: every component on validation and holdout years. */
export function demoSummary(runDir: string): string {
  const ledger = Ledger.open(runDir, { readOnly: true });
  const entries = ledger.entries;
  const holdout = entries.find((e): e is HoldoutEntry => e.kind === "holdout");
  const cands = entries.filter((e): e is CandidateEntry => e.kind === "candidate");
  if (!holdout) return "the holdout has not been opened: no summary yet";
  const byId = new Map(cands.map((c) => [c.id, c]));
  const hold = new Map(holdout.scores.map((s) => [s.id, s.holdout]));
  const winner = holdout.winnerId ? byId.get(holdout.winnerId) : undefined;
  const pruned = winner ? cands.find((c) => c.origin === "pruned" && c.parentId === winner.id) : undefined;
  const truth = cands.find((c) => c.origin === "truth" && c.status !== "crash");
  const baselines = cands.filter((c) => c.origin === "baseline");
  const rows: { label: string; c: CandidateEntry }[] = [];
  if (winner) rows.push({ label: "winner", c: winner });
  if (pruned) rows.push({ label: "pruned winner", c: pruned });
  if (truth) rows.push({ label: "truth (refit)", c: truth });
  for (const b of baselines) rows.push({ label: "baseline", c: b });

  const f = (x: number | null | undefined) =>
    x === null || x === undefined ? "    – " : x.toFixed(3).padStart(6);
  const comp = (s: ScoreSummary | null | undefined) => {
    const g = s ? s.regions[s.region] : undefined;
    return [f(s?.overall), f(g?.bias), f(g?.rmse), f(g?.seasonal), f(g?.spatial)].join(" ");
  };
  const out: string[] = [];
  out.push(
    `${"".padEnd(15)} ${"id".padEnd(6)} ${"form".padEnd(30)} ${"n".padStart(3)} | validation: Overall  Bias   RMSE   Seas   Spat | holdout: Overall  Bias   RMSE   Seas   Spat`,
  );
  for (const { label, c } of rows) {
    const name = c.name.length > 30 ? c.name.slice(0, 29) + "…" : c.name;
    out.push(
      `${label.padEnd(15)} ${c.id.padEnd(6)} ${name.padEnd(30)} ${String(c.nParams).padStart(3)} |       ${comp(c.validation)} |       ${comp(hold.get(c.id))}`,
    );
  }
  if (winner) {
    out.push("");
    out.push(`winner's mechanisms: ${winner.mechanisms.join(" × ")}`);
    if (pruned) out.push(`after pruning:       ${pruned.mechanisms.join(" × ")}`);
    if (truth) out.push(`truth's mechanisms:  ${truth.mechanisms.join(" × ")}`);
    const wh = hold.get(winner.id)?.overall ?? null;
    const th = truth ? (hold.get(truth.id)?.overall ?? null) : null;
    if (wh !== null && th !== null) {
      const gap = wh - th;
      out.push(
        `holdout Overall: winner ${wh.toFixed(4)}, truth refit ${th.toFixed(4)} (difference ${gap >= 0 ? "+" : ""}${gap.toFixed(4)}; ` +
          `${Math.abs(gap) <= 0.02 || gap > 0 ? "within 0.02 of the truth or above it" : "more than 0.02 below the truth"})`,
      );
    }
    const beats = baselines.filter((b) => {
      const bh = hold.get(b.id)?.overall;
      return wh !== null && bh !== null && bh !== undefined && wh > bh;
    });
    out.push(
      `beats ${beats.length} of ${baselines.length} stock baselines on holdout Overall; frame's win rule: ${holdout.win === null ? "n/a" : holdout.win ? "won" : "not won"}`,
    );
    for (const v of holdout.verdicts.filter((v) => v.candidateId === winner.id && !v.pass)) {
      out.push(`  against ${v.baselineName}: ${v.reason}`);
    }
  }
  return out.join("\n");
}
