/**
 * The one adapter between a run directory and the report: what the report reads from the ledger and the
 * pinned frame, the two things it may add to a finished run (the synthetic world's truth refit, before the
 * holdout; the holdout opening, via search/holdout.ts), and the search view of the data (train and
 * validation years only) for maps and cycles. If the search layer's files change, this is the file to fix.
 */
import fs from "node:fs";
import path from "node:path";
import { FitProblem } from "../fit/form/problem.ts";
import { openHoldout, type HoldoutOutcome } from "../search/holdout.ts";
import type {
  AmendEntry,
  AuditNote,
  HoldoutEntry,
  LedgerEntry,
  PruneEntry,
  RunEndEntry,
  RunStartEntry,
  ShapleyEntry,
} from "../search/ledger/entries.ts";
import { LEDGER_FILE, Ledger } from "../search/ledger/ledger.ts";
import type { LoadedFrame } from "../search/frame/load.ts";
import { datasetPath, resolveBaselines } from "../search/frame/resolve.ts";
import { addReferenceForms } from "../search/loop/reference.ts";
import { loadSearchData } from "../search/loop/data.ts";
import { RUN_FILES, isRunDir } from "../search/run/dir.ts";
import { loadPinnedFrame, readPin, type PinRecord } from "../search/run/pin.ts";
import type { CandidateEntry } from "../search/types.ts";
import { KilnError } from "../util/errors.ts";
import { TRUTH_FILE, TruthParamsSchema, builtinFormParams, type TruthParams } from "../world/index.ts";

/** The synthetic world's truth.json, when the run's dataset is a built-in world. */
export interface WorldTruth {
  readonly file: string;
  readonly formula: string;
  /** The truth's terms (library mechanism ids, or custom term names), in order. */
  readonly mechanisms: readonly string[];
  readonly parameters: TruthParams;
  /** The truth as a form spec and its parameter values under the form's names. */
  readonly form: unknown;
  readonly formParams: Readonly<Record<string, number>>;
}

export interface RunData {
  readonly runDir: string;
  readonly frame: LoadedFrame;
  /** The pinned frame as written (frame.yaml in the run). */
  readonly frameText: string;
  /** The hash the ledger says is pinned (the last amendment's, else the run-start's). */
  readonly frameHash: string;
  readonly pin: PinRecord;
  /** Frames replaced by amendments, oldest first, with their text when the copy is still there. */
  readonly previousFrames: readonly { hash: string; file: string; until: string; text: string | null }[];
  readonly start: RunStartEntry;
  readonly amendments: readonly AmendEntry[];
  /** Every candidate, in ledger order (baselines first, reference forms last). */
  readonly candidates: readonly CandidateEntry[];
  readonly byId: ReadonlyMap<string, CandidateEntry>;
  /** The last Shapley and prune entries per candidate. */
  readonly shapley: ReadonlyMap<string, ShapleyEntry>;
  readonly prune: ReadonlyMap<string, PruneEntry>;
  readonly end: RunEndEntry;
  readonly holdout: HoldoutEntry | null;
  /** Baseline candidate id → the frame's short name (b1, a file stem, an inline name). */
  readonly baselineNames: ReadonlyMap<string, string>;
  readonly truth: WorldTruth | null;
  readonly ledgerFile: string;
}

/** Read a finished run (read-only: nothing is written). */
export function readRun(runDir: string): RunData {
  const dir = path.resolve(runDir);
  if (!fs.existsSync(dir))
    throw new KilnError("no such run folder", {
      where: dir,
      hint: "pass the folder `kiln search --run` wrote",
    });
  if (!isRunDir(dir)) {
    throw new KilnError("this folder is not a run (no pin.json)", {
      where: dir,
      hint: "pass the folder `kiln search --run DIR` wrote (it holds frame.yaml, pin.json and ledger.jsonl)",
    });
  }
  const ledger = Ledger.open(dir, { readOnly: true });
  let entries: readonly LedgerEntry[];
  try {
    entries = [...ledger.entries];
  } finally {
    ledger.close();
  }
  const ledgerFile = path.join(dir, LEDGER_FILE);
  const start = entries.find((e): e is RunStartEntry => e.kind === "run-start");
  if (!start)
    throw new KilnError("the ledger has no run-start: the search never started", { where: ledgerFile });
  const end = [...entries].reverse().find((e): e is RunEndEntry => e.kind === "run-end");
  if (!end) {
    throw new KilnError("the search of this run has not finished (no run-end in the ledger)", {
      where: ledgerFile,
      hint: "finish it first (`kiln search --run DIR --resume`); the report is written for a finished run",
    });
  }
  const frame = loadPinnedFrame(dir);
  const pin = readPin(dir)!;
  const amendments = entries.filter((e): e is AmendEntry => e.kind === "amend");
  const candidates = entries.filter((e): e is CandidateEntry => e.kind === "candidate");
  const shapley = new Map<string, ShapleyEntry>();
  const prune = new Map<string, PruneEntry>();
  for (const e of entries) {
    if (e.kind === "shapley") shapley.set(e.candidateId, e);
    else if (e.kind === "prune") prune.set(e.candidateId, e);
  }
  const baselines = candidates.filter((c) => c.origin === "baseline");
  const names = resolveBaselines(frame).map((b) => b.name);
  return {
    runDir: dir,
    frame,
    frameText: fs.readFileSync(path.join(dir, RUN_FILES.frame), "utf8"),
    frameHash: amendments.length ? amendments[amendments.length - 1].newHash : start.frameHash,
    pin,
    previousFrames: pin.previous.map((p) => {
      const file = path.join(dir, p.file);
      return { ...p, text: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null };
    }),
    start,
    amendments,
    candidates,
    byId: new Map(candidates.map((c) => [c.id, c])),
    shapley,
    prune,
    end,
    holdout: entries.find((e): e is HoldoutEntry => e.kind === "holdout") ?? null,
    baselineNames: new Map(baselines.map((b, i) => [b.id, names[i] ?? b.name])),
    truth: readWorldTruth(frame),
    ledgerFile,
  };
}

