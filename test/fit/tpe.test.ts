import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/rng.ts";
import {
  categoricalParam,
  createStudy,
  floatParam,
  intParam,
  RandomSampler,
  TpeSampler,
} from "../../src/fit/index.ts";
import { ParzenEstimator, defaultWeights } from "../../src/fit/samplers/parzen.ts";

// Φ computed here independently of src/fit/special.ts: erf by its everywhere-convergent positive series.
function erfSeries(x: number): number {
  if (x < 0) return -erfSeries(-x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}
const Phi = (z: number) => 0.5 * (1 + erfSeries(z / Math.SQRT2));
const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** A truncated-normal kernel density in the transformed space, by tpe.md §1.4. */
const kernel = (x: number, mu: number, s: number, lo: number, hi: number) =>
  phi((x - mu) / s) / (s * (Phi((hi - mu) / s) - Phi((lo - mu) / s)));
/** A discrete kernel's mass on the cell [x−q/2, x+q/2]. */
const cell = (x: number, q: number, mu: number, s: number, lo: number, hi: number) =>
  (Phi((x + q / 2 - mu) / s) - Phi((x - q / 2 - mu) / s)) / (Phi((hi - mu) / s) - Phi((lo - mu) / s));

function logPdfAt(est: ParzenEstimator, point: number[]): number {
  const out = new Float64Array(1);
  est.logPdf(Float64Array.from(point), 1, out);
  return out[0];
}

const near = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-10, `${what}: ${a} vs ${b}`);

test("l(x) for a float parameter: farther-neighbour bandwidths, endpoint rule, magic clip, prior kernel", () => {
  const est = new ParzenEstimator();
  est.build([floatParam(0, 10)], [Float64Array.from([2, 4, 7])], 3, new Float64Array([1, 1, 1]));
  // padded sorted centres [0, 2, 4, 7, 10]; σ = [μ2−μ1 = 2 (endpoint rule), max(2, 3) = 3, μ3−μ2 = 3 (endpoint rule)],
  // clipped to [10/min(100, 3+2), 10] = [2, 10]; prior N(5, 10); four kernels of weight 1/4
  for (const x of [0.3, 2, 5.5, 9.9]) {
    const hand =
      0.25 *
      (kernel(x, 2, 2, 0, 10) + kernel(x, 4, 3, 0, 10) + kernel(x, 7, 3, 0, 10) + kernel(x, 5, 10, 0, 10));
    near(logPdfAt(est, [x]), Math.log(hand), `x = ${x}`);
  }
});

test("the magic clip raises small bandwidths to R / min(100, N + 2)", () => {
  const est = new ParzenEstimator();
  est.build([floatParam(0, 1)], [Float64Array.from([0.5, 0.51])], 2, new Float64Array([1, 1]));
  // raw σ = 0.01 each (endpoint rule), clipped to 1/4
  const x = 0.2;
  const hand = (kernel(x, 0.5, 0.25, 0, 1) + kernel(x, 0.51, 0.25, 0, 1) + kernel(x, 0.5, 1, 0, 1)) / 3;
  near(logPdfAt(est, [x]), Math.log(hand), "clipped");
});

test("log parameters work in log space", () => {
  const est = new ParzenEstimator();
  est.build([floatParam(0.1, 100, { log: true })], [Float64Array.from([1, 10])], 2, new Float64Array([1, 1]));
  const lo = Math.log(0.1);
  const hi = Math.log(100);
  const s = Math.log(10); // endpoint rule: both σ = log 10 − log 1; clip floor R/4 = 1.727 is lower
  for (const x of [0.2, 3, 50]) {
    const t = Math.log(x);
    const hand =
      (kernel(t, 0, s, lo, hi) + kernel(t, s, s, lo, hi) + kernel(t, (lo + hi) / 2, hi - lo, lo, hi)) / 3;
    near(logPdfAt(est, [x]), Math.log(hand), `x = ${x}`);
  }
});

