import type { CoalitionCache, OnProgress } from "./cache.ts";
import { fullMask } from "./game.ts";

/**
 * The cheap diagnostic (2N + 2 coalitions): solo gain v({i}) − v(∅) against leave-one-out loss
 * v(N) − v(N∖{i}). A large solo gain with a near-zero leave-one-out loss means the rest covers for i.
 */
export interface SoloLoo {
  vEmpty: number;
  vFull: number;
  solo: Float64Array;
  loo: Float64Array;
}

export function soloLooMasks(n: number): number[] {
  const full = fullMask(n);
  const masks = [0];
  for (let i = 0; i < n; i++) masks.push(1 << i, full & ~(1 << i));
  masks.push(full);
  return masks;
}

export function soloLooFrom(n: number, valueOf: (mask: number) => number): SoloLoo {
  const full = fullMask(n);
  const vEmpty = valueOf(0);
  const vFull = valueOf(full);
  const solo = new Float64Array(n);
  const loo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    solo[i] = valueOf(1 << i) - vEmpty;
    loo[i] = vFull - valueOf(full & ~(1 << i));
  }
  return { vEmpty, vFull, solo, loo };
}

export async function soloLeaveOneOut(
  cache: CoalitionCache,
  opts: { concurrency?: number; onProgress?: OnProgress } = {},
): Promise<SoloLoo> {
  await cache.evaluateAll(soloLooMasks(cache.game.n), { ...opts, phase: "solo/leave-one-out" });
  return soloLooFrom(cache.game.n, (m) => cache.known(m));
}
