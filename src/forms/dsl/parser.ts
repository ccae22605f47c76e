/**
 * Recursive-descent parser for the expression language. It resolves every name (driver, parameter,
 * constant, function), checks arities, temporal-operator arguments and size limits, and reports the first
 * problem with its position and a suggestion. The text is never evaluated: the result is a tree.
 *
 * Grammar (lowest to highest precedence; `^` is right-associative and binds tighter than unary minus):
 *   expr    := term (("+" | "-") term)*
 *   term    := unary (("*" | "/") unary)*
 *   unary   := ("-" | "+") unary | power
 *   power   := primary ("^" unary)?
 *   primary := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
 */
import type { BinaryOp, Expr } from "./ast.ts";
import { DslError, lex, type Token } from "./lexer.ts";
import { CONSTANTS, FUNCTIONS, MAX_WINDOW, functionInfo } from "./functions.ts";
import { INPUT_NAMES, TARGET_NAME } from "./names.ts";
import { editDistance, suggest } from "../suggest.ts";

export const LIMITS = {
  /** Characters in one expression. */
  maxChars: 2000,
  /** Nodes in one expression tree. */
  maxNodes: 200,
  /** Nesting depth of one expression tree. */
  maxDepth: 24,
  /** Temporal operators nested inside one another. */
  maxTemporalNesting: 3,
} as const;

export interface ParseContext {
  /** Declared parameter names. */
  readonly params: ReadonlySet<string>;
  /** Driver names allowed (default: all of Kiln's drivers plus lat and month). */
  readonly drivers?: ReadonlySet<string>;
}

export function parseExpr(text: string, ctx: ParseContext): Expr {
  if (text.length > LIMITS.maxChars) {
    throw new DslError(
      LIMITS.maxChars,
      `the expression is ${text.length} characters long; the limit is ${LIMITS.maxChars}`,
      "split it into several terms",
    );
  }
  if (text.trim() === "") throw new DslError(0, "the expression is empty");
  return new Parser(text, lex(text), ctx).parseAll();
}

class Parser {
  private k = 0;
  private nodes = 0;
  private depth = 0;
  private temporalDepth = 0;
  private readonly drivers: ReadonlySet<string>;

  constructor(
    private readonly text: string,
    private readonly toks: Token[],
    private readonly ctx: ParseContext,
  ) {
    this.drivers = ctx.drivers ?? INPUT_NAMES;
  }

  parseAll(): Expr {
    const e = this.expr();
    const t = this.peek();
    if (t.type !== "eof") {
      if (t.type === ")") throw new DslError(t.pos, "unmatched ')'");
      if (t.type === ",") throw new DslError(t.pos, "unexpected ',' outside a function call");
      throw new DslError(t.pos, `expected an operator before '${t.text}'`, this.juxtapositionHint(t));
    }
    return e;
  }

  private juxtapositionHint(t: Token): string | undefined {
    return t.type === "ident" || t.type === "num" || t.type === "("
      ? "write * for multiplication, e.g. 2*x or a*(x - b)"
      : undefined;
  }

  private peek(): Token {
    return this.toks[this.k];
  }

  private next(): Token {
    return this.toks[this.k++];
  }

  private count(pos: number): void {
    if (++this.nodes > LIMITS.maxNodes) {
      throw new DslError(
        pos,
        `the expression has more than ${LIMITS.maxNodes} nodes`,
        "split it into several terms or simplify it",
      );
    }
  }

  private enter(pos: number): void {
    if (++this.depth > LIMITS.maxDepth) {
      throw new DslError(pos, `the expression nests deeper than ${LIMITS.maxDepth} levels`, "simplify it");
    }
  }

