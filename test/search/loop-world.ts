/**
 * Shared by the search tests: a tiny built-in world on disk (10°, 2001–2006), frames written beside it, a
 * reproducible clock, and ledgers read with their wall-clock fields normalised.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { generateWorld, writeWorld } from "../../src/world/index.ts";

export const TINY = { resolution: 10, firstYear: 2001, lastYear: 2006, seed: 1 } as const;

const made: string[] = [];

/** A fresh folder under the system's temp dir, removed by `cleanup()`. */
export function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  made.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Write the tiny world into `dir` (dataset.yaml, NetCDF files, truth.json); returns the config path. */
export async function tinyWorld(dir: string, scenario?: string): Promise<string> {
  const w = generateWorld({ ...TINY, scenario });
  return (await writeWorld(w, dir)).configPath;
}

/** A small, fast frame for the tiny world; `over` replaces top-level keys. */
export function tinyFrame(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "tiny",
    dataset: "data/dataset.yaml",
    split: { train: "2001-2003", validation: "2004-2005", holdout: 2006 },
    metric: { regions: ["global", "nhaf", "shaf", "aust", "seas", "shsa", "nhsa"] },
    baselines: ["b1", "b2"],
    budget: { forms: 3, trialsPerForm: 12, shapley: "none", shapleyTrials: 6 },
    seed: 7,
    ...over,
  };
}

export function writeFrame(dir: string, frame: Record<string, unknown>, file = "kiln.yaml"): string {
  const p = path.join(dir, file);
  fs.writeFileSync(p, stringify(frame));
  return p;
}

/** A clock that advances one second per reading, from a fixed start. */
export function stepClock(start = Date.UTC(2030, 0, 1)): () => number {
  let t = start;
  return () => (t += 1000);
}

/** Wall-clock fields: differ between runs however the clock is injected (real elapsed times, cache hits). */
export const TIME_KEYS = ["time", "startedAt", "seconds", "elapsedMs", "newEvaluations"] as const;

export function normalise(value: unknown, keys: readonly string[] = TIME_KEYS): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, keys));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = keys.includes(k) ? 0 : normalise(v, keys);
    return out;
  }
  return value;
}

export function ledgerLines(runDir: string): string[] {
  return fs.readFileSync(path.join(runDir, "ledger.jsonl"), "utf8").split("\n").filter(Boolean);
}

export function normalisedLedger(runDir: string, keys: readonly string[] = TIME_KEYS): string[] {
  return ledgerLines(runDir).map((l) => JSON.stringify(normalise(JSON.parse(l), keys)));
}
