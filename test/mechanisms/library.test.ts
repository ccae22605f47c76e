import assert from "node:assert/strict";
import { test } from "node:test";
import katex from "katex";
import { driverInfo } from "../../src/grid/drivers.ts";
import { MECHANISMS, mechanismById } from "../../src/mechanisms/library.ts";
import { CLUSTERS, REGIMES } from "../../src/mechanisms/types.ts";
import { driversOf, paramsOf } from "../../src/forms/dsl/ast.ts";
import { parseExpr } from "../../src/forms/dsl/parser.ts";
import { evalSeries } from "../../src/forms/interpret.ts";
import { Rng } from "../../src/util/rng.ts";
import { randomInputs } from "../forms/helpers.ts";
import { resolveInputs } from "../../src/forms/inputs.ts";

test("the library holds at least 20 of the catalogue's 25 mechanisms, each complete", () => {
  assert.ok(MECHANISMS.length >= 20, `${MECHANISMS.length} mechanisms`);
  const ids = new Set<string>();
  const numbers = new Set<string>();
  for (const m of MECHANISMS) {
    assert.match(m.id, /^[a-z][a-z0-9_]*$/);
    assert.ok(!ids.has(m.id) && !numbers.has(m.catalogue), m.id);
    ids.add(m.id);
    numbers.add(m.catalogue);
    assert.match(m.catalogue, /^M([1-9]|1\d|2[0-5])$/);
    assert.ok(REGIMES.includes(m.regime), `${m.id} regime ${m.regime}`);
    assert.ok(CLUSTERS.includes(m.cluster), `${m.id} cluster ${m.cluster}`);
    assert.ok(["as-is", "adapted"].includes(m.fidelity));
    assert.ok(m.cite.length > 10 && m.name.length > 5 && m.notes.length > 10, m.id);
    for (const p of m.params) {
      assert.ok(p.lo < p.hi, `${m.id}.${p.name} bounds`);
      assert.ok(p.default >= p.lo && p.default <= p.hi, `${m.id}.${p.name} default`);
      if (p.scale === "log") assert.ok(p.lo > 0, `${m.id}.${p.name} log scale needs lo > 0`);
      assert.ok(p.units.length > 0 && p.doc.length > 0, `${m.id}.${p.name} units/doc`);
    }
  }
});

test("each formula parses, uses every parameter, and reads exactly its declared drivers in Kiln's units", () => {
  for (const m of MECHANISMS) {
    const names = m.params.map((p) => p.name);
    const e = parseExpr(m.expr, { params: new Set(names) });
    assert.deepEqual(paramsOf(e).sort(), [...names].sort(), `${m.id}: parameters used`);
    assert.deepEqual(driversOf(e).sort(), m.drivers.map((d) => d.name).sort(), `${m.id}: drivers`);
    for (const d of m.drivers) {
      const want = driverInfo(d.name)?.units ?? (d.name === "lat" ? "degrees_north" : "1");
      assert.equal(d.units, want, `${m.id}: unit of ${d.name}`);
    }
  }
});

