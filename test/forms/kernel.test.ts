import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFormObject, parseForm } from "../../src/forms/check.ts";
import { interpretForm, interpretTerms } from "../../src/forms/evaluate.ts";
import { fexp, flog } from "../../src/forms/fastmath.ts";
import { sliceInputs } from "../../src/forms/inputs.ts";
import { compileKernel } from "../../src/forms/kernel.ts";
import { KilnError } from "../../src/util/errors.ts";
import { Rng } from "../../src/util/rng.ts";
import { maxRelDiff, randomFormSpec, randomInputs } from "./helpers.ts";

test("fast exp and log agree with Math.exp and Math.log to 1e-13 over the whole range", () => {
  const rng = new Rng(7);
  let worstExp = 0;
  let worstLog = 0;
  for (let i = 0; i < 200000; i++) {
    const x = rng.uniform(-745, 709);
    const e = Math.exp(x);
    if (e > 0) worstExp = Math.max(worstExp, Math.abs(fexp(x) - e) / e);
    const y = Math.exp(rng.uniform(-700, 700)) * (rng.next() < 0.2 ? 1 + rng.uniform(-0.01, 0.01) : 1);
    const l = Math.log(y);
    if (l !== 0) worstLog = Math.max(worstLog, Math.abs(flog(y) - l) / Math.abs(l));
  }
  assert.ok(worstExp < 1e-13, `exp error ${worstExp}`);
  assert.ok(worstLog < 1e-13, `log error ${worstLog}`);
  for (const x of [NaN, Infinity, -Infinity, 0, -0, 710, -800, 1e-320]) {
    assert.ok(Object.is(fexp(x), Math.exp(x)) || fexp(x) === Math.exp(x), `exp(${x})`);
    assert.ok(Object.is(flog(x), Math.log(x)), `log(${x}): ${flog(x)} vs ${Math.log(x)}`);
  }
  assert.equal(flog(1), 0);
  assert.equal(fexp(0), 1);
});

test("the compiled kernel agrees with the interpreter to 1e-6 on 300 random forms and data", () => {
  const rng = new Rng(2024);
  let checked = 0;
  for (let k = 0; k < 300; k++) {
    const form = checkFormObject(randomFormSpec(rng, k, k % 5 === 0));
    const inputs = randomInputs(form.drivers, 30, 7, 1000 + k);
    // parameters at random points in their boxes
    const p = Float64Array.from(form.params, (q) =>
      q.log ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi))) : rng.uniform(q.lo, q.hi),
    );
    const out = new Float32Array(inputs.nTime * inputs.nCell);
    const run = compileKernel(form).bind(inputs);
    const bad = run(p, out);
    const ref = interpretForm(form, inputs, p);
    let refBad = 0;
    for (let i = 0; i < out.length; i++) {
      const r = ref[i];
      const f32 = Math.fround(r);
      if (!Number.isFinite(f32)) refBad++;
      if (Number.isNaN(r)) {
        assert.ok(
          Number.isNaN(out[i]),
          `${form.name} at ${i}: kernel ${out[i]}, interpreter NaN\n${JSON.stringify(form.spec)}`,
        );
        continue;
      }
      const d = Math.abs(out[i] - r) / Math.max(Math.abs(r), 1e-30);
      assert.ok(
        d <= 1e-6 || Math.abs(r) < 1e-35,
        `${form.name} at ${i}: kernel ${out[i]} vs ${r} (${d})\n${JSON.stringify(form.spec)}\n${run.source}`,
      );
      checked++;
    }
    assert.equal(bad, refBad, `${form.name}: non-finite count`);
  }
  assert.ok(checked > 50000, `only ${checked} finite values compared`);
});

test("causal operators: evaluating on the first years gives the same values as on the whole series", () => {
  const rng = new Rng(99);
  const forms = [
    parseForm(`
name: temporal
terms:
  - mechanism: antecedent_fuel_buildup
  - mechanism: globfirm_season
  - name: mix
    expr: "1 + runmax(pr, 6) / 10 + runmin(tas, 4) / 100 + accum(dryness, tau) / 50 + lag(gpp, 13) / 20"
    params: { tau: { lo: 1, hi: 20, default: 5 } }
`),
    ...Array.from({ length: 40 }, (_, k) => checkFormObject(randomFormSpec(rng, k))),
  ];
  for (const form of forms) {
    const full = randomInputs([...form.drivers, "soilm"], 48, 9, 5);
    const prefix = sliceInputs(full, 0, 30);
    const p = Float64Array.from(form.defaults);
    const a = new Float32Array(48 * 9);
    const b = new Float32Array(30 * 9);
    compileKernel(form).bind(full)(p, a);
    compileKernel(form).bind(prefix)(p, b);
    for (let i = 0; i < b.length; i++) {
      assert.ok(Object.is(a[i], b[i]), `${form.name}: value ${i} differs on the prefix (${a[i]} vs ${b[i]})`);
    }
  }
});

