/** `kiln audit DATASET.yaml`: check every driver and the target before any fit (docs/audit.md). */
import type { Command } from "commander";
import { auditDataset, auditJson, formatFindings, type CheckId, type Finding } from "../audit/index.ts";
import { parseYears } from "../grid/split.ts";
import { loadDataset, type LoadedDataset } from "../io/dataset-config.ts";
import { KilnError } from "../util/errors.ts";
import type { RegisterVerb } from "./verbs.ts";

export interface AuditCommandOptions {
  target?: string;
  json?: boolean;
  holdout?: string;
  skip?: string;
}

const CHECKS: readonly CheckId[] = [
  "target",
  "nonfinite",
  "fill-value",
  "range",
  "units-attribute",
  "constant",
  "burned-coverage",
  "time-axis",
  "near-duplicate",
  "shift",
];

export interface AuditRun {
  loaded: LoadedDataset;
  findings: Finding[];
  target: string | undefined;
}

/** Load a dataset config through src/io and audit it. */
export async function runAudit(configPath: string, opts: AuditCommandOptions = {}): Promise<AuditRun> {
  const loaded = await loadDataset(configPath);
  const years = loaded.dataset.time.yearList();
  let split: { train: number[]; holdout: number[] } | undefined;
  if (opts.holdout) {
    let holdout: number[];
    try {
      holdout = parseYears(opts.holdout);
    } catch (e) {
      throw new KilnError((e as Error).message, { where: "--holdout" });
    }
    const missing = holdout.filter((y) => !years.includes(y));
    if (missing.length) {
      throw new KilnError(
        `holdout years ${missing.join(", ")} are not in the data (${years[0]}–${years[years.length - 1]})`,
        {
          where: "--holdout",
        },
      );
    }
    split = { train: years.filter((y) => !holdout.includes(y)), holdout };
  }
  const skip = (opts.skip ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of skip) {
    if (!CHECKS.includes(s as CheckId)) {
      throw new KilnError(`unknown check '${s}'`, {
        where: "--skip",
        hint: `the checks are: ${CHECKS.join(", ")}`,
      });
    }
  }
  const target = opts.target ?? loaded.target;
  const findings = auditDataset(loaded, { target, split, skip: skip as CheckId[] });
  return { loaded, findings, target };
}

export function printAudit(run: AuditRun, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(auditJson(run.loaded, run.findings, run.target), null, 2) + "\n");
    return;
  }
  const ds = run.loaded.dataset;
  process.stdout.write(
    `auditing ${run.loaded.name} (${run.loaded.configPath}): ${ds.nCell} cells, ${ds.time.describe()}, ` +
      `${ds.names().length} fields, target ${run.target ?? "(none)"}\n` +
      formatFindings(run.findings) +
      "\n",
  );
}

export const registerAudit: RegisterVerb = (program: Command) => {
  program
    .command("audit")
    .description(
      "Check every driver and the target before any fit: NaN/Inf and leaking fill values, values outside " +
        "the physical range (with the unit they look like), file units that disagree with the config, " +
        "constant or all-zero fields, drivers dead where the target burns (the dryness bug), time-axis " +
        "gaps, near-duplicate drivers and train/holdout shift. Exits with status 1 when there are errors.",
    )
    .argument("<dataset>", "a dataset config (dataset.yaml)")
    .option("--target <name>", "the target variable (default: the config's target)")
    .option("--holdout <years>", "holdout years for the shift check (default: the last 20% of the years)")
    .option("--skip <checks>", `comma-separated checks to skip (${CHECKS.join(", ")})`)
    .option("--json", "print the findings as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  kiln audit out/world/dataset.yaml\n  kiln audit examples/pantanal/dataset.yaml --json",
    )
    .action(async (dataset: string, opts: AuditCommandOptions) => {
      const run = await runAudit(dataset, opts);
      printAudit(run, opts.json === true);
      if (run.findings.some((f) => f.severity === "error")) process.exitCode = 1;
    });
};
