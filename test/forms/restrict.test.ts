import assert from "node:assert/strict";
import { test } from "node:test";
import { parseForm } from "../../src/forms/check.ts";
import { interpretForm } from "../../src/forms/evaluate.ts";
import { compileKernel } from "../../src/forms/kernel.ts";
import { Rng } from "../../src/util/rng.ts";
import { maxRelDiff, randomInputs } from "./helpers.ts";

const TRUTH = `
name: truth
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: accumulated_dryness
  - mechanism: archibald_temp_sigmoid
  - mechanism: popdens_suppression
`;

function randomIn(
  form: { params: readonly { lo: number; hi: number; log: boolean }[] },
  rng: Rng,
): Float64Array {
  return Float64Array.from(form.params, (q) =>
    q.log ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi))) : rng.uniform(q.lo, q.hi),
  );
}

test("every restriction nests: the full form at expand(θ_S) predicts what the restricted form does", () => {
  for (const combiner of ["product", "logit-sum"]) {
    const full = parseForm(TRUTH.replace("name: truth", `name: truth\ncombiner: ${combiner}`));
    const inputs = randomInputs(full.drivers, 24, 10, 11);
    const rng = new Rng(3);
    for (let mask = 0; mask < 16; mask++) {
      const keep = [0, 1, 2, 3].filter((k) => mask & (1 << k));
      const r = full.restrict(keep);
      assert.deepEqual(r.terms, keep);
      assert.deepEqual(
        r.form.terms.map((t) => t.id),
        keep.map((k) => full.terms[k].id),
      );
      // parameter names are the full form's
      for (let j = 0; j < r.form.nParams; j++)
        assert.equal(r.form.paramNames[j], full.paramNames[r.fullIndex[j]]);
      const theta = randomIn(r.form, rng);
      const expanded = r.expand(theta);
      // projection copies back every kept parameter; the scale stays divided by the dropped identity constants
      const back = r.project(expanded);
      const c = full.terms.filter((_, k) => !keep.includes(k)).reduce((m, t) => m * t.identityValue!, 1);
      assert.deepEqual([...back.slice(1)], [...theta.slice(1)]);
      assert.ok(Math.abs(back[0] * c - theta[0]) < 1e-15 * theta[0]);
      const a = interpretForm(r.form, inputs, theta);
      const b = interpretForm(full, inputs, expanded);
      assert.ok(maxRelDiff(a, b) < 1e-12, `${combiner} ${keep}: ${maxRelDiff(a, b)}`);
      // and through the compiled kernels
      const ka = new Float32Array(a.length);
      const kb = new Float32Array(a.length);
      compileKernel(r.form).bind(inputs)(theta, ka);
      compileKernel(full).bind(inputs)(expanded, kb);
      assert.ok(maxRelDiff(ka, kb) < 1e-6);
    }
  }
});

test("dropped terms sit at their identity and the scale absorbs the constant", () => {
  const full = parseForm(TRUTH);
  const r = full.restrict([0, 3]);
  const theta = Float64Array.from(r.form.defaults);
  theta[0] = 0.2;
  const e = r.expand(theta);
  assert.equal(e[full.indexOf("accumulated_dryness.k")], 0);
  assert.equal(e[full.indexOf("archibald_temp_sigmoid.k")], 0);
  // two sigmoids at slope 0 are 0.5 each: the scale is multiplied by 4
  assert.ok(Math.abs(e[0] - 0.8) < 1e-15);
  const empty = full.restrict([]);
  assert.deepEqual(empty.form.paramNames, ["scale"]);
  const inputs = randomInputs(full.drivers, 3, 2, 1);
  const out = new Float32Array(6);
  compileKernel(empty.form).bind(inputs)([0.03], out);
  assert.ok(out.every((v) => Math.abs(v - 0.03) < 1e-9));
  assert.throws(() => full.restrict([4]), /term index 4/);
  assert.throws(() => r.expand([1, 2]), /expected/);
});

test("restricted forms have their own hash, equal to the same form written directly", () => {
  const full = parseForm(TRUTH);
  const direct = parseForm(
    "name: y\nterms:\n  - mechanism: popdens_suppression\n  - mechanism: vdw_gpp_gate\n",
  );
  assert.equal(full.restrict([0, 3]).form.hash, direct.hash);
  assert.notEqual(full.restrict([0, 3]).form.hash, full.hash);
  assert.equal(full.restrict([0, 1, 2, 3]).form.hash, full.hash);
});
