import { KilnError } from "../util/errors.ts";

/** The most players a game may have: coalitions are 31-bit-safe bitmasks. */
export const MAX_PLAYERS = 30;
/** Exact enumeration visits all 2^N coalitions; beyond this, sample. */
export const MAX_EXACT_PLAYERS = 12;

/**
 * What an estimator tells the game when it asks for v(S): the coalitions S∖{k} already evaluated,
 * best value first, so that a refit of S can warm-start from one of them (with k at its identity).
 */
export interface WarmStartHint {
  subsets: number[];
}

/**
 * A cooperative game over named players (a form's mechanisms). Coalitions are bitmasks: bit k set means
 * player k is present. Values are scores, higher is better (negate a loss). v(∅) is the coalition 0.
 * `value` may be expensive (a refit); estimators call it through a CoalitionCache, at most once per mask.
 */
export interface Game {
  readonly n: number;
  readonly players: readonly string[];
  value(mask: number, hint?: WarmStartHint): Promise<number>;
  /** The same value refit with another seed, for the noise estimate (optional). */
  valueWithSeed?(mask: number, seed: number, hint?: WarmStartHint): Promise<number>;
}

/** A clear error for a malformed game, before any refit is spent on it. */
export function checkGame(game: Game, where = "game"): void {
  const { n, players } = game;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PLAYERS) {
    throw new KilnError(`a game needs 1 to ${MAX_PLAYERS} players, got n = ${n}`, {
      where,
      hint: `coalitions are bitmasks of at most ${MAX_PLAYERS} bits; group mechanisms if you have more`,
    });
  }
  if (players.length !== n) {
    throw new KilnError(`n = ${n} but ${players.length} player names were given`, {
      where,
      hint: "give exactly one name per player, in bit order",
    });
  }
  const seen = new Set<string>();
  for (const p of players) {
    if (seen.has(p))
      throw new KilnError(`player "${p}" appears twice`, { where, hint: "player names must be unique" });
    seen.add(p);
  }
}

/** The grand coalition N as a mask. */
export function fullMask(n: number): number {
  return n >= 31 ? 0x7fffffff : (1 << n) - 1;
}

/** Number of players in a coalition. */
export function popcount(mask: number): number {
  let x = mask - ((mask >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The player names of a coalition, in bit order ("∅" for the empty one is left to the caller). */
export function coalitionNames(mask: number, players: readonly string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < players.length; k++) if (mask & (1 << k)) out.push(players[k]);
  return out;
}

/** A readable coalition, e.g. "{fuel, gpp}" or "∅", for messages and reports. */
export function formatCoalition(mask: number, players: readonly string[]): string {
  return mask === 0 ? "∅" : `{${coalitionNames(mask, players).join(", ")}}`;
}

/** The mask of named players; unknown names are a clear error. */
export function maskOf(names: readonly string[], players: readonly string[], where = "coalition"): number {
  let mask = 0;
  for (const name of names) {
    const k = players.indexOf(name);
    if (k < 0) {
      throw new KilnError(`unknown player "${name}"`, { where, hint: `players are: ${players.join(", ")}` });
    }
    mask |= 1 << k;
  }
  return mask;
}

/** Exact binomial coefficient C(n, k) for n ≤ 60 (an integer in float64 below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let c = 1;
  for (let j = 1; j <= k; j++) c = (c * (n - k + j)) / j;
  return Math.round(c);
}
