/**
 * The search as it went: validation Overall against candidate number with the best so far and the
 * baselines as reference lines; and the Pareto front of validation Overall against parameter count with
 * the winner (PySR's pick) marked.
 */
import type { CandidateEntry } from "../../search/types.ts";
import { lineChart, scatterChart, type LineSeries, type ScatterPoint } from "../plot/index.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, num } from "../html.ts";

/** The candidate's number in the ledger (c0012 → 12). */
export function candidateNumber(c: CandidateEntry): number {
  return Number(c.id.replace(/^\D+/, ""));
}

export interface Trajectory {
  readonly x: number[];
  readonly y: number[];
  readonly status: CandidateEntry["status"][];
  readonly origin: CandidateEntry["origin"][];
  /** Best validation Overall so far at each x. */
  readonly best: number[];
}

/** Proposed and pruned forms in ledger order with their validation Overall (crashes and repeats left out). */
export function trajectory(candidates: readonly CandidateEntry[]): Trajectory {
  const out: Trajectory = { x: [], y: [], status: [], origin: [], best: [] };
  let best = -Infinity;
  for (const c of candidates) {
    if (c.origin !== "proposer" && c.origin !== "pruned") continue;
    const v = c.validation?.overall;
    if (v === null || v === undefined || c.repeatOf) continue;
    best = Math.max(best, v);
    out.x.push(candidateNumber(c));
    out.y.push(v);
    out.status.push(c.status);
    out.origin.push(c.origin);
    out.best.push(best);
  }
  return out;
}

export function trajectorySection(ctx: ReportContext): Section {
  const { run } = ctx;
  const tr = trajectory(run.candidates);
  const baselines = run.candidates.filter((c) => c.origin === "baseline" && c.validation?.overall != null);
  const parts: string[] = [];
  if (tr.x.length === 0) {
    parts.push("<p>No proposed form was scored: there is no trajectory to draw.</p>");
  } else {
    const pick = (f: (i: number) => boolean) => {
      const idx = tr.x.map((_, i) => i).filter(f);
      return { x: idx.map((i) => tr.x[i]), y: idx.map((i) => tr.y[i]) };
    };
    const x0 = Math.min(...tr.x);
    const x1 = Math.max(...tr.x);
    const series: LineSeries[] = [];
    const kept = pick((i) => tr.origin[i] === "proposer" && tr.status[i] === "keep");
    const other = pick((i) => tr.origin[i] === "proposer" && tr.status[i] !== "keep");
    const pruned = pick((i) => tr.origin[i] === "pruned");
    if (kept.x.length) series.push({ name: "kept", ...kept, style: "points" });
    if (other.x.length) series.push({ name: "discarded", ...other, style: "points" });
    if (pruned.x.length) series.push({ name: "pruned form", ...pruned, style: "points" });
    series.push({ name: "best so far", x: tr.x, y: tr.best, style: "step" });
    for (const b of baselines) {
      series.push({
        name: `baseline ${run.baselineNames.get(b.id) ?? b.name}`,
        x: [x0, x1],
        y: [b.validation!.overall!, b.validation!.overall!],
        dashed: true,
      });
    }
    const png = lineChart({
      series,
      title: "Search trajectory",
      subtitle: `validation Overall (${run.frame.frame.metric.convention}) of each proposed form, in ledger order`,
      xTitle: "candidate number",
      yTitle: "validation Overall",
      yZero: false,
      colours: { kept: "#1f77b4", discarded: "#9aa5b1", "pruned form": "#9467bd", "best so far": "#e45756" },
    });
    parts.push(
      `<figure>${ctx.site.image("trajectory", png, "search trajectory", { scale: 2, cls: "chart" })}</figure>`,
    );
  }

  const front = new Set(run.end.pareto);
  const points: ScatterPoint[] = [];
  for (const c of run.candidates) {
    const v = c.validation?.overall;
    if (c.origin === "truth" || c.status === "crash" || c.repeatOf || v === null || v === undefined) continue;
    const isPick = c.id === run.end.winnerId;
    const label = isPick
      ? `${c.id} ★ pick`
      : c.origin === "baseline"
        ? `${c.id} (${run.baselineNames.get(c.id) ?? "baseline"})`
        : c.id;
    points.push({ x: c.nParams, y: v, label, highlight: front.has(c.id) || isPick });
  }
  if (points.length) {
    const png = scatterChart({
      points,
      title: "Pareto front: validation Overall against parameter count",
      subtitle: `front in red; ★ the winner, PySR's “${run.frame.frame.win.pick}” pick (loss factor ${run.frame.frame.win.lossFactor})`,
      xTitle: "parameters",
      yTitle: "validation Overall",
    });
    parts.push(
      `<figure>${ctx.site.image("pareto", png, "Pareto front", { scale: 2, cls: "chart" })}</figure>`,
    );
  }
  const w = run.end.winnerId ? run.byId.get(run.end.winnerId) : undefined;
  const html = [
    `<p>${tr.x.length} scored forms. Best validation Overall ${num(tr.best.length ? tr.best[tr.best.length - 1] : null, 4)}` +
      (w
        ? `; the winner <code>${esc(w.id)}</code> (${w.nParams} parameters) is ` +
          (run.frame.frame.win.pick === "best"
            ? "the Pareto member with PySR's best score −Δlog(1 − Overall)/Δparameters among members within the loss factor of the most accurate, " +
              `counting only forms that beat every simpler one by more than ${run.frame.frame.win.minGain} Overall`
            : "the most accurate Pareto member (the frame's pick rule)")
        : "") +
      `. Pareto front: ${run.end.pareto.map((id) => `<code>${esc(id)}</code>`).join(" · ") || "–"}.</p>`,
    `<div class="figs">${parts.join("\n")}</div>`,
  ].join("\n");
  return { id: "trajectory", title: "Search trajectory and Pareto front", html };
}
