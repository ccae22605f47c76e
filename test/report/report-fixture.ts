/**
 * A small real run for the report's tests: the built-in world at 10° (2001–2008) written with writeWorld,
 * and a search with the real offline proposer, fit and Shapley step under a tiny budget.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { frameFromObject } from "../../src/search/frame/load.ts";
import { runSearch } from "../../src/search/loop.ts";
import { generateWorld, writeWorld } from "../../src/world/index.ts";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface TinyRun {
  /** The temp folder holding everything (world/, run/). */
  readonly dir: string;
  readonly runDir: string;
  readonly datasetConfig: string;
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
}

/** A finished search on a tiny synthetic world (about five seconds). */
export async function tinyRun(opts: { forms?: number; seed?: number } = {}): Promise<TinyRun> {
  const dir = tmpDir();
  const world = generateWorld({ resolution: 10, firstYear: 2001, lastYear: 2008, seed: 3 });
  const written = await writeWorld(world, path.join(dir, "world"));
  const lf = frameFromObject(
    {
      name: "tiny-report",
      dataset: written.configPath,
      split: { train: "2001-2005", validation: "2006-2007", holdout: 2008 },
      baselines: ["b1", "b2"],
      budget: { forms: opts.forms ?? 3, trialsPerForm: 16, shapley: "winner", shapleyTrials: 8 },
      seed: opts.seed ?? 5,
    },
    dir,
  );
  const runDir = path.join(dir, "run");
  await runSearch(lf, { runDir });
  return { dir, runDir, datasetConfig: written.configPath };
}

/** The ledger's entries, parsed line by line (the test's own reading, independent of src/search). */
export function ledgerEntries(runDir: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(runDir, "ledger.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
