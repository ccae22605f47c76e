/**
 * The sealed holdout, opened once. This is the only code path that reads the holdout years: it re-loads
 * the data the frame names, audits them, checks that the search years are still the data the search saw,
 * predicts each candidate over the full time axis (temporal operators are causal, so the holdout months
 * see only their own past) and scores the holdout months. The opening is recorded in the ledger with its
 * time, candidates and scores; a second call returns the stored result and says so.
 */
import path from "node:path";
import { auditDataset, formatFindings } from "../audit/index.ts";
import { FitProblem } from "../fit/form/problem.ts";
import { checkFormObject } from "../forms/check.ts";
import { loadDataset } from "../io/dataset-config.ts";
import { KilnError } from "../util/errors.ts";
import { datasetPath, resolveBaselines } from "./frame/resolve.ts";
import type { HoldoutEntry, HoldoutScore, RunEndEntry, RunStartEntry, WinVerdict } from "./ledger/entries.ts";
import { Ledger } from "./ledger/ledger.ts";
import { checkYears, metricSpec, resolveTarget, searchYears } from "./loop/data.ts";
import { deriveState } from "./loop/state.ts";
import { compareScores } from "./loop/rule.ts";
import { pickWinner } from "./pareto.ts";
import { lockRun } from "./run/dir.ts";
import { iso, type Clock } from "./run/open.ts";
import { loadPinnedFrame } from "./run/pin.ts";
import type { CandidateEntry } from "./types.ts";

export interface OpenHoldoutOptions {
  /** Candidate ids to score; default: the winner, its pruned form, the most accurate, the baselines, any truth. */
  candidates?: readonly string[];
  clock?: Clock;
}

export interface HoldoutOutcome {
  /** True when the holdout had been opened before: `entry` is the stored result, nothing was re-scored. */
  readonly alreadyOpened: boolean;
  readonly message: string;
  readonly entry: HoldoutEntry;
}

export async function openHoldout(runDir: string, opts: OpenHoldoutOptions = {}): Promise<HoldoutOutcome> {
  const dir = path.resolve(runDir);
  const clock = opts.clock ?? Date.now;
  const release = lockRun(dir);
  const ledger = Ledger.open(dir);
  try {
    const stored = ledger.entries.find((e): e is HoldoutEntry => e.kind === "holdout");
    if (stored) {
      const asked = opts.candidates ? [...opts.candidates] : null;
      const have = stored.scores.map((s) => s.id);
      const differs = asked && (asked.length !== have.length || asked.some((id) => !have.includes(id)));
      return {
        alreadyOpened: true,
        entry: stored,
        message:
          `the holdout was opened once, at ${stored.time}; these are the scores recorded then (it is never re-scored)` +
          (differs ? `. It scored ${have.join(", ")}; other candidates cannot be scored on it now` : ""),
      };
    }
    const start = ledger.entries.find((e): e is RunStartEntry => e.kind === "run-start");
    if (!start) throw new KilnError("the run has not started a search: nothing to score", { where: dir });
    const lastEnd = [...ledger.entries].reverse().find((e): e is RunEndEntry => e.kind === "run-end");
    if (!lastEnd) {
      throw new KilnError("the search of this run has not finished (no run-end in the ledger)", {
        where: dir,
        hint: "finish it first (`kiln search --run DIR --resume`): the holdout is opened once, after the search",
      });
    }
    const lf = loadPinnedFrame(dir);
    const frame = lf.frame;
    const state = deriveState(ledger.entries);
    const ids = opts.candidates
      ? [...opts.candidates]
      : defaultCandidates(state.all, state.prune, lastEnd, frame.win);
    const chosen = ids.map((id) => {
      const c = state.byId.get(id);
      if (!c) throw new KilnError(`no candidate ${id} in the ledger`, { where: dir });
      return c;
    });
    if (chosen.length === 0) throw new KilnError("no candidate to score on the holdout", { where: dir });

    // Everything below reads the holdout years.
    const loaded = await loadDataset(datasetPath(lf));
    const target = resolveTarget(lf, loaded);
    checkYears(lf, loaded.dataset);
    const full = loaded.dataset;
    const findings = auditDataset(loaded, {
      target,
      split: { train: searchYears(frame), holdout: frame.split.holdout },
    });
    if (findings.some((f) => f.severity === "error")) {
      throw new KilnError(
        `the audit of the full data (holdout years included) found errors; the holdout stays sealed\n\n${formatFindings(findings)}`,
        {
          where: datasetPath(lf),
          hint: "fix the inputs; the holdout is opened only on data that pass the audit",
        },
      );
    }
    const searchView = FitProblem.create({
      dataset: full.selectYears(searchYears(frame)),
      target,
      train: frame.split.train,
      validation: frame.split.validation,
      metric: metricSpec(frame),
    });
    if (searchView.fingerprint !== start.dataset.fingerprint) {
      throw new KilnError("the search years of the data differ from what the search saw (fingerprint)", {
        where: datasetPath(lf),
        hint: "open the holdout on the data the run was searched on",
      });
    }
    // The holdout years as "train" and "validation": the same ILAMB settings as the search, over the holdout.
    const hold = FitProblem.create({
      dataset: full,
      target,
      train: frame.split.holdout,
      validation: frame.split.holdout,
      metric: metricSpec(frame),
    });
    const scores: HoldoutScore[] = chosen.map((c) => scoreOne(hold, c));
    const winnerId = lastEnd.winnerId;
    const verdicts = winVerdicts(
      scores,
      chosen,
      state.all,
      resolveBaselines(lf).map((b) => b.name),
      frame,
      winnerId,
      state.prune,
    );
    const forWinner = verdicts.filter((v) => v.candidateId === winnerId);
    const entry: HoldoutEntry = {
      kind: "holdout",
      time: iso(clock),
      years: [...frame.split.holdout],
      winnerId,
      scores,
      verdicts,
      win: forWinner.length ? forWinner.every((v) => v.pass) : null,
      audit: {
        errors: 0,
        warnings: findings.filter((f) => f.severity === "warning").length,
        findings: findings.map((f) => ({
          severity: f.severity,
          check: f.check,
          variable: f.variable,
          message: f.message,
        })),
      },
    };
    ledger.append(entry);
    return {
      alreadyOpened: false,
      entry,
      message: `the holdout (${entry.years.join(", ")}) was opened at ${entry.time} and recorded`,
    };
  } finally {
    ledger.close();
    release();
  }
}

