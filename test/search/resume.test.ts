/**
 * Crash and resume: a search in a child process dies by SIGKILL part-way, then is resumed; no candidate is
 * lost or duplicated, and the final ledger equals an uninterrupted run's with the wall-clock fields
 * normalised. The kill points: from outside at an arbitrary moment; right after a ledger entry; inside a fit
 * between two trials (the fit resumes from the run's study.sqlite); inside a trial. And a harness failure
 * (worker threads that cannot start) stops the run without recording the candidate, so the resumed run is
 * the same too.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { after, before, describe, it } from "node:test";
import { createStudy, floatParam } from "../../src/fit/index.ts";
import { HarnessError } from "../../src/fit/parallel/pool.ts";
import { runSearch } from "../../src/search/loop.ts";
import { DEFAULT_DEPS, type SearchDeps } from "../../src/search/loop/deps.ts";
import { KilnError } from "../../src/util/errors.ts";
import type { CandidateEntry } from "../../src/search/types.ts";
import {
  cleanup,
  ledgerLines,
  normalisedLedger,
  tinyFrame,
  tinyWorld,
  tmpDir,
  writeFrame,
} from "./loop-world.ts";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "resume-child.ts");
const TRIALS = 30;

function candidates(runDir: string): CandidateEntry[] {
  if (!fs.existsSync(path.join(runDir, "ledger.jsonl"))) return [];
  return ledgerLines(runDir)
    .map((l) => JSON.parse(l) as CandidateEntry)
    .filter((e) => e.kind === "candidate");
}

/** Run the child; it dies by SIGKILL at its own chosen point, or when `killWhen` says so. */
async function child(args: string[], killWhen?: () => boolean): Promise<void> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  proc.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    proc.on("exit", (code, sig) => resolve(sig ?? code)),
  );
  if (killWhen) {
    const deadline = Date.now() + 120_000;
    while (!killWhen() && proc.exitCode === null && proc.signalCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill("SIGKILL");
  }
  assert.equal(await exited, "SIGKILL", `the child died by SIGKILL, not otherwise: ${err}`);
}

