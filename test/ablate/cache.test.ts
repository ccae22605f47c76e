import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CoalitionCache,
  type ProgressEvent,
  proposePruning,
  shapley,
  soloLeaveOneOut,
} from "../../src/ablate/index.ts";
import { KilnError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/rng.ts";
import { randomDividends, tableGame, valuesFromDividends } from "./games.ts";

const jitter = (seed: number) => {
  const rng = new Rng(seed);
  const ms = new Map<number, number>();
  return (mask: number): number => {
    if (!ms.has(mask)) ms.set(mask, rng.int(4));
    return ms.get(mask) as number;
  };
};

test("the cache never calls value() twice for a mask, across estimators and concurrent requests", async () => {
  const n = 6;
  const game = tableGame(n, valuesFromDividends(randomDividends(n, 4, 3), n), { delay: jitter(1) });
  const cache = new CoalitionCache(game);
  // concurrent single requests for the same coalition share one call
  const same = await Promise.all([cache.value(5), cache.value(5), cache.value(5)]);
  assert.deepEqual(same, [same[0], same[0], same[0]]);
  await shapley(game, { cache, method: "permutation", maxPermutations: 40, concurrency: 3, seed: 2 });
  await soloLeaveOneOut(cache, { concurrency: 2 });
  const exact = await shapley(game, { cache, concurrency: 3 });
  await proposePruning(exact, { cache });
  await shapley(game, { cache, method: "permutation", maxPermutations: 40, concurrency: 2, seed: 9 });
  assert.equal(game.calls.size, 2 ** n);
  for (const [mask, count] of game.calls) assert.equal(count, 1, `mask ${mask} called ${count} times`);
  assert.equal(cache.evaluations, 2 ** n);
});

test("concurrency limit is respected and used", async () => {
  const n = 6;
  const v = valuesFromDividends(randomDividends(n, 7, 2), n);
  for (const c of [1, 2, 3]) {
    const game = tableGame(n, v, { delay: jitter(c) });
    await shapley(game, { concurrency: c });
    assert.equal(game.maxInFlight, c, `concurrency ${c}`);
  }
  await assert.rejects(shapley(tableGame(3, v), { concurrency: 0 }), (e: unknown) => e instanceof KilnError);
});

test("exact mode: every S∖{k} has finished before S starts, and the hint names them best first", async () => {
  const n = 6;
  const v = valuesFromDividends(randomDividends(n, 9, 3), n);
  const game = tableGame(n, v, { delay: jitter(5) });
  await shapley(game, { concurrency: 3 });
  for (let s = 0; s < 2 ** n; s++) {
    const start = game.startedAt.get(s) as number;
    const subsets: number[] = [];
    for (let k = 0; k < n; k++) {
      if (!(s & (1 << k))) continue;
      const sub = s & ~(1 << k);
      subsets.push(sub);
      assert.ok((game.finishedAt.get(sub) as number) < start, `v(${sub}) finished after v(${s}) started`);
    }
    const hint = game.hints.get(s)?.subsets ?? [];
    assert.deepEqual(
      [...hint].sort((a, b) => a - b),
      subsets.sort((a, b) => a - b),
    );
    for (let k = 1; k < hint.length; k++) assert.ok(v[hint[k - 1]] >= v[hint[k]]);
  }
  // smaller coalitions are requested first when run one at a time
  const serial = tableGame(n, v);
  await shapley(serial);
  const sizes = serial.started.map((m) => [...m.toString(2)].filter((c) => c === "1").length);
  for (let k = 1; k < sizes.length; k++) assert.ok(sizes[k - 1] <= sizes[k]);
});

test("permutation mode: each chain coalition starts after its predecessor on the chain finished", async () => {
  const n = 7;
  const game = tableGame(n, valuesFromDividends(randomDividends(n, 3, 2), n), { delay: jitter(8) });
  const r = await shapley(game, {
    method: "permutation",
    maxPermutations: 12,
    concurrency: 4,
    banzhafSamples: 0,
  });
  // the first round (2 pairs at concurrency 4) evaluated its 4 chains from scratch
  for (const order of (r.sampling?.orders ?? []).slice(0, 2)) {
    for (const seq of [order, [...order].reverse()]) {
      let prev = 0;
      for (const k of seq) {
        const mask = prev | (1 << k);
        const before = game.finishedAt.get(prev) as number;
        assert.ok(
          before < (game.startedAt.get(mask) as number),
          `v(${mask}) started before v(${prev}) finished`,
        );
        prev = mask;
      }
    }
  }
  assert.equal(game.maxInFlight, 4);
});

test("initial values are not re-evaluated; onValue sees each new value once; a failure keeps the rest", async () => {
  const n = 4;
  const v = valuesFromDividends(randomDividends(n, 12, 2), n);
  const seen: number[] = [];
  const bad = 0b0111;
  const failing = tableGame(n, v, { fail: (m) => m === bad, players: ["fuel", "gpp", "dry", "ign"] });
  const first = new CoalitionCache(failing, { onValue: (m) => seen.push(m) });
  await assert.rejects(
    shapley(failing, { cache: first }),
    // the game's error is not a KilnError (a harness failure): it stays one, with the coalition named
    (e: unknown) =>
      e instanceof Error &&
      !(e instanceof KilnError) &&
      /\{fuel, gpp, dry\}/.test(e.message) &&
      /resume/.test(e.message),
  );
  assert.ok(!first.has(bad));
  assert.equal(new Set(seen).size, seen.length);
  // resume: a new run seeded with what was stored evaluates only the missing coalitions
  const fixed = tableGame(n, v, { players: ["fuel", "gpp", "dry", "ign"] });
  const resumed = new CoalitionCache(fixed, { initial: first.entries() });
  const r = await shapley(fixed, { cache: resumed });
  for (const m of seen) assert.ok(!fixed.calls.has(m), `v(${m}) was re-evaluated`);
  assert.equal(fixed.calls.size + seen.length, 2 ** n);
  assert.equal(r.evaluations.newEvaluations, fixed.calls.size);
});

test("progress counts new evaluations up to the total, with an ETA once started", async () => {
  const n = 5;
  const events: ProgressEvent[] = [];
  const game = tableGame(n, valuesFromDividends(randomDividends(n, 1, 2), n));
  const cache = new CoalitionCache(game, { initial: [[0, 0]] });
  await shapley(game, { cache, onProgress: (e) => events.push({ ...e }) });
  assert.equal(events[0].done, 0);
  assert.equal(events[0].etaMs, null);
  const last = events[events.length - 1];
  assert.equal(last.total, 2 ** n - 1);
  assert.equal(last.done, last.total);
  assert.equal(last.phase, "exact");
  for (let k = 1; k < events.length; k++) {
    assert.equal(events[k].done, events[k - 1].done + 1);
    assert.ok(events[k].etaMs !== null && events[k].etaMs! >= 0);
  }
});

test("a mask outside the players or a non-finite initial value is a clear error", () => {
  const game = tableGame(3, () => 1);
  const cache = new CoalitionCache(game);
  assert.throws(
    () => cache.set(8, 1),
    (e: unknown) => e instanceof KilnError && /not a subset/.test(e.message),
  );
  assert.throws(() => new CoalitionCache(game, { initial: [[1, Infinity]] }), /not a finite number/);
  assert.throws(() => cache.known(3), /was not evaluated/);
});
