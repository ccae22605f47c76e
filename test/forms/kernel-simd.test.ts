import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFormObject, parseForm } from "../../src/forms/check.ts";
import { interpretForm } from "../../src/forms/evaluate.ts";
import { fexp, flog } from "../../src/forms/fastmath.ts";
import type { Form } from "../../src/forms/form.ts";
import type { KernelInputs } from "../../src/forms/inputs.ts";
import { compileKernel } from "../../src/forms/kernel.ts";
import { Code, ConstPool, encodeModule, F64, I32, O, S, V128 } from "../../src/forms/wasm/encode.ts";
import { WA } from "../../src/forms/wasm/api.ts";
import { simdSupported } from "../../src/forms/wasm/simd-bind.ts";
import { SimdMath } from "../../src/forms/wasm/simd-math.ts";
import { Rng } from "../../src/util/rng.ts";
import { randomFormSpec, randomInputs } from "./helpers.ts";

const skip = simdSupported() ? false : "this runtime has no WebAssembly SIMD";

/** A module applying SimdMath's exp or log to n f64 values in place (from byte address `at`). */
function unaryModule(kind: "exp" | "log"): (values: Float64Array) => Float64Array {
  const pool = new ConstPool();
  const c = new Code(2, pool);
  const i = c.local(I32);
  const x = c.local(V128);
  const m = new SimdMath(c, 0);
  c.op(O.block, 0x40, O.loop, 0x40);
  c.get(i).get(1).op(O.i32GeU).op(O.brIf, 1);
  c.get(0).get(i).i32(3).op(O.i32Shl).op(O.i32Add).mem(S.load, null, 3).set(x);
  c.get(0).get(i).i32(3).op(O.i32Shl).op(O.i32Add);
  if (kind === "exp") m.exp(x);
  else m.log(x);
  c.mem(S.store, null, 3);
  c.get(i).i32(2).op(O.i32Add).set(i);
  c.op(O.br, 0, O.end, O.end);
  const bytes = encodeModule({
    imports: [{ name: "fexp", type: { params: [F64], results: [F64] } }],
    funcs: [{ name: "main", type: { params: [I32, I32], results: [] }, code: c }],
    pool,
    minPages: 1,
  });
  assert.ok(WA!.validate(bytes), "the encoder writes a valid module");
  return (values) => {
    const at = 65536;
    const mem = new WA!.Memory({ initial: 2 + Math.ceil((values.length * 8 + 16) / 65536) });
    const inst = new WA!.Instance(new WA!.Module(bytes), { env: { mem, fexp } });
    const view = new Float64Array(mem.buffer, at, values.length + (values.length & 1));
    view.set(values);
    (inst.exports.main as (at: number, n: number) => void)(at, values.length);
    return view.slice(0, values.length);
  };
}

test("SIMD exp and log give the same bits as fexp and flog, special values included", { skip }, () => {
  const rng = new Rng(11);
  const specials = [
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    1,
    -1,
    0.5,
    2,
    Math.SQRT2,
    Math.SQRT1_2,
    1 + 2 ** -52,
    1 - 2 ** -53,
    -708,
    709,
    -708.0001,
    709.0001,
    -745.2,
    -745.1,
    -746,
    709.78,
    709.79,
    710,
    1416,
    -1500,
    1e300,
    -1e300,
    5e-324,
    1e-320,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1e-300,
    1e-10,
    -1e-10,
  ];
  const expIn = Float64Array.from([
    ...specials,
    ...Array.from({ length: 20000 }, () => rng.uniform(-760, 720)),
    ...Array.from({ length: 20000 }, () => rng.uniform(-20, 20)),
  ]);
  const logIn = Float64Array.from([
    ...specials,
    ...Array.from({ length: 20000 }, () => Math.exp(rng.uniform(-745, 709))),
    ...Array.from({ length: 20000 }, () => 1 + rng.uniform(-0.01, 0.01)),
  ]);
  for (const [kind, input, scalar, ref] of [
    ["exp", expIn, fexp, Math.exp],
    ["log", logIn, flog, Math.log],
  ] as const) {
    const out = unaryModule(kind)(input);
    let worst = 0;
    for (let k = 0; k < input.length; k++) {
      const x = input[k];
      assert.ok(Object.is(out[k], scalar(x)), `${kind}(${x}): SIMD ${out[k]}, scalar ${scalar(x)}`);
      const r = ref(x);
      if (Number.isFinite(r) && Math.abs(r) > 2.3e-308)
        worst = Math.max(worst, Math.abs(out[k] - r) / Math.abs(r));
      else if (!(Math.abs(r) > 0 && Math.abs(r) < 2.3e-308))
        assert.ok(Object.is(out[k], r), `${kind}(${x}) = ${r}`);
    }
    assert.ok(worst < 1e-15, `${kind} error ${worst}`);
  }
});

