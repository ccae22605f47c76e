/**
 * Golden outputs: every scalar ILAMB 2.7.3 wrote for the fixture pair (4 configurations × 15 regions)
 * must come out within 1e-9 relative (or 1e-12 absolute), NaN where ILAMB wrote null.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  aggregate,
  flattenScalars,
  makeComparable,
  prepareReference,
  scoreModel,
} from "../../src/bench/index.ts";
import { ilambRegions } from "../../src/grid/regions.ts";
import { readGridded } from "../../src/io/read.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, "..", "fixtures", "ilamb");
const ref = await readGridded(path.join(dir, "ref", "burntArea.nc"), { variable: "burntArea" });
const mod = await readGridded(path.join(dir, "MOD", "burntArea.nc"), { variable: "burntArea" });
const pair = makeComparable(ref, mod);

for (const basis of ["cycle", "series"] as const) {
  for (const mass of [true, false]) {
    const file = `ilamb_scores_${basis}_${mass ? "mass" : "nomass"}.json`;
    test(`every scalar of ${file} matches ILAMB 2.7.3`, () => {
      const want = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, number | null>;
      const prep = prepareReference(
        { cells: pair.cells, time: pair.time, data: pair.ref },
        { regions: ilambRegions(ref.grid), rmseBasis: basis, massWeighting: mass },
      );
      const got = flattenScalars(scoreModel(prep, pair.model));
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), "the same scalar names");
      assert.equal(Object.keys(want).length, 13 * 15);
      for (const [k, w] of Object.entries(want)) {
        const g = got[k];
        if (w === null) {
          assert.equal(g, null, `${k}: ILAMB has null, got ${g}`);
          continue;
        }
        assert.ok(g !== null, `${k}: got NaN, ILAMB has ${w}`);
        const err = Math.abs(g - w);
        assert.ok(err <= 1e-12 || err <= 1e-9 * Math.abs(w), `${k}: got ${g}, ILAMB ${w} (diff ${err})`);
      }
    });
  }
}

test("the fixture's published-style global numbers (cycle, mass weighting)", () => {
  const prep = prepareReference(
    { cells: pair.cells, time: pair.time, data: pair.ref },
    { regions: ilambRegions(ref.grid, ["global"]) },
  );
  const res = scoreModel(prep, pair.model);
  const g = res.regions[0].scalars;
  assert.equal(aggregate(res, "ilamb-2.7"), g["Overall Score"], "the default convention is ILAMB's Overall");
  const close = (a: number | undefined, b: number) => assert.ok(Math.abs(a! - b) < 1e-12 * b, `${a} vs ${b}`);
  close(g["Bias Score"], 0.7987328812952484);
  close(g["RMSE Score"], 0.4899051886161225);
  close(g["Seasonal Cycle Score"], 0.9106260821626256);
  close(g["Spatial Distribution Score"], 0.930967614733814);
  close(g["Overall Score"], 0.7240273910847866);
});
