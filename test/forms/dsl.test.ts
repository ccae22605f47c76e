import assert from "node:assert/strict";
import { test } from "node:test";
import type { Expr } from "../../src/forms/dsl/ast.ts";
import { DslError, describePos, lex } from "../../src/forms/dsl/lexer.ts";
import { LIMITS, parseExpr } from "../../src/forms/dsl/parser.ts";
import { evalSeries } from "../../src/forms/interpret.ts";

const ctx = { params: new Set(["k", "T0", "G0", "a", "tau"]) };

/** Parse and evaluate a constant-input expression at one point. */
function value(text: string, vars: Record<string, number> = {}): number {
  const e = parseExpr(text, {
    params: new Set(Object.keys(vars).filter((k) => !["tas", "gpp", "pr"].includes(k))),
  });
  const inputs = new Map(
    ["tas", "gpp", "pr"].map((n) => [n, { name: n, layout: "cellTime" as const, data: [vars[n] ?? 0] }]),
  );
  return evalSeries(e, { nTime: 1, nCell: 1, inputs }, (n) => vars[n])[0];
}

function fails(text: string, re: RegExp, params = ctx.params): DslError {
  try {
    parseExpr(text, { params });
  } catch (e) {
    assert.ok(e instanceof DslError, `expected a DslError for ${text}, got ${e}`);
    const msg = `${describePos(text, e.pos)}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`;
    assert.match(msg, re, `message for '${text}'`);
    return e;
  }
  assert.fail(`'${text}' parsed but should fail with ${re}`);
}

test("precedence and associativity: ^ binds tighter than unary minus and is right-associative", () => {
  assert.equal(value("-2^2"), -4);
  assert.equal(value("2^3^2"), 512);
  assert.equal(value("2^-1"), 0.5);
  assert.equal(value("1 - 2 - 3"), -4);
  assert.equal(value("12 / 3 / 2"), 2);
  assert.equal(value("1 + 2 * 3"), 7);
  assert.equal(value("(1 + 2) * 3"), 9);
  assert.equal(value("2 ** 3"), 8); // Python-style power is accepted
  assert.equal(value("+3 - -2"), 5);
  assert.equal(value(".5e1 + 1.5E-1"), 5.15);
  assert.equal(value("pi"), Math.PI);
});

test("functions compute what the docs say", () => {
  assert.equal(value("clamp(1.7)"), 1);
  assert.equal(value("clamp(-3, -1, 2)"), -1);
  assert.equal(value("min(3, 1, 2)"), 1);
  assert.equal(value("max(3, 1, 2)"), 3);
  assert.equal(value("step(0)"), 0);
  assert.equal(value("step(0.1)"), 1);
  assert.equal(value("sigmoid(0)"), 0.5);
  assert.ok(Math.abs(value("hump(gpp, G0, a)", { gpp: 2, G0: 2, a: 3 }) - 1) < 1e-15); // peak 1 at x = x0
  assert.equal(value("hump(gpp, G0, a)", { gpp: 0, G0: 2, a: 3 }), 0);
  assert.equal(value("hump(gpp, G0, a)", { gpp: 0, G0: 2, a: 0 }), 1); // identity at a = 0, even at x = 0
  const x = 3.1;
  assert.ok(
    Math.abs(
      value("hump(gpp, G0, a)", { gpp: x, G0: 2, a: 1.5 }) - (x / 2) ** 1.5 * Math.exp(1.5 * (1 - x / 2)),
    ) < 1e-15,
  );
  assert.equal(value("sigmoid(k * (tas - T0))", { k: 0.5, T0: 10, tas: 10 }), 0.5);
});

test("errors give the column and a suggestion", () => {
  // the issue's example: col 14 unknown driver with a suggestion
  fails("sigmoid(k * (gppp - T0))", /^col 14: unknown driver 'gppp', did you mean 'gpp'\?/);
  fails("hump(gpp, G00, a)", /col 11: unknown parameter 'G00', did you mean 'G0'\?/);
  fails("sigmod(tas)", /col 1: unknown function 'sigmod', did you mean 'sigmoid'\?/);
  fails("exp(tas", /missing '\)' to close exp\( at col 1/);
  fails("hump(gpp, G0)", /hump takes 3 arguments, got 2: hump\(x, x0, a\)/);
  fails("clamp(tas, 1)", /clamp takes 1 or 3 arguments/);
  fails("2tas", /col 2: expected an operator between '2' and 'tas' \(write 2\*tas\)/);
  fails("tas gpp", /col 5: expected an operator before 'gpp'/);
  fails("tas = 3", /col 5: unexpected character '='.*assignment/);
  fails("lag(gpp, 1.5)", /col 10: lag's window must be a whole number of months from 1 to 120/);
  fails("runmean(gpp, 0)", /window must be a whole number/);
  fails("runmean(gpp, k)", /window must be a whole number/);
  fails(
    "ewmean(gpp, tas)",
    /col 13: ewmean's time scale may use parameters and numbers but not drivers \('tas'\)/,
  );
  fails("lag(k, 2)", /lag's operand reads no driver/);
  fails("burned_area * 2", /'burned_area' is the target; a form cannot read it/);
  fails("exp", /'exp' is a function: write exp\(x\)/);
  fails("tas(3)", /'tas' is a driver, not a function/);
  fails("temperature + 1", /unknown driver 'temperature', did you mean 'tas'\?/);
  fails("", /empty/);
  fails("(tas", /missing '\)'/);
  fails("tas)", /unmatched '\)'/);
  fails("1e999", /too large/);
  fails("k * foo", /unknown name 'foo'.*declared parameters: k, T0, G0, a, tau/);
  assert.equal(describePos("a +\n  b ?", 8), "line 2, col 5");
});

test("hostile text is a parse error, never evaluated", () => {
  let touched = false;
  (globalThis as Record<string, unknown>).__kilnTouched = () => (touched = true);
  for (const text of [
    "process.exit(1)",
    "require('child_process')",
    "globalThis.__kilnTouched()",
    "__kilnTouched()",
    "constructor.constructor('return process')()",
    "tas; process.exit(1)",
    "`${1}`",
    "eval(1)",
    "Function(1)",
    "tas[0]",
    "import('fs')",
  ]) {
    assert.throws(() => parseExpr(text, ctx), DslError, text);
  }
  assert.equal(touched, false);
  delete (globalThis as Record<string, unknown>).__kilnTouched;
});

test("size and depth limits", () => {
  fails("x".repeat(LIMITS.maxChars + 1), /characters long; the limit is 2000/);
  const deep = "(".repeat(30) + "tas" + ")".repeat(30);
  fails(deep, /nests deeper than 24 levels/);
  const wide = Array.from({ length: 120 }, () => "tas").join(" + ");
  fails(wide, /more than 200 nodes/);
  fails("lag(lag(lag(lag(tas, 1), 1), 1), 1)", /temporal operators are nested more than 3 deep/);
  // within the limits
  parseExpr("lag(lag(lag(tas, 1), 1), 1)", ctx);
});

test("the tree records positions and resolves names by kind", () => {
  const e = parseExpr("k * (tas - T0)", ctx);
  assert.equal(e.kind, "bin");
  const b = e as Extract<Expr, { kind: "bin" }>;
  assert.deepEqual(b.left, { kind: "param", name: "k", col: 1 });
  const r = b.right as Extract<Expr, { kind: "bin" }>;
  assert.deepEqual(r.left, { kind: "driver", name: "tas", col: 6 });
  assert.equal(
    lex("a**b")
      .map((t) => t.text)
      .join(" "),
    "a ^ b ",
  );
});
