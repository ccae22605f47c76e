import assert from "node:assert/strict";
import { test } from "node:test";
import { CompassSearch, type CompassTag } from "../../src/fit/samplers/compass.ts";

/** A separable quadratic whose first coordinate is 1000× narrower than the others. */
const centre = [0.31, 0.62, 0.47];
const weights = [1e6, 1, 1];
const f = (x: ArrayLike<number>) => weights.reduce((s, w, i) => s + w * (x[i] - centre[i]) ** 2, 0);

function drive(search: CompassSearch, evaluations: number): { ys: Float64Array[]; tags: CompassTag[] } {
  const ys: Float64Array[] = [];
  const tags: CompassTag[] = [];
  for (let k = 0; k < evaluations; k++) {
    const y = new Float64Array(search.n);
    const tag = search.propose(new Set(), y);
    if (!tag) break;
    search.tell(y, f(y), tag);
    ys.push(y);
    tags.push(tag);
  }
  return { ys, tags };
}

test("compass search with per-coordinate steps finds a narrow minimum", () => {
  const x0 = [0.5, 0.5, 0.5];
  const search = new CompassSearch(x0, f(x0), [0.01, 0.1, 0.1]);
  drive(search, 300);
  assert.ok(search.f < 1e-6, `f ${search.f}`);
  assert.ok(Math.abs(search.x[0] - centre[0]) < 1e-5, `x0 ${search.x[0]}`);
});

test("its state is a function of the told points alone: a replay reaches the same state", () => {
  const x0 = [0.5, 0.5, 0.5];
  const first = new CompassSearch(x0, f(x0), [0.01, 0.1, 0.1]);
  const { ys, tags } = drive(first, 57);
  const replay = new CompassSearch(x0, f(x0), [0.01, 0.1, 0.1]);
  ys.forEach((y, k) => replay.tell(y, f(y), tags[k]));
  assert.deepEqual([...replay.x], [...first.x]);
  assert.deepEqual([...replay.h], [...first.h]);
  assert.equal(replay.epoch, first.epoch);
  const a = new Float64Array(3);
  const b = new Float64Array(3);
  assert.deepEqual(replay.propose(new Set(), a), first.propose(new Set(), b));
  assert.deepEqual([...a], [...b]);
});

test("a point on a bound never polls outside the cube, and polls in flight are not repeated", () => {
  const x0 = [0, 1, 0.5];
  const search = new CompassSearch(x0, f(x0), [0.1, 0.1, 0.1]);
  const y = new Float64Array(3);
  const seen = new Set<number>();
  for (;;) {
    const tag = search.propose(seen, y);
    if (!tag) break;
    assert.ok(!seen.has(tag.d));
    seen.add(tag.d);
    assert.ok(y.every((v) => v >= 0 && v <= 1));
    assert.ok(!(tag.d === 1 || tag.d === 2), `direction ${tag.d} steps out of the cube`);
  }
  // four directions can move: +x0, −x1, ±x2
  assert.deepEqual([...seen].sort(), [0, 3, 4, 5]);
});

test("a success doubles that coordinate's step and polls the same direction again", () => {
  const x0 = [0.5, 0.5, 0.5];
  const search = new CompassSearch(x0, f(x0), [0.001, 0.05, 0.05]);
  const y = new Float64Array(3);
  // walk to the second direction of coordinate 0 (−): the first (+) fails
  let tag = search.propose(new Set(), y)!;
  assert.equal(tag.d, 0);
  search.tell(y, f(y), tag);
  tag = search.propose(new Set(), y)!;
  assert.equal(tag.d, 1);
  search.tell(y, f(y), tag);
  assert.ok(Math.abs(search.h[0] - 0.002) < 1e-15, `h ${search.h[0]}`);
  tag = search.propose(new Set(), y)!;
  assert.equal(tag.d, 1);
  assert.ok(Math.abs(y[0] - (0.499 - 0.002)) < 1e-12);
});