test("temporal operators follow their documented start-of-series rules", () => {
  const form = parseForm(`
name: ops
combiner: product
scale: { lo: 0.5, hi: 2, default: 1 }
terms:
  - { name: lagged, expr: "lag(pr, 2)" }
  - { name: ones, expr: "1 + 0 * runmean(pr, 3)" }
`);
  const pr = Float32Array.from([1, 2, 3, 4, 5]);
  const inputs = { nTime: 5, nCell: 1, fields: { pr } };
  const terms = interpretTerms(form, inputs, form.defaults);
  assert.deepEqual([...terms[0]], [1, 1, 1, 2, 3]); // the first two months repeat the first
  const one = (expr: string) =>
    interpretTerms(parseForm(`name: x\nterms:\n  - { name: a, expr: "${expr}" }`), inputs, [0.01])[0];
  assert.deepEqual([...one("runmean(pr, 3)")], [1, 1.5, 2, 3, 4]);
  assert.deepEqual([...one("runmax(pr, 2)")], [1, 2, 3, 4, 5]);
  assert.deepEqual([...one("runmin(pr, 2)")], [1, 1, 2, 3, 4]);
  const d = Math.exp(-1 / 2);
  const acc = one("accum(pr, 2)");
  assert.ok(Math.abs(acc[2] - (3 + 2 * d + 1 * d * d)) < 1e-12);
  const ew = one("ewmean(pr, 2)");
  assert.ok(Math.abs(ew[2] - (3 + 2 * d + d * d) / (1 + d + d * d)) < 1e-12);
  assert.equal(ew[0], 1);
  // and the kernel agrees
  for (const expr of ["runmean(pr, 3)", "runmax(pr, 2)", "accum(pr, 2)", "ewmean(pr, 2)", "lag(pr, 2)"]) {
    const f = parseForm(
      `name: x\nscale: {lo: 0.5, hi: 2, default: 1}\nterms:\n  - { name: a, expr: "${expr}" }`,
    );
    const out = new Float32Array(5);
    compileKernel(f).bind(inputs)(f.defaults, out);
    assert.ok(maxRelDiff(out, one(expr)) < 1e-7, expr);
  }
});

test("static drivers, lat and month are read per cell and per month", () => {
  const form = parseForm(`
name: layouts
scale: { lo: 0.5, hi: 2, default: 1 }
terms:
  - { name: a, expr: "1 + treecover + lat / 100 + month / 1000 + runmean(treecover * tas, 2) / 1e4" }
`);
  const inputs = {
    nTime: 3,
    nCell: 2,
    fields: { treecover: Float32Array.of(0.25, 0.5), tas: Float32Array.of(10, 20, 30, 40, 50, 60) },
    lat: [10, -20],
    month: [11, 12, 1],
  };
  const out = new Float32Array(6);
  compileKernel(form).bind(inputs)(form.defaults, out);
  const want = (t: number, c: number, rm: number) =>
    1 + [0.25, 0.5][c] + [10, -20][c] / 100 + [11, 12, 1][t] / 1000 + rm / 1e4;
  const expect = [
    want(0, 0, 2.5),
    want(0, 1, 10),
    want(1, 0, 0.25 * 20),
    want(1, 1, 0.5 * 30),
    want(2, 0, 0.25 * 40),
    want(2, 1, 0.5 * 50),
  ];
  assert.ok(maxRelDiff(out, expect) < 1e-7, `${[...out]} vs ${expect}`);
});

