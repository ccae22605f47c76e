import { KilnError } from "../util/errors.ts";
import type { CoalitionCache } from "./cache.ts";
import { formatCoalition, fullMask } from "./game.ts";
import type { ShapleyResult } from "./result.ts";

/**
 * The pruning rule of mechanisms.md §4.5 step 5: propose dropping i when
 *   φ_i < max(2·SE_i, shareThreshold·(v(N) − v(∅)))   (it does little work)
 *   and v(N∖{i}) ≥ v(N) − δ                           (the rest covers for it).
 * SE_i is the result's `uncertainty` (sampling SE and refit noise together, so the rule also works for exact
 * values, whose sampling SE is 0). Candidates are then taken greedily, smallest φ first, and one is dropped
 * only if the reduced coalition still holds: v(N∖D) ≥ v(N) − δ for the whole dropped set D. This guards
 * against the rule's blind spot: two redundant mechanisms each look removable alone (each covers for the
 * other) but not together. The check reads v(N∖D) from the cache (a refit if it is not there yet).
 * Each player's partner is the other player with the most negative interaction (Shapley I_ij if known,
 * else Banzhaf). Refitting the reduced form and scoring it on every component is the caller's job.
 */
export interface PruningOptions {
  /** Default 0.02 (2% of v(N) − v(∅)). */
  shareThreshold?: number;
  /** Allowed loss δ. Default 2·√2·σ_v when the result has a noise estimate (two noisy values), else 0. */
  delta?: number;
  /** The cache the result was computed with: enables the joint check on v(N∖D). */
  cache?: CoalitionCache;
}

export interface PruneDecision {
  player: string;
  index: number;
  drop: boolean;
  phi: number;
  share: number | null;
  /** max(2·uncertainty, shareThreshold·(v(N) − v(∅))). */
  threshold: number;
  lowValue: boolean;
  /** v(N) − v(N∖{i}). */
  looLoss: number;
  looOk: boolean;
  /** v(N) − v(N∖(D ∪ {i})) when i was considered, D the players dropped before it (null: not checked). */
  jointLoss: number | null;
  partner: string | null;
  partnerInteraction: number | null;
  reason: string;
}

export interface PruningProposal {
  kind: "kiln.pruning";
  players: string[];
  dropped: string[];
  kept: string[];
  decisions: PruneDecision[];
  shareThreshold: number;
  delta: number;
  interactionUsed: "shapley" | "banzhaf" | null;
  jointChecked: boolean;
  /** The reduced coalition (bitmask over `players`). */
  keptMask: number;
  vFull: number;
  /** v(kept): the reduced form's value, when known. */
  vReduced: number | null;
}

const fmt = (x: number): string => (Math.abs(x) < 1e-12 ? "0" : x.toPrecision(3));

/** For each player, the other player with the most negative interaction (null if none is negative). */
export function redundantPartners(
  matrix: readonly (readonly (number | null)[])[],
  players: readonly string[],
): { partner: string | null; interaction: number | null }[] {
  return players.map((_, i) => {
    let best = -1;
    let bestValue = 0;
    for (let j = 0; j < players.length; j++) {
      const x = matrix[i][j];
      if (j === i || x === null || !(x < bestValue)) continue;
      best = j;
      bestValue = x;
    }
    return best < 0
      ? { partner: null, interaction: null }
      : { partner: players[best], interaction: bestValue };
  });
}

export async function proposePruning(
  result: ShapleyResult,
  opts: PruningOptions = {},
): Promise<PruningProposal> {
  const { players } = result;
  const n = players.length;
  const shareThreshold = opts.shareThreshold ?? 0.02;
  if (!(shareThreshold >= 0 && shareThreshold < 1)) {
    throw new KilnError(`shareThreshold must be in [0, 1), got ${shareThreshold}`, {
      where: "pruning options",
    });
  }
  const delta = opts.delta ?? (result.noise ? 2 * Math.SQRT2 * result.noise.sigma : 0);
  if (!(delta >= 0)) throw new KilnError(`delta must be ≥ 0, got ${delta}`, { where: "pruning options" });
  const cache = opts.cache;
  if (cache && (cache.game.n !== n || cache.game.players.some((p, i) => p !== players[i]))) {
    throw new KilnError("the cache given belongs to a game with other players", { where: "pruning options" });
  }
  const matrix = result.interaction ?? result.banzhafInteraction;
  const interactionUsed = result.interaction ? "shapley" : result.banzhafInteraction ? "banzhaf" : null;
  const partners = matrix ? redundantPartners(matrix, players) : players.map(() => null);
  const shareFloor = shareThreshold * result.total;

  const decisions: PruneDecision[] = players.map((player, i) => {
    const phi = result.phi[i];
    const threshold = Math.max(2 * result.uncertainty[i], shareFloor);
    const looLoss = result.loo[i];
    const lowValue = phi < threshold;
    const looOk = looLoss <= delta;
    const p = partners[i];
    let reason: string;
    if (!lowValue) reason = `kept: φ = ${fmt(phi)} ≥ threshold ${fmt(threshold)}`;
    else if (!looOk)
      reason = `kept: φ = ${fmt(phi)} < threshold ${fmt(threshold)}, but removing it alone costs ${fmt(looLoss)} > δ = ${fmt(delta)}`;
    else
      reason = `candidate: φ = ${fmt(phi)} < threshold ${fmt(threshold)}, removing it alone costs ${fmt(looLoss)} ≤ δ = ${fmt(delta)}`;
    return {
      player,
      index: i,
      drop: false,
      phi,
      share: result.share[i],
      threshold,
      lowValue,
      looLoss,
      looOk,
      jointLoss: null,
      partner: p?.partner ?? null,
      partnerInteraction: p?.interaction ?? null,
      reason,
    };
  });

  const candidates = decisions
    .filter((d) => d.lowValue && d.looOk)
    .sort((a, b) => a.phi - b.phi || a.index - b.index);
  const full = fullMask(n);
  let dropMask = 0;
  for (const d of candidates) {
    const bit = 1 << d.index;
    if (cache && dropMask !== 0) {
      const vReduced = await cache.value(full & ~(dropMask | bit));
      d.jointLoss = result.vFull - vReduced;
      if (d.jointLoss > delta) {
        d.reason =
          `kept: φ = ${fmt(d.phi)} is low and it is removable alone, but removing it with ` +
          `${formatCoalition(dropMask, players)} costs ${fmt(d.jointLoss)} > δ = ${fmt(delta)}`;
        continue;
      }
    } else if (dropMask === 0) {
      d.jointLoss = d.looLoss;
    }
    d.drop = true;
    dropMask |= bit;
    d.reason = d.reason.replace(/^candidate/, "drop");
    if (d.partner) d.reason += `; redundant with ${d.partner} (I = ${fmt(d.partnerInteraction as number)})`;
  }

  const keptMask = full & ~dropMask;
  let vReduced: number | null = null;
  if (dropMask === 0) vReduced = result.vFull;
  else if (cache?.has(keptMask)) vReduced = cache.get(keptMask) as number;
  else if ((dropMask & (dropMask - 1)) === 0)
    vReduced = result.vFull - decisions[31 - Math.clz32(dropMask)].looLoss;
  return {
    kind: "kiln.pruning",
    players: [...players],
    dropped: decisions.filter((d) => d.drop).map((d) => d.player),
    kept: decisions.filter((d) => !d.drop).map((d) => d.player),
    decisions,
    shareThreshold,
    delta,
    interactionUsed,
    jointChecked: cache !== undefined,
    keptMask,
    vFull: result.vFull,
    vReduced,
  };
}
