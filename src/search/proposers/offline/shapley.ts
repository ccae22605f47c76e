/**
 * Reading the last candidate's Shapley attribution for pruning: which mechanisms carry (almost) nothing,
 * and which partner covers for each (the most negative pairwise interaction). mechanisms.md §4 and
 * docs/shapley.md define the numbers; this only turns them into moves and words.
 */
import { mechanismById } from "../../../mechanisms/library.ts";
import type { CandidateEntry, Feedback } from "../../types.ts";
import { fmtPct, fmtSigned, termMechanisms } from "../history.ts";
import { SLOT_INFO, slotOf } from "./slots.ts";

/** A share below this is "tiny" (origin.md's fuel hump carried 5%). */
export const WEAK_SHARE = 0.05;

/** An interaction closer to zero than this names no partner (it prints as 0.000). */
const MIN_INTERACTION = 5e-4;

export interface PlayerReading {
  readonly player: string;
  /** Library id of the player's term, or null for a custom term. */
  readonly mechanism: string | null;
  readonly phi: number;
  readonly share: number;
  readonly zero: boolean;
  readonly partner: string | null;
  readonly partnerMechanism: string | null;
  readonly interaction: number | null;
}

export interface ShapleyReading {
  readonly candidate: CandidateEntry;
  readonly players: readonly PlayerReading[];
  /** Players that do (almost) no work, smallest share first; never every player. */
  readonly weak: readonly PlayerReading[];
}

export function readShapley(
  feedback: Feedback | null,
  history: readonly CandidateEntry[],
): ShapleyReading | null {
  const sh = feedback?.shapley;
  if (!feedback || !sh || sh.players.length === 0) return null;
  const candidate = history.find((e) => e.id === feedback.candidateId);
  if (!candidate) return null;
  const mechs = termMechanisms(candidate);
  const n = sh.players.length;
  const players: PlayerReading[] = sh.players.map((player, i) => {
    let partner = -1;
    let worst = 0;
    const row = sh.interactions?.[i];
    if (row) {
      for (let j = 0; j < n; j++) {
        const x = row[j];
        if (j !== i && Number.isFinite(x) && x < worst && x <= -MIN_INTERACTION) {
          worst = x;
          partner = j;
        }
      }
    }
    return {
      player,
      mechanism: mechs.get(player) ?? null,
      phi: sh.phi[i],
      share: sh.share[i],
      zero: sh.indistinguishableFromZero[i] === true,
      partner: partner >= 0 ? sh.players[partner] : null,
      partnerMechanism: partner >= 0 ? (mechs.get(sh.players[partner]) ?? null) : null,
      interaction: partner >= 0 ? worst : null,
    };
  });
  const weak = players
    .filter((p) => p.phi < 0 || p.share < WEAK_SHARE || p.zero)
    .sort((a, b) => a.share - b.share || a.player.localeCompare(b.player));
  // Dropping every player leaves no form: keep the strongest.
  if (weak.length === players.length) weak.pop();
  return { candidate, players, weak };
}

/**
 * Why a weak player can go, in a fire modeller's words, e.g. "its Shapley share is 3% and its interaction
 * with vdw_gpp_gate is −0.020 — gpp already carries the fuel/productivity signal".
 */
export function dropReason(p: PlayerReading): string {
  const zero = p.zero && p.phi >= 0 ? ", indistinguishable from zero" : "";
  let s = `its Shapley share is ${fmtPct(p.share)} (φ = ${fmtSigned(p.phi, 4)}${zero})`;
  if (p.phi < 0) s += ": on average it lowers the score";
  if (p.partner !== null && p.interaction !== null) {
    s += `, and its interaction with ${p.partner} is ${fmtSigned(p.interaction)} — ${coverPhrase(p)}`;
  }
  return s;
}

function coverPhrase(p: PlayerReading): string {
  const m = p.mechanism ? mechanismById(p.mechanism) : undefined;
  const q = p.partnerMechanism ? mechanismById(p.partnerMechanism) : undefined;
  if (!m || !q) return `${p.partner} already carries what it adds`;
  const qDrivers = q.drivers.map((d) => d.name).filter((d) => d !== "lat" && d !== "month");
  if (slotOf(m) === slotOf(q)) {
    return `${qDrivers.join(" and ")} already carries the ${SLOT_INFO[slotOf(q)].label} signal`;
  }
  const shared = m.drivers.map((d) => d.name).filter((d) => qDrivers.includes(d));
  return shared.length
    ? `both read ${shared.join(" and ")}, and ${p.partner} already carries that signal`
    : `${p.partner} (${qDrivers.join(", ")}) already covers the same pattern`;
}
