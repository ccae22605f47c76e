/**
 * The search loop (the form layer): baselines first, then propose → validate → fit on train → score on
 * validation → keep or discard → Shapley per the frame's policy → feedback → next, until a budget runs out;
 * then Shapley and pruning on the winner, and the run's end. Every decision reads the ledger, so a killed
 * run resumes where it stopped and a resumed run writes what an uninterrupted one would have.
 */
import type { Finding } from "../audit/types.ts";
import { openStorage } from "../fit/storage/open.ts";
import { loadFrame, type LoadedFrame } from "./frame/load.ts";
import { resolveBaselines } from "./frame/resolve.ts";
import type { LedgerEntry, RunEndEntry, RunStartEntry, ShapleyEntry, StopReason } from "./ledger/entries.ts";
import { LEDGER_FILE } from "./ledger/ledger.ts";
import { attributeCandidate, attributionDone, shapleyEligible } from "./loop/attribute.ts";
import { loadSearchData } from "./loop/data.ts";
import { DEFAULT_DEPS, type SearchDeps } from "./loop/deps.ts";
import { evaluateCandidate, failedProposal, type EvalContext } from "./loop/evaluate.ts";
import { proposerFor } from "./loop/proposer.ts";
import { deriveState, feedbackOf, nextCandidateId, paretoOf, type LoopState } from "./loop/state.ts";
import { candidateFront, pickWinner } from "./pareto.ts";
import { RUN_FILES, studyUrl } from "./run/dir.ts";
import { openRun, iso, type Clock } from "./run/open.ts";
import { loadPinnedFrame } from "./run/pin.ts";
import type { CandidateEntry, Proposer } from "./types.ts";
import { checkFormObject } from "../forms/check.ts";
import { KilnError } from "../util/errors.ts";
import path from "node:path";

/** Stop after this many proposals in a row that repeat an evaluated form. */
const MAX_TRAILING_REPEATS = 5;

export type SearchEvent =
  | {
      type: "start";
      runDir: string;
      fresh: boolean;
      entries: number;
      frameHash: string;
      notes: readonly string[];
    }
  | { type: "audit"; findings: readonly Finding[] }
  | {
      type: "candidate-start";
      id: string;
      origin: CandidateEntry["origin"];
      proposed: number;
      budget: number;
      baselines: number;
    }
  | { type: "fit-progress"; id: string; done: number; total: number; best: number }
  | { type: "candidate"; entry: CandidateEntry; incumbentId: string | null }
  | { type: "shapley-start"; id: string }
  | { type: "shapley-progress"; id: string; done: number; total: number }
  | { type: "shapley"; entry: ShapleyEntry }
  | { type: "entry"; entry: LedgerEntry }
  | { type: "note"; text: string }
  | { type: "end"; reason: StopReason | SessionStop; entry: RunEndEntry | null };

/** Stops of a session that leave the run unfinished (no run-end; --resume continues). */
export type SessionStop = "interrupted" | "proposer-unavailable";

export interface SearchOptions {
  /** Run directory (default runs/<frame name>). */
  runDir?: string;
  /** Continue the run in runDir (the frame may be omitted: the pinned one is used). */
  resume?: boolean;
  /** Accept a changed frame on resume, with this reason (recorded in the ledger). */
  amend?: string;
  /** Use this proposer instead of the frame's. */
  proposer?: Proposer;
  /** Milliseconds since the epoch (default Date.now); tests inject one so that time fields repeat. */
  clock?: Clock;
  onEvent?: (e: SearchEvent) => void;
  /** Stop after the current candidate (the run stays resumable; no run-end is written). */
  signal?: AbortSignal;
  /** The fit and Shapley implementations (default: src/fit/form and src/ablate). */
  deps?: SearchDeps;
}

export interface SearchOutcome {
  readonly runDir: string;
  readonly ledgerPath: string;
  readonly reason: StopReason | SessionStop;
  /** The run-end entry written (or the last one, when this session had nothing left to do). */
  readonly end: RunEndEntry | null;
  readonly winnerId: string | null;
}

/**
 * Run or resume a search. `frame` is a frame file, a loaded frame (e.g. `frameFromObject` in `kiln demo`),
 * or undefined with `{ runDir, resume: true }` to continue with the pinned frame. Throws AuditStop (from
 * loop/data.ts) when the input audit finds errors; nothing is written then.
 */
