/**
 * The expression language's syntax tree. A tree is produced only by the parser (which checks every name,
 * arity and limit), so code generators may trust it: nothing in it is text to be executed.
 */

/** 1-based column of a node's first character in its expression text. */
export type Col = number;

export type BinaryOp = "+" | "-" | "*" | "/" | "^";

export type Expr =
  | { readonly kind: "num"; readonly value: number; readonly col: Col; readonly label?: "pi" }
  | { readonly kind: "driver"; readonly name: string; readonly col: Col }
  | { readonly kind: "param"; readonly name: string; readonly col: Col }
  | { readonly kind: "neg"; readonly arg: Expr; readonly col: Col }
  | {
      readonly kind: "bin";
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly col: Col;
    }
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Expr[]; readonly col: Col };

/** Every node of a tree, parents before children. */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  switch (e.kind) {
    case "neg":
      yield* walk(e.arg);
      break;
    case "bin":
      yield* walk(e.left);
      yield* walk(e.right);
      break;
    case "call":
      for (const a of e.args) yield* walk(a);
      break;
    default:
      break;
  }
}

/** Drivers a tree reads, in order of first appearance. */
export function driversOf(e: Expr): string[] {
  const out: string[] = [];
  for (const n of walk(e)) if (n.kind === "driver" && !out.includes(n.name)) out.push(n.name);
  return out;
}

/** Parameters a tree reads, in order of first appearance. */
export function paramsOf(e: Expr): string[] {
  const out: string[] = [];
  for (const n of walk(e)) if (n.kind === "param" && !out.includes(n.name)) out.push(n.name);
  return out;
}

/** A copy of the tree with each parameter name replaced by `rename(name)`. */
export function renameParams(e: Expr, rename: (name: string) => string): Expr {
  switch (e.kind) {
    case "param":
      return { ...e, name: rename(e.name) };
    case "neg":
      return { ...e, arg: renameParams(e.arg, rename) };
    case "bin":
      return { ...e, left: renameParams(e.left, rename), right: renameParams(e.right, rename) };
    case "call":
      return { ...e, args: e.args.map((a) => renameParams(a, rename)) };
    default:
      return e;
  }
}