test("each mechanism is one constant at its identity point, which lies inside its bounds", () => {
  const rng = new Rng(17);
  for (const m of MECHANISMS) {
    assert.ok(Object.keys(m.identity).length > 0, `${m.id} has no identity`);
    for (const [k, v] of Object.entries(m.identity)) {
      const p = m.params.find((q) => q.name === k);
      assert.ok(p, `${m.id}: identity names unknown parameter ${k}`);
      assert.ok(v >= p!.lo && v <= p!.hi, `${m.id}: identity ${k} = ${v} outside [${p!.lo}, ${p!.hi}]`);
    }
    const e = parseExpr(m.expr, { params: new Set(m.params.map((p) => p.name)) });
    const drivers = m.drivers.map((d) => d.name);
    // random inputs (independent of the probe the checker uses) and random values of the other parameters
    for (let trial = 0; trial < 5; trial++) {
      const inputs = randomInputs(drivers, 24, 12, 500 + trial);
      const ctx = {
        nTime: 24,
        nCell: 12,
        inputs: new Map(resolveInputs(drivers, inputs).map((r) => [r.name, r])),
      };
      const values = new Map(m.params.map((p) => [p.name, m.identity[p.name] ?? rng.uniform(p.lo, p.hi)]));
      const v = evalSeries(e, ctx, (n) => values.get(n)!);
      assert.ok(Number.isFinite(v[0]), `${m.id} at identity: ${v[0]}`);
      for (const x of v)
        assert.ok(
          Math.abs(x - v[0]) <= 1e-12 * Math.max(1, Math.abs(v[0])),
          `${m.id} is not constant at its identity (${x} vs ${v[0]})`,
        );
      // and not constant at its defaults
      const d = evalSeries(e, ctx, (n) => m.params.find((p) => p.name === n)!.default);
      assert.ok(
        d.some((x) => Math.abs(x - d[0]) > 1e-9),
        `${m.id} is constant at its defaults`,
      );
    }
  }
});

test("each LaTeX formula renders with KaTeX", () => {
  for (const m of MECHANISMS) {
    assert.doesNotThrow(() => katex.renderToString(m.latex, { throwOnError: true, displayMode: true }), m.id);
  }
});

test("the world truth's mechanisms have exactly the agreed semantics", () => {
  const at = (id: string, drivers: Record<string, number>, params: Record<string, number>) => {
    const m = mechanismById(id)!;
    const e = parseExpr(m.expr, { params: new Set(m.params.map((p) => p.name)) });
    const inputs = new Map(
      Object.entries(drivers).map(([n, v]) => [n, { name: n, layout: "cellTime" as const, data: [v] }]),
    );
    return evalSeries(e, { nTime: 1, nCell: 1, inputs }, (n) => params[n])[0];
  };
  const rng = new Rng(1);
  for (let i = 0; i < 200; i++) {
    const G = rng.uniform(0, 10);
    const G0 = rng.uniform(0.5, 8);
    const a = rng.uniform(0, 8);
    const hump = (G / G0) ** a * Math.exp(a * (1 - G / G0));
    assert.ok(Math.abs(at("vdw_gpp_gate", { gpp: G }, { G0, a }) - hump) <= 1e-12 * Math.max(1, hump));
    const B = rng.uniform(0, 10);
    assert.ok(
      Math.abs(
        at("pr_fuel_hump", { biomass: B }, { B0: G0, a }) - (B / G0) ** a * Math.exp(a * (1 - B / G0)),
      ) < 1e-9,
    );
    const D = rng.uniform(0, 1);
    const k = rng.uniform(0, 40);
    const D0 = rng.uniform(0, 1);
    assert.ok(
      Math.abs(at("accumulated_dryness", { dryness: D }, { k, D0 }) - 1 / (1 + Math.exp(-k * (D - D0)))) <
        1e-15,
    );
    const T = rng.uniform(-20, 40);
    const kt = rng.uniform(0, 1.5);
    const T0 = rng.uniform(-10, 25);
    assert.ok(
      Math.abs(at("archibald_temp_sigmoid", { tas: T }, { k: kt, T0 }) - 1 / (1 + Math.exp(-kt * (T - T0)))) <
        1e-15,
    );
    const PD = Math.exp(rng.uniform(-3, 8));
    const floor = rng.uniform(0, 1);
    const r = Math.exp(rng.uniform(Math.log(1e-4), Math.log(0.2)));
    const q = rng.uniform(0.3, 1);
    const sup = floor + (1 - floor) * Math.exp(-r * PD ** q);
    assert.ok(Math.abs(at("popdens_suppression", { popdens: PD }, { floor, r, q }) - sup) < 1e-14);
  }
  assert.equal(mechanismById("pr_fuel_hump")!.drivers[0].name, "biomass");
  assert.deepEqual(
    mechanismById("popdens_suppression")!.params.map((p) => p.name),
    ["floor", "r", "q"],
  );
});
