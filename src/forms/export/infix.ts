/** Shared pieces of the exporters: a fully parenthesised infix printer and temporal-operator extraction. */
import type { Expr } from "../dsl/ast.ts";
import { functionInfo } from "../dsl/functions.ts";

export interface InfixTarget {
  num(v: number): string;
  param(name: string): string;
  driver(name: string): string;
  pow(a: string, b: string): string;
  call(fn: string, args: string[], raw: readonly Expr[]): string;
}

/** Every binary operation and negation parenthesised: unambiguous in Python, Fortran and TypeScript alike. */
export function printInfix(e: Expr, target: InfixTarget): string {
  const rec = (x: Expr) => printInfix(x, target);
  switch (e.kind) {
    case "num":
      return target.num(e.value);
    case "param":
      return target.param(e.name);
    case "driver":
      return target.driver(e.name);
    case "neg":
      return `(-${rec(e.arg)})`;
    case "bin":
      return e.op === "^"
        ? target.pow(rec(e.left), rec(e.right))
        : `(${rec(e.left)} ${e.op} ${rec(e.right)})`;
    case "call":
      return target.call(e.fn, e.args.map(rec), e.args);
  }
}

/** A temporal operator pulled out of the terms, to be computed along each cell's series first. */
export interface TemporalInput {
  /** Placeholder name used in the rewritten expressions (tmp1, tmp2, ...). */
  readonly name: string;
  readonly fn: string;
  /** The operand, itself rewritten (it may read earlier temporaries). */
  readonly arg: Expr;
  /** Window (lag/run*) or time-scale expression (accum/ewmean). */
  readonly second: Expr;
  /** The operator as written, for comments. */
  readonly text: string;
}

export function isTemporal(e: Expr): boolean {
  return e.kind === "call" && functionInfo(e.fn)?.temporal !== undefined;
}

/**
 * Replace each temporal call (innermost first, identical ones shared) with a driver-like placeholder;
 * `describe` prints an expression for the comments.
 */
export function extractTemporal(
  exprs: readonly Expr[],
  describe: (e: Expr) => string,
  key: (e: Expr) => string,
): { temps: TemporalInput[]; exprs: Expr[] } {
  const temps: TemporalInput[] = [];
  const byKey = new Map<string, string>();
  const rewrite = (e: Expr): Expr => {
    switch (e.kind) {
      case "neg":
        return { ...e, arg: rewrite(e.arg) };
      case "bin":
        return { ...e, left: rewrite(e.left), right: rewrite(e.right) };
      case "call": {
        const args = e.args.map(rewrite);
        const call: Expr = { ...e, args };
        if (!isTemporal(e)) return call;
        const k = key(call);
        let name = byKey.get(k);
        if (!name) {
          name = `tmp${temps.length + 1}`;
          byKey.set(k, name);
          temps.push({ name, fn: e.fn, arg: args[0], second: args[1], text: describe(e) });
        }
        return { kind: "driver", name, col: e.col };
      }
      default:
        return e;
    }
  };
  const out = exprs.map(rewrite);
  return { temps, exprs: out };
}

/** An expression in the language's own syntax (fully parenthesised), for comments. */
export function dslText(e: Expr): string {
  return printInfix(e, {
    num: (v) => String(v),
    param: (name) => name,
    driver: (name) => name,
    pow: (a, b) => `(${a} ^ ${b})`,
    call: (fn, args) => `${fn}(${args.join(", ")})`,
  });
}
