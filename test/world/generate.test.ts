import assert from "node:assert/strict";
import { test } from "node:test";
import { driverInfo } from "../../src/grid/drivers.ts";
import { boxRegion, GFED_BOXES } from "../../src/grid/regions.ts";
import { saturationVapourPressure } from "../../src/world/climate.ts";
import { DEFAULT_TRUTH, burnedSummary, generateWorld, type World } from "../../src/world/index.ts";
import { SAHEL_AND_SOUTHERN_SAVANNAS } from "../../src/world/scenarios.ts";

// A coarse world keeps this file fast: 5°, four years.
const opts = { resolution: 5, firstYear: 2001, lastYear: 2004, seed: 3 } as const;
const world = generateWorld(opts);
const ds = world.dataset;
const n = ds.nCell;

test("fourteen drivers and the target, each finite and inside its physical range", () => {
  assert.equal(ds.names().length, 15);
  assert.ok(ds.has("burned_area"));
  for (const name of ds.names()) {
    const info = driverInfo(name);
    assert.ok(info, `${name} is a Kiln driver`);
    assert.equal(ds.field(name).units, info.units);
    for (const x of ds.field(name).data) {
      assert.ok(Number.isFinite(x) && x >= info.min && x <= info.max, `${name} = ${x}`);
    }
  }
  assert.ok(ds.field("treecover").isStatic);
});

test("same seed, same world; another seed, another world", () => {
  const again = generateWorld(opts);
  for (const name of ds.names()) assert.deepEqual(again.dataset.field(name).data, ds.field(name).data, name);
  const other = generateWorld({ ...opts, seed: 4 });
  for (const name of ["pr", "tas", "popdens", "burned_area"]) {
    assert.notDeepEqual(other.dataset.field(name).data, ds.field(name).data, name);
  }
});

test("components draw from their own streams: changing the truth's noise leaves every driver alone", () => {
  const noisier = generateWorld({
    ...opts,
    truth: { ...DEFAULT_TRUTH, noise: { sigma: 0.8, detectionLimit: 1e-4 } },
  });
  for (const name of ds.names()) {
    if (name === "burned_area") assert.notDeepEqual(noisier.dataset.field(name).data, ds.field(name).data);
    else assert.deepEqual(noisier.dataset.field(name).data, ds.field(name).data, name);
  }
  assert.deepEqual(noisier.truthMean, world.truthMean);
});

test("VPD and relative humidity are consistent with temperature", () => {
  const tas = ds.field("tas").data;
  const rh = ds.field("rh").data;
  const vpd = ds.field("vpd").data;
  for (let k = 0; k < vpd.length; k += 97) {
    const want = saturationVapourPressure(tas[k]) * (1 - rh[k] / 100);
    assert.ok(Math.abs(vpd[k] - want) < 1e-4 * Math.max(1, want), `${vpd[k]} vs ${want}`);
  }
});

function cellMean(w: World, name: string): Float64Array {
  const f = w.dataset.field(name);
  const out = new Float64Array(n);
  for (let t = 0; t < w.dataset.nTime; t++)
    for (let c = 0; c < n; c++) out[c] += f.data[t * n + c] / w.dataset.nTime;
  return out;
}

test("biomass follows long-term productivity; rain follows the migrating rain belt", () => {
  const g = cellMean(world, "gpp");
  const b = cellMean(world, "biomass");
  let sg = 0, sb = 0, sgg = 0, sbb = 0, sgb = 0; // prettier-ignore
  for (let c = 0; c < n; c++) {
    sg += g[c];
    sb += b[c];
  }
  for (let c = 0; c < n; c++) {
    sgg += (g[c] - sg / n) ** 2;
    sbb += (b[c] - sb / n) ** 2;
    sgb += (g[c] - sg / n) * (b[c] - sb / n);
  }
  assert.ok(sgb / Math.sqrt(sgg * sbb) > 0.7, "biomass ~ mean GPP");
  // the Sahel band (10–17.5°N over Africa) is wet in August and dry in January
  const pr = ds.field("pr").data;
  let aug = 0;
  let jan = 0;
  for (let c = 0; c < n; c++) {
    const la = ds.cells.lat(c);
    const lo = ds.cells.lon(c);
    if (la < 10 || la > 17.5 || lo < -15 || lo > 35) continue;
    for (let t = 0; t < ds.nTime; t++) {
      if (ds.time.months[t] === 8) aug += pr[t * n + c];
      if (ds.time.months[t] === 1) jan += pr[t * n + c];
    }
  }
  assert.ok(aug > 8 * jan, `August ${aug.toFixed(1)} vs January ${jan.toFixed(1)}`);
});

