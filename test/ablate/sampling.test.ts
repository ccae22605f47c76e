import assert from "node:assert/strict";
import { test } from "node:test";
import { banzhafExact, CoalitionCache, shapley, shapleyExact } from "../../src/ablate/index.ts";
import { randomDividends, tableGame, valuesFromDividends } from "./games.ts";

// A random 8-player game with pair and triple terms (Möbius dividends of order ≤ 3).
const N = 8;
const V = valuesFromDividends(randomDividends(N, 31, 3), N);
const EXACT = shapleyExact(V, N);
const EXACT_B = banzhafExact(V, N);

test("permutation estimates land within a few SE of exact on a random 8-player game", async () => {
  const r = await shapley(tableGame(N, V), {
    method: "permutation",
    maxPermutations: 200,
    tolerance: 0,
    seed: 1,
  });
  assert.equal(r.sampling?.permutations, 200);
  assert.equal(r.sampling?.converged, false);
  for (let i = 0; i < N; i++) {
    assert.ok(r.se[i] > 0, `SE of p${i} is positive`);
    assert.ok(Math.abs(r.phi[i] - EXACT[i]) <= 4 * r.se[i], `p${i}: ${r.phi[i]} vs ${EXACT[i]} ± ${r.se[i]}`);
  }
  assert.ok(Math.abs(r.efficiencyGap) <= 1e-12, "each order telescopes to v(N) − v(∅)");
  assert.equal(r.interaction, null);
});

test("the SE is honest: over 20 seeds about 95% of the errors are within 2 SE", async () => {
  let inside = 0;
  let count = 0;
  for (let seed = 100; seed < 120; seed++) {
    const r = await shapley(tableGame(N, V), {
      method: "permutation",
      maxPermutations: 60,
      tolerance: 0,
      seed,
      banzhafSamples: 0,
    });
    for (let i = 0; i < N; i++, count++) if (Math.abs(r.phi[i] - EXACT[i]) <= 2 * r.se[i]) inside++;
  }
  const rate = inside / count;
  assert.ok(rate > 0.85 && rate <= 1, `coverage ${rate}`);
  assert.ok(rate < 1, "the SE is not so wide that it always covers");
});

test("sampling stops once every 95% half-width is within tolerance·|v(N) − v(∅)|", async () => {
  const tol = 0.05;
  const r = await shapley(tableGame(N, V), {
    method: "permutation",
    tolerance: tol,
    maxPermutations: 2000,
    seed: 4,
  });
  const s = r.sampling!;
  assert.equal(s.converged, true);
  assert.ok(s.permutations < 2000 && s.permutations >= 20 && s.permutations % 2 === 0);
  assert.equal(s.orders.length, s.permutations / 2);
  for (let i = 0; i < N; i++) assert.ok(1.96 * r.se[i] <= tol * Math.abs(r.total));
  // one pair fewer would not have met the rule (the stop is the first pair that does)
  const shorter = await shapley(tableGame(N, V), {
    method: "permutation",
    orders: s.orders.slice(0, -1),
    banzhafSamples: 0,
  });
  assert.ok(shorter.se.some((x) => 1.96 * x > tol * Math.abs(r.total)));
});

test("the estimate does not depend on concurrency or round size, and fixed orders reproduce it", async () => {
  const opts = { method: "permutation" as const, tolerance: 0.05, maxPermutations: 400, seed: 7 };
  const a = await shapley(tableGame(N, V), { ...opts, concurrency: 1 });
  const b = await shapley(tableGame(N, V), { ...opts, concurrency: 4, pairsPerRound: 3 });
  assert.deepEqual(b.phi, a.phi);
  assert.deepEqual(b.se, a.se);
  assert.deepEqual(b.banzhaf, a.banzhaf);
  assert.deepEqual(b.sampling?.orders, a.sampling?.orders);
  const c = await shapley(tableGame(N, V), { method: "permutation", orders: a.sampling?.orders, seed: 7 });
  assert.deepEqual(c.phi, a.phi);
});

test("antithetic pairs: an order and its reverse, with the pair mean as one sample", async () => {
  // v(S) = |S ∩ {0,1}|² is symmetric in 0 and 1: along π and reversed π, player 0 comes first in one and
  // second in the other, so every pair sample is exactly (1 + 3)/2 = 2 and the SE is 0.
  const r = await shapley(
    tableGame(3, (s) => ((s & 1) + ((s >> 1) & 1)) ** 2),
    {
      method: "permutation",
      maxPermutations: 20,
      tolerance: 0,
      banzhafSamples: 0,
    },
  );
  assert.equal(r.phi[0], 2);
  assert.equal(r.phi[1], 2);
  assert.equal(r.se[0], 0);
  assert.equal(r.phi[2], 0);
});

test("maximum-sample-reuse Banzhaf lands within a few SE of exact Banzhaf", async () => {
  const cache = new CoalitionCache(tableGame(N, V));
  const r = await shapley(cache.game, {
    cache,
    method: "permutation",
    maxPermutations: 4,
    banzhafSamples: 3000,
    seed: 3,
  });
  assert.equal(r.sampling?.banzhafSamples, 3000);
  for (let i = 0; i < N; i++) {
    const se = r.banzhafSe?.[i] as number;
    assert.ok(se > 0);
    assert.ok(Math.abs((r.banzhaf?.[i] as number) - EXACT_B[i]) <= 4 * se, `β${i}`);
  }
  // a strong pure pair term shows in the sampled Banzhaf interaction with the right sign and size
  const m = new Map<number, number>([
    [0b0001, 0.5],
    [0b0010, 0.4],
    [0b0100, 0.3],
    [0b1000, 0.1],
    [0b0011, -0.4],
  ]);
  const p = await shapley(tableGame(4, valuesFromDividends(m, 4)), {
    method: "permutation",
    maxPermutations: 4,
    banzhafSamples: 400,
  });
  const I = p.banzhafInteraction as number[][];
  // the additive control variate removes the main effects; what is left of the pair term (sd ≈ 0.1) over
  // ~100 draws per group gives an SE of about 0.02
  assert.ok(Math.abs(I[0][1] - -0.4) < 0.08, `I01 = ${I[0][1]}`);
  assert.ok(Math.abs(I[2][3]) < 0.08, `I23 = ${I[2][3]}`);
});

test("above 12 players sampling is the default and still exact in efficiency", async () => {
  const n = 20;
  const w = Array.from({ length: n }, (_, k) => (k + 1) / 100);
  const r = await shapley(
    tableGame(n, (s) => w.reduce((a, x, k) => a + (s & (1 << k) ? x : 0), 0) + 0.1 * ((s & 3) === 3 ? 1 : 0)),
    {
      maxPermutations: 40,
    },
  );
  assert.equal(r.method, "permutation");
  assert.ok(Math.abs(r.efficiencyGap) < 1e-12);
  for (let k = 2; k < n; k++)
    assert.ok(Math.abs(r.phi[k] - w[k]) < 1e-12, "additive players are exact on any order");
  assert.ok(Math.abs(r.phi[0] - (w[0] + 0.05)) < 4 * r.se[0] + 1e-12);
  assert.equal(r.solo.length, n);
  assert.ok(r.evaluations.coalitions <= r.evaluations.newEvaluations);
});
