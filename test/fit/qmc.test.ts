import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/rng.ts";
import { categoricalParam, createStudy, floatParam, intParam, QmcSampler } from "../../src/fit/index.ts";
import { SobolEngine } from "../../src/fit/samplers/sobol-engine.ts";

/** Hickernell's centred L2 discrepancy (squared) of points in [0, 1)^d. */
function centredL2(points: number[][]): number {
  const n = points.length;
  const d = points[0].length;
  let a = 0;
  for (const x of points) {
    let p = 1;
    for (const v of x) p *= 1 + 0.5 * Math.abs(v - 0.5) - 0.5 * (v - 0.5) ** 2;
    a += p;
  }
  let b = 0;
  for (const x of points)
    for (const y of points) {
      let p = 1;
      for (let k = 0; k < d; k++)
        p *= 1 + 0.5 * Math.abs(x[k] - 0.5) + 0.5 * Math.abs(y[k] - 0.5) - 0.5 * Math.abs(x[k] - y[k]);
      b += p;
    }
  return (13 / 12) ** d - (2 / n) * a + b / (n * n);
}

function sobolPoints(engine: SobolEngine, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const p = new Array(engine.dim);
    engine.point(i, p);
    return p;
  });
}

test("unscrambled Sobol points are the Joe–Kuo sequence", () => {
  const pts = sobolPoints(new SobolEngine(3), 8);
  assert.deepEqual(pts, [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
    [0.75, 0.25, 0.25],
    [0.25, 0.75, 0.75],
    [0.375, 0.375, 0.625],
    [0.875, 0.875, 0.125],
    [0.625, 0.125, 0.875],
    [0.125, 0.625, 0.375],
  ]);
});

test("scrambled Sobol keeps the net property: 2^k points fill every 1-D cell of width 2^-k once", () => {
  const e = new SobolEngine(12, new Rng(11));
  const pts = sobolPoints(e, 64);
  for (let d = 0; d < 12; d++) {
    const cells = new Set(pts.map((p) => Math.floor(p[d] * 64)));
    assert.equal(cells.size, 64, `dimension ${d}`);
  }
  // and different seeds scramble differently
  const other = sobolPoints(new SobolEngine(12, new Rng(12)), 4);
  assert.notDeepEqual(other, pts.slice(0, 4));
});

test("Sobol discrepancy is below random's", () => {
  for (const [d, n] of [
    [2, 128],
    [5, 256],
    [10, 256],
  ]) {
    const sobol = centredL2(sobolPoints(new SobolEngine(d, new Rng(d)), n));
    const rng = new Rng(100 + d);
    const randoms: number[] = [];
    for (let rep = 0; rep < 5; rep++)
      randoms.push(centredL2(Array.from({ length: n }, () => Array.from({ length: d }, () => rng.next()))));
    const best = Math.min(...randoms);
    assert.ok(
      sobol < best / 2,
      `d=${d} n=${n}: Sobol ${sobol.toExponential(3)} vs best random ${best.toExponential(3)}`,
    );
  }
});

test("the QMC sampler maps coordinates through each parameter's transformed range", async () => {
  const sampler = new QmcSampler({ scramble: false });
  const study = await createStudy({ sampler, seed: 0 });
  const space = {
    lin: floatParam(-2, 2),
    lg: floatParam(1, 100, { log: true }),
    k: intParam(0, 3),
    c: categoricalParam(["a", "b"]),
  };
  const seen = [];
  for (let i = 0; i < 4; i++) {
    const t = await study.ask(space);
    seen.push(t.params);
    await study.tell(t, 0);
  }
  // point 1 is (0.5, 0.5, 0.5, 0.5): centre of the linear range, geometric centre of the log range,
  // the int cell containing 1.5 of [−0.5, 3.5] and the second choice
  assert.deepEqual({ ...seen[1], lg: 0 }, { lin: 0, lg: 0, k: 2, c: "b" });
  assert.ok(Math.abs((seen[1].lg as number) - 10) < 1e-12);
  assert.deepEqual(seen[0], { lin: -2, lg: 1, k: 0, c: "a" });
  assert.equal(seen[2].lin, 1);
  assert.ok(Math.abs((seen[2].lg as number) - Math.sqrt(10)) < 1e-9);
});