test("int parameters: bounds widened by step/2, tied observations, probability mass of the cell", () => {
  const est = new ParzenEstimator();
  est.build([intParam(0, 10)], [Float64Array.from([3, 3, 8])], 3, new Float64Array([1, 1, 1]));
  // transformed bounds [−0.5, 10.5], R = 11; sorted centres [3, 3, 8]: the first 3 takes the endpoint rule
  // (3 − 3 = 0), the second max(0, 5) = 5, the 8 the endpoint rule 8 − 3 = 5; clip floor 11/5 = 2.2
  const [lo, hi] = [-0.5, 10.5];
  for (const x of [0, 4, 8, 10]) {
    const hand =
      0.25 *
      (cell(x, 1, 3, 2.2, lo, hi) +
        cell(x, 1, 3, 5, lo, hi) +
        cell(x, 1, 8, 5, lo, hi) +
        cell(x, 1, 5, 11, lo, hi));
    near(logPdfAt(est, [x]), Math.log(hand), `x = ${x}`);
  }
});

test("categorical kernels and the shared mixture index of a product kernel", () => {
  const est = new ParzenEstimator();
  est.build(
    [floatParam(0, 10), categoricalParam(["a", "b", "c"])],
    [Float64Array.from([2, 4, 7]), Float64Array.from([0, 2, 2])],
    3,
    new Float64Array([1, 1, 1]),
  );
  // categorical rows: priorWeight/(N+1) = 1/4 on every choice plus 1 on the observed one, normalised by 1.75
  const on = 1.25 / 1.75;
  const off = 0.25 / 1.75;
  for (const [x, c] of [
    [3, 2],
    [6, 1],
  ]) {
    const q = [c === 0 ? on : off, c === 2 ? on : off, c === 2 ? on : off, 1 / 3];
    const hand =
      0.25 *
      (kernel(x, 2, 2, 0, 10) * q[0] +
        kernel(x, 4, 3, 0, 10) * q[1] +
        kernel(x, 7, 3, 0, 10) * q[2] +
        kernel(x, 5, 10, 0, 10) * q[3]);
    near(logPdfAt(est, [x, c]), Math.log(hand), `(${x}, ${c})`);
  }
});

test("observation weights: ones below 25, then Optuna's ramp for older trials; they scale the kernels", () => {
  const w = new Float64Array(27);
  defaultWeights(27, w);
  near(w[0], 1 / 27, "ramp start");
  near(w[1], 1, "ramp end");
  assert.deepEqual([...w.subarray(2)], new Array(25).fill(1));
  const est = new ParzenEstimator();
  est.build([floatParam(0, 10)], [Float64Array.from([2, 4, 7])], 3, new Float64Array([0.5, 1, 1]));
  const x = 3;
  const hand =
    (0.5 * kernel(x, 2, 2, 0, 10) +
      kernel(x, 4, 3, 0, 10) +
      kernel(x, 7, 3, 0, 10) +
      kernel(x, 5, 10, 0, 10)) /
    3.5;
  near(logPdfAt(est, [x]), Math.log(hand), "weighted");
});

test("samples from l stay in bounds and on the step grid", () => {
  const est = new ParzenEstimator();
  est.build(
    [intParam(2, 20, { step: 3 }), floatParam(0.01, 1, { log: true }), floatParam(0, 1, { step: 0.25 })],
    [Float64Array.from([5, 8]), Float64Array.from([0.1, 0.5]), Float64Array.from([0.25, 0.5])],
    2,
    new Float64Array([1, 1]),
  );
  const out = new Float64Array(3 * 500);
  est.sample(new Rng(3), 500, out);
  for (let s = 0; s < 500; s++) {
    const [k, v, f] = [out[3 * s], out[3 * s + 1], out[3 * s + 2]];
    assert.ok(k >= 2 && k <= 20 && (k - 2) % 3 === 0, `int ${k}`);
    assert.ok(v >= 0.01 && v <= 1, `log float ${v}`);
    assert.ok(Number.isInteger(f / 0.25) && f >= 0 && f <= 1, `stepped float ${f}`);
  }
});

