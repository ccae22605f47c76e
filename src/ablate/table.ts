import type { PruningProposal } from "./prune.ts";
import type { ShapleyResult } from "./result.ts";

/** Plain-text renderings of an ablation for the terminal: the value table, the interaction matrix, pruning. */

const num = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : Math.abs(x) < 5e-13 ? "0" : x.toFixed(digits);
const pct = (x: number | null): string => (x === null ? "—" : `${(100 * x).toFixed(1)}%`);

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells.map((x, c) => (c === 0 ? x.padEnd(width[c]) : x.padStart(width[c]))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

export function formatShapleyTable(r: ShapleyResult): string {
  const rows = r.players.map((p, i) => [
    p,
    num(r.phi[i]),
    pct(r.share[i]),
    r.method === "exact" && !r.noise ? "—" : num(r.uncertainty[i]),
    num(r.banzhaf?.[i]),
    num(r.solo[i]),
    num(r.loo[i]),
    r.flags.indistinguishableFromZero[i] ? "≈ 0" : "",
  ]);
  const how =
    r.method === "exact"
      ? `exact over ${r.evaluations.coalitions} coalitions`
      : `${r.sampling?.permutations} permutations (antithetic pairs), ${r.sampling?.converged ? "converged" : "budget reached"}`;
  const noise = r.noise
    ? `refit noise σ_v = ${num(r.noise.sigma)} (dof ${r.noise.dof}); φ within ±${num(r.noise.shapleyZeroBand)} is noise`
    : "refit noise not measured";
  return [
    table(["mechanism", "φ", "share", "±SE", "Banzhaf", "solo gain", "LOO loss", ""], rows),
    `Σφ = v(N) − v(∅) = ${num(r.total)}  (v(∅) = ${num(r.vEmpty)}, v(N) = ${num(r.vFull)}); ${how}`,
    noise,
  ].join("\n");
}

export function formatInteractionMatrix(r: ShapleyResult): string {
  const m = r.interaction ?? r.banzhafInteraction;
  if (!m) return "no interaction matrix (sampled without Banzhaf draws)";
  const title = r.interaction
    ? "Shapley interaction I_ij (negative: redundant, positive: synergy)"
    : "Banzhaf interaction (sampled; negative: redundant, positive: synergy)";
  const rows = r.players.map((p, i) => [p, ...m[i].map((x, j) => (i === j ? "·" : num(x)))]);
  return `${title}\n${table(["", ...r.players], rows)}`;
}

export function formatPruning(p: PruningProposal): string {
  const lines = p.decisions.map((d) => `  ${d.drop ? "drop" : "keep"} ${d.player}: ${d.reason}`);
  const reduced = p.vReduced === null ? "unknown (refit the reduced form)" : num(p.vReduced);
  return [
    `Pruning (share threshold ${pct(p.shareThreshold)}, δ = ${num(p.delta)}): drop ${p.dropped.join(", ") || "nothing"}`,
    ...lines,
    `v(N) = ${num(p.vFull)}, v(kept) = ${reduced}`,
  ].join("\n");
}
