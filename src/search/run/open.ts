/**
 * Opening a run: a new run directory gets the frame pinned; an existing one is resumed only with
 * `resume`, and only with the pinned frame, unless the change is accepted with `amend` (recorded in the
 * ledger with the old and new hashes, the reason and the time).
 */
import fs from "node:fs";
import path from "node:path";
import { KilnError } from "../../util/errors.ts";
import type { LoadedFrame } from "../frame/load.ts";
import type { AmendEntry, HoldoutEntry } from "../ledger/entries.ts";
import { Ledger } from "../ledger/ledger.ts";
import { isRunDir, lockRun, logSession } from "./dir.ts";
import { UNAMENDABLE, changedKeys, ledgerHash, loadPinnedFrame, readPin, writePin } from "./pin.ts";

/** Milliseconds since the epoch; injected in tests so that time fields are reproducible. */
export type Clock = () => number;

export const iso = (clock: Clock): string => new Date(clock()).toISOString();

export interface OpenRunOptions {
  /** Run directory; default runs/<frame name>. */
  runDir?: string;
  resume?: boolean;
  /** Accept a changed frame on resume, with this reason. */
  amend?: string;
  clock: Clock;
}

export interface OpenedRun {
  readonly runDir: string;
  readonly frame: LoadedFrame;
  readonly ledger: Ledger;
  /** The ledger has no run-start yet. */
  readonly fresh: boolean;
  readonly amended: AmendEntry | null;
  /** Things worth telling the user (e.g. an --amend that changed nothing). */
  readonly notes: string[];
  close(): void;
}

export function openRun(frameIn: LoadedFrame | undefined, opts: OpenRunOptions): OpenedRun {
  if (!frameIn && !(opts.runDir && opts.resume)) {
    throw new KilnError("no frame given", {
      hint: "pass --frame kiln.yaml (or --run DIR --resume to continue a run)",
    });
  }
  const runDir = path.resolve(opts.runDir ?? path.join("runs", frameIn!.name));
  const notes: string[] = [];
  const exists = isRunDir(runDir);

  if (!exists) {
    if (opts.resume) {
      throw new KilnError("there is no run to resume here", {
        where: runDir,
        hint: "drop --resume to start a new run in this folder",
      });
    }
    if (fs.existsSync(runDir) && fs.readdirSync(runDir).length > 0) {
      throw new KilnError("the run folder exists and is not empty", {
        where: runDir,
        hint: "choose another --run folder (a run gets a folder of its own)",
      });
    }
    if (opts.amend) notes.push("--amend ignored: a new run has nothing to amend");
    fs.mkdirSync(runDir, { recursive: true });
    const release = lockRun(runDir);
    writePin(runDir, frameIn!, iso(opts.clock));
    logSession(runDir, { time: iso(opts.clock), action: "start", frameHash: frameIn!.hash });
    const ledger = Ledger.open(runDir);
    return done(runDir, frameIn!, ledger, true, null, notes, release);
  }

  if (!opts.resume) {
    throw new KilnError("a run already exists in this folder", {
      where: runDir,
      hint: "continue it with --resume, or choose another --run folder",
    });
  }
  const release = lockRun(runDir);
  let ledger: Ledger | undefined;
  try {
    ledger = Ledger.open(runDir);
    const opened = ledger.entries.find((e): e is HoldoutEntry => e.kind === "holdout");
    if (opened) {
      throw new KilnError(
        `the holdout of this run was opened at ${opened.time}; its search cannot continue`,
        {
          where: runDir,
          hint: "a search that continued after seeing the holdout scores would no longer be sealed; start a new run",
        },
      );
    }
    if (ledger.tornBytes > 0)
      notes.push(`dropped a ledger line cut short by the last kill (${ledger.tornBytes} bytes)`);
    const pinnedFrame = loadPinnedFrame(runDir);
    const lf = frameIn ?? pinnedFrame;
    const pinned = ledgerHash(ledger.entries) ?? readPin(runDir)!.hash;
    const fresh = !ledger.entries.some((e) => e.kind === "run-start");
    let amended: AmendEntry | null = null;
    if (lf.hash === pinned) {
      if (opts.amend) notes.push("--amend ignored: the frame is the pinned one");
      if (readPin(runDir)!.hash !== lf.hash) writePin(runDir, lf, iso(opts.clock));
    } else {
      const changed = changedKeys(pinnedFrame, lf);
      if (!opts.amend) {
        throw new KilnError(
          `the frame differs from the one pinned for this run (changed: ${changed.join(", ") || "defaults"}); ` +
            "resuming with a changed frame is refused",
          {
            where: lf.source,
            hint: `resume with the pinned frame (${path.join(runDir, "frame.yaml")}), or accept the change with --amend "why"`,
          },
        );
      }
      const locked = changed.filter((k) => (UNAMENDABLE as readonly string[]).includes(k));
      if (locked.length) {
        throw new KilnError(
          `an amendment cannot change ${locked.join(", ")}: they define the numbers already in the ledger`,
          {
            where: lf.source,
            hint: "start a new run (--run NEWDIR) for a different dataset, split, metric or baselines",
          },
        );
      }
      if (!fresh) {
        amended = {
          kind: "amend",
          time: iso(opts.clock),
          oldHash: pinned,
          newHash: lf.hash,
          reason: opts.amend,
          changed,
        };
        ledger.append(amended);
      }
      writePin(runDir, lf, iso(opts.clock));
    }
    logSession(runDir, { time: iso(opts.clock), action: amended ? "amend" : "resume", frameHash: lf.hash });
    return done(runDir, lf, ledger, fresh, amended, notes, release);
  } catch (e) {
    ledger?.close();
    release();
    throw e;
  }
}

function done(
  runDir: string,
  frame: LoadedFrame,
  ledger: Ledger,
  fresh: boolean,
  amended: AmendEntry | null,
  notes: string[],
  release: () => void,
): OpenedRun {
  return {
    runDir,
    frame,
    ledger,
    fresh,
    amended,
    notes,
    close() {
      ledger.close();
      release();
    },
  };
}
