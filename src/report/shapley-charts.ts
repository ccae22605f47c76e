/** Pictures of an attribution: Shapley values with their uncertainty, and the interaction matrix. */
import type { ShapleyResult } from "../ablate/result.ts";
import { barChart, heatmap, ZERO_GROUP } from "./plot/index.ts";

/** Bars of φ ± uncertainty, largest first; values indistinguishable from zero in grey. */
export function shapleyBarPng(r: ShapleyResult, title = "Shapley values on the validation years"): Buffer {
  const order = r.players.map((_, i) => i).sort((a, b) => r.phi[b] - r.phi[a]);
  return barChart({
    title,
    subtitle: `Σφ = v(N) − v(∅) = ${r.total.toFixed(3)} (v(∅) = ${r.vEmpty.toFixed(3)}, v(N) = ${r.vFull.toFixed(3)}); ${r.method}`,
    valueTitle: "φ (Overall score)",
    bars: order.map((i) => ({
      label: `${r.players[i]}${r.share[i] === null ? "" : ` (${(100 * r.share[i]!).toFixed(0)}%)`}`,
      value: r.phi[i],
      error: r.uncertainty[i] > 0 ? 2 * r.uncertainty[i] : undefined,
      group: r.flags.indistinguishableFromZero[i] ? ZERO_GROUP : "carries weight",
    })),
  });
}

/** The pairwise Shapley interaction index (Banzhaf's when sampled): blue is redundancy, red synergy. */
export function interactionHeatmapPng(r: ShapleyResult): Buffer | null {
  const m = r.interaction ?? r.banzhafInteraction;
  if (!m) return null;
  return heatmap({
    title: r.interaction ? "Shapley interaction index" : "Banzhaf interaction index (sampled)",
    subtitle: "negative: redundant mechanisms (substitutes); positive: synergy",
    labels: r.players,
    values: m.map((row, i) => row.map((x, j) => (i === j || x === null ? NaN : x))),
    legendTitle: "I_ij",
  });
}