export async function runSearch(
  frame: string | LoadedFrame | undefined,
  opts: SearchOptions = {},
): Promise<SearchOutcome> {
  const clock = opts.clock ?? Date.now;
  const emit = opts.onEvent ?? (() => {});
  let lf: LoadedFrame;
  if (typeof frame === "string") lf = loadFrame(frame);
  else if (frame) lf = frame;
  else {
    if (!opts.runDir || !opts.resume) {
      throw new KilnError("no frame given", { hint: "pass --frame kiln.yaml (or --run DIR --resume)" });
    }
    lf = loadPinnedFrame(path.resolve(opts.runDir));
  }

  const data = await loadSearchData(lf);
  const problem = data.problem;
  const run = openRun(lf, { runDir: opts.runDir, resume: opts.resume, amend: opts.amend, clock });
  const storage = openStorage(studyUrl(run.runDir));
  try {
    const f = run.frame.frame;
    const ledger = run.ledger;
    const start = ledger.entries.find((e): e is RunStartEntry => e.kind === "run-start");
    if (start && start.dataset.fingerprint !== problem.fingerprint) {
      throw new KilnError("the search data changed since this run started (its fingerprint differs)", {
        where: run.runDir,
        hint: "restore the data the run was started on, or start a new run (--run NEWDIR)",
      });
    }
    emit({
      type: "start",
      runDir: run.runDir,
      fresh: run.fresh,
      entries: ledger.entries.length,
      frameHash: run.frame.hash,
      notes: run.notes,
    });
    emit({ type: "audit", findings: data.findings });

    let appended = 0;
    const write = (e: LedgerEntry) => {
      ledger.append(e);
      appended++;
      emit({ type: "entry", entry: e });
    };
    const state = (): LoopState => deriveState(ledger.entries);
    const deps = opts.deps ?? DEFAULT_DEPS;
    const proposer = opts.proposer ?? proposerFor(f);
    const ctx: EvalContext = {
      frame: f,
      problem,
      storage,
      shapleyStore: path.join(run.runDir, RUN_FILES.shapley),
      deps,
      clock,
      onFitProgress: (id, done, total, best) => emit({ type: "fit-progress", id, done, total, best }),
    };
    const record = (entry: CandidateEntry) => {
      write(entry);
      emit({ type: "candidate", entry, incumbentId: state().incumbent?.id ?? null });
    };
    const evaluated = (hash: string) => ledger.index.candidateByHash(hash);

    if (run.fresh) {
      const entry: RunStartEntry = {
        kind: "run-start",
        version: 1,
        time: iso(clock),
        name: run.frame.name,
        frameHash: run.frame.hash,
        seed: f.seed,
        dataset: {
          name: data.datasetName,
          fingerprint: problem.fingerprint,
          target: data.target,
          drivers: [...problem.drivers],
          cells: problem.dataset.nCell,
          months: problem.dataset.nTime,
        },
        split: {
          train: [...f.split.train],
          validation: [...f.split.validation],
          holdout: [...f.split.holdout],
        },
        audit: {
          errors: data.findings.filter((x) => x.severity === "error").length,
          warnings: data.findings.filter((x) => x.severity === "warning").length,
          infos: data.findings.filter((x) => x.severity === "info").length,
          findings: data.findings.map((x) => ({
            severity: x.severity,
            check: x.check,
            variable: x.variable,
            message: x.message,
          })),
        },
        proposer: proposer.name,
      };
      write(entry);
    }

    // 1. The baselines, always first.
    const baselines = resolveBaselines(run.frame);
    for (let i = state().baselines; i < baselines.length; i++) {
      const s = state();
      const b = baselines[i];
      const id = nextCandidateId(s);
      emit({
        type: "candidate-start",
        id,
        origin: "baseline",
        proposed: s.proposed,
        budget: f.budget.forms,
        baselines: baselines.length,
      });
      record(
        await evaluateCandidate(ctx, {
          id,
          parentId: null,
          origin: "baseline",
          proposer: "frame",
          spec: b.spec,
          hypothesis: `reference: ${b.name}, ${b.source}`,
          rationale: "baselines are always in the ledger, evaluated first under the same budget",
          started: clock(),
          incumbent: s.incumbent,
          evaluated,
        }),
      );
    }

    // 2. The search.
    const ineligible = new Set<string>();
    const attribute = async (c: CandidateEntry): Promise<boolean> => {
      emit({ type: "shapley-start", id: c.id });
      const ok = await attributeCandidate(
        ctx,
        {
          state,
          write: (e) => {
            write(e);
            if (e.kind === "shapley") emit({ type: "shapley", entry: e });
            if (e.kind === "candidate")
              emit({ type: "candidate", entry: e, incumbentId: state().incumbent?.id ?? null });
          },
          onProgress: (id, done, total) => emit({ type: "shapley-progress", id, done, total }),
        },
        c,
      );
      if (!ok) ineligible.add(c.id);
      return ok;
    };
    const pendingAttribution = (s: LoopState): CandidateEntry | null => {
      if (f.budget.shapley !== "improving") return null;
      for (const c of s.history) {
        if (c.origin !== "proposer" || c.status !== "keep" || ineligible.has(c.id)) continue;
        if (attributionDone(s, c.id)) continue;
        if (!shapleyEligible(checkFormObject(c.spec, c.id))) {
          ineligible.add(c.id);
          continue;
        }
        return c;
      }
      return null;
    };

    let reason: StopReason | SessionStop | null = null;
    while (reason === null) {
      if (opts.signal?.aborted) {
        reason = "interrupted";
        break;
      }
      const s = state();
      const pending = pendingAttribution(s);
      if (pending) {
        await attribute(pending);
        continue;
      }
      if (s.proposed >= f.budget.forms) reason = "forms";
      else if (f.budget.wallTime !== undefined && s.seconds >= f.budget.wallTime) reason = "wall-time";
      else if (s.trailingRepeats >= MAX_TRAILING_REPEATS) reason = "proposer-stuck";
      if (reason) break;

      const started = clock();
      const id = nextCandidateId(s);
      emit({
        type: "candidate-start",
        id,
        origin: "proposer",
        proposed: s.proposed,
        budget: f.budget.forms,
        baselines: baselines.length,
      });
      const proposal = await proposer.propose({
        n: s.proposed + 1,
        seed: f.seed,
        frameText: run.frame.text,
        drivers: problem.drivers,
        history: s.history,
        incumbent: s.incumbent,
        pareto: paretoOf(s),
        feedback: feedbackOf(s),
      });
      if (proposal === null) {
        const failure = proposer.lastFailure ?? null;
        if (failure?.kind === "invalid-reply") {
          // It cost a form and tokens: recorded as a crash, and the next proposal sees it.
          record(
            failedProposal(
              {
                id,
                parentId: null,
                origin: "proposer",
                proposer: proposer.name,
                spec: null,
                hypothesis: "",
                rationale: "",
                started,
                tokens: failure.usage,
                incumbent: s.incumbent,
                evaluated,
              },
              `no valid proposal (${failure.replies} replies): ${failure.message}`,
              clock(),
            ),
          );
          continue;
        }
        if (failure?.kind === "transport") {
          // Not the form's fault and not the end of the search: stop this session; --resume continues.
          reason = "proposer-unavailable";
          emit({ type: "note", text: `the proposer is unavailable: ${failure.message}` });
          break;
        }
        reason = "proposer-exhausted";
        break;
      }
      record(
        await evaluateCandidate(ctx, {
          id,
          parentId: proposal.parentId,
          origin: "proposer",
          proposer: proposer.name,
          spec: proposal.spec,
          hypothesis: proposal.hypothesis,
          rationale: proposal.rationale,
          started,
          tokens: proposal.usage,
          incumbent: s.incumbent,
          evaluated,
        }),
      );
    }

    // 3. Shapley and pruning on the winner.
    const finished = reason !== "interrupted" && reason !== "proposer-unavailable" ? reason : null;
    if (finished && f.budget.shapley !== "none") {
      const w = pickWinner(state().history, f.win.pick, f.win.lossFactor, f.win.minGain);
      if (w && !attributionDone(state(), w.id) && !ineligible.has(w.id)) await attribute(w);
    }

    // 4. The run's end.
    const s = state();
    const lastEnd = [...ledger.entries].reverse().find((e): e is RunEndEntry => e.kind === "run-end") ?? null;
    let end: RunEndEntry | null = lastEnd;
    if (finished && (appended > 0 || !lastEnd)) {
      const winner = pickWinner(s.history, f.win.pick, f.win.lossFactor, f.win.minGain);
      const accurate = pickWinner(s.history, "accuracy");
      end = {
        kind: "run-end",
        time: iso(clock),
        reason: finished,
        forms: s.proposed,
        candidates: s.all.length,
        incumbentId: s.incumbent?.id ?? null,
        winnerId: winner?.id ?? null,
        accuracyId: accurate?.id ?? null,
        pareto: candidateFront(s.history).map((p) => p.item.id),
        seconds: round3(s.seconds),
      };
      write(end);
    }
    emit({ type: "end", reason, entry: end });
    return {
      runDir: run.runDir,
      ledgerPath: path.join(run.runDir, LEDGER_FILE),
      reason,
      end,
      winnerId: end?.winnerId ?? null,
    };
  } finally {
    await storage.close();
    run.close();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
export { addReferenceForms, type ReferenceForm } from "./loop/reference.ts";
export { AuditStop } from "./loop/data.ts";
