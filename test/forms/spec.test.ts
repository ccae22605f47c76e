import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFormObject, parseForm } from "../../src/forms/check.ts";
import { FormSpecError } from "../../src/forms/spec.ts";

function issues(text: string): string[] {
  try {
    parseForm(text, "t.yaml");
  } catch (e) {
    assert.ok(e instanceof FormSpecError, String(e));
    assert.match(e.message, /^t\.yaml: the form is not valid/);
    return e.issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`);
  }
  assert.fail("the form was accepted");
}

test("a library form: parameter layout, names, bounds and defaults", () => {
  const f = parseForm(`
name: truth-like
terms:
  - mechanism: vdw_gpp_gate
    params: { G0: { lo: 1, hi: 6 } }
  - mechanism: accumulated_dryness
  - { mechanism: archibald_temp_sigmoid, name: warmth }
`);
  assert.equal(f.combiner, "product");
  assert.deepEqual(f.paramNames, [
    "scale",
    "vdw_gpp_gate.G0",
    "vdw_gpp_gate.a",
    "accumulated_dryness.k",
    "accumulated_dryness.D0",
    "warmth.k",
    "warmth.T0",
  ]);
  assert.deepEqual([...f.lo.slice(0, 3)], [1e-6, 1, 0]);
  assert.deepEqual([...f.hi.slice(0, 3)], [100, 6, 8]);
  assert.deepEqual([...f.log.slice(0, 3)], [1, 1, 0]);
  assert.equal(f.defaults[1], 3.5);
  assert.deepEqual(f.drivers, ["gpp", "dryness", "tas"]);
  assert.deepEqual(f.clusters, ["FUEL", "MOIST-T", "MOIST-slow"]);
  assert.equal(f.terms[2].mechanism, "archibald_temp_sigmoid");
  assert.equal(f.terms[2].offset, 5);
  assert.deepEqual([...f.terms[0].identity!], [3.5, 0]);
  assert.equal(f.terms[0].identityValue, 1);
  assert.equal(f.terms[1].identityValue, 0.5);
});

test("JSON is accepted as well as YAML, and softmin adds tau", () => {
  const f = parseForm(
    JSON.stringify({
      name: "j",
      combiner: "softmin",
      tau: { lo: 0.05, hi: 0.5 },
      terms: [{ mechanism: "wet_suppression" }],
    }),
  );
  assert.deepEqual(f.paramNames, ["scale", "tau", "wet_suppression.c"]);
  assert.ok(Math.abs(f.defaults[1] - 0.1) < 1e-15);
});

test("every problem is reported at once with its path", () => {
  const got = issues(`
name: bad
combiner: sum
terms:
  - mechanism: vdw_gpp_gat
  - name: t1
    expr: sigmoid(k * (gppp - x0))
    params: { k: { lo: 0, hi: 1 }, x0: { lo: 5, hi: 1 }, unused: { lo: 0, hi: 1 } }
  - { name: t2, exprs: "tas" }
`);
  assert.deepEqual(got, ["combiner: combiner must be one of product, logit-sum, min, softmin"]);
  const got2 = issues(`
name: bad
terms:
  - mechanism: vdw_gpp_gat
  - name: t1
    expr: sigmoid(k * (gppp - x0))
    params: { k: { lo: 0, hi: 1 }, x0: { lo: 5, hi: 1 } }
  - { name: t2, exprs: "tas" }
  - { mechanism: wet_suppression, params: { cc: { lo: 0 } } }
  - { name: t4, expr: "exp(-c * pr)", params: { c: { lo: 0, hi: 2 }, d: { lo: 0, hi: 1 } } }
  - { name: t4, expr: "tas" }
`);
  assert.deepEqual(got2, [
    "terms[0].mechanism: unknown mechanism 'vdw_gpp_gat', did you mean 'vdw_gpp_gate'? (`kiln mechanisms` lists the library)",
    "terms[1].params.x0: lo (5) must be below hi (1)",
    "terms[1].expr: col 14: unknown driver 'gppp', did you mean 'gpp'?",
    "terms[2].expr: expected the term's expression as text",
    "terms[2]: unknown key 'exprs', did you mean 'expr'? (allowed keys: name, expr, params, regime, cluster, identity, doc, cite)",
    "terms[3].params.cc: mechanism wet_suppression has no parameter 'cc', did you mean 'c'? (its parameters: c)",
    "terms[4].params.d: parameter 'd' is declared but the expression does not use it (remove it or use it)",
    "terms[5].name: term name 't4' is already used by terms[4] (term names must be unique)",
  ]);
});

test("bounds, scales, names and YAML syntax are checked", () => {
  assert.deepEqual(
    issues("name: x\nterms:\n  - { name: a, expr: 'k*tas', params: { k: { lo: 0, hi: 1, scale: log } } }\n"),
    ["terms[0].params.k: a log-scale parameter needs lo > 0, got 0 (use scale: lin, or a positive lo)"],
  );
  assert.deepEqual(
    issues("name: x\nterms:\n  - { name: a, expr: 'k*tas', params: { k: { lo: 0, hi: 1, default: 3 } } }\n"),
    ["terms[0].params.k.default: default 3 is outside [0, 1]"],
  );
  assert.deepEqual(
    issues("name: x\nterms:\n  - { name: a, expr: 'tas*tas', params: { tas: { lo: 0, hi: 1 } } }\n"),
    ["terms[0].params.tas: 'tas' is a driver's name; give the parameter another name"],
  );
  assert.deepEqual(
    issues("name: x\nterms:\n  - { name: a, expr: 'k*tas', params: { k: { lo: '0', hi: 1 } } }\n"),
    ["terms[0].params.k.lo: expected a number"],
  );
  assert.deepEqual(
    issues(
      "name: x\nterms:\n  - { name: a, expr: 'k*tas', regime: fuel, cluster: fuel, params: { k: { lo: 0, hi: 1 } } }\n",
    ),
    [
      "terms[0].regime: unknown regime 'fuel' (regimes: productivity-limited, fuel-limited, ignition-limited, weather-driven, human)",
    ],
  );
  assert.match(issues("name: x\nterms: [\n  - a\n")[0], /^line \d+, col \d+: not valid YAML\/JSON/);
  assert.deepEqual(issues("name: x\nterms: []\n"), ["terms: a form needs at least one term"]);
  assert.deepEqual(issues("name: x\ntau: { lo: 0.1, hi: 1 }\nterms:\n  - mechanism: wet_suppression\n"), [
    "tau: tau applies only to the softmin combiner (this form's is product)",
  ]);
  assert.deepEqual(issues("nam: x\nterms:\n  - mechanism: wet_suppression\n"), [
    "name: expected the form's name",
    ": unknown key 'nam', did you mean 'name'? (allowed keys: name, description, combiner, scale, tau, drivers, terms)",
  ]);
  // a cluster is matched case-insensitively
  const f = parseForm(
    "name: x\nterms:\n  - { name: a, expr: 'k*tas', cluster: moist-fast, params: { k: { lo: 0, hi: 1 } } }\n",
  );
  assert.equal(f.terms[0].cluster, "MOIST-fast");
});

test("identity points: found for custom terms, checked when declared, warned about when absent", () => {
  const f = parseForm(`
name: ids
terms:
  - { name: sig, expr: "sigmoid(s * (tas - m))", params: { m: { lo: -5, hi: 30 }, s: { lo: 0, hi: 2 } } }
  - { name: mix, expr: "sigmoid(b1 * pr + b2 * tas - c)", params: { b1: { lo: -1, hi: 1 }, b2: { lo: 0, hi: 1 }, c: { lo: 1, hi: 3 } } }
  - { name: pw, expr: "(1 - cropland) ^ e", params: { e: { lo: 0.5, hi: 4 } } }
  - { name: decl, expr: "1 + a * popdens", params: { a: { lo: 0, hi: 1 } }, identity: { a: 0 } }
`);
  assert.deepEqual([...f.terms[0].identity!], [12.5, 0]);
  assert.equal(f.terms[0].identityValue, 0.5);
  assert.deepEqual([...f.terms[1].identity!], [0, 0, 2]); // the two coefficients at 0 together
  assert.equal(f.terms[2].identity, null);
  assert.equal(f.terms[3].identityValue, 1);
  assert.equal(f.warnings.length, 1);
  assert.match(f.warnings[0], /term 'pw' has no identity/);
  assert.deepEqual(
    issues(
      "name: x\nterms:\n  - { name: a, expr: 'sigmoid(k*tas)', params: { k: { lo: 0.1, hi: 1 } }, identity: { k: 0 } }\n",
    ),
    [
      "terms[0].identity.k: identity value 0 is outside the bounds [0.1, 1] (widen the bounds so that the identity is inside)",
    ],
  );
  assert.deepEqual(
    issues(
      "name: x\nterms:\n  - { name: a, expr: 'sigmoid(k*tas)', params: { k: { lo: 0.1, hi: 1 } }, identity: { k: 0.5 } }\n",
    ),
    [
      "terms[0].identity: at k = 0.5 the term is not one constant for all inputs (an identity makes the term constant (e.g. a sigmoid's slope 0, an exponent 0))",
    ],
  );
  // a library identity pushed out of the box by an override is a warning and no identity
  const g = parseForm("name: x\nterms:\n  - { mechanism: vdw_gpp_gate, params: { a: { lo: 0.5 } } }\n");
  assert.equal(g.terms[0].identity, null);
  assert.match(g.warnings[0], /identity \(a = 0\) is outside the overridden bounds/);
});

test("objects from a language model go through the same checks", () => {
  assert.throws(
    () => checkFormObject({ name: "llm", terms: [{ name: "x", expr: "process.exit(1)" }] }, "proposal 3"),
    (e: unknown) =>
      e instanceof FormSpecError &&
      /proposal 3/.test(e.message) &&
      /unexpected character '\.'/.test(e.message),
  );
  assert.throws(
    () => checkFormObject("not an object", "p"),
    /expected a mapping with name, combiner and terms/,
  );
});
