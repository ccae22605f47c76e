/** Hand-made cases whose answers are known, one per rule of ILAMB 2.7's burned-area scoring. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MID_MONTHS,
  evaluateCells,
  prepareReference,
  referenceOf,
  residualFields,
  scoreModel,
  timeWeights,
  type RegionResult,
  type ScoreOptions,
} from "../../src/bench/index.ts";
import { CellIndex } from "../../src/grid/cells.ts";
import { Dataset } from "../../src/grid/dataset.ts";
import { makeField } from "../../src/grid/field.ts";
import { globalRegion, ilambRegions, rasterRegions } from "../../src/grid/regions.ts";
import { TimeAxis } from "../../src/grid/time.ts";
import { KilnError } from "../../src/util/errors.ts";
import { field, hash01, synthetic } from "./helpers/synthetic.ts";

const close = (a: number | undefined, b: number, tol = 1e-12, what = "") =>
  assert.ok(
    a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)),
    `${what} got ${a}, want ${b}`,
  );

function seasonal(c: number, month: number, t: number): number {
  return 0.5 + 0.4 * Math.sin((2 * Math.PI * (month + (c % 12))) / 12) + 0.3 * hash01(t, c);
}

test("identical fields score 1 everywhere (both RMSE bases, with and without mass weighting)", () => {
  const s = synthetic(10, 2001, 2004);
  const ref = field(s, (t, c, m) => seasonal(c, m, t));
  const model = Float64Array.from(ref);
  for (const rmseBasis of ["cycle", "series"] as const) {
    for (const massWeighting of [true, false]) {
      const prep = prepareReference(
        { cells: s.cells, time: s.time, data: ref },
        { regions: ilambRegions(s.grid), rmseBasis, massWeighting },
      );
      const res = scoreModel(prep, model);
      assert.equal(res.regions.length, 15);
      for (const r of res.regions) {
        const g = r.scalars;
        const w = `${rmseBasis}/${massWeighting}/${r.region}`;
        for (const k of ["Bias Score", "RMSE Score", "Seasonal Cycle Score", "Overall Score"] as const)
          close(g[k], 1, 1e-15, `${w} ${k}`);
        close(g["Spatial Distribution Score"], 1, 1e-12, `${w} spatial`);
        close(g["Bias"], 0, 0, w);
        close(g["RMSE"], 0, 0, w);
        close(g["Phase Shift"], 0, 0, w);
        close(r.components.spatialPearson, 1, 1e-12, w);
        close(r.components.seasonalLinear, 1, 0, w);
      }
    }
  }
});

test("a one-month phase shift scores ½(1 + cos(2π·Δ/365)) with Δ the gap between ILAMB's mid-month days", () => {
  // ILAMB's mid-month days (15.5, 45, 74.5, 105, ...) are 29.5, 30.5 or 31 days apart: a one-month shift
  // is never exactly 30 days, so each cell is checked against its own gap (e.g. March→April: 30.5 days).
  const s = synthetic(30, 2001, 2003);
  const peakOf = (c: number) => c % 12;
  const ref = field(s, (_t, c, m, y) => 1 + (m - 1 === peakOf(c) ? 4 : 0) + 0.1 * hash01(y, c));
  const model = field(
    s,
    (_t, c, m, y) => 1 + (m - 1 === (peakOf(c) + 1) % 12 ? 4 : 0) + 0.1 * hash01(y, c, 7),
  );
  const prep = prepareReference(
    { cells: s.cells, time: s.time, data: ref },
    { regions: [globalRegion(s.grid)], massWeighting: false },
  );
  const ws = evaluateCells(prep, model);
  let num = 0;
  let shift = 0;
  let den = 0;
  for (let c = 0; c < s.nC; c++) {
    const p = peakOf(c);
    let gap = MID_MONTHS[(p + 1) % 12] - MID_MONTHS[p];
    if (gap < -182.5) gap += 365;
    const want = 0.5 * (1 + Math.cos((2 * Math.PI * gap) / 365));
    close(ws.shiftDays[c], gap, 0, `cell ${c} shift`);
    close(ws.seasonalScore[c], want, 1e-15, `cell ${c} score`);
    if (p === 2)
      close(ws.seasonalScore[c], 0.5 * (1 + Math.cos((2 * Math.PI * 30.5) / 365)), 1e-15, "Mar→Apr");
    if (p === 11) close(ws.shiftDays[c], 31, 0, "Dec→Jan wraps to +31 days");
    close(ws.seasonalLinear[c], 1 - 1 / 6, 1e-15, "ilamb3's linear score for one month");
    num += want * s.cells.areas[c];
    shift += (Math.abs(gap) / 30) * s.cells.areas[c];
    den += s.cells.areas[c];
  }
  const g = scoreModel(prep, model).regions[0].scalars;
  close(g["Seasonal Cycle Score"], num / den, 1e-14);
  close(g["Phase Shift"], shift / den, 1e-14);
  // half a year out of phase scores 0 in the cells six months off
  const opposite = field(
    s,
    (_t, c, m, y) => 1 + (m - 1 === (peakOf(c) + 6) % 12 ? 4 : 0) + 0.1 * hash01(y, c),
  );
  const wo = evaluateCells(prep, opposite);
  for (let c = 0; c < s.nC; c++) assert.ok(wo.seasonalScore[c] < 1e-3, `cell ${c}: ${wo.seasonalScore[c]}`);
});

test("σ = 0 cells follow Q2: the bias score is exp(−|b|) in data units; the RMSE score drops them", () => {
  const s = synthetic(30, 2001, 2002);
  const ref = field(s, (t, c, m) => (c === 0 ? 0 : c === 1 ? 2 : seasonal(c, m, t)));
  const model = field(s, (t, c, m) => (c === 0 ? 0.3 : c === 1 ? 2.5 : 1.2 * seasonal(c, m, t)));
  const opts = (massWeighting: boolean, dataScale = 1): ScoreOptions => ({
    regions: [globalRegion(s.grid)],
    massWeighting,
    dataScale,
  });
  const prep = prepareReference({ cells: s.cells, time: s.time, data: ref }, opts(false));
  assert.equal(prep.sigma[0], 0);
  assert.equal(prep.sigma[1], 0);
  const ws = evaluateCells(prep, model);
  close(ws.biasScore[0], Math.exp(-0.3), 1e-15, "constant-zero reference");
  close(ws.biasScore[1], Math.exp(-0.5), 1e-15, "constant non-zero reference");
  assert.ok(Number.isNaN(ws.rmseScore[0]) && Number.isNaN(ws.rmseScore[1]));

  const A = s.cells.areas;
  const sums = (w: (c: number) => number, v: Float64Array, skip = new Set<number>()) => {
    let n = 0;
    let d = 0;
    for (let c = 0; c < s.nC; c++) {
      if (skip.has(c)) continue;
      n += v[c] * A[c] * w(c);
      d += A[c] * w(c);
    }
    return n / d;
  };
  const bs = Float64Array.from(ws.biasScore);
  const rs = Float64Array.from(ws.rmseScore);
  const g = scoreModel(prep, model).regions[0].scalars;
  close(
    g["Bias Score"],
    sums(() => 1, bs),
    1e-14,
    "no mass: Q2 cells count",
  );
  close(
    g["RMSE Score"],
    sums(() => 1, rs, new Set([0, 1])),
    1e-14,
    "σ = 0 cells dropped",
  );

  // mass weighting: the constant-zero cell weighs 0, the constant non-zero one weighs r̄ = 2
  const pm = prepareReference({ cells: s.cells, time: s.time, data: ref }, opts(true));
  const gm = scoreModel(pm, model).regions[0].scalars;
  close(
    gm["Bias Score"],
    sums((c) => pm.refMean[c], bs),
    1e-14,
    "mass weighted",
  );

  // the scale matters only through Q2: ×100 (fractions scored as %), exp(−30), and exp(−50) < 1e-16 → 0
  const p100 = prepareReference({ cells: s.cells, time: s.time, data: ref }, opts(false, 100));
  const w100 = evaluateCells(p100, model);
  close(w100.biasScore[0], Math.exp(-30), 1e-15);
  assert.equal(w100.biasScore[1], 0);
  close(w100.biasScore[5], bs[5], 1e-14, "σ > 0 cells are scale-invariant");
});

test("an all-zero region gives NaN (mass weighting: every weight is 0), the rest still scores", () => {
  const s = synthetic(10, 2001, 2003);
  const regions = ilambRegions(s.grid, ["global", "aust"]);
  const aust = regions[1].mask;
  const ref = field(s, (t, c, m) => (aust[s.cells.flat[c]] ? 0 : seasonal(c, m, t)));
  const model = field(s, (t, c, m) => 0.8 * seasonal(c, m, t) + 0.05);
  for (const massWeighting of [true, false]) {
    const prep = prepareReference({ cells: s.cells, time: s.time, data: ref }, { regions, massWeighting });
    const [glob, au] = scoreModel(prep, model).regions;
    assert.ok(Number.isFinite(glob.scalars["Overall Score"]!));
    assert.ok(Number.isNaN(au.scalars["Overall Score"]!), `mass ${massWeighting}`);
    assert.ok(Number.isNaN(au.scalars["RMSE Score"]!), "σ = 0 everywhere: no RMSE cell");
    assert.ok(Number.isNaN(au.scalars["Spatial Distribution Score"]!), "zero spread: R = 0/0");
    if (massWeighting) {
      assert.ok(Number.isNaN(au.scalars["Bias Score"]!));
      assert.ok(Number.isNaN(au.scalars["Seasonal Cycle Score"]!));
    } else assert.ok(au.scalars["Bias Score"]! > 0 && au.scalars["Bias Score"]! < 1);
    close(au.scalars["Benchmark Period Mean (intersection)"], 0, 0);
  }
});

test("Q1: σ weights steps by half the distance between neighbouring time centres, not the month length", () => {
  const time = TimeAxis.years(2001, 2001);
  const w = timeWeights(time);
  assert.deepEqual([...w.dt], [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  close(w.rmsWeight[1], (74.5 - 15.5) / 2, 0, "February");
  close(w.rmsWeight[0], 45 - 15.5, 0, "first step extrapolated");
  close(w.rmsWeight[11], 349.5 - 319, 0, "last step extrapolated");
  // σ of one cell holding 0, 1, ..., 11 against the direct formula with those weights
  const s = synthetic(90, 2001, 2001);
  const data = field(s, (t) => t);
  const prep = prepareReference({ cells: s.cells, time, data }, { regions: [globalRegion(s.grid)] });
  let mean = 0;
  for (let t = 0; t < 12; t++) mean += t * w.dt[t];
  mean /= 365;
  let v = 0;
  let d = 0;
  let vMonth = 0;
  for (let t = 0; t < 12; t++) {
    v += (t - mean) ** 2 * w.rmsWeight[t];
    d += w.rmsWeight[t];
    vMonth += (t - mean) ** 2 * w.dt[t];
  }
  close(prep.refMean[0], mean, 1e-15, "period mean weighted by month length");
  close(prep.sigma[0], Math.sqrt(v / d), 1e-15);
  assert.ok(Math.abs(prep.sigma[0] - Math.sqrt(vMonth / 365)) > 1e-4, "differs from month-length weights");
});

test("Q3: the spatial correlation counts every grid cell, masked ones as zeros; Pearson is kept beside it", () => {
  const s = synthetic(30, 2001, 2002);
  // only some cells have data: a CellIndex over a third of the grid
  const cells = CellIndex.fromMask(
    s.grid,
    Array.from({ length: s.grid.nCell }, (_, g) => g % 3 === 0),
  );
  const sub = { ...s, cells, nC: cells.length };
  const ref = field(sub, (t, c, m) => seasonal(c, m, t) * (1 + (c % 5)));
  const model = field(sub, (t, c, m) => seasonal(c + 3, m, t) * (1 + (c % 4)));
  const prep = prepareReference({ cells, time: s.time, data: ref }, { regions: [globalRegion(s.grid)] });
  const r = scoreModel(prep, model).regions[0];
  const pearson = (x: number[], y: number[]) => {
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let k = 0; k < x.length; k++) {
      sxy += (x[k] - mx) * (y[k] - my);
      sxx += (x[k] - mx) ** 2;
      syy += (y[k] - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const ws = evaluateCells(prep, model);
  const X = Array.from(cells.toGrid(prep.refMean, 0));
  const Y = Array.from(cells.toGrid(ws.modelMean, 0));
  close(r.spatialR, pearson(X, Y), 1e-12, "zero-filled full-grid Pearson");
  const xs = Array.from(prep.refMean);
  const ys = Array.from(ws.modelMean);
  const pr = pearson(xs, ys);
  assert.ok(Math.abs(pr - r.spatialR) > 1e-3, "Q3 differs from Pearson here");
  const std = (a: number[]) => {
    const m = a.reduce((p, q) => p + q) / a.length;
    return Math.sqrt(a.reduce((p, q) => p + (q - m) ** 2, 0) / a.length);
  };
  const sig = std(ys) / std(xs);
  close(r.spatialStd, sig, 1e-12);
  close(r.scalars["Spatial Distribution Score"], (2 * (1 + r.spatialR)) / (sig + 1 / sig) ** 2, 1e-12);
  close(r.components.spatialPearson, (2 * (1 + pr)) / (sig + 1 / sig) ** 2, 1e-12);
});

test("series basis: the RMSE score uses the centred series RMSE; cycle basis the climatologies'", () => {
  const s = synthetic(90, 2001, 2003);
  const ref = field(s, (t, c, m) => seasonal(c, m, t));
  const model = field(s, (t, c, m) => 0.7 * seasonal(c + 2, m, t) + 0.1 * hash01(9, t, c));
  const regions = [globalRegion(s.grid)];
  const ps = prepareReference({ cells: s.cells, time: s.time, data: ref }, { regions, rmseBasis: "series" });
  const ws = evaluateCells(ps, model);
  const c = 3;
  let rb = 0;
  let mb = 0;
  for (let t = 0; t < s.nT; t++) {
    rb += ref[t * s.nC + c] * ps.weights.dt[t];
    mb += model[t * s.nC + c] * ps.weights.dt[t];
  }
  rb /= 365 * 3;
  mb /= 365 * 3;
  let plain = 0;
  let centred = 0;
  for (let t = 0; t < s.nT; t++) {
    const r = ref[t * s.nC + c];
    const m = model[t * s.nC + c];
    plain += (m - r) ** 2 * ps.weights.dt[t];
    centred += (m - mb - (r - rb)) ** 2 * ps.weights.dt[t];
  }
  close(ws.rmse[c], Math.sqrt(plain / (365 * 3)), 1e-14);
  close(ws.crmse[c], Math.sqrt(centred / (365 * 3)), 1e-14);
  close(ws.rmseScore[c], Math.exp(-ws.crmse[c] / ps.sigma[c]), 1e-15);
  const gs = scoreModel(ps, model).regions[0].scalars["RMSE Score"]!;
  const pc = prepareReference({ cells: s.cells, time: s.time, data: ref }, { regions, rmseBasis: "cycle" });
  const gc = scoreModel(pc, model).regions[0].scalars["RMSE Score"]!;
  assert.ok(Math.abs(gs - gc) > 1e-3, `series ${gs} vs cycle ${gc}`);
});

test("a prepared reference scores many models: reuse, time indices into a longer prediction", () => {
  const s = synthetic(30, 2001, 2004);
  const ref = field(s, (t, c, m) => seasonal(c, m, t));
  const a = field(s, (t, c, m) => 0.9 * seasonal(c + 1, m, t));
  const b = field(s, (t, c, m) => 1.3 * seasonal(c, m, t + 1));
  const regions = ilambRegions(s.grid);
  const prep = prepareReference({ cells: s.cells, time: s.time, data: ref }, { regions, iav: "component" });
  const first = JSON.stringify(scoreModel(prep, a));
  scoreModel(prep, b);
  assert.equal(JSON.stringify(scoreModel(prep, a)), first, "no state leaks from one model to the next");

  // a reference of the years 2002 and 2004, scored against a prediction over all four years
  const years = [2002, 2004];
  const idx = s.time.indicesOfYears(years);
  const subRef = new Float64Array(idx.length * s.nC);
  const subA = new Float32Array(idx.length * s.nC);
  idx.forEach((t, k) => {
    subRef.set(ref.subarray(t * s.nC, (t + 1) * s.nC), k * s.nC);
    subA.set(a.subarray(t * s.nC, (t + 1) * s.nC), k * s.nC);
  });
  const ps = prepareReference({ cells: s.cells, time: s.time.select(idx), data: subRef }, { regions });
  const full32 = Float32Array.from(a);
  assert.deepEqual(scoreModel(ps, full32, { modelTimeIndices: idx }), scoreModel(ps, subA));
  assert.throws(() => scoreModel(ps, full32), KilnError);
  assert.throws(() => scoreModel(ps, full32, { modelTimeIndices: [0, 99] }), /modelTimeIndices/);
});

test("IAV: off by default; 'component' feeds the conventions only; true is ILAMB with skip_iav = False", () => {
  const s = synthetic(30, 2001, 2004);
  const ref = field(s, (t, c, m) => seasonal(c, m, t));
  const model = field(s, (t, c, m) => seasonal(c, m, t) * (1 + 0.2 * hash01(t, c, 3)));
  const regions = [globalRegion(s.grid)];
  const data = { cells: s.cells, time: s.time, data: ref };
  const off = scoreModel(prepareReference(data, { regions }), model).regions[0];
  const comp = scoreModel(prepareReference(data, { regions, iav: "component" }), model).regions[0];
  const on = scoreModel(prepareReference(data, { regions, iav: true }), model).regions[0];
  assert.ok(Number.isNaN(off.components.iav));
  assert.ok(!("Interannual Variability Score" in comp.scalars));
  assert.equal(comp.scalars["Overall Score"], off.scalars["Overall Score"]);
  const iav = comp.components.iav;
  assert.ok(iav > 0 && iav < 1);
  assert.equal(on.scalars["Interannual Variability Score"], iav);
  const g = on.scalars as Required<RegionResult["scalars"]>;
  close(
    g["Overall Score"],
    (g["Bias Score"] +
      2 * g["RMSE Score"] +
      g["Seasonal Cycle Score"] +
      g["Spatial Distribution Score"] +
      iav) /
      6,
    1e-15,
  );
  const same = scoreModel(prepareReference(data, { regions, iav: true }), ref).regions[0];
  close(same.components.iav, 1, 1e-15, "identical series");
});

test("residual fields: maps on the intersection and each region's mean seasonal cycles", () => {
  const s = synthetic(30, 2001, 2003);
  // the model has no data in cell 4, the reference none in cell 5
  const ref = field(s, (t, c, m) => (c === 5 ? NaN : seasonal(c, m, t)));
  const model = field(s, (t, c, m) => (c === 4 ? NaN : 1.1 * seasonal(c, m, t)));
  const prep = prepareReference(
    { cells: s.cells, time: s.time, data: ref },
    { regions: [globalRegion(s.grid)] },
  );
  const f = residualFields(prep, model);
  for (let c = 0; c < s.nC; c++) {
    if (c === 4 || c === 5) assert.ok(Number.isNaN(f.bias[c]) && Number.isNaN(f.biasScore[c]));
    else close(f.bias[c], f.modelMean[c] - f.refMean[c], 1e-15);
  }
  assert.ok(Number.isNaN(f.modelMean[4]) && Number.isFinite(f.refMean[4]));
  assert.ok(Number.isNaN(f.refMean[5]) && Number.isFinite(f.modelMean[5]));
  const [cyc] = f.cycles;
  // the model is 1.1 × the reference in every scored cell, so its regional cycle is 1.1 × too
  for (let k = 0; k < 12; k++) close(cyc.model[k], 1.1 * cyc.ref[k], 1e-14);
  const g = scoreModel(prep, model).regions[0].scalars;
  close(g["Model Period Mean (complement)"], f.modelMean[5], 1e-15, "model-only cell");
  close(g["Benchmark Period Mean (complement)"], f.refMean[4], 1e-15, "reference-only cell");
});

test("short series: no seasonal cycle under 12 months, no RMSE for one month (σ replaced by r̄)", () => {
  const s = synthetic(30, 2001, 2001);
  const six = TimeAxis.monthly(2001, 1, 6);
  const sub = { ...s, time: six, nT: 6 };
  const ref = field(sub, (t, c, m) => seasonal(c, m, t));
  const model = field(sub, (t, c, m) => 1.2 * seasonal(c, m, t));
  const regions = [globalRegion(s.grid)];
  const g6 = scoreModel(prepareReference({ cells: s.cells, time: six, data: ref }, { regions }), model)
    .regions[0].scalars as Record<string, number>;
  assert.ok(!("Seasonal Cycle Score" in g6) && !("Phase Shift" in g6));
  close(
    g6["Overall Score"],
    (g6["Bias Score"] + 2 * g6["RMSE Score"] + g6["Spatial Distribution Score"]) / 4,
    1e-15,
  );

  const one = TimeAxis.monthly(2001, 3, 1);
  const r1 = ref.subarray(0, s.nC);
  const m1 = model.subarray(0, s.nC);
  const p1 = prepareReference({ cells: s.cells, time: one, data: r1 }, { regions, massWeighting: false });
  const ws = evaluateCells(p1, m1);
  close(ws.biasScore[4], Math.exp(-Math.abs((m1[4] - r1[4]) / r1[4])), 1e-15, "normalised by r̄");
  const g1 = scoreModel(p1, m1).regions[0].scalars as Record<string, number>;
  assert.ok(!("RMSE Score" in g1) && !("RMSE" in g1));
  close(g1["Overall Score"], (g1["Bias Score"] + g1["Spatial Distribution Score"]) / 2, 1e-15);
});

test("raster regions score like the box they encode", () => {
  const s = synthetic(10, 2001, 2002);
  const [aust] = ilambRegions(s.grid, ["aust"]);
  const raster = Array.from(aust.mask, (v) => (v ? 14 : 0));
  const fromRaster = rasterRegions(s.grid, raster).find((r) => r.label === "aust")!;
  const ref = field(s, (t, c, m) => seasonal(c, m, t));
  const model = field(s, (t, c, m) => 0.9 * seasonal(c + 1, m, t));
  const data = { cells: s.cells, time: s.time, data: ref };
  const a = scoreModel(prepareReference(data, { regions: [aust] }), model).regions[0];
  const b = scoreModel(prepareReference(data, { regions: [fromRaster] }), model).regions[0];
  assert.deepEqual(a, b);
  assert.ok(Number.isFinite(a.scalars["Overall Score"]!));
});

test("a Dataset's year subset is a reference; its score equals the sliced arrays'", () => {
  const s = synthetic(30, 2001, 2004);
  const ref = Float32Array.from(field(s, (t, c, m) => seasonal(c, m, t) / 100));
  const ds = new Dataset(s.grid, s.time, s.cells, [makeField("burned_area", "1", ref)]);
  const train = ds.selectYears([2001, 2003]);
  const input = referenceOf(train, "burned_area");
  assert.equal(input.units, "1");
  const regions = [globalRegion(s.grid)];
  const prep = prepareReference(input, { regions, dataScale: 100 });
  const pred = Float32Array.from(ref, (x, i) => x * (1 + 0.1 * hash01(i)));
  const idx = s.time.indicesOfYears([2001, 2003]);
  const viaIdx = scoreModel(prep, pred, { modelTimeIndices: idx });
  const sliced = new Float32Array(idx.length * s.nC);
  idx.forEach((t, k) => sliced.set(pred.subarray(t * s.nC, (t + 1) * s.nC), k * s.nC));
  assert.deepEqual(viaIdx, scoreModel(prep, sliced));
  assert.throws(() => referenceOf(ds, "tas"), /no field 'tas'/);
});