/** truth.json beside the run's dataset config (a built-in world), or null. */
export function readWorldTruth(frame: LoadedFrame): WorldTruth | null {
  const file = path.join(path.dirname(datasetPath(frame)), TRUTH_FILE);
  if (!fs.existsSync(file)) return null;
  let raw: {
    kind?: unknown;
    formula?: unknown;
    drivers?: unknown;
    parameters?: unknown;
    form?: unknown;
    formParams?: unknown;
  };
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8")) as typeof raw;
  } catch (e) {
    throw new KilnError(`the world's truth file is not JSON: ${(e as Error).message}`, { where: file });
  }
  if (raw.kind !== "kiln-world-truth") return null;
  const params = TruthParamsSchema.safeParse(raw.parameters);
  if (!params.success || !raw.drivers || typeof raw.drivers !== "object") {
    throw new KilnError("the world's truth file has no valid parameters or drivers", {
      where: file,
      hint: "it is written by `kiln world`; regenerate the world rather than editing it",
    });
  }
  // Worlds written before truth.json carried its form: the built-in truth's mechanisms and parameters.
  const form =
    raw.form && typeof raw.form === "object"
      ? raw.form
      : {
          name: "world-truth",
          combiner: "product",
          terms: Object.keys(raw.drivers).map((m) => ({ mechanism: m })),
        };
  const terms = ((form as { terms?: unknown }).terms ?? []) as { mechanism?: string; name?: string }[];
  return {
    file,
    formula: typeof raw.formula === "string" ? raw.formula : "",
    mechanisms: terms.map((t) => t.mechanism ?? t.name ?? "?"),
    parameters: params.data,
    form,
    formParams:
      raw.formParams && typeof raw.formParams === "object"
        ? (raw.formParams as Record<string, number>)
        : builtinFormParams(params.data),
  };
}

/** The truth as a form spec. */
export function truthSpec(truth: WorldTruth): unknown {
  return truth.form;
}

/** The truth's own parameter values under the truth form's parameter names. */
export function truthParams(truth: WorldTruth): Record<string, number> {
  return { ...truth.formParams };
}

export interface TruthRefit {
  /** The truth's candidate entry (added now or found in the ledger), or null. */
  readonly entry: CandidateEntry | null;
  readonly added: boolean;
  readonly note: string;
}

/**
 * For a synthetic world: fit the truth form with the run's budget as a reference candidate (origin
 * "truth", never seen by the search), unless the ledger has it. This must happen before the holdout is
 * opened (a run whose holdout is open takes no more candidates), so that the truth is scored there too.
 */
export async function ensureTruthRefit(run: RunData): Promise<TruthRefit> {
  const had = run.candidates.find((c) => c.origin === "truth" && c.status !== "crash");
  if (had) return { entry: had, added: false, note: `the truth refit is ${had.id} in the ledger` };
  if (!run.truth) return { entry: null, added: false, note: "not a synthetic world: no truth" };
  if (run.holdout) {
    return {
      entry: null,
      added: false,
      note: "the truth was not refit before the holdout was opened; a run with an open holdout takes no more candidates",
    };
  }
  const [entry] = await addReferenceForms(run.runDir, [
    {
      spec: truthSpec(run.truth),
      hypothesis:
        "the synthetic world's truth form, refit with the run's budget (a reference, not part of the search)",
      rationale:
        "how close the search came to the form that generated the data, under the same fitting budget",
    },
  ]);
  return { entry, added: true, note: `the truth form was refit with the run's budget as ${entry.id}` };
}

/** Open the sealed holdout once (search/holdout.ts records it), or get the result recorded earlier. */
export async function openRunHoldout(run: RunData): Promise<HoldoutOutcome> {
  return openHoldout(run.runDir);
}

/**
 * The search view of the data (train and validation years; the holdout years are never loaded here), checked
 * against the fingerprint the run started with.
 */
export async function loadSearchView(run: RunData): Promise<FitProblem> {
  const data = await loadSearchData(run.frame);
  if (data.problem.fingerprint !== run.start.dataset.fingerprint) {
    throw new KilnError("the search years of the data differ from what the search saw (fingerprint)", {
      where: datasetPath(run.frame),
      hint: "write the report on the data the run was searched on",
    });
  }
  return data.problem;
}

/** The search-years audit the run recorded before any fit. */
export function searchAudit(run: RunData): readonly AuditNote[] {
  return run.start.audit.findings;
}
