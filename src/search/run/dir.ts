/**
 * A run directory: the pinned frame, the ledger and its index, the fit studies, a session log and a lock.
 *
 *   frame.yaml        the frame as pinned (amended copies kept as frame.<hash12>.yaml)
 *   pin.json          its hash and the folder its relative paths resolve against
 *   ledger.jsonl      the ledger (append-only truth)      ledger.sqlite   its index
 *   study.sqlite      every fit's study (Optuna's schema): a killed fit resumes from here
 *   shapley.sqlite    the Shapley refit games' coalition fits and values (resumable too)
 *   sessions.jsonl    one line per process that worked on the run (not part of the ledger)
 *   lock              the pid of the process working on the run
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { KilnError } from "../../util/errors.ts";

export const RUN_FILES = {
  frame: "frame.yaml",
  pin: "pin.json",
  study: "study.sqlite",
  shapley: "shapley.sqlite",
  sessions: "sessions.jsonl",
  lock: "lock",
} as const;

export function studyUrl(runDir: string): string {
  return `sqlite:${path.join(runDir, RUN_FILES.study)}`;
}

/** Does the folder hold a run (a pinned frame)? */
export function isRunDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, RUN_FILES.pin));
}

/** Take the run's lock; an error when another live process on this host holds it. Returns the release. */
export function lockRun(runDir: string): () => void {
  const file = path.join(runDir, RUN_FILES.lock);
  const me = { pid: process.pid, host: os.hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, JSON.stringify(me) + "\n");
      fs.closeSync(fd);
      return () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number };
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let held: { pid?: number; host?: string } = {};
    try {
      held = JSON.parse(fs.readFileSync(file, "utf8")) as typeof held;
    } catch {
      // a lock file cut short by a kill: stale
    }
    if (held.pid && held.host === me.host && held.pid !== process.pid && alive(held.pid)) {
      throw new KilnError(`another kiln process (pid ${held.pid}) is working on this run`, {
        where: runDir,
        hint: "wait for it to finish, or stop it; a killed run resumes with --resume",
      });
    }
    if (held.pid && held.host && held.host !== me.host) {
      throw new KilnError(`the run is locked by pid ${held.pid} on host ${held.host}`, {
        where: file,
        hint: "if that process is gone, delete the lock file",
      });
    }
    fs.rmSync(file, { force: true });
  }
  throw new KilnError("cannot take the run's lock", { where: file });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Note a session in sessions.jsonl (outside the ledger, so resumes do not change it). */
export function logSession(runDir: string, record: Record<string, unknown>): void {
  fs.appendFileSync(
    path.join(runDir, RUN_FILES.sessions),
    JSON.stringify({ ...record, pid: process.pid, host: os.hostname() }) + "\n",
  );
}

/** Write a file atomically (temp file, fsync, rename). */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
