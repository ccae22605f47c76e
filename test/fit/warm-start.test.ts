import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/rng.ts";
import { logDeterminant, promisingDistribution } from "../../src/fit/samplers/warm-start.ts";

test("logDeterminant is log det for a symmetric positive-definite matrix and refuses others", () => {
  assert.ok(Math.abs(logDeterminant([2, 0, 0, 3], 2) - Math.log(6)) < 1e-12);
  // [[4, 2], [2, 3]]: det 8
  assert.ok(Math.abs(logDeterminant([4, 2, 2, 3], 2) - Math.log(8)) < 1e-12);
  assert.throws(() => logDeterminant([1, 2, 2, 1], 2), /not positive definite/);
});

test("the promising distribution recovers the mean and covariance of the top points", () => {
  // points from N(m, Σ) with Σ = L Lᵀ: one narrow coordinate, two correlated ones
  const m = [0.3, 0.5, 0.7];
  const L = [
    [0.01, 0, 0],
    [0, 0.1, 0],
    [0, 0.08, 0.06],
  ];
  const rng = new Rng(3);
  const points: Float64Array[] = [];
  for (let k = 0; k < 20000; k++) {
    const z = [rng.normal(), rng.normal(), rng.normal()];
    points.push(Float64Array.from(m, (mi, i) => mi + L[i].reduce((s, l, j) => s + l * z[j], 0)));
  }
  const alpha = 0.005;
  const p = promisingDistribution(points, points.length, alpha);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(p.mean[i] - m[i]) < 0.003, `mean ${i}: ${p.mean[i]}`);
  const sigmaTrue = (i: number, j: number) =>
    L[i].reduce((s, l, k) => s + l * L[j][k], 0) + (i === j ? alpha * alpha : 0);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const want = sigmaTrue(i, j);
      const got = p.sigma * p.sigma * p.shape[i * 3 + j];
      // within 5 % of the coordinates' spreads (the sampling error of 20000 points is about 1 %)
      const tol = 0.05 * Math.sqrt(sigmaTrue(i, i) * sigmaTrue(j, j));
      assert.ok(Math.abs(got - want) < tol, `Σ[${i}][${j}] ${got} vs ${want}`);
    }
  // the shape has determinant 1: σ carries the size
  assert.ok(Math.abs(logDeterminant(p.shape, 3)) < 1e-9);
  // only the first k points count; "best" centres on the first
  const q = promisingDistribution(points, 10, alpha, "best");
  assert.deepEqual(q.mean, [...points[0]]);
});