function params(form: Form, rng: Rng): Float64Array {
  return Float64Array.from(form.params, (q) =>
    q.log ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi))) : rng.uniform(q.lo, q.hi),
  );
}

/** Run `form` with the SIMD and the JavaScript loop; assert the same bits and the same non-finite count. */
function sameBits(form: Form, inputs: KernelInputs, p: ArrayLike<number>, what: string): Float32Array {
  const simd = compileKernel(form).bind(inputs);
  const js = compileKernel(form, { simd: false }).bind(inputs);
  assert.equal(simd.simd, true, `${what}: the SIMD loop is used`);
  assert.equal(js.simd, false);
  const n = inputs.nTime * inputs.nCell;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const badA = simd(p, a);
  const badB = js(p, b);
  for (let i = 0; i < n; i++) {
    if (!Object.is(a[i], b[i])) {
      assert.fail(
        `${what} at ${i}: SIMD ${a[i]}, JavaScript ${b[i]}\n${JSON.stringify(form.spec)}\n${js.source}`,
      );
    }
  }
  assert.equal(badA, badB, `${what}: non-finite count`);
  return a;
}

test(
  "the SIMD and JavaScript loops give the same bits on 300 random forms (even and odd cell counts)",
  { skip },
  () => {
    const rng = new Rng(404);
    for (let k = 0; k < 300; k++) {
      const form = checkFormObject(randomFormSpec(rng, k, k % 3 === 0));
      const nCell = 1 + (k % 9);
      const inputs = randomInputs(form.drivers, 27, nCell, 7000 + k);
      sameBits(form, inputs, params(form, rng), `${form.name} (${nCell} cells)`);
    }
  },
);

test("float64 inputs, static drivers, lat and month go through the SIMD loop unchanged", { skip }, () => {
  const rng = new Rng(5);
  const form = parseForm(`
name: layouts
combiner: softmin
terms:
  - { name: a, expr: "sigmoid(k * (tas - t0)) * (1 + treecover) + lat / 1000", params: { k: { lo: 0.1, hi: 2 }, t0: { lo: -5, hi: 30 } } }
  - { name: b, expr: "hump(gpp, g0, al) + cos(month * pi / 6) / 10", params: { g0: { lo: 0.5, hi: 8 }, al: { lo: 0, hi: 6 } } }
  - { name: c, expr: "log(1 + popdens) * exp(-r * popdens ^ q) + runmean(pr, 3) / 50", params: { r: { lo: 0.001, hi: 0.5 }, q: { lo: 0.2, hi: 1 } } }
`);
  for (const nCell of [1, 2, 7, 64]) {
    const inputs = randomInputs(form.drivers, 30, nCell, nCell);
    const f64: KernelInputs = {
      ...inputs,
      fields: Object.fromEntries(Object.entries(inputs.fields).map(([k, v]) => [k, Float64Array.from(v)])),
    };
    for (const inp of [inputs, f64]) {
      const p = params(form, rng);
      const out = sameBits(form, inp, p, `layouts, ${nCell} cells`);
      const ref = interpretForm(form, inp, p);
      for (let i = 0; i < out.length; i++) {
        assert.ok(Math.abs(out[i] - ref[i]) <= 1e-6 * Math.abs(ref[i]), `at ${i}: ${out[i]} vs ${ref[i]}`);
      }
    }
  }
});