/** The calendar month (1..12) in which a GFED box burns most, and the box's share of the global total. */
function peak(label: string): { month: number; share: number } {
  const mask = boxRegion(
    ds.grid,
    GFED_BOXES.find((b) => b.label === label)!,
  ).mask;
  const ba = ds.field("burned_area").data;
  const byMonth = new Float64Array(12);
  let all = 0;
  let inBox = 0;
  for (let t = 0; t < ds.nTime; t++) {
    for (let c = 0; c < n; c++) {
      const v = ba[t * n + c] * ds.cells.areas[c];
      all += v;
      if (mask[ds.cells.flat[c]]) {
        byMonth[ds.time.months[t] - 1] += v;
        inBox += v;
      }
    }
  }
  return { month: byMonth.indexOf(Math.max(...byMonth)) + 1, share: inBox / all };
}

test("the truth burns like the planet: savannas, seasons by hemisphere, mostly zeros, GFED's order", () => {
  const s = burnedSummary(ds, "burned_area");
  assert.ok(s.zeroShare > 0.7, `zero in ${s.zeroShare}`);
  assert.ok(s.meanAnnualMkm2 > 2.5 && s.meanAnnualMkm2 < 6, `${s.meanAnnualMkm2} Mkm² yr⁻¹`);
  assert.ok(s.maxAnnualMkm2 > 1.05 * s.minAnnualMkm2, "years differ");
  const nhaf = peak("nhaf");
  const shaf = peak("shaf");
  assert.ok([12, 1, 2, 3].includes(nhaf.month), `nhaf peaks in month ${nhaf.month}`);
  assert.ok([6, 7, 8, 9, 10].includes(shaf.month), `shaf peaks in month ${shaf.month}`);
  assert.ok(nhaf.share + shaf.share > 0.35, "Africa holds much of the fire");
  assert.ok(
    peak("bona").share < 0.02 && peak("euro").share < 0.02,
    "little fire in the boreal and in Europe",
  );
});

test("the dryness-bug scenario zeroes dryness over the African savannas and leaves everything else", () => {
  const bug = generateWorld({ ...opts, scenario: "dryness-bug" });
  const d = bug.dataset.field("dryness").data;
  const clean = ds.field("dryness").data;
  let zeroed = 0;
  for (let c = 0; c < n; c++) {
    const la = ds.cells.lat(c);
    const lo = ds.cells.lon(c);
    const inside = SAHEL_AND_SOUTHERN_SAVANNAS.some(
      (b) => la >= b.lat0 && la <= b.lat1 && lo >= b.lon0 && lo <= b.lon1,
    );
    for (let t = 0; t < ds.nTime; t++) {
      if (inside) assert.equal(d[t * n + c], 0);
      else assert.equal(d[t * n + c], clean[t * n + c]);
    }
    if (inside) zeroed++;
  }
  assert.ok(zeroed > 20, `${zeroed} cells zeroed`);
  for (const name of ds.names()) {
    if (name !== "dryness") assert.deepEqual(bug.dataset.field(name).data, ds.field(name).data, name);
  }
  assert.throws(
    () => generateWorld({ ...opts, scenario: "nope" }),
    /unknown scenario 'nope'[\s\S]*dryness-bug/,
  );
});
