/**
 * `kiln report`: the static site of a finished run. Order matters: the truth refit (synthetic worlds) goes
 * into the ledger before the holdout is opened, so the holdout scores it too; the holdout is opened once
 * (search/holdout.ts) and later reports reuse what it recorded; maps and cycles read only the search view.
 */
import fs from "node:fs";
import path from "node:path";
import type { ScoreSummary } from "../bench/summary.ts";
import { checkFormObject } from "../forms/check.ts";
import { KilnError } from "../util/errors.ts";
import type { HoldoutStatus, ReportContext, Section, SectionBuilder } from "./context.ts";
import { esc, years } from "./html.ts";
import { GENERATOR, page } from "./page.ts";
import { residualView, type ResidualView } from "./residual-view.ts";
import { bestBaseline, reportRows, winnerRow, type ReportRow, type TruthOwnScores } from "./roster.ts";
import {
  ensureTruthRefit,
  loadSearchView,
  openRunHoldout,
  readRun,
  truthParams,
  truthSpec,
  type RunData,
  type TruthRefit,
} from "./run-data.ts";
import { auditSection } from "./sections/audit.ts";
import { cyclesSection } from "./sections/cycles.ts";
import { formulaSection } from "./sections/formula.ts";
import { frameSection } from "./sections/frame.ts";
import { leaderboardSection } from "./sections/leaderboard.ts";
import { mapsSection } from "./sections/maps.ts";
import { overviewSection } from "./sections/overview.ts";
import { regionsSection } from "./sections/regions.ts";
import { shapleySection } from "./sections/shapley.ts";
import { trajectorySection } from "./sections/trajectory.ts";
import { Site } from "./site.ts";
import type { FitProblem } from "../fit/form/problem.ts";

/** The sections, in page order. */
export const SECTIONS: readonly SectionBuilder[] = [
  overviewSection,
  frameSection,
  leaderboardSection,
  regionsSection,
  mapsSection,
  cyclesSection,
  shapleySection,
  trajectorySection,
  auditSection,
  formulaSection,
];

export interface ReportOptions {
  /** Output folder (default RUN/report). */
  readonly out?: string;
  /** For a synthetic world, refit the truth form with the run's budget before the holdout opens (default true). */
  readonly truth?: boolean;
  /** Progress lines (what is being done). */
  readonly onStep?: (message: string) => void;
}

export interface ReportOutcome {
  readonly runDir: string;
  readonly outDir: string;
  readonly indexPath: string;
  readonly holdout: HoldoutStatus;
  readonly truth: TruthRefit | null;
  readonly winnerId: string | null;
  readonly sections: readonly string[];
  /** Wall seconds of each step. */
  readonly seconds: Readonly<Record<"truth" | "holdout" | "data" | "page" | "total", number>>;
}

/** Everything the sections read, gathered from the run (this is where the truth refit and the holdout opening happen). */
export interface ReportData {
  readonly run: RunData;
  readonly holdout: HoldoutStatus;
  readonly truth: TruthRefit | null;
  readonly rows: readonly ReportRow[];
  readonly winner: ReportRow | null;
  readonly baseline: ReportRow | null;
  readonly residuals: ResidualView;
  readonly seconds: Readonly<Record<"truth" | "holdout" | "data", number>>;
}

/**
 * Read the run, refit the truth of a synthetic world (once, before the holdout), open the holdout (once), and
 * compute the residual fields of the winner and the best baseline over the validation years.
 */
export async function gatherReport(
  runDir: string,
  opts: Pick<ReportOptions, "truth" | "onStep"> = {},
): Promise<ReportData> {
  const step = opts.onStep ?? (() => {});
  const lap = stopwatch();
  const first = readRun(runDir);
  let truth: TruthRefit | null = null;
  if (opts.truth !== false && first.truth) {
    if (!first.candidates.some((c) => c.origin === "truth") && !first.holdout)
      step("refitting the world's truth form with the run's budget (once)");
    truth = await ensureTruthRefit(first);
  }
  const tTruth = lap();
  if (!first.holdout) step("opening the sealed holdout (once; recorded in the ledger)");
  const opened = await openRunHoldout(first);
  const tHoldout = lap();
  const e = opened.entry;
  const holdout: HoldoutStatus = {
    reused: opened.alreadyOpened,
    time: e.time,
    years: e.years,
    message: opened.alreadyOpened
      ? `holdout opened at ${e.time} by an earlier report; reused (the scores recorded then; the holdout is never re-scored)`
      : `holdout ${years(e.years)} opened now, at ${e.time}, by this report, and recorded in the ledger; later reports reuse these scores`,
  };

  const run = readRun(runDir);
  step("loading the search view (train and validation years) for maps and cycles");
  const problem = await loadSearchView(run);
  const truthOwn = run.truth ? scoreTruthOwn(run, problem) : null;
  const rows = reportRows(run, truthOwn);
  const winner = winnerRow(rows);
  const baseline = bestBaseline(rows);
  const residuals = residualView(
    problem,
    [winner, baseline].filter((r): r is ReportRow => r !== null && r.params !== null),
  );
  return {
    run,
    holdout,
    truth,
    rows,
    winner,
    baseline,
    residuals,
    seconds: { truth: tTruth, holdout: tHoldout, data: lap() },
  };
}

