/**
 * Which mechanisms carry weight: the winner's Shapley values with refits (bar chart), the pairwise
 * interaction heatmap, the train-versus-validation share gap, and the pruning decision with its outcome.
 */
import type { ShapleyEntry } from "../../search/ledger/entries.ts";
import { interactionHeatmapPng, shapleyBarPng } from "../shapley-charts.ts";
import type { ReportContext, Section } from "../context.ts";
import { esc, num, signed, table } from "../html.ts";

/** share_train − share_val above this flags a mechanism that buys training score only (src/ablate's default). */
export const OVERFIT_MARGIN = 0.1;

/** The Shapley entry that explains the winner: its own, or (for a pruned winner) its parent's. */
export function winnerShapley(ctx: ReportContext): ShapleyEntry | null {
  const w = ctx.winner?.candidate;
  if (!w) return null;
  return (
    ctx.run.shapley.get(w.id) ??
    (w.origin === "pruned" && w.parentId ? (ctx.run.shapley.get(w.parentId) ?? null) : null)
  );
}

export function shapleySection(ctx: ReportContext): Section {
  const sh = winnerShapley(ctx);
  if (!sh) {
    const policy = ctx.run.frame.frame.budget.shapley;
    return {
      id: "shapley",
      title: "Shapley attribution",
      html: `<p>No Shapley attribution in the ledger for the winner (the frame's policy is <code>${esc(policy)}</code>; a form with fewer than two switchable terms cannot be attributed).</p>`,
    };
  }
  const v = sh.validation;
  const t = sh.train;
  const bar = ctx.site.image(
    "shapley-bars",
    shapleyBarPng(v, `Shapley values of ${sh.candidateId} on the validation years`),
    "Shapley values",
    { scale: 2, cls: "chart" },
  );
  const heat = interactionHeatmapPng(v);
  const heatImg = heat
    ? ctx.site.image("shapley-interactions", heat, "interaction heatmap", { scale: 2, cls: "chart" })
    : "<p>No interaction matrix was computed.</p>";
  const prune = ctx.run.prune.get(sh.candidateId) ?? null;
  const decisions = new Map((prune?.pruning.decisions ?? []).map((d) => [d.player, d]));
  const rows = v.players.map((p, i) => {
    const gap = t.share[i] !== null && v.share[i] !== null ? t.share[i]! - v.share[i]! : null;
    const over = gap !== null && gap > OVERFIT_MARGIN;
    const d = decisions.get(p);
    return {
      cells: [
        `<code>${esc(p)}</code>`,
        { html: `${num(v.phi[i], 4)} ± ${num(2 * v.uncertainty[i], 4)}`, attrs: { class: "num" } },
        { html: v.share[i] === null ? "–" : `${(100 * v.share[i]!).toFixed(1)}%`, attrs: { class: "num" } },
        { html: t.share[i] === null ? "–" : `${(100 * t.share[i]!).toFixed(1)}%`, attrs: { class: "num" } },
        {
          html:
            gap === null
              ? "–"
              : `${signed(100 * gap, 1)} pp${over ? ' <span class="flag">⚑ overfit</span>' : ""}`,
          attrs: { class: `num${over ? " rank-changed" : ""}` },
        },
        v.flags.indistinguishableFromZero[i] ? "≈ 0" : "",
        d ? `<b>${d.drop ? "drop" : "keep"}</b>` : "–",
        d ? esc(d.reason) : "",
      ],
      attrs: { "data-player": p },
    };
  });
  const tbl = table({
    head: [
      [
        "mechanism",
        "φ validation ± 2σ",
        "share validation",
        "share train",
        "gap train − validation",
        "",
        "pruning",
        "why",
      ],
    ],
    rows,
    attrs: { class: "shapley" },
  });
  let outcome = "<p>No pruning decision was recorded.</p>";
  if (prune) {
    const full = ctx.run.byId.get(sh.candidateId);
    const reduced = prune.reducedId ? ctx.run.byId.get(prune.reducedId) : undefined;
    outcome =
      `<p class="pruning">Pruning rule: <b>${esc(prune.note)}</b>.` +
      (reduced
        ? ` The reduced form <code>${esc(reduced.id)}</code> (${reduced.nParams} parameters, refit with the run's budget) scores validation Overall ` +
          `${num(reduced.validation?.overall, 4)} against ${num(full?.validation?.overall, 4)} for <code>${esc(sh.candidateId)}</code> (${full?.nParams ?? "?"} parameters).`
        : "") +
      `</p>`;
  }
  const html = [
    `<p>Shapley values of <code>${esc(sh.candidateId)}</code>'s mechanisms with refits: the value of a coalition is its validation Overall after refitting it on the training years ` +
      `(${esc(sh.fit.sampler)}, ${sh.fit.trials} trials per coalition, ${esc(v.method)}). v(∅) = ${num(v.vEmpty, 4)}, v(N) = ${num(v.vFull, 4)}; the values sum to v(N) − v(∅) = ${num(v.total, 4)}. ` +
      `Grey bars cannot be told from zero (|φ| < 2σ, sampling and refit noise together).</p>`,
    `<div class="figs"><figure>${bar}</figure><figure>${heatImg}</figure></div>`,
    tbl,
    `<p>The share gap is share on train minus share on validation: a mechanism whose training share exceeds its validation share by more than ${(100 * OVERFIT_MARGIN).toFixed(0)} points buys training score that does not carry over (⚑).</p>`,
    outcome,
  ].join("\n");
  return { id: "shapley", title: "Shapley attribution", html };
}
