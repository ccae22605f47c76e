import assert from "node:assert/strict";
import { test } from "node:test";
import { parseForm } from "../../src/forms/check.ts";
import { expandedSpec } from "../../src/forms/export/index.ts";
import { checkForm } from "../../src/forms/check.ts";

const hash = (yaml: string) => parseForm(yaml).hash;

test("one model written two ways has one hash", () => {
  const pairs: [string, string][] = [
    [
      "name: a\nterms:\n  - { name: t, expr: 'sigmoid(k * (tas - T0))', params: { k: { lo: 0, hi: 1.5 }, T0: { lo: -10, hi: 25 } } }",
      "name: b\nterms:\n  - { name: warm, expr: 'sigmoid((tas - t0) * slope)', params: { slope: { lo: 0, hi: 1.5 }, t0: { lo: -10, hi: 25, default: 3 } } }",
    ],
    [
      "name: a\nterms:\n  - { name: t, expr: 'a * pr + b', params: { a: { lo: 0, hi: 1 }, b: { lo: 1, hi: 2 } } }",
      "name: a\nterms:\n  - { name: t, expr: 'b + pr * a', params: { a: { lo: 0, hi: 1 }, b: { lo: 1, hi: 2 } } }",
    ],
    [
      "name: a\nterms:\n  - { name: t, expr: 'gpp / 2 + 1' }",
      "name: a\nterms:\n  - { name: t, expr: '0.5 * gpp + 1' }",
    ],
    [
      "name: a\nterms:\n  - { name: t, expr: 'min(tas, min(pr, gpp))' }",
      "name: a\nterms:\n  - { name: t, expr: 'min(gpp, pr, tas)' }",
    ],
    [
      "name: a\nterms:\n  - { name: t, expr: 'tas - pr' }",
      "name: a\nterms:\n  - { name: t, expr: '-pr + tas' }",
    ],
    [
      "name: a\nterms:\n  - { name: t, expr: 'clamp(gpp)' }",
      "name: a\nterms:\n  - { name: t, expr: 'clamp(gpp, 0, 1)' }",
    ],
    // term order, term names and the combiner default
    [
      "name: a\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n",
      "name: b\ncombiner: product\nterms:\n  - { mechanism: accumulated_dryness, name: dry }\n  - mechanism: vdw_gpp_gate\n",
    ],
    // a library term and the same expression written as a custom term
    [
      "name: a\nterms:\n  - mechanism: archibald_temp_sigmoid\n",
      "name: a\nterms:\n  - { name: x, expr: 'sigmoid(kk*(tas - m))', params: { kk: { lo: 0, hi: 1.5 }, m: { lo: -10, hi: 25 } } }\n",
    ],
  ];
  for (const [a, b] of pairs)
    assert.equal(hash(a), hash(b), `${a}\n---\n${b}\n${parseForm(a).canonical}\n${parseForm(b).canonical}`);
});

test("different models have different hashes", () => {
  const base =
    "name: a\nterms:\n  - { name: t, expr: 'sigmoid(k * (tas - T0))', params: { k: { lo: 0, hi: 1.5 }, T0: { lo: -10, hi: 25 } } }";
  const variants = [
    base.replace("hi: 1.5", "hi: 2"), // bounds are part of the search problem
    base.replace("tas", "tasmax"),
    base.replace("sigmoid", "exp"),
    base.replace("name: a", "name: a\ncombiner: logit-sum"),
    base.replace("{ lo: 0, hi: 1.5 }", "{ lo: 0.01, hi: 1.5, scale: log }"),
    base.replace("name: a", "name: a\nscale: { lo: 1e-5, hi: 1 }"),
  ];
  const h0 = hash(base);
  const seen = new Set([h0]);
  for (const v of variants) {
    const h = hash(v);
    assert.notEqual(h, h0, v);
    seen.add(h);
  }
  assert.equal(seen.size, variants.length + 1);
  // defaults are not part of the model's identity
  assert.equal(hash(base.replace("hi: 25 }", "hi: 25, default: 0 }")), h0);
});

test("the hash is sha256 of the canonical text, and parameters are numbered by first appearance", () => {
  const f = parseForm("name: a\nterms:\n  - mechanism: vdw_gpp_gate\n");
  assert.match(f.hash, /^[0-9a-f]{64}$/);
  assert.equal(
    f.canonical,
    "kiln-form v1\ncombiner product\nscale log[0.000001,100]\nterm (hump gpp θ1 θ2) | θ1 log[0.5,8] | θ2 lin[0,8]\n",
  );
});

test("an exported (expanded) form keeps its hash", () => {
  for (const yaml of [
    "name: t\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: globfirm_season\n  - mechanism: lightning_ignitions\n",
    "name: s\ncombiner: softmin\nterms:\n  - mechanism: emc_dead_fuel\n  - { name: c, expr: 'runmean(pr, 3) * q', params: { q: { lo: 0, hi: 1 } } }\n",
  ]) {
    const f = parseForm(yaml);
    const g = checkForm(expandedSpec(f));
    assert.equal(g.hash, f.hash);
    assert.deepEqual(g.paramNames, f.paramNames);
  }
});
