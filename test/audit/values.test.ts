import assert from "node:assert/strict";
import { test } from "node:test";
import { auditDataset, type Finding } from "../../src/audit/index.ts";
import { makeField } from "../../src/grid/field.ts";
import { CELLS, N, cleanWorld, monthly, precipitation, temperature, wiggle } from "./fixtures.ts";

const only = (fs: Finding[], check: string, variable?: string) =>
  fs.filter((f) => f.check === check && (variable === undefined || f.variable === variable));

test("a clean hand-made world has no findings", () => {
  const ds = cleanWorld();
  assert.deepEqual(auditDataset({ dataset: ds, target: "burned_area" }), []);
});

test("NaN inside valid cells is a warning with the count; Inf is an error", () => {
  const ds = cleanWorld();
  const pr = Float32Array.from(ds.field("pr").data);
  for (let k = 0; k < 10; k++) pr[k * 7] = NaN;
  const tas = Float32Array.from(ds.field("tas").data);
  tas[5] = Infinity;
  tas[9] = -Infinity;
  const bad = ds.withFields([makeField("pr", "mm day-1", pr), makeField("tas", "degC", tas)]);
  const f = auditDataset({ dataset: bad, target: "burned_area" });
  const nan = only(f, "nonfinite", "pr");
  assert.equal(nan.length, 1);
  assert.equal(nan[0].severity, "warning");
  assert.equal(nan[0].numbers.count, 10);
  const inf = only(f, "nonfinite", "tas");
  assert.equal(inf.length, 1);
  assert.equal(inf[0].severity, "error");
  assert.equal(inf[0].numbers.count, 2);
});

test("fill values leaking as numbers are errors naming the value and the region", () => {
  const ds = cleanWorld();
  // 1e20 over Australia's box, -9999 in one month of temperature
  const pr = Float32Array.from(ds.field("pr").data);
  let n = 0;
  for (let t = 0; t < ds.nTime; t++) {
    for (let c = 0; c < N; c++) {
      const la = CELLS.lat(c);
      const lo = CELLS.lon(c);
      if (la > -40 && la < -10 && lo > 115 && lo < 150) {
        pr[t * N + c] = 1e20;
        n++;
      }
    }
  }
  const tas = Float32Array.from(ds.field("tas").data);
  for (let c = 0; c < N; c++) tas[c] = -9999;
  const bad = ds.withFields([makeField("pr", "mm day-1", pr), makeField("tas", "degC", tas)]);
  const f = auditDataset({ dataset: bad, target: "burned_area" });
  const leak = only(f, "fill-value", "pr");
  assert.equal(leak.length, 1);
  assert.equal(leak[0].severity, "error");
  assert.equal(leak[0].numbers.count, n);
  assert.deepEqual(leak[0].regions, ["aust"]);
  assert.match(leak[0].message, /1\.00e\+20/);
  const sentinel = only(f, "fill-value", "tas");
  assert.equal(sentinel[0].numbers.value, -9999);
  assert.equal(sentinel[0].numbers.count, N);
  // the fill values are not also counted as out of range
  assert.equal(only(f, "range", "pr").length, 0);
  // a legitimately large value is not a fill value
  const crowded = ds.withFields([monthly("popdens", ds.time, () => 5000)]);
  assert.equal(only(auditDataset({ dataset: crowded, target: "burned_area" }), "fill-value").length, 0);
});

test("out-of-range values name the unit they look like: K for degC, Pa for kPa, % for fractions", () => {
  const ds = cleanWorld();
  const bad = ds.withFields([
    monthly("tas", ds.time, (la, lo, m, y) => temperature(la, lo, m, y) + 273.15),
    monthly("vpd", ds.time, (la, lo, m) => 500 + 2500 * Math.abs(Math.sin(la + lo + m))),
    // burned area in percent: 2–3% in January in the tropics
    monthly("burned_area", ds.time, (la, lo, m) =>
      Math.abs(la) < 25 && m === 1 ? 2 + wiggle(la, lo, m) : 0,
    ),
  ]);
  const f = auditDataset({ dataset: bad, target: "burned_area" });
  const tas = only(f, "range", "tas");
  assert.equal(tas[0].severity, "error");
  assert.match(tas[0].message, /look like K, not degC/);
  assert.match(tas[0].hint ?? "", /units: K/);
  const vpd = only(f, "range", "vpd");
  assert.match(vpd[0].message, /look like Pa, not kPa/);
  const target = only(f, "range", "burned_area");
  assert.equal(target[0].severity, "error");
  assert.match(target[0].message, /look like %/);
});

test("a slight overshoot is a warning, not an error; in-range values of the wrong size are flagged", () => {
  const ds = cleanWorld();
  const overshoot = ds.withFields([
    monthly("rh", ds.time, (la, lo, m, y) => (la === 5 && lo === 5 && m === 3 && y === 2001 ? 100.4 : 60)),
    monthly("pr", ds.time, (la, lo, m, y) => precipitation(la, lo, m, y) / 86400),
  ]);
  const f = auditDataset({ dataset: overshoot, target: "burned_area" });
  const rh = only(f, "range", "rh");
  assert.equal(rh.length, 1);
  assert.equal(rh[0].severity, "warning");
  assert.equal(rh[0].numbers.count, 1);
  const pr = only(f, "range", "pr");
  assert.equal(pr.length, 1);
  assert.equal(pr[0].severity, "warning");
  assert.match(pr[0].message, /kg m-2 s-1/);
});

test("a field whose name is not a known driver gets no range check", () => {
  const ds = cleanWorld();
  const odd = ds.withFields([monthly("cveg", ds.time, () => 5000, "unstated")]);
  assert.equal(only(auditDataset({ dataset: odd, target: "burned_area" }), "range").length, 0);
});