/** Trials of a candidate's study in the run's study.sqlite, by state. */
function studyTrials(runDir: string, id: string): Record<string, number> {
  const db = new Database(path.join(runDir, "study.sqlite"), { readonly: true });
  try {
    const rows = db
      .prepare(
        "SELECT t.state AS state, COUNT(*) AS n FROM trials t JOIN studies s ON s.study_id = t.study_id " +
          "WHERE s.study_name LIKE ? GROUP BY t.state",
      )
      .all(`${id}-%`) as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

/** One short line per entry (kind, id, hash of the normalised entry): a difference names the entry. */
function digest(lines: string[]): string[] {
  return lines.map((l) => {
    const e = JSON.parse(l) as { kind: string; id?: string; candidateId?: string };
    return `${e.kind} ${e.id ?? e.candidateId ?? ""} ${createHash("sha256").update(l).digest("hex").slice(0, 16)}`;
  });
}

after(cleanup);

describe("crash and resume", () => {
  let dir: string;
  let frame: string;
  let reference: string;
  before(async () => {
    dir = tmpDir();
    await tinyWorld(path.join(dir, "data"));
    frame = writeFrame(
      dir,
      tinyFrame({
        baselines: ["b1", "b2"],
        budget: { forms: 3, trialsPerForm: TRIALS, shapley: "winner", shapleyTrials: 8 },
        proposer: { kind: "offline", maxTerms: 3 },
      }),
    );
    reference = path.join(dir, "uninterrupted");
    await runSearch(frame, { runDir: reference });
  });

  const resumeAndCompare = async (runDir: string) => {
    const out = await runSearch(undefined, { runDir, resume: true });
    assert.equal(out.reason, "forms");
    const ids = candidates(runDir).map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, "no candidate twice");
    assert.deepEqual(
      ids,
      candidates(reference).map((c) => c.id),
      "no candidate lost",
    );
    assert.deepEqual(digest(normalisedLedger(runDir)), digest(normalisedLedger(reference)));
  };

  it("from outside, at an arbitrary moment: nothing lost, nothing twice, what was written stays", async () => {
    const runDir = path.join(dir, "outside");
    await child([frame, runDir, "start"], () => candidates(runDir).length >= 3);
    const written = normalisedLedger(runDir);
    assert.ok(written.length >= 4 && written.length < normalisedLedger(reference).length, "killed part-way");
    assert.deepEqual(written, normalisedLedger(reference).slice(0, written.length));
    const out = await runSearch(undefined, { runDir, resume: true });
    assert.equal(out.reason, "forms");
    // Exactness is checked at chosen kill points below; a kill at an arbitrary moment may also land where
    // resuming is not exact yet (e.g. while a fit enqueues its start points: fitForm enqueues them only
    // into an empty study), so only what must hold whatever the moment is checked here: every candidate
    // once, in order, the budget spent exactly.
    const cands = candidates(runDir);
    assert.deepEqual(
      cands.map((c) => c.id),
      cands.map((_, i) => `c${String(i + 1).padStart(4, "0")}`),
    );
    assert.equal(cands.filter((c) => c.origin === "baseline").length, 2);
    assert.equal(cands.filter((c) => c.origin === "proposer").length, 3);
    const evaluated = cands.filter((c) => c.hash && !c.repeatOf).map((c) => c.hash);
    assert.equal(new Set(evaluated).size, evaluated.length, "no form evaluated twice");
    assert.deepEqual(normalisedLedger(runDir).slice(0, written.length), written, "the ledger only grew");
    const sessions = fs.readFileSync(path.join(runDir, "sessions.jsonl"), "utf8").trim().split("\n");
    assert.deepEqual(
      sessions.map((s) => (JSON.parse(s) as { action: string }).action),
      ["start", "resume"],
    );
  });

  it("right after a ledger entry: the resumed ledger equals the uninterrupted one", async () => {
    const runDir = path.join(dir, "after-entry");
    await child([frame, runDir, "after-candidate", "c0004"]);
    assert.equal(candidates(runDir).length, 4);
    await resumeAndCompare(runDir);
  });

  it("inside a fit, between trials: the fit resumes from study.sqlite and the ledger is the same", async () => {
    const runDir = path.join(dir, "between-trials");
    await child([frame, runDir, "between-trials", "c0004", "12"]);
    assert.equal(candidates(runDir).length, 3);
    assert.deepEqual(studyTrials(runDir, "c0004"), { COMPLETE: 12 }, "12 trials were stored before the kill");
    await resumeAndCompare(runDir);
    assert.deepEqual(studyTrials(runDir, "c0004"), { COMPLETE: TRIALS }, "resumed, not restarted");
  });

  it("a harness failure stops the run, records nothing for the candidate, and the resume is the same", async () => {
    const runDir = path.join(dir, "harness");
    // c0004's fit meets a worker pool whose module does not load (as a broken install would)
    const broken: SearchDeps = {
      ...DEFAULT_DEPS,
      fitForm: async (problem, form, opts) => {
        if (opts.studyName?.startsWith("c0004-")) {
          const study = await createStudy({ storage: "memory" });
          await study.optimize(
            { module: path.join(path.dirname(CHILD), "no-such-objective.ts") },
            { nTrials: 2, jobs: 2, space: { x: floatParam(0, 1) } },
          );
        }
        return DEFAULT_DEPS.fitForm(problem, form, opts);
      },
    };
    const err = await runSearch(frame, { runDir, deps: broken }).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err instanceof HarnessError && !(err instanceof KilnError), `${err?.name}: ${err?.message}`);
    assert.deepEqual(
      candidates(runDir).map((c) => [c.id, c.status]),
      candidates(reference)
        .slice(0, 3)
        .map((c) => [c.id, c.status]),
      "c0004 is not recorded (no crash entry)",
    );
    await resumeAndCompare(runDir);
  });

  it("inside a trial: the killed trial is re-run under its number and the ledger is the same", async () => {
    const runDir = path.join(dir, "mid-trial");
    await child([frame, runDir, "mid-trial", "c0004", "15"]);
    assert.equal(candidates(runDir).length, 3);
    const cut = studyTrials(runDir, "c0004");
    assert.equal(cut.RUNNING, 1, "killed while a trial was being scored");
    assert.ok(cut.COMPLETE > 0 && cut.COMPLETE < TRIALS);
    await resumeAndCompare(runDir);
    assert.deepEqual(studyTrials(runDir, "c0004"), { COMPLETE: TRIALS }, "no trial failed, none extra");
  });
});