function defaultCandidates(
  all: readonly CandidateEntry[],
  prune: ReadonlyMap<string, { reducedId: string | null }>,
  end: RunEndEntry,
  win: { pick: "best" | "accuracy"; lossFactor: number; minGain: number },
): string[] {
  const history = all.filter((c) => c.origin !== "truth");
  const ids: string[] = [];
  const add = (id: string | null | undefined) => {
    if (id && !ids.includes(id)) ids.push(id);
  };
  const winner = end.winnerId ?? pickWinner(history, win.pick, win.lossFactor, win.minGain)?.id;
  add(winner);
  if (winner) add(prune.get(winner)?.reducedId);
  add(end.accuracyId);
  for (const c of all) if (c.origin === "baseline" && c.status !== "crash") add(c.id);
  for (const c of all) if (c.origin === "truth" && c.status !== "crash") add(c.id);
  return ids;
}

function scoreOne(hold: FitProblem, c: CandidateEntry): HoldoutScore {
  const head = { id: c.id, name: c.name, origin: c.origin, nParams: c.nParams, mechanisms: c.mechanisms };
  if (c.status === "crash" || !c.params || c.repeatOf) {
    return {
      ...head,
      holdout: null,
      error: c.repeatOf ? `a repeat of ${c.repeatOf}` : "no fitted parameters",
    };
  }
  try {
    const form = checkFormObject(c.spec, `candidate ${c.id}`);
    if (form.hash !== c.hash) {
      return {
        ...head,
        holdout: null,
        error: "its spec no longer checks to the recorded form (the library changed?)",
      };
    }
    const vector = Float64Array.from(form.paramNames, (n) => c.params![n]);
    return { ...head, holdout: hold.score(form, vector, "train") };
  } catch (e) {
    return { ...head, holdout: null, error: (e as Error).message };
  }
}

/** The winner (and its pruned form) against every scored baseline, or the one `win.against` names. */
function winVerdicts(
  scores: readonly HoldoutScore[],
  chosen: readonly CandidateEntry[],
  all: readonly CandidateEntry[],
  baselineNames: readonly string[],
  frame: ReturnType<typeof loadPinnedFrame>["frame"],
  winnerId: string | null,
  prune: ReadonlyMap<string, { reducedId: string | null }>,
): WinVerdict[] {
  const baselineEntries = all.filter((c) => c.origin === "baseline");
  const nameOf = (id: string) => baselineNames[baselineEntries.findIndex((b) => b.id === id)] ?? id;
  const byId = new Map(scores.map((s) => [s.id, s]));
  const subjects = [winnerId, winnerId ? prune.get(winnerId)?.reducedId : null].filter(
    (id): id is string => !!id && byId.has(id),
  );
  const refs = chosen
    .filter((c) => c.origin === "baseline")
    .filter((c) => frame.win.against === "every" || nameOf(c.id) === frame.win.against)
    .map((c) => byId.get(c.id)!)
    .filter((s) => s.holdout !== null);
  const out: WinVerdict[] = [];
  for (const id of subjects) {
    const cand = byId.get(id)!;
    for (const b of refs) {
      if (!cand.holdout) {
        out.push({
          candidateId: id,
          baselineId: b.id,
          baselineName: nameOf(b.id),
          overallGain: null,
          componentGain: {},
          pass: false,
          reason: `no holdout score: ${cand.error ?? "unknown"}`,
        });
        continue;
      }
      const cmp = compareScores(cand.holdout, b.holdout!, frame, frame.win.margin);
      out.push({
        candidateId: id,
        baselineId: b.id,
        baselineName: nameOf(b.id),
        overallGain: cmp.overallGain,
        componentGain: cmp.componentGain,
        pass: cmp.pass,
        reason: cmp.reason,
      });
    }
  }
  return out;
}
