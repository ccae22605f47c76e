/**
 * Canonical text and hash of a form. Within each term: subtraction becomes addition of a negation, division
 * multiplication by an inverse; sums, products and min/max arguments are flattened and sorted; numeric
 * factors and addends are folded; parameters are renamed θ1, θ2, ... in order of first appearance and keep
 * their bounds and scale. Terms are sorted (every combiner is symmetric in its terms). Term names, parameter
 * names, defaults, regimes and clusters are not part of the hash; bounds and scales are (they define the
 * search problem). Siblings that differ only in parameter names are ordered as written.
 */
import { createHash } from "node:crypto";
import type { Expr } from "./dsl/ast.ts";
import type { Form, ParamSpec } from "./form.ts";

type CNode =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "drv"; readonly name: string }
  | { readonly k: "par"; readonly name: string; readonly sig: string }
  | { readonly k: "add" | "mul"; readonly xs: readonly CNode[] }
  | { readonly k: "inv"; readonly x: CNode }
  | { readonly k: "pow"; readonly b: CNode; readonly e: CNode }
  | { readonly k: "fn"; readonly name: string; readonly xs: readonly CNode[] };

export function paramSignature(p: Pick<ParamSpec, "lo" | "hi" | "log">): string {
  return `${p.log ? "log" : "lin"}[${fmt(p.lo)},${fmt(p.hi)}]`;
}

function fmt(v: number): string {
  return Object.is(v, -0) ? "0" : String(v);
}

function canon(e: Expr, sig: (name: string) => string): CNode {
  switch (e.kind) {
    case "num":
      return { k: "num", v: e.value };
    case "driver":
      return { k: "drv", name: e.name };
    case "param":
      return { k: "par", name: e.name, sig: sig(e.name) };
    case "neg":
      return mul([{ k: "num", v: -1 }, canon(e.arg, sig)]);
    case "bin": {
      const a = canon(e.left, sig);
      const b = canon(e.right, sig);
      switch (e.op) {
        case "+":
          return add([a, b]);
        case "-":
          return add([a, mul([{ k: "num", v: -1 }, b])]);
        case "*":
          return mul([a, b]);
        case "/":
          return mul([a, inv(b)]);
        default:
          return { k: "pow", b: a, e: b };
      }
    }
    case "call": {
      const xs = e.args.map((a) => canon(a, sig));
      if (e.fn === "clamp" && xs.length === 1) xs.push({ k: "num", v: 0 }, { k: "num", v: 1 });
      if (e.fn === "min" || e.fn === "max") {
        const flat: CNode[] = [];
        for (const x of xs) {
          if (x.k === "fn" && x.name === e.fn) flat.push(...x.xs);
          else flat.push(x);
        }
        return { k: "fn", name: e.fn, xs: sorted(flat) };
      }
      return { k: "fn", name: e.fn, xs };
    }
  }
}

function inv(x: CNode): CNode {
  if (x.k === "num") return { k: "num", v: 1 / x.v };
  if (x.k === "inv") return x.x;
  return { k: "inv", x };
}

function add(parts: CNode[]): CNode {
  const flat: CNode[] = [];
  let c = 0;
  for (const p of parts) {
    for (const q of p.k === "add" ? p.xs : [p]) {
      if (q.k === "num") c += q.v;
      else flat.push(q);
    }
  }
  if (c !== 0 || flat.length === 0) flat.push({ k: "num", v: c });
  return flat.length === 1 ? flat[0] : { k: "add", xs: sorted(flat) };
}

function mul(parts: CNode[]): CNode {
  const flat: CNode[] = [];
  let c = 1;
  for (const p of parts) {
    for (const q of p.k === "mul" ? p.xs : [p]) {
      if (q.k === "num") c *= q.v;
      else flat.push(q);
    }
  }
  if (c !== 1 || flat.length === 0) flat.push({ k: "num", v: c });
  return flat.length === 1 ? flat[0] : { k: "mul", xs: sorted(flat) };
}

/** Sort by the text with parameter names erased (bounds kept); ties keep their written order. */
function sorted(xs: CNode[]): CNode[] {
  const keyed = xs.map((x, i) => ({ x, i, key: print(x, null) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  return keyed.map((k) => k.x);
}

/** S-expression text; parameters printed as their signature (numbering = null) or as θn. */
function print(x: CNode, numbering: Map<string, number> | null): string {
  switch (x.k) {
    case "num":
      return fmt(x.v);
    case "drv":
      return x.name;
    case "par": {
      if (!numbering) return `$${x.sig}`;
      if (!numbering.has(x.name)) numbering.set(x.name, numbering.size + 1);
      return `θ${numbering.get(x.name)}`;
    }
    case "add":
      return `(+ ${x.xs.map((y) => print(y, numbering)).join(" ")})`;
    case "mul":
      return `(* ${x.xs.map((y) => print(y, numbering)).join(" ")})`;
    case "inv":
      return `(inv ${print(x.x, numbering)})`;
    case "pow":
      return `(^ ${print(x.b, numbering)} ${print(x.e, numbering)})`;
    case "fn":
      return `(${x.name} ${x.xs.map((y) => print(y, numbering)).join(" ")})`;
  }
}

/** One term's canonical text: the expression, then each θ's scale and bounds. */
export function canonicalTerm(expr: Expr, params: readonly ParamSpec[]): string {
  const byLocal = new Map(params.map((p) => [p.local, p]));
  const c = canon(expr, (name) => paramSignature(byLocal.get(name)!));
  const numbering = new Map<string, number>();
  const text = print(c, numbering);
  const sigs = [...numbering.entries()].map(([name, n]) => `θ${n} ${paramSignature(byLocal.get(name)!)}`);
  return [text, ...sigs].join(" | ");
}

export function canonicalText(form: Form): string {
  const lines = ["kiln-form v1", `combiner ${form.combiner}`];
  for (const p of form.params.slice(0, form.nGlobal)) lines.push(`${p.name} ${paramSignature(p)}`);
  const terms = form.terms.map((t) => canonicalTerm(t.expr, t.params)).sort();
  for (const t of terms) lines.push(`term ${t}`);
  return lines.join("\n") + "\n";
}

export function hashText(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
