import assert from "node:assert/strict";
import { test } from "node:test";
import {
  banzhafCoefficientNorm,
  banzhafExact,
  CoalitionCache,
  estimateNoise,
  type Game,
  shapley,
  shapleyCoefficientNorm,
  shapleyExact,
} from "../../src/ablate/index.ts";
import { KilnError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/rng.ts";
import { names, tableGame } from "./games.ts";

test("√Σc² of exact Shapley and Banzhaf as linear forms in v(S) matches the coefficients themselves", () => {
  for (let n = 1; n <= 7; n++) {
    // the coefficient of v(S) in φ_i is φ_i of the game that is 1 on S and 0 elsewhere
    const sumSq = new Float64Array(n);
    const sumSqB = new Float64Array(n);
    for (let s = 0; s < 2 ** n; s++) {
      const e = new Float64Array(2 ** n);
      e[s] = 1;
      const c = shapleyExact(e, n);
      const b = banzhafExact(e, n);
      for (let i = 0; i < n; i++) {
        sumSq[i] += c[i] * c[i];
        sumSqB[i] += b[i] * b[i];
      }
    }
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(Math.sqrt(sumSq[i]) - shapleyCoefficientNorm(n)) < 1e-14, `Shapley n = ${n}`);
      assert.ok(Math.abs(Math.sqrt(sumSqB[i]) - banzhafCoefficientNorm(n)) < 1e-14, `Banzhaf n = ${n}`);
    }
  }
  assert.equal(shapleyCoefficientNorm(2), 1);
});

test("the zero band is the real spread of φ under independent value noise (Monte Carlo)", () => {
  const n = 6;
  const sigma = 0.05;
  const rng = new Rng(17);
  const truth = Float64Array.from({ length: 2 ** n }, () => rng.uniform(0, 1));
  const reps = 3000;
  let ss = 0;
  const phi0 = shapleyExact(truth, n)[2];
  for (let r = 0; r < reps; r++) {
    const noisy = truth.map((x) => x + sigma * rng.normal());
    ss += (shapleyExact(noisy, n)[2] - phi0) ** 2;
  }
  const sd = Math.sqrt(ss / reps);
  const predicted = sigma * shapleyCoefficientNorm(n);
  assert.ok(Math.abs(sd / predicted - 1) < 0.05, `sd ${sd} vs predicted ${predicted}`);
});

test("σ_v pools the within-coalition spread over repeated coalitions", () => {
  const e = estimateNoise(
    [
      { mask: 3, values: [1, 2, 3] },
      { mask: 1, values: [5, 7] },
      { mask: 2, values: [4] },
    ],
    ["a", "b"],
  );
  // Σ squared deviations = 2 + 2, dof = 2 + 1
  assert.ok(Math.abs(e.sigma - Math.sqrt(4 / 3)) < 1e-15);
  assert.equal(e.dof, 3);
  assert.deepEqual(
    e.groups.map((g) => [g.coalition, g.mean, g.sd]),
    [
      ["{a, b}", 2, 1],
      ["{a}", 6, Math.SQRT2],
      ["{b}", 4, null],
    ],
  );
  assert.ok(Math.abs(e.shapleyZeroBand - 2 * e.sigma * 1) < 1e-15);
  assert.throws(
    () => estimateNoise([{ mask: 1, values: [1] }], ["a"]),
    (x: unknown) => x instanceof KilnError,
  );
  assert.throws(() => estimateNoise([{ mask: 1, values: [1, NaN] }], ["a"]), /not finite/);
});

/** An additive game (weights w) whose refits carry a deterministic per-(mask, seed) error. */
function noisyGame(w: number[], sigma: number): Game & { draw(mask: number, seed: number): number } {
  const n = w.length;
  const base = (s: number): number => w.reduce((a, x, k) => a + (s & (1 << k) ? x : 0), 0);
  const draw = (mask: number, seed: number): number =>
    base(mask) + sigma * new Rng(mask * 1000 + seed).normal();
  return {
    n,
    players: names(n),
    draw,
    value: async (mask) => draw(mask, 0),
    valueWithSeed: async (mask, seed) => draw(mask, seed),
  };
}

test("repeated seeds give σ_v, top coalitions use their seed means, and small φ are flagged as noise", async () => {
  const w = [0.4, 0.3, 0.002, 0.2, -0.001];
  const n = w.length;
  const sigma = 0.01;
  const game = noisyGame(w, sigma);
  const cache = new CoalitionCache(game);
  const r = await shapley(game, { cache, noise: { seeds: [1, 2, 3] }, concurrency: 2 });
  const noise = r.noise!;
  assert.equal(noise.groups.length, n + 1);
  assert.equal(noise.dof, 3 * (n + 1));
  // σ_v recomputed here from the same draws
  let ss = 0;
  for (const g of noise.groups) {
    const xs = [0, 1, 2, 3].map((seed) => game.draw(g.mask, seed));
    assert.deepEqual(g.values, xs);
    const mean = xs.reduce((a, b) => a + b, 0) / 4;
    ss += xs.reduce((a, x) => a + (x - mean) ** 2, 0);
    assert.ok(Math.abs((cache.get(g.mask) as number) - mean) < 1e-15, "the cache holds the seed mean");
  }
  assert.ok(Math.abs(noise.sigma - Math.sqrt(ss / noise.dof)) < 1e-15);
  assert.ok(noise.sigma > 0.4 * sigma && noise.sigma < 2 * sigma);
  assert.ok(Math.abs(r.vFull - noise.groups[n].mean) < 1e-15);
  assert.ok(Math.abs(noise.shapleyZeroBand - 2 * noise.sigma * shapleyCoefficientNorm(n)) < 1e-15);
  assert.deepEqual(r.flags.indistinguishableFromZero, [false, false, true, false, true]);
  assert.ok(r.uncertainty.every((u) => Math.abs(u - noise.sigma * noise.shapleyWeightNorm) < 1e-15));
});

test("noise from given repeats, and a game without valueWithSeed asking for seeds, is a clear error", async () => {
  const game = tableGame(2, Float64Array.of(0, 1, 2, 3.5));
  const r = await shapley(game, {
    noise: {
      useMeans: false,
      repeats: [
        { mask: 3, values: [3.5, 3.7] },
        { mask: 1, values: [1, 1.2] },
      ],
    },
  });
  // squared deviations 0.02 + 0.02 over dof 2
  assert.ok(Math.abs(r.noise!.sigma - Math.sqrt(0.02)) < 1e-12);
  assert.equal(r.vFull, 3.5, "useMeans: false leaves the cache alone");
  await assert.rejects(
    shapley(
      tableGame(2, () => 0),
      { noise: { seeds: [1, 2] } },
    ),
    (e: unknown) => e instanceof KilnError && /valueWithSeed/.test(e.message),
  );
});
