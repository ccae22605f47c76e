// Games with known values for the ablation tests (a helper module, not a test file).
import { Rng } from "../../src/util/rng.ts";
import type { Game, WarmStartHint } from "../../src/ablate/game.ts";

export const names = (n: number): string[] => Array.from({ length: n }, (_, k) => `p${k}`);

/** v(S) = Σ_{T⊆S} m(T), by brute force over the subsets of S (independent of the code under test). */
export function valuesFromDividends(m: Map<number, number>, n: number): Float64Array {
  const v = new Float64Array(2 ** n);
  for (let s = 0; s < v.length; s++) {
    let acc = 0;
    for (const [t, x] of m) if ((t & s) === t) acc += x;
    v[s] = acc;
  }
  return v;
}

/** Random Möbius dividends on every coalition of size 1..maxOrder. */
export function randomDividends(n: number, seed: number, maxOrder: number, scale = 1): Map<number, number> {
  const rng = new Rng(seed);
  const m = new Map<number, number>();
  for (let t = 1; t < 2 ** n; t++) {
    let size = 0;
    for (let x = t; x; x &= x - 1) size++;
    if (size <= maxOrder) m.set(t, scale * rng.uniform(-1, 1) * (size === 1 ? 1 : 0.5));
  }
  return m;
}

export interface Instrumented extends Game {
  calls: Map<number, number>;
  started: number[];
  finishedAt: Map<number, number>;
  startedAt: Map<number, number>;
  hints: Map<number, WarmStartHint | undefined>;
  maxInFlight: number;
}

/** A game over a table or a function, recording every call; optional delay (ms) per call. */
export function tableGame(
  n: number,
  v: Float64Array | ((mask: number) => number),
  opts: { players?: string[]; delay?: (mask: number) => number; fail?: (mask: number) => boolean } = {},
): Instrumented {
  const at = typeof v === "function" ? v : (m: number) => v[m];
  let clock = 0;
  let inFlight = 0;
  const g: Instrumented = {
    n,
    players: opts.players ?? names(n),
    calls: new Map(),
    started: [],
    finishedAt: new Map(),
    startedAt: new Map(),
    hints: new Map(),
    maxInFlight: 0,
    async value(mask: number, hint?: WarmStartHint): Promise<number> {
      g.calls.set(mask, (g.calls.get(mask) ?? 0) + 1);
      g.started.push(mask);
      g.startedAt.set(mask, clock++);
      g.hints.set(mask, hint);
      inFlight++;
      g.maxInFlight = Math.max(g.maxInFlight, inFlight);
      const ms = opts.delay?.(mask) ?? 0;
      if (ms > 0) await new Promise((r) => setTimeout(r, ms));
      else await Promise.resolve();
      inFlight--;
      g.finishedAt.set(mask, clock++);
      if (opts.fail?.(mask)) throw new Error("refit diverged");
      return at(mask);
    },
  };
  return g;
}

/** Brute-force Shapley by averaging marginal contributions over all n! orders (n ≤ 7). */
export function shapleyByAllOrders(v: Float64Array, n: number): number[] {
  const phi = new Array<number>(n).fill(0);
  let count = 0;
  const order: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const visit = (): void => {
    if (order.length === n) {
      let s = 0;
      for (const k of order) {
        phi[k] += v[s | (1 << k)] - v[s];
        s |= 1 << k;
      }
      count++;
      return;
    }
    for (let k = 0; k < n; k++) {
      if (used[k]) continue;
      used[k] = true;
      order.push(k);
      visit();
      order.pop();
      used[k] = false;
    }
  };
  visit();
  return phi.map((x) => x / count);
}
