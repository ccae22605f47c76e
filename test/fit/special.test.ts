import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../../src/util/rng.ts";
import { erf, erfc, logGaussMass, logNdtr, ndtr, ndtri, truncNormalStd } from "../../src/fit/special.ts";

// Reference values from an independent implementation (SciPy's scipy.special, Cephes).
const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

test("erf and erfc match reference values, erfc with relative accuracy deep in the tail", () => {
  const xs = [0.1, 0.5, 1.0, 2.0, 3.5];
  const erfRef = [
    0.1124629160182849, 0.5204998778130465, 0.8427007929497148, 0.9953222650189527, 0.9999992569016276,
  ];
  xs.forEach((x, k) => close(erf(x), erfRef[k], 1e-15, `erf(${x})`));
  xs.forEach((x, k) => close(erf(-x), -erfRef[k], 1e-15, `erf(-${x})`));
  const cs = [0.5, 2.0, 5.0, 10.0, 25.0];
  const erfcRef = [
    0.4795001221869535, 0.004677734981047266, 1.5374597944280347e-12, 2.0884875837625446e-45,
    8.300172571196523e-274,
  ];
  cs.forEach((x, k) => close(erfc(x), erfcRef[k], 1e-13, `erfc(${x})`));
});

test("Φ, log Φ (both tails) and Φ⁻¹", () => {
  const xs = [-10, -3, -1, 0.5, 2];
  const ref = [
    7.61985302416047e-24, 0.0013498980316300933, 0.15865525393145707, 0.6914624612740131, 0.9772498680518208,
  ];
  xs.forEach((x, k) => close(ndtr(x), ref[k], 1e-13, `ndtr(${x})`));
  const ls = [-40, -25, -5, 0, 3, 10];
  const lref = [
    -804.6084420137539, -316.63940800802027, -15.064998393988727, -0.6931471805599453, -0.0013508099647481925,
    -7.61985302416047e-24,
  ];
  ls.forEach((x, k) => close(logNdtr(x), lref[k], 1e-13, `logNdtr(${x})`));
  const ps = [1e-300, 1e-20, 0.01, 0.3, 0.975, 1 - 1e-12];
  const qref = [
    -37.0470962993612, -9.262340089798409, -2.3263478740408408, -0.5244005127080409, 1.959963984540054,
    7.0344869100478356,
  ];
  ps.forEach((p, k) => close(ndtri(p), qref[k], p > 0.99 ? 1e-6 : 1e-13, `ndtri(${p})`));
  for (const p of [1e-8, 0.2, 0.5, 0.8]) close(ndtr(ndtri(p)), p, 1e-14, `round trip ${p}`);
});

test("log mass between two points keeps precision when both lie in one tail", () => {
  // Φ(−40) − Φ(−41) ≈ Φ(−40) (the second is ~e^-40.5 smaller): the log mass is log Φ(−40) + log1p(−tiny)
  close(
    logGaussMass(-41, -40),
    logNdtr(-40) + Math.log1p(-Math.exp(logNdtr(-41) - logNdtr(-40))),
    1e-14,
    "left",
  );
  close(logGaussMass(30, 31), logGaussMass(-31, -30), 1e-14, "mirror");
  close(Math.exp(logGaussMass(-1, 1)), 0.6826894921370859, 1e-14, "±1σ");
});

test("truncated normal draws stay in their interval and follow its CDF", () => {
  const rng = new Rng(7);
  for (const [a, b] of [
    [-1, 2],
    [0.5, 3],
    [-60, -58],
    [4, 9],
  ]) {
    const n = 4000;
    let below = 0;
    const mid = (a + b) / 2;
    for (let k = 0; k < n; k++) {
      const z = truncNormalStd(rng.next(), a, b);
      assert.ok(z >= a && z <= b, `${z} outside [${a}, ${b}]`);
      if (z < mid) below++;
    }
    // P(Z < mid | a ≤ Z ≤ b) from the CDF, in log space for the far tail
    const expect = Math.exp(logGaussMass(a, mid) - logGaussMass(a, b));
    assert.ok(Math.abs(below / n - expect) < 0.03, `[${a}, ${b}]: ${below / n} vs ${expect}`);
  }
});
