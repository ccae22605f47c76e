/** At a glance: the run, the winner, how the search stopped, the holdout status and the win rule's verdict. */
import type { ReportContext, Section } from "../context.ts";
import { esc, num, signed, years } from "../html.ts";

const STOP: Record<string, string> = {
  forms: "the forms budget was spent",
  "wall-time": "the wall-time budget was spent",
  "proposer-exhausted": "the proposer had nothing new to offer",
  "proposer-stuck": "the proposer kept repeating evaluated forms",
};

export function overviewSection(ctx: ReportContext): Section {
  const { run, winner, holdout } = ctx;
  const end = run.end;
  const proposed = run.candidates.filter((c) => c.origin === "proposer").length;
  const crashed = run.candidates.filter((c) => c.status === "crash").length;
  const lines: string[] = [];
  lines.push(
    `<p>Run <b>${esc(run.start.name)}</b> on <b>${esc(run.start.dataset.name)}</b>, started ${esc(run.start.time)}, ` +
      `proposer <code>${esc(run.start.proposer)}</code>, seed ${run.start.seed}. ` +
      `${proposed} proposed forms (${crashed} crashed), ${run.candidates.length} candidates in all; the search stopped because ` +
      `${esc(STOP[end.reason] ?? end.reason)} after ${end.seconds.toFixed(1)} s of fitting.</p>`,
  );
  if (winner) {
    lines.push(
      `<p class="winner">Winner: <b>${esc(winner.key)}</b> <code>${esc(winner.name)}</code>, ${winner.nParams} parameters, ` +
        `mechanisms ${winner.mechanisms.map((m) => `<code>${esc(m)}</code>`).join(" · ") || "–"}; ` +
        `validation Overall ${num(winner.validation?.overall, 4)}, holdout Overall ${num(winner.holdout?.overall, 4)}.</p>`,
    );
  } else lines.push(`<p class="warn">No winner: no proposed form was scored.</p>`);
  if (holdout) {
    lines.push(
      `<p class="holdout ${holdout.reused ? "reused" : "opened"}" id="holdout-status">${esc(holdout.message)}</p>`,
    );
  }
  const h = run.holdout;
  if (h && h.win !== null && winner) {
    const mine = h.verdicts.filter((v) => v.candidateId === winner.key);
    lines.push(
      `<p class="verdict ${h.win ? "pass" : "fail"}">Win rule on the holdout (${years(h.years)}): <b>${h.win ? "PASS" : "FAIL"}</b></p>` +
        `<ul class="verdicts">${mine
          .map(
            (v) =>
              `<li>${v.pass ? "✔" : "✘"} against ${esc(v.baselineName)} (${esc(v.baselineId)}): Overall ${signed(v.overallGain, 4)} — ${esc(v.reason)}</li>`,
          )
          .join("")}</ul>`,
    );
  } else if (h) {
    lines.push(
      `<p class="verdict">The win rule could not be applied on the holdout (no winner or no baseline scored).</p>`,
    );
  }
  return { id: "overview", title: "At a glance", html: lines.join("\n") };
}
