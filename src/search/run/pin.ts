/**
 * Pinning: the frame is copied into the run directory with its canonical hash before the search starts.
 * The ledger is the authority on which hash is pinned (run-start, then each amend); the pin files follow it.
 */
import fs from "node:fs";
import path from "node:path";
import { KilnError } from "../../util/errors.ts";
import { parseFrameText, type LoadedFrame } from "../frame/load.ts";
import type { LedgerEntry } from "../ledger/entries.ts";
import { RUN_FILES, writeFileAtomic } from "./dir.ts";

export interface PinRecord {
  readonly hash: string;
  /** Folder the frame's relative paths resolve against. */
  readonly dir: string;
  readonly source: string;
  readonly name: string;
  readonly pinnedAt: string;
  /** Earlier pins replaced by amendments, oldest first. */
  readonly previous: readonly { hash: string; file: string; until: string }[];
}

/** Keys an amendment may not change: they define the numbers already in the ledger. */
export const UNAMENDABLE = ["dataset", "target", "split", "metric", "baselines"] as const;

export function readPin(runDir: string): PinRecord | null {
  const file = path.join(runDir, RUN_FILES.pin);
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PinRecord;
  } catch (e) {
    throw new KilnError(`the pin record is unreadable: ${(e as Error).message}`, { where: file });
  }
}

/** Pin `lf` in the run directory, keeping the replaced frame's text beside it. */
export function writePin(runDir: string, lf: LoadedFrame, time: string): void {
  const old = readPin(runDir);
  const previous = [...(old?.previous ?? [])];
  if (old && old.hash !== lf.hash) {
    const keep = `frame.${old.hash.slice(0, 12)}.yaml`;
    const cur = path.join(runDir, RUN_FILES.frame);
    if (fs.existsSync(cur)) fs.copyFileSync(cur, path.join(runDir, keep));
    previous.push({ hash: old.hash, file: keep, until: time });
  }
  writeFileAtomic(path.join(runDir, RUN_FILES.frame), lf.text.endsWith("\n") ? lf.text : lf.text + "\n");
  const rec: PinRecord = {
    hash: lf.hash,
    dir: lf.dir,
    source: lf.source,
    name: lf.name,
    pinnedAt: time,
    previous,
  };
  writeFileAtomic(path.join(runDir, RUN_FILES.pin), JSON.stringify(rec, null, 2) + "\n");
}

/** The frame pinned in a run directory, its relative paths resolved as when it was pinned. */
export function loadPinnedFrame(runDir: string): LoadedFrame {
  const pin = readPin(runDir);
  if (!pin) {
    throw new KilnError("no pinned frame here: this is not a run directory", {
      where: runDir,
      hint: "start a run with `kiln search --frame kiln.yaml --run DIR`",
    });
  }
  const file = path.join(runDir, RUN_FILES.frame);
  const text = fs.readFileSync(file, "utf8");
  const lf = parseFrameText(text, file, pin.dir);
  return { ...lf, source: pin.source, name: pin.name };
}

/** The hash the ledger says is pinned (the last amendment's, else the run-start's), or null before run-start. */
export function ledgerHash(entries: readonly LedgerEntry[]): string | null {
  let h: string | null = null;
  for (const e of entries) {
    if (e.kind === "run-start") h = e.frameHash;
    else if (e.kind === "amend") h = e.newHash;
  }
  return h;
}

/** Top-level keys whose canonical value differs between two frames. */
export function changedKeys(a: LoadedFrame, b: LoadedFrame): string[] {
  const x = JSON.parse(a.canonical) as Record<string, unknown>;
  const y = JSON.parse(b.canonical) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  return keys.filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
}
