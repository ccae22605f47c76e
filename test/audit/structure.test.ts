import assert from "node:assert/strict";
import { test } from "node:test";
import { auditDataset, checkTimeAxis } from "../../src/audit/index.ts";
import { Dataset } from "../../src/grid/dataset.ts";
import { TimeAxis } from "../../src/grid/time.ts";
import {
  CELLS,
  GRID,
  burned,
  cleanWorld,
  dryness,
  monthly,
  precipitation,
  staticField,
  temperature,
  timeAxis,
  wiggle,
} from "./fixtures.ts";

test("time axis: duplicated months, months out of order and gaps are errors; partial years are info", () => {
  const years = [2001, 2001, 2001, 2001];
  assert.deepEqual(
    checkTimeAxis(years, [1, 2, 2, 3]).map((f) => [f.severity, f.numbers.duplicated]),
    [
      ["error", 1],
      ["info", undefined],
    ],
  );
  const back = checkTimeAxis([2001, 2001, 2001], [1, 3, 2]);
  assert.ok(back.some((f) => f.severity === "error" && /backwards at 2001-02/.test(f.message)));
  const gap = checkTimeAxis([2001, 2001, 2001, 2001], [1, 2, 5, 6]);
  const g = gap.find((f) => f.numbers.missing !== undefined);
  assert.equal(g?.severity, "error");
  assert.equal(g?.numbers.missing, 2);
  assert.match(g?.message ?? "", /2001-03, 2001-04/);
  const whole = TimeAxis.years(2001, 2002);
  assert.deepEqual(checkTimeAxis(whole.years, whole.months), []);
});

test("a dataset whose time axis has a gap fails the audit", () => {
  const full = timeAxis();
  const idx = [...Array(full.length).keys()].filter((t) => t !== 14);
  const time = full.select(idx);
  const ds = new Dataset(GRID, time, CELLS, [
    monthly("burned_area", time, burned),
    monthly("dryness", time, dryness),
  ]);
  const f = auditDataset({ dataset: ds, target: "burned_area" });
  assert.ok(f.some((x) => x.check === "time-axis" && x.severity === "error" && /2002-03/.test(x.message)));
});

test("constant fields: an all-zero target is an error, a constant driver a warning", () => {
  const ds = cleanWorld();
  const f = auditDataset({
    dataset: ds.withFields([monthly("burned_area", ds.time, () => 0), monthly("pr", ds.time, () => 2.5)]),
    target: "burned_area",
  });
  const c = f.filter((x) => x.check === "constant");
  assert.deepEqual(
    c.map((x) => [x.variable, x.severity]),
    [
      ["burned_area", "error"],
      ["pr", "warning"],
    ],
  );
  assert.match(c[0].message, /zero everywhere/);
});

test("a driver constant over one region while varying elsewhere is reported for that region", () => {
  const ds = cleanWorld();
  // Australia's box: temperature stuck at 20 (a region that burns in this world)
  const stuck = ds.withFields([
    monthly("tas", ds.time, (la, lo, m, y) =>
      la > -41 && la < -10.5 && lo > 112 && lo < 154 ? 20 : 25 + 5 * wiggle(la, lo, m + y),
    ),
  ]);
  const c = auditDataset({ dataset: stuck, target: "burned_area" }).filter((x) => x.check === "constant");
  assert.equal(c.length, 1);
  assert.deepEqual(c[0].regions, ["aust"]);
  assert.equal(c[0].numbers.value, 20);
});

test("near-duplicate drivers: a linear copy is a warning, a close cousin an info hint, others nothing", () => {
  const ds = cleanWorld();
  const dup = ds.withFields([
    monthly("tasmax", ds.time, (la, lo, m, y) => 2 * temperature(la, lo, m, y) + 1),
    monthly(
      "soilm",
      ds.time,
      (la, lo, m, y) => 0.2 * precipitation(la, lo, m, y) + 0.05 * wiggle(m, y, la + lo),
    ),
  ]);
  const f = auditDataset({ dataset: dup, target: "burned_area" }).filter((x) => x.check === "near-duplicate");
  const pair = (a: string, b: string) =>
    f.find((x) => (x.variable === a && x.with === b) || (x.variable === b && x.with === a));
  assert.equal(pair("tas", "tasmax")?.severity, "warning");
  assert.ok((pair("tas", "tasmax")?.numbers.r ?? 0) > 0.999);
  assert.equal(pair("pr", "soilm")?.severity, "info");
  assert.equal(pair("pr", "tas"), undefined);
});

test("train/holdout shift: a trend that leaves the training range is a warning; the split is an option", () => {
  const time = timeAxis(2001, 2010);
  const base = cleanWorld(time);
  const trend = base.withFields([
    monthly("popdens", time, (la, lo, m, y) => 10 + 20 * (y - 2001) + wiggle(la, lo, m)),
  ]);
  const f = auditDataset({ dataset: trend, target: "burned_area" }).filter((x) => x.check === "shift");
  const pd = f.find((x) => x.variable === "popdens");
  assert.equal(pd?.severity, "warning");
  assert.ok((pd?.numbers.ks ?? 0) > 0.9);
  assert.match(pd?.message ?? "", /2001–2008/);
  assert.match(pd?.message ?? "", /2009–2010/);
  // the stationary drivers do not shift
  assert.equal(
    f.find((x) => x.variable === "dryness"),
    undefined,
  );
  const custom = auditDataset(
    { dataset: trend, target: "burned_area" },
    { split: { train: [2001, 2002], holdout: [2003] } },
  );
  assert.match(
    custom.find((x) => x.check === "shift" && x.variable === "popdens")?.message ?? "",
    /holdout \(2003\)/,
  );
});

test("no target is an error finding; a static driver is fine", () => {
  const ds = cleanWorld().withFields([staticField("treecover", () => 0.4)]);
  const f = auditDataset({ dataset: ds });
  assert.ok(f.some((x) => x.check === "target" && x.severity === "error"));
  // constant static treecover is a warning (no information), but not a coverage error without target
  assert.ok(f.some((x) => x.check === "constant" && x.variable === "treecover" && x.severity === "warning"));
  assert.throws(() => auditDataset({ dataset: ds, target: "ba" }), /target 'ba' is not a field/);
});
