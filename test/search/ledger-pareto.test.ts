/** The Pareto front of validation Overall against parameter count, and PySR's "best" and "accuracy" picks. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { paretoFront, pickAccuracy, pickBest } from "../../src/search/pareto.ts";

type P = { id: string; n: number; v: number | null };
const front = (pts: P[]) => paretoFront(pts, (p) => ({ complexity: p.n, overall: p.v }));

describe("Pareto front and PySR's rules", () => {
  const pts: P[] = [
    { id: "a", n: 3, v: 0.3 },
    { id: "b", n: 8, v: 0.5 }, // beaten by c (fewer parameters, higher Overall)
    { id: "c", n: 5, v: 0.55 },
    { id: "d", n: 12, v: 0.66 },
    { id: "e", n: 12, v: 0.6 }, // same count as d, lower
    { id: "f", n: 14, v: 0.65 }, // more parameters, lower than d
    { id: "g", n: 2, v: null }, // no score
  ];

  it("keeps the best Overall at each count that beats every simpler member", () => {
    const f = front(pts);
    assert.deepEqual(
      f.map((p) => p.item.id),
      ["a", "c", "d"],
    );
    // scores: 0, −ln(0.45/0.70)/2, −ln(0.34/0.45)/7
    assert.equal(f[0].score, 0);
    assert.ok(Math.abs(f[1].score - -Math.log(0.45 / 0.7) / 2) < 1e-12);
    assert.ok(Math.abs(f[2].score - -Math.log(0.34 / 0.45) / 7) < 1e-12);
  });

  it("best: the top score among members within 1.5× the least loss; accuracy: the least loss", () => {
    const f = front(pts);
    // least loss 0.34 → threshold 0.51: c (0.45) and d qualify, a (0.70) does not; c has the higher score
    assert.equal(pickBest(f)?.item.id, "c");
    assert.equal(pickAccuracy(f)?.item.id, "d");
    // a tighter factor leaves only d
    assert.equal(pickBest(f, 1.2)?.item.id, "d");
    assert.equal(pickBest([]), null);
  });

  it("minGain: a larger form a hair better than a simpler one stays off the front and is not picked", () => {
    const near: P[] = [
      { id: "truth4", n: 10, v: 0.8441 },
      { id: "plus1", n: 11, v: 0.8445 }, // +0.0004 for one more parameter
    ];
    // Without a margin PySR's score prefers the larger form (the simplest member scores 0 by definition).
    assert.equal(pickBest(front(near), 1.1)?.item.id, "plus1");
    const f = paretoFront(near, (p) => ({ complexity: p.n, overall: p.v }), 0.002);
    assert.deepEqual(
      f.map((p) => p.item.id),
      ["truth4"],
    );
    assert.equal(pickBest(f, 1.1)?.item.id, "truth4");
    // A gain beyond the margin still enters.
    const g = paretoFront(
      [...near, { id: "plus2", n: 12, v: 0.8475 }],
      (p) => ({ complexity: p.n, overall: p.v }),
      0.002,
    );
    assert.deepEqual(
      g.map((p) => p.item.id),
      ["truth4", "plus2"],
    );
  });

  it("breaks ties by order of appearance", () => {
    const f = front([
      { id: "x", n: 4, v: 0.5 },
      { id: "y", n: 4, v: 0.5 },
    ]);
    assert.deepEqual(
      f.map((p) => p.item.id),
      ["x"],
    );
  });
});