  private expr(): Expr {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (t.type === "op" && (t.text === "+" || t.text === "-")) {
        this.next();
        const right = this.term();
        left = this.bin(t.text, left, right, t.pos);
      } else return left;
    }
  }

  private term(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.type === "op" && (t.text === "*" || t.text === "/")) {
        this.next();
        const right = this.unary();
        left = this.bin(t.text, left, right, t.pos);
      } else return left;
    }
  }

  private bin(op: BinaryOp, left: Expr, right: Expr, pos: number): Expr {
    this.count(pos);
    return { kind: "bin", op, left, right, col: pos + 1 };
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.type === "op" && (t.text === "-" || t.text === "+")) {
      this.next();
      this.enter(t.pos);
      const arg = this.unary();
      this.depth--;
      if (t.text === "+") return arg;
      this.count(t.pos);
      return { kind: "neg", arg, col: t.pos + 1 };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (t.type === "op" && t.text === "^") {
      this.next();
      this.enter(t.pos);
      const exponent = this.unary();
      this.depth--;
      return this.bin("^", base, exponent, t.pos);
    }
    return base;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.type) {
      case "num":
        this.count(t.pos);
        return { kind: "num", value: t.value, col: t.pos + 1 };
      case "(": {
        this.enter(t.pos);
        const e = this.expr();
        this.depth--;
        const c = this.next();
        if (c.type !== ")") {
          throw new DslError(
            c.pos,
            c.type === "eof"
              ? `missing ')' to close the '(' at col ${t.pos + 1}`
              : `expected ')' but found '${c.text}'`,
          );
        }
        return e;
      }
      case "ident":
        return this.peek().type === "(" ? this.call(t) : this.name(t);
      case "eof":
        throw new DslError(t.pos, "the expression ends where a value was expected");
      default:
        throw new DslError(t.pos, `expected a number, a name or '(' but found '${t.text}'`);
    }
  }

  private name(t: Token): Expr {
    const name = t.text;
    this.count(t.pos);
    if (this.ctx.params.has(name)) return { kind: "param", name, col: t.pos + 1 };
    if (this.drivers.has(name)) return { kind: "driver", name, col: t.pos + 1 };
    const c = CONSTANTS.get(name);
    if (c !== undefined) return { kind: "num", value: c, col: t.pos + 1, label: "pi" };
    if (functionInfo(name)) {
      throw new DslError(t.pos, `'${name}' is a function: write ${functionInfo(name)!.signature}`);
    }
    if (name === TARGET_NAME) {
      throw new DslError(t.pos, `'${name}' is the target; a form cannot read it`);
    }
    const all = [...this.ctx.params, ...this.drivers, ...CONSTANTS.keys()];
    const s = suggest(name, all);
    if (s !== undefined) {
      const what = this.ctx.params.has(s) ? "parameter" : this.drivers.has(s) ? "driver" : "name";
      throw new DslError(
        t.pos,
        `unknown ${what} '${name}', did you mean '${s}'?`,
        // a suggestion by meaning rather than by spelling: the name may well be the dataset's own variable
        editDistance(name, s) > 2
          ? `if '${name}' is a variable of your dataset, list it under the form's drivers: [${name}]`
          : undefined,
      );
    }
    const declared = [...this.ctx.params];
    throw new DslError(
      t.pos,
      `unknown name '${name}': not a driver, a declared parameter or a constant`,
      declared.length
        ? `declared parameters: ${declared.join(", ")}; declare '${name}' under params if it is a parameter, or under the form's drivers if it is a variable of your dataset`
        : `declare '${name}' under the term's params if it is a parameter, or under the form's drivers if it is a variable of your dataset; drivers are: ${[...this.drivers].join(", ")}`,
    );
  }

  private call(t: Token): Expr {
    const name = t.text;
    const info = functionInfo(name);
    if (!info) {
      if (this.ctx.params.has(name) || this.drivers.has(name)) {
        throw new DslError(
          t.pos,
          `'${name}' is a ${this.ctx.params.has(name) ? "parameter" : "driver"}, not a function`,
          `write ${name}*(...) to multiply`,
        );
      }
      const s = suggest(
        name,
        FUNCTIONS.map((f) => f.name),
      );
      throw new DslError(
        t.pos,
        `unknown function '${name}'${s ? `, did you mean '${s}'?` : ""}`,
        s ? undefined : `functions: ${FUNCTIONS.map((f) => f.name).join(", ")}`,
      );
    }
    this.count(t.pos);
    this.enter(t.pos);
    if (info.temporal) {
      if (++this.temporalDepth > LIMITS.maxTemporalNesting) {
        throw new DslError(
          t.pos,
          `temporal operators are nested more than ${LIMITS.maxTemporalNesting} deep`,
          "simplify the expression",
        );
      }
    }
    this.next(); // "("
    const args: Expr[] = [];
    if (this.peek().type === ")") {
      throw new DslError(
        this.peek().pos,
        `${name} takes ${arity(info.minArgs, info.maxArgs)}: ${info.signature}`,
      );
    }
    for (;;) {
      args.push(this.expr());
      const sep = this.next();
      if (sep.type === ",") continue;
      if (sep.type === ")") break;
      throw new DslError(
        sep.pos,
        sep.type === "eof"
          ? `missing ')' to close ${name}( at col ${t.pos + 1}`
          : `expected ',' or ')' in ${name}(...) but found '${sep.text}'`,
      );
    }
    if (args.length < info.minArgs || args.length > info.maxArgs) {
      throw new DslError(
        t.pos,
        `${name} takes ${arity(info.minArgs, info.maxArgs)}, got ${args.length}: ${info.signature}`,
      );
    }
    if (name === "clamp" && args.length === 2) {
      throw new DslError(t.pos, "clamp takes 1 or 3 arguments, got 2: clamp(x) or clamp(x, lo, hi)");
    }
    if (info.second === "window") {
      const w = args[1];
      if (
        w.kind !== "num" ||
        w.label !== undefined ||
        !Number.isInteger(w.value) ||
        w.value < 1 ||
        w.value > MAX_WINDOW
      ) {
        throw new DslError(
          w.col - 1,
          `${name}'s window must be a whole number of months from 1 to ${MAX_WINDOW} written as a number`,
          `e.g. ${name}(${name === "lag" ? "gpp, 1" : "pr, 12"})`,
        );
      }
    }
    if (info.second === "scale") {
      for (const n of walkNodes(args[1])) {
        if (n.kind === "driver") {
          throw new DslError(
            n.col - 1,
            `${name}'s time scale may use parameters and numbers but not drivers ('${n.name}')`,
            `e.g. ${name}(gpp, tau) with tau a parameter in months`,
          );
        }
      }
    }
    if (info.temporal && !walkNodes(args[0]).some((n) => n.kind === "driver")) {
      throw new DslError(
        args[0].col - 1,
        `${name}'s operand reads no driver, so it does not change along time`,
        `apply ${name} to an expression of drivers, e.g. ${name}(gpp, ${info.second === "window" ? "12" : "tau"})`,
      );
    }
    if (info.temporal) this.temporalDepth--;
    this.depth--;
    return { kind: "call", fn: name, args, col: t.pos + 1 };
  }
}

function walkNodes(e: Expr, out: Expr[] = []): Expr[] {
  out.push(e);
  if (e.kind === "neg") walkNodes(e.arg, out);
  else if (e.kind === "bin") {
    walkNodes(e.left, out);
    walkNodes(e.right, out);
  } else if (e.kind === "call") for (const a of e.args) walkNodes(a, out);
  return out;
}

function arity(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? "" : "s"}`;
  return `${min} to ${max} arguments`;
}
