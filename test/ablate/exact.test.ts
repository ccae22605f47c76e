import assert from "node:assert/strict";
import { test } from "node:test";
import {
  banzhafExact,
  banzhafInteraction,
  fromMobius,
  mobius,
  shapley,
  shapleyExact,
  shapleyInteraction,
} from "../../src/ablate/index.ts";
import { KilnError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/rng.ts";
import { randomDividends, shapleyByAllOrders, tableGame, valuesFromDividends } from "./games.ts";

const close = (a: number, b: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (|Δ| = ${Math.abs(a - b)} > ${tol})`);

test("additive game: φ, Banzhaf, solo and leave-one-out equal the weights; no interaction", async () => {
  const w = [0.5, -0.25, 1.5, 3, 0, 0.125, 0.7];
  const n = w.length;
  const r = await shapley(tableGame(n, (s) => w.reduce((acc, x, k) => acc + (s & (1 << k) ? x : 0), 0.2)));
  assert.equal(r.method, "exact");
  for (let i = 0; i < n; i++) {
    close(r.phi[i], w[i], 1e-14, `φ${i}`);
    close(r.banzhaf?.[i] as number, w[i], 1e-14, `β${i}`);
    close(r.solo[i], w[i], 1e-14, `solo${i}`);
    close(r.loo[i], w[i], 1e-14, `loo${i}`);
    for (let j = 0; j < n; j++) close(r.interaction?.[i][j] as number, 0, 1e-14, `I${i}${j}`);
  }
  close(r.vEmpty, 0.2, 0, "v(∅)");
});

test("two identical players share equally (values symmetric under swapping them)", async () => {
  const n = 7;
  const rng = new Rng(3);
  const raw = Float64Array.from({ length: 2 ** n }, () => rng.uniform(0, 1));
  // players 1 and 4 are interchangeable: v(S) = raw[canon(S)], where canon moves a lone 4 onto 1
  const canon = (s: number): number => ((s & 0b10010) === 0b10000 ? (s & ~0b10000) | 0b10 : s);
  const r = await shapley(tableGame(n, (s) => raw[canon(s)]));
  close(r.phi[1], r.phi[4], 1e-15, "φ1 vs φ4");
  close(r.banzhaf?.[1] as number, r.banzhaf?.[4] as number, 1e-15, "β1 vs β4");
  for (const k of [0, 2, 3, 5, 6])
    close(r.interaction?.[1][k] as number, r.interaction?.[4][k] as number, 1e-15);
  assert.ok(Math.abs(r.phi[1] - r.phi[0]) > 1e-3, "the game is not trivially symmetric in every player");
});

test("efficiency Σφ = v(N) − v(∅) to 1e-12 on a random 12-player game", async () => {
  const n = 12;
  const rng = new Rng(11);
  const v = Float64Array.from({ length: 2 ** n }, () => 0.3 + rng.uniform(0, 1));
  const r = await shapley(tableGame(n, v));
  const sum = r.phi.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - (v[2 ** n - 1] - v[0])) <= 1e-12, `gap ${sum - (v[2 ** n - 1] - v[0])}`);
  assert.ok(Math.abs(r.efficiencyGap) <= 1e-12);
  assert.equal(r.evaluations.coalitions, 4096);
  assert.equal(r.evaluations.newEvaluations, 4096);
});

test("a null player gets exactly 0 Shapley, Banzhaf and interaction", async () => {
  const n = 6;
  const rng = new Rng(5);
  const raw = Float64Array.from({ length: 2 ** n }, () => rng.normal());
  const r = await shapley(tableGame(n, (s) => raw[s & ~(1 << 3)]));
  assert.equal(r.phi[3], 0);
  assert.equal(r.banzhaf?.[3], 0);
  for (let j = 0; j < n; j++) assert.equal(r.interaction?.[3][j], 0);
  assert.ok(r.phi.some((x, i) => i !== 3 && Math.abs(x) > 1e-3));
});

test("Shapley equals the average over all n! orders (brute force, n = 6)", () => {
  const n = 6;
  const rng = new Rng(8);
  const v = Float64Array.from({ length: 2 ** n }, () => rng.uniform(-1, 2));
  const ref = shapleyByAllOrders(v, n);
  const phi = shapleyExact(v, n);
  for (let i = 0; i < n; i++) close(phi[i], ref[i], 1e-13, `φ${i}`);
});

test("random Möbius game: φ, I, β and Banzhaf interaction match their dividend formulas", () => {
  const n = 8;
  const m = randomDividends(n, 21, 4);
  const v = valuesFromDividends(m, n);
  const phi = shapleyExact(v, n);
  const inter = shapleyInteraction(v, n);
  const beta = banzhafExact(v, n);
  const bInter = banzhafInteraction(v, n);
  for (let i = 0; i < n; i++) {
    let p = 0;
    let b = 0;
    for (const [t, x] of m) {
      if (!(t & (1 << i))) continue;
      const size = [...t.toString(2)].filter((c) => c === "1").length;
      p += x / size;
      b += x / 2 ** (size - 1);
    }
    close(phi[i], p, 1e-12, `φ${i}`);
    close(beta[i], b, 1e-12, `β${i}`);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let I = 0;
      let IB = 0;
      const pair = (1 << i) | (1 << j);
      for (const [t, x] of m) {
        if ((t & pair) !== pair) continue;
        const size = [...t.toString(2)].filter((c) => c === "1").length;
        I += x / (size - 1);
        IB += x / 2 ** (size - 2);
      }
      close(inter[i][j], I, 1e-12, `I${i}${j}`);
      close(bInter[i][j], IB, 1e-12, `IB${i}${j}`);
    }
  }
  // the Möbius transform recovers the dividends, and its inverse the values
  const back = mobius(v, n);
  for (let t = 1; t < 2 ** n; t++) close(back[t], m.get(t) ?? 0, 1e-12, `m(${t})`);
  const again = fromMobius(back, n);
  for (let s = 0; s < 2 ** n; s++) close(again[s], v[s], 1e-12, `v(${s})`);
});

test("a pure pairwise term m({i,j}) = c gives I_ij = c and splits c evenly in φ", async () => {
  const n = 5;
  const m = new Map<number, number>([
    [0b00001, 0.2],
    [0b00010, 0.1],
    [0b00100, 0.4],
    [0b01000, 0.05],
    [0b10000, 0.3],
    [0b01010, 0.17], // players 1 and 3
  ]);
  const r = await shapley(tableGame(n, valuesFromDividends(m, n)));
  const I = r.interaction as number[][];
  close(I[1][3], 0.17, 1e-15, "I13");
  close(I[3][1], 0.17, 1e-15, "I31");
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (!(i === 1 && j === 3) && !(i === 3 && j === 1)) close(I[i][j], 0, 1e-15);
  close(r.phi[1], 0.1 + 0.085, 1e-15, "φ1");
  close(r.phi[3], 0.05 + 0.085, 1e-15, "φ3");
});

test("redundancy (max) gives a negative interaction, synergy (product) a positive one", async () => {
  const players = ["gpp", "hump", "dry"];
  const bit = (s: number, k: number): number => (s >> k) & 1;
  const redundant = await shapley(
    tableGame(3, (s) => Math.max(0.3 * bit(s, 0), 0.2 * bit(s, 1)) + 0.1 * bit(s, 2), { players }),
  );
  // m({gpp, hump}) = 0.3 − 0.3 − 0.2 = −0.2, the only pair term
  close(redundant.interaction?.[0][1] as number, -0.2, 1e-15, "I(gpp, hump)");
  close(redundant.banzhafInteraction?.[0][1] as number, -0.2, 1e-15, "IB(gpp, hump)");
  close(redundant.interaction?.[0][2] as number, 0, 1e-15);
  const synergy = await shapley(
    tableGame(3, (s) => 0.5 * bit(s, 0) * bit(s, 1) + 0.1 * bit(s, 2), { players }),
  );
  close(synergy.interaction?.[0][1] as number, 0.5, 1e-15, "I(fuel × dryness)");
  assert.ok((synergy.banzhafInteraction?.[0][1] as number) > 0);
});

test("Banzhaf on known games: weighted majority [3; 2, 1, 1] and unanimity", async () => {
  const weights = [2, 1, 1];
  const wm = await shapley(
    tableGame(3, (s) => (weights.reduce((a, w, k) => a + (s & (1 << k) ? w : 0), 0) >= 3 ? 1 : 0)),
  );
  [2 / 3, 1 / 6, 1 / 6].forEach((x, i) => close(wm.phi[i], x, 1e-15, `φ${i}`));
  [3 / 4, 1 / 4, 1 / 4].forEach((x, i) => close(wm.banzhaf?.[i] as number, x, 1e-15, `β${i}`));
  // unanimity of {0, 1} among 4 players: β = ½ each, Banzhaf interaction 1, Shapley interaction 1
  const u = await shapley(tableGame(4, (s) => ((s & 3) === 3 ? 1 : 0)));
  close(u.banzhaf?.[0] as number, 0.5, 1e-15);
  close(u.banzhaf?.[2] as number, 0, 0);
  close(u.banzhafInteraction?.[0][1] as number, 1, 1e-15);
  close(u.interaction?.[0][1] as number, 1, 1e-15);
});

test("the result is plain JSON and round-trips unchanged", async () => {
  const m = randomDividends(4, 2, 2);
  const r = await shapley(tableGame(4, valuesFromDividends(m, 4)));
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  assert.equal(r.share.reduce((a, b) => (a as number) + (b as number), 0)?.toFixed(12), (1).toFixed(12));
});

test("bad games and requests are clear errors", async () => {
  await assert.rejects(
    shapley(
      tableGame(13, () => 0),
      { method: "exact" },
    ),
    (e: unknown) => e instanceof KilnError && /limit is 12/.test(e.message),
  );
  await assert.rejects(shapley(tableGame(3, () => 0, { players: ["a", "b", "a"] })), /appears twice/);
  await assert.rejects(shapley(tableGame(3, () => 0, { players: ["a", "b"] })), /2 player names/);
  await assert.rejects(shapley(tableGame(0, () => 0, { players: [] })), /1 to 30 players/);
  await assert.rejects(
    shapley(tableGame(3, (s) => (s === 5 ? NaN : 1), { players: ["a", "b", "c"] })),
    (e: unknown) => e instanceof KilnError && /v\(\{a, c\}\) = NaN/.test(e.message),
  );
});
