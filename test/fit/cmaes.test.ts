import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/rng.ts";
import {
  CmaEsSampler,
  createStudy,
  floatParam,
  InMemoryStorage,
  loadStudy,
  type SearchSpace,
} from "../../src/fit/index.ts";
import { Cma, symmetricEigen } from "../../src/fit/samplers/cma.ts";

/** A random rotation (Gram–Schmidt on a Gaussian matrix) and an ill-conditioned quadratic in its frame. */
function rotatedEllipsoid(n: number, condition: number, seed: number) {
  const rng = new Rng(seed);
  const R: number[][] = [];
  for (let i = 0; i < n; i++) {
    let v = Array.from({ length: n }, () => rng.normal());
    for (const u of R) {
      const d = v.reduce((s, x, k) => s + x * u[k], 0);
      v = v.map((x, k) => x - d * u[k]);
    }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    R.push(v.map((x) => x / norm));
  }
  const centre = Array.from({ length: n }, () => 0.3 + 0.4 * rng.next());
  return (x: ArrayLike<number>) => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let y = 0;
      for (let k = 0; k < n; k++) y += R[i][k] * (x[k] - centre[k]);
      f += condition ** (i / (n - 1)) * y * y;
    }
    return f;
  };
}

test("symmetric eigen-decomposition reconstructs the matrix", () => {
  const n = 4;
  const a = Float64Array.from([4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1]);
  const vals = new Float64Array(n);
  const vecs = new Float64Array(n * n);
  symmetricEigen(a, n, vals, vecs);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vecs[i * n + k] * vals[k] * vecs[j * n + k];
      assert.ok(Math.abs(s - a[i * n + j]) < 1e-12);
    }
});

test("CMA-ES converges on a rotated, ill-conditioned quadratic", () => {
  const n = 6;
  const f = rotatedEllipsoid(n, 1e4, 5);
  const cma = new Cma(new Array(n).fill(0.5), 0.2, Cma.defaultPopsize(n), {
    tolX: 1e-14,
    tolFun: 0,
    stagnationGenerations: 0,
  });
  const rng = new Rng(1);
  let best = Infinity;
  for (let g = 0; g < 450; g++) {
    const xs: Float64Array[] = [];
    const vs: number[] = [];
    for (let k = 0; k < cma.lambda; k++) {
      const x = new Float64Array(n);
      cma.sample(rng, x);
      xs.push(x);
      vs.push(f(x));
      best = Math.min(best, vs[k]);
    }
    cma.tell(xs, vs);
  }
  assert.ok(best < 1e-10, `best ${best}`);
  // it learned the shape: the covariance's condition number approaches the problem's 1e4
  const vals = new Float64Array(n);
  symmetricEigen(cma.C, n, vals, new Float64Array(n * n));
  const cond = Math.max(...vals) / Math.min(...vals);
  assert.ok(cond > 1e3 && cond < 1e5, `condition ${cond}`);
});

const space: SearchSpace = {};
for (let i = 0; i < 5; i++) space[`x${i}`] = floatParam(-1, 1);
const ellipsoid = rotatedEllipsoid(5, 100, 8);
const objective = (p: Record<string, number | string | boolean | null>) =>
  ellipsoid(Object.keys(space).map((k) => ((p[k] as number) + 1) / 2));

test("the CMA-ES sampler minimises through a study", async () => {
  const study = await createStudy({ sampler: "cmaes", seed: 2 });
  await study.optimize((t) => objective(t.params), { nTrials: 600, space });
  assert.ok(study.bestValue! < 1e-6, `best ${study.bestValue}`);
});

test("a resumed CMA-ES study replays its generations and continues exactly where it stopped", async () => {
  const straight = await createStudy({ sampler: new CmaEsSampler(), seed: 6 });
  await straight.optimize((t) => objective(t.params), { nTrials: 160, space });
  const storage = new InMemoryStorage();
  const first = await createStudy({ name: "r", storage, sampler: new CmaEsSampler(), seed: 6 });
  await first.optimize((t) => objective(t.params), { nTrials: 83, space });
  // a new process: a fresh sampler object that knows nothing but the stored trials
  const second = await loadStudy({ name: "r", storage, sampler: new CmaEsSampler() });
  await second.optimize((t) => objective(t.params), { nTrials: 77, space });
  const a = straight.trials().map((t) => t.params);
  const b = second.trials().map((t) => t.params);
  assert.equal(b.length, 160);
  assert.deepEqual(b, a);
});

test("IPOP restarts double the population when a run stops", async () => {
  // a flat objective stops every run by tolfun; each restart tags its trials with a larger generation size
  const study = await createStudy({ sampler: new CmaEsSampler({ popsize: 4 }), seed: 1 });
  await study.optimize(() => 1, { nTrials: 800, space });
  const runs = new Map<number, number>();
  for (const t of study.trials()) {
    const tag = t.systemAttrs["kiln:cma"] as { r: number; g: number } | undefined;
    if (tag && tag.g === 0) runs.set(tag.r, (runs.get(tag.r) ?? 0) + 1);
  }
  assert.ok(runs.size >= 3, `restarts: ${runs.size}`);
  assert.equal(runs.get(0), 4);
  assert.equal(runs.get(1), 8);
  assert.equal(runs.get(2), 16);
});