test(
  "special values take the same paths in both loops: zeros, negatives, NaN, infinities, subnormals",
  { skip },
  () => {
    const form = parseForm(`
name: edges
terms:
  - { name: gate, expr: "hump(gpp, g0, a)", params: { g0: { lo: -3, hi: 8, default: 2 }, a: { lo: -1, hi: 5, default: 2 } } }
  - { name: power, expr: "1 + (tas / 10) ^ q + popdens ^ q2", params: { q: { lo: -2, hi: 2.5, default: 1.5 }, q2: { lo: -1, hi: 2, default: 0.5 } } }
  - { name: base, expr: "(-2) ^ month + 0 ^ (tas / 20) + 2 ^ (pr * 10)" }
  - { name: rest, expr: "1 + abs(log(pr) + sqrt(tas) + cos(tas)) / 1e3 + exp(pr * 100) * 1e-300" }
`);
    const values = [
      0,
      -0,
      1,
      -1,
      2,
      -3.5,
      NaN,
      Infinity,
      -Infinity,
      1e-40,
      -1e-40,
      40,
      7.5,
      1e30,
      -1e30,
      3,
      0.5,
    ];
    const nTime = 6;
    const nCell = 9;
    const n = nTime * nCell;
    const pick = (k: number) =>
      Float32Array.from({ length: n }, (_, i) => values[(i * 7 + k * 3) % values.length]);
    const inputs: KernelInputs = {
      nTime,
      nCell,
      fields: { gpp: pick(0), tas: pick(1), popdens: pick(2), pr: pick(3) },
      month: Int32Array.from({ length: nTime }, (_, t) => t + 1),
    };
    const rng = new Rng(9);
    for (let r = 0; r < 40; r++) {
      const p = r === 0 ? form.defaults : params(form, rng);
      const out = sameBits(form, inputs, p, `edges run ${r}`);
      const ref = interpretForm(form, inputs, p);
      for (let i = 0; i < n; i++) {
        if (Number.isNaN(ref[i])) assert.ok(Number.isNaN(out[i]), `at ${i}: ${out[i]} vs NaN`);
        else if (Math.abs(Math.fround(ref[i])) === Infinity) assert.equal(Math.abs(out[i]), Infinity);
        else {
          const d = Math.abs(out[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-30);
          assert.ok(d <= 1e-6 || Math.abs(ref[i]) < 1e-35, `at ${i}: ${out[i]} vs ${ref[i]}`);
        }
      }
    }
  },
);

test("temporal operators computed by the module match the JavaScript ones bit for bit", { skip }, () => {
  const form = parseForm(`
name: temporal
terms:
  - name: w
    expr: "1 + runmean(pr * k, 12) / 10 + runmax(tas, 1) / 100 + runmin(gpp * k, 40) / 10"
    params: { k: { lo: 0.5, hi: 2 } }
  - name: v
    expr: "1 + accum(dryness, tau) / 100 + ewmean(lag(gpp, 2) * k2, 3) / 10 + ewmean(tas, tau) / 1000"
    params: { tau: { lo: 0.5, hi: 30 }, k2: { lo: 0.5, hi: 2 } }
`);
  const rng = new Rng(3);
  for (const nCell of [1, 5, 8]) {
    const inputs = randomInputs(form.drivers, 37, nCell, 100 + nCell);
    for (let r = 0; r < 5; r++) sameBits(form, inputs, params(form, rng), `temporal, ${nCell} cells`);
  }
});

test("a bind over the memory budget falls back to the JavaScript loop with the same values", { skip }, () => {
  const form = parseForm(
    "name: t\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: archibald_temp_sigmoid\n",
  );
  const inputs = randomInputs(form.drivers, 24, 13, 1);
  const small = compileKernel(form, { maxSimdBytes: 1000 }).bind(inputs);
  const big = compileKernel(form).bind(inputs);
  assert.equal(small.simd, false);
  assert.equal(big.simd, true);
  const a = new Float32Array(24 * 13);
  const b = new Float32Array(24 * 13);
  small(form.defaults, a);
  big(form.defaults, b);
  assert.deepEqual(a, b);
});

test("bound kernels sharing a compiled module keep their own memory", { skip }, () => {
  const form = parseForm(
    "name: t\nterms:\n  - mechanism: accumulated_dryness\n  - mechanism: vdw_gpp_gate\n",
  );
  const kernel = compileKernel(form);
  const runs = [3, 4, 3].map((seed) => ({ seed, run: kernel.bind(randomInputs(form.drivers, 12, 6, seed)) }));
  const outs = runs.map(({ run }) => {
    const out = new Float32Array(72);
    run(form.defaults, out);
    return out;
  });
  assert.deepEqual(outs[0], outs[2], "same inputs, same values");
  assert.notDeepEqual(outs[0], outs[1], "other inputs, other values");
  // interleaved runs with other parameters do not disturb each other
  const p = Float64Array.from(form.defaults);
  p[0] *= 2;
  const again = new Float32Array(72);
  runs[1].run(p, again);
  runs[0].run(form.defaults, again);
  assert.deepEqual(again, outs[0]);
});

test(
  "terms of an input that repeats from month to month are memoised, with the same values",
  { skip },
  () => {
    const form = parseForm(`
name: memo
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: archibald_temp_sigmoid
  - mechanism: popdens_suppression
  - { name: mixed, expr: "sigmoid(k * (tas - popdens / 100))", params: { k: { lo: 0.1, hi: 1 } } }
`);
    const rng = new Rng(21);
    for (const [nCell, f64] of [
      [9, false],
      [10, true],
    ] as const) {
      const nTime = 36;
      const base = randomInputs(form.drivers, nTime, nCell, nCell);
      const yearly = (a: Float32Array) => {
        const b = a.slice();
        for (let t = 0; t < nTime; t++) if (t % 12) b.copyWithin(t * nCell, (t - 1) * nCell, t * nCell);
        return b;
      };
      // population yearly everywhere; GPP repeating in some cells only, with zeros (the hump's other branch)
      const gpp = (base.fields.gpp as Float32Array).slice();
      for (let t = 1; t < nTime; t++) {
        for (let c = 0; c < nCell; c++) if (c % 3 !== 0) gpp[t * nCell + c] = gpp[(t - 1) * nCell + c];
      }
      for (let i = 0; i < gpp.length; i += 5) gpp[i] = 0;
      const fields = { ...base.fields, popdens: yearly(base.fields.popdens as Float32Array), gpp };
      const inputs: KernelInputs = {
        ...base,
        fields: f64
          ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Float64Array.from(v)]))
          : fields,
      };
      const run = compileKernel(form).bind(inputs);
      assert.deepEqual(
        run.memo,
        ["popdens_suppression", "vdw_gpp_gate"].filter((id) => run.memo.includes(id)),
      );
      assert.ok(run.memo.includes("popdens_suppression"), `memoised: ${run.memo.join(", ")}`);
      assert.ok(!run.memo.includes("archibald_temp_sigmoid") && !run.memo.includes("mixed"));
      const plain = compileKernel(form, { memo: false }).bind(inputs);
      assert.deepEqual(plain.memo, []);
      for (let r = 0; r < 6; r++) {
        const p = params(form, rng);
        const a = sameBits(form, inputs, p, `memo, ${nCell} cells`);
        const b = new Float32Array(a.length);
        plain(p, b);
        const c = new Float32Array(a.length);
        run(p, c);
        for (let i = 0; i < a.length; i++)
          assert.ok(Object.is(c[i], b[i]) && Object.is(a[i], b[i]), `at ${i}`);
      }
    }
    // an input that does not repeat is not memoised
    const fresh = compileKernel(form).bind(randomInputs(form.drivers, 24, 8, 2));
    assert.deepEqual(fresh.memo, []);
  },
);