test("a bound kernel re-run with new parameters gives new values (cached work holds no parameters)", () => {
  const form = parseForm(`
name: cache
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: antecedent_fuel_buildup
  - mechanism: tree_cover_gate
  - mechanism: lightning_ignitions
`);
  const inputs = randomInputs(form.drivers, 24, 11, 3);
  const run = compileKernel(form).bind(inputs);
  const rng = new Rng(5);
  for (let r = 0; r < 10; r++) {
    const p = Float64Array.from(form.params, (q) =>
      q.log ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi))) : rng.uniform(q.lo, q.hi),
    );
    const out = new Float32Array(24 * 11);
    run(p, out);
    assert.ok(maxRelDiff(out, interpretForm(form, inputs, p)) < 1e-6);
  }
  // log(gpp) is computed once at bind time: by the JavaScript loop, or by a module stage called before `run`
  const js = compileKernel(form, { simd: false }).bind(inputs);
  assert.match(
    js.source.split("return function run")[0],
    /flog\(f\d+\[i\]\)/,
    "log(gpp) is cached at bind time",
  );
  if (run.simd) assert.match(run.source.split("return function run")[0], /W\.s\d+\(\);/);
  for (const src of [run.source, js.source]) assert.doesNotMatch(src, /\beval\b|require|process|import/);
});

test("non-finite output is counted and explained by the term that produced it", () => {
  const form = parseForm(`
name: broken
terms:
  - mechanism: archibald_temp_sigmoid
  - name: wetness
    expr: log(pr - p0)
    params: { p0: { lo: 0, hi: 10, default: 5 } }
`);
  const inputs = {
    nTime: 4,
    nCell: 3,
    fields: {
      tas: new Float32Array(12).fill(20),
      pr: Float32Array.from([9, 8, 7, 6, 6, 6, 7, 2, 9, 9, 9, 9]),
    },
  };
  const run = compileKernel(form).bind(inputs);
  const out = new Float32Array(12);
  assert.equal(run(form.defaults, out), 1);
  const r = run.explainNonFinite(form.defaults, out)!;
  assert.equal(r.term, "wetness");
  assert.equal(r.t, 2);
  assert.equal(r.c, 1);
  assert.equal(r.inputs.pr, 2);
  assert.match(r.message, /term 'wetness'/);
  assert.throws(
    () => run.runChecked(form.defaults, out),
    (e: unknown) => e instanceof KilnError && /wetness/.test(e.message),
  );

  // every term finite, but the product overflows float32
  const big = parseForm(`
name: overflow
scale: { lo: 1, hi: 1e30, default: 1e30, scale: log }
terms:
  - { name: huge, expr: "exp(tas)", params: {} }
`);
  const inp2 = { nTime: 1, nCell: 2, fields: { tas: Float32Array.of(1, 40) } };
  const run2 = compileKernel(big).bind(inp2);
  const o2 = new Float32Array(2);
  assert.equal(run2(big.defaults, o2), 1);
  const r2 = run2.explainNonFinite(big.defaults, o2)!;
  assert.equal(r2.term, null);
  assert.match(r2.message, /product combiner/);
});

test("missing or mis-sized inputs are clear errors", () => {
  const form = parseForm(
    "name: x\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: lightning_ignitions\n",
  );
  assert.throws(
    () => compileKernel(form).bind({ nTime: 2, nCell: 2, fields: { gppp: new Float32Array(4) } }),
    /driver 'gpp'.*did you mean 'gppp'/,
  );
  assert.throws(
    () =>
      compileKernel(form).bind({
        nTime: 2,
        nCell: 2,
        fields: { gpp: new Float32Array(3), lightning: new Float32Array(4) },
      }),
    /'gpp' has 3 values; expected 4/,
  );
  assert.throws(
    () =>
      compileKernel(form).bind({
        nTime: 2,
        nCell: 2,
        fields: { gpp: new Float32Array(4), lightning: new Float32Array(4) },
      }),
    /reads 'lat'/,
  );
  const run = compileKernel(form).bind({
    nTime: 2,
    nCell: 2,
    fields: { gpp: new Float32Array(4), lightning: new Float32Array(4) },
    lat: [0, 1],
  });
  assert.throws(() => run([1, 2], new Float32Array(4)), /expected 5 parameter values/);
});

test("generated source holds no text from the form: names are the compiler's own", () => {
  const form = parseForm(`
name: hostile-names
terms:
  - name: require
    expr: sigmoid(process * (tas - constructor)) + globalThis * 0
    params:
      process: { lo: 0, hi: 1 }
      constructor: { lo: -5, hi: 5 }
      globalThis: { lo: 0, hi: 1 }
`);
  const inputs = randomInputs(form.drivers, 4, 3, 1);
  const run = compileKernel(form).bind(inputs);
  for (const word of ["process", "constructor", "globalThis", "require", "hostile", "tas"]) {
    assert.ok(!run.source.includes(word), `'${word}' appears in the generated source`);
  }
  const out = new Float32Array(12);
  assert.equal(run(form.defaults, out), 0);
  assert.ok(maxRelDiff(out, interpretForm(form, inputs, form.defaults)) < 1e-6);
});