export function reportContext(data: ReportData, site: Site): ReportContext {
  const { run, rows, winner, baseline, holdout, residuals } = data;
  return { run, rows, winner, baseline, holdout, residuals, site };
}

export async function writeReport(runDir: string, opts: ReportOptions = {}): Promise<ReportOutcome> {
  const t0 = Date.now();
  const step = opts.onStep ?? (() => {});
  const dir = path.resolve(runDir);
  const outDir = path.resolve(opts.out ?? path.join(dir, "report"));
  checkOutDir(outDir, dir);
  const data = await gatherReport(runDir, opts);
  const lap = stopwatch();
  const { run, holdout, residuals } = data;
  step(`writing the page into ${outDir}`);
  const site = new Site(outDir);
  const katexCss = site.copyKatex();
  const ctx = reportContext(data, site);
  const sections: Section[] = SECTIONS.map((build) => build(ctx));
  const html = page({
    title: `Kiln report: ${run.start.name}`,
    subtitle:
      `${run.start.dataset.name} · frame ${run.frameHash.slice(0, 12)} · train ${years(run.start.split.train)} · ` +
      `validation ${years(run.start.split.validation)} · holdout ${years(run.start.split.holdout)}`,
    katexCss,
    sections,
    footer:
      `Written by <code>kiln report</code> from <code>${esc(run.runDir)}</code> (${run.candidates.length} candidates). ` +
      `Maps and cycles: ${esc(residuals.part)} years; holdout scores: recorded in the ledger at ${esc(holdout.time)}. The page needs no network and no script.`,
  });
  const indexPath = site.writeIndex(html);
  return {
    runDir: run.runDir,
    outDir,
    indexPath,
    holdout,
    truth: data.truth,
    winnerId: run.end.winnerId,
    sections: sections.map((s) => s.id),
    seconds: { ...data.seconds, page: lap(), total: (Date.now() - t0) / 1000 },
  };
}

function stopwatch(): () => number {
  let t = Date.now();
  return () => {
    const now = Date.now();
    const s = (now - t) / 1000;
    t = now;
    return s;
  };
}

/** The truth form with the world's own parameters, scored on the search view's train and validation years. */
function scoreTruthOwn(run: RunData, problem: FitProblem): TruthOwnScores | null {
  if (!run.truth) return null;
  const spec = truthSpec(run.truth);
  const form = checkFormObject(spec, `truth ${run.truth.file}`);
  const params = truthParams(run.truth);
  const vector = form.vectorFrom(params);
  const train: ScoreSummary = problem.score(form, vector, "train");
  const validation = problem.hasValidation() ? problem.score(form, vector, "validation") : null;
  return { spec, params: form.record(vector), nParams: form.nParams, train, validation };
}

/** Refuse to write into a folder that holds something other than an earlier report. */
function checkOutDir(outDir: string, runDir: string): void {
  if (outDir === runDir) {
    throw new KilnError("the report cannot be written into the run folder itself", {
      where: outDir,
      hint: "use --out RUN/report (the default) or another folder",
    });
  }
  if (!fs.existsSync(outDir)) return;
  if (!fs.statSync(outDir).isDirectory())
    throw new KilnError("the report folder is a file", { where: outDir });
  const entries = fs.readdirSync(outDir);
  if (entries.length === 0) return;
  const index = path.join(outDir, "index.html");
  const ours = fs.existsSync(index) && fs.readFileSync(index, "utf8").includes(GENERATOR);
  if (!ours) {
    throw new KilnError("the report folder exists and holds something else than a Kiln report", {
      where: outDir,
      hint: "choose an empty or new --out folder (a report replaces only an earlier report's files)",
    });
  }
}