test("TPE beats random search on a 4-D sphere, for both directions", async () => {
  const space = { a: floatParam(-5, 5), b: floatParam(-5, 5), c: floatParam(-5, 5), d: floatParam(-5, 5) };
  const f = (p: Record<string, number>) => (p.a - 1) ** 2 + (p.b + 1) ** 2 + (p.c - 2) ** 2 + p.d ** 2;
  for (const seed of [1, 2, 3]) {
    const best: number[] = [];
    for (const sampler of [new TpeSampler(), new RandomSampler()]) {
      const study = await createStudy({ sampler, seed });
      await study.optimize((t) => f(t.params as Record<string, number>), { nTrials: 150, space });
      best.push(study.bestValue!);
    }
    assert.ok(best[0] < best[1] / 3, `seed ${seed}: TPE ${best[0]} vs random ${best[1]}`);
    const up = await createStudy({ sampler: "tpe", seed, direction: "maximize" });
    await up.optimize((t) => -f(t.params as Record<string, number>), { nTrials: 150, space });
    assert.ok(-up.bestValue! < best[1] / 3, `maximize, seed ${seed}: ${up.bestValue}`);
  }
});

test("constant liar: trials asked while others run spread out instead of piling up", async () => {
  const spread = async (constantLiar: boolean) => {
    const study = await createStudy({ sampler: new TpeSampler({ constantLiar }), seed: 4 });
    const space = { x: floatParam(-10, 10) };
    for (let k = 0; k < 30; k++) {
      const t = await study.ask(space);
      await study.tell(t, ((t.params.x as number) - 3) ** 2);
    }
    const xs: number[] = [];
    for (let k = 0; k < 16; k++) xs.push((await study.ask(space)).params.x as number); // all left RUNNING
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  };
  const withLiar = await spread(true);
  const without = await spread(false);
  assert.ok(withLiar > 2 * without, `spread with liar ${withLiar}, without ${without}`);
});

test("independent TPE suggests define-by-run and conditional parameters", async () => {
  const study = await createStudy({ sampler: new TpeSampler({ multivariate: false }), seed: 9 });
  await study.optimize(
    (t) => {
      const kind = t.suggestCategorical("kind", ["lin", "quad"]);
      const x = t.suggestFloat("x", -4, 4);
      return kind === "quad" ? x * x : 5 + Math.abs(x);
    },
    { nTrials: 80 },
  );
  assert.equal(study.bestParams!.kind, "quad");
  assert.ok(study.bestValue! < 0.05, `best ${study.bestValue}`);
  const kinds = study
    .trials()
    .slice(40)
    .filter((t) => t.params.kind === "quad").length;
  assert.ok(kinds > 28, `late trials choose the better branch (${kinds}/40)`);
});

test("the mass cache: builds with observation ids give the same densities, bit for bit, as fresh builds", () => {
  const rng = new Rng(7);
  let dists = [floatParam(0, 1), floatParam(0.01, 10, { log: true }), intParam(0, 20), floatParam(-3, 3)];
  const cached = new ParzenEstimator();
  const values: number[][] = [];
  const ids: number[] = [];
  const points = Float64Array.from({ length: 8 * 4 }, (_, i) =>
    i % 4 === 1 ? 0.01 + rng.next() * 9.99 : i % 4 === 2 ? Math.floor(rng.next() * 21) : rng.next(),
  );
  for (let step = 0; step < 60; step++) {
    // one new trial a step; every fifth step one observation leaves (as when it moves to the other side)
    values.push([rng.next(), 0.01 + rng.next() * 9.99, Math.floor(rng.next() * 21), 6 * rng.next() - 3]);
    ids.push(step);
    if (step % 5 === 4) {
      values.splice(step % values.length, 1);
      ids.splice(step % ids.length, 1);
    }
    if (step === 40)
      dists = [floatParam(0, 1), floatParam(0.01, 10, { log: true }), intParam(0, 20), floatParam(-4, 4)];
    const n = values.length;
    const obs = dists.map((_, j) => Float64Array.from(values, (v) => v[j]));
    const w = new Float64Array(n);
    defaultWeights(n, w);
    cached.build(dists, obs, n, w, undefined, { of: Int32Array.from(ids), key: "a,b,c,d" });
    const fresh = new ParzenEstimator();
    fresh.build(dists, obs, n, w);
    const a = new Float64Array(8);
    const b = new Float64Array(8);
    cached.logPdf(points, 8, a);
    fresh.logPdf(points, 8, b);
    assert.deepEqual(Array.from(a), Array.from(b), `step ${step}`);
  }
});
