import assert from "node:assert/strict";
import { test } from "node:test";
import { compileKernel, parseForm } from "../../src/forms/index.ts";

const text = (drivers: string) => `
name: own-inputs
${drivers}
terms:
  - name: fuel
    expr: sigmoid(k * (cveg - c0))
    params: { k: { lo: 0, hi: 2, default: 0.1 }, c0: { lo: 0, hi: 100, default: 30 } }
  - mechanism: wet_suppression
`;

test("a custom term reads a dataset's own variable only when the form declares it", () => {
  assert.throws(
    () => parseForm(text("")),
    /terms\[0\]\.expr: col \d+: unknown driver 'cveg', did you mean 'biomass'\? \(if 'cveg' is a variable of your dataset, list it under the form's drivers: \[cveg\]\)/,
  );
  const form = parseForm(text("drivers: [cveg]"));
  assert.deepEqual([...form.drivers].sort(), ["cveg", "pr"]);
  // the restricted form keeps the declaration, so it checks again on its own
  assert.deepEqual(form.restrict([0]).form.spec.drivers, ["cveg"]);
  const out = new Float32Array(2);
  const run = compileKernel(form).bind({
    nTime: 1,
    nCell: 2,
    fields: { cveg: Float32Array.of(30, 80), pr: Float32Array.of(0, 0) },
  });
  assert.equal(run(form.defaults, out), 0);
  const scale = form.defaults[0];
  assert.ok(Math.abs(out[0] - scale * 0.5) < 1e-7, `${out[0]}`);
  assert.ok(out[1] > out[0]);
  // missing in the data: a clear error naming the input
  assert.throws(
    () => compileKernel(form).bind({ nTime: 1, nCell: 1, fields: { pr: Float32Array.of(1) } }),
    /reads the driver 'cveg' but the data have no such field/,
  );
});

test("the target and the language's own names cannot be declared inputs", () => {
  assert.throws(
    () => parseForm(text("drivers: [cveg, burned_area]")),
    /drivers\[1\]: 'burned_area' is the target/,
  );
  assert.throws(
    () => parseForm(text("drivers: [cveg, exp]")),
    /drivers\[1\]: 'exp' is a name of the language/,
  );
});
