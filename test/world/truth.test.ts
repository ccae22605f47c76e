import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEFAULT_TRUTH, readTruthFile, truthMean } from "../../src/world/truth.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

test("examples/world/truth.yaml is the built-in default truth", () => {
  assert.deepEqual(readTruthFile(path.join(repo, "examples/world/truth.yaml")), DEFAULT_TRUTH);
});

test("the truth's formula at hand-computed points", () => {
  const p = DEFAULT_TRUTH;
  const { G0 } = p.mechanisms.vdw_gpp_gate;
  const { D0 } = p.mechanisms.accumulated_dryness;
  const { T0 } = p.mechanisms.archibald_temp_sigmoid;
  const { floor, r, q } = p.mechanisms.popdens_suppression;
  const f32 = (...x: number[]) => Float32Array.from(x);
  // at G = G0, D = D0, T = T0 and nobody around: scale × 1 × ½ × ½ × 1
  const at = truthMean(
    p,
    f32(G0, G0, 2 * G0, 0),
    f32(D0, D0, D0, D0),
    f32(T0, T0, T0, T0),
    f32(0, 100, 0, 0),
  );
  assert.ok(Math.abs(at[0] - p.scale / 4) < 1e-7);
  const people = floor + (1 - floor) * Math.exp(-r * Math.pow(100, q));
  assert.ok(Math.abs(at[1] - (p.scale / 4) * people) < 1e-7);
  const a = p.mechanisms.vdw_gpp_gate.a;
  assert.ok(Math.abs(at[2] - (p.scale / 4) * Math.pow(2, a) * Math.exp(-a)) < 1e-7);
  assert.equal(at[3], 0); // no productivity, no fire
});

test("a bad truth file is a clear error naming the file and the key", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const file = path.join(dir, "t.json");
  const broken = JSON.parse(JSON.stringify(DEFAULT_TRUTH));
  broken.mechanisms.vdw_gpp_gate.G0 = -1;
  fs.writeFileSync(file, JSON.stringify(broken));
  assert.throws(
    () => readTruthFile(file),
    (e: Error) => e.message.includes(file) && /mechanisms\.vdw_gpp_gate\.G0/.test(e.message),
  );
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_TRUTH, wind: 3 }));
  assert.throws(() => readTruthFile(file), /wind/);
  assert.throws(() => readTruthFile(path.join(dir, "missing.yaml")), /cannot read the truth file/);
  // truth.json written beside a world is accepted as input (its parameters)
  fs.writeFileSync(file, JSON.stringify({ kind: "kiln-world-truth", parameters: DEFAULT_TRUTH }));
  assert.deepEqual(readTruthFile(file), DEFAULT_TRUTH);
});
