/**
 * The kernel's intermediate form: the form's terms lowered to one DAG of operations with shared
 * subexpressions merged and constant subtrees folded, then a plan that decides what is computed where:
 *   - parameter-only values once per run (scalars);
 *   - parameter-free values worth caching once per bind (e.g. log(gpp), a running mean of a driver);
 *   - per-cell values once per run when they depend on parameters but not on time (static drivers);
 *   - temporal operators into buffers, each along time per cell;
 *   - everything else inline in the main loop over cell-months.
 */
import type { Expr } from "./dsl/ast.ts";
import type { Form } from "./form.ts";
import type { ResolvedInput } from "./inputs.ts";
import { binary, hump, unary } from "./interpret.ts";

export type IrOp =
  | "num"
  | "param"
  | "input"
  | "neg"
  | "+"
  | "-"
  | "*"
  | "/"
  | "ipow"
  | "powl"
  | "pow"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "cos"
  | "min"
  | "max"
  | "clamp"
  | "sigmoid"
  | "step"
  | "hump"
  | "lag"
  | "runmean"
  | "runmax"
  | "runmin"
  | "accum"
  | "ewmean";

export const TEMPORAL_OPS: ReadonlySet<IrOp> = new Set([
  "lag",
  "runmean",
  "runmax",
  "runmin",
  "accum",
  "ewmean",
]);

/** Dependence flags. */
export const P = 1;
export const C = 2;
export const T = 4;

export interface IrNode {
  readonly id: number;
  readonly op: IrOp;
  readonly args: readonly number[];
  /** num: its value; ipow: the exponent; lag/run*: the window. */
  readonly value: number;
  /** input: index into the resolved inputs; param: index into the form's vector. */
  readonly ref: number;
  readonly flags: number;
  /** Rough cost of the subtree, to decide what is worth caching. */
  readonly cost: number;
}

const OWN_COST: Partial<Record<IrOp, number>> = {
  num: 0,
  param: 0,
  input: 0,
  "/": 3,
  sqrt: 3,
  exp: 12,
  log: 12,
  cos: 12,
  sigmoid: 12,
  pow: 40,
  powl: 12,
  hump: 14,
  lag: 20,
  runmean: 30,
  runmax: 30,
  runmin: 30,
  accum: 20,
  ewmean: 20,
};

export class IrGraph {
  readonly nodes: IrNode[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly inputs: readonly ResolvedInput[]) {}

  add(op: IrOp, args: readonly number[], value = 0, ref = -1): number {
    const key = `${op}|${args.join(",")}|${Object.is(value, -0) ? "-0" : value}|${ref}`;
    const hit = this.byKey.get(key);
    if (hit !== undefined) return hit;
    let flags = 0;
    let cost = OWN_COST[op] ?? 1;
    if (op === "param") flags = P;
    else if (op === "input") {
      const layout = this.inputs[ref].layout;
      flags = layout === "cellTime" ? C | T : layout === "cell" ? C : T;
    }
    for (const a of args) {
      flags |= this.nodes[a].flags;
      cost += this.nodes[a].cost;
    }
    if (TEMPORAL_OPS.has(op)) flags |= C | T;
    const id = this.nodes.length;
    this.nodes.push({ id, op, args, value, ref, flags, cost });
    this.byKey.set(key, id);
    return id;
  }

  num(v: number): number {
    return this.add("num", [], v);
  }

  isNum(id: number): boolean {
    return this.nodes[id].op === "num";
  }

  val(id: number): number {
    return this.nodes[id].value;
  }
}

/** Lower one expression (parameters named locally; `param(name)` gives the vector index). */
export function lower(
  g: IrGraph,
  e: Expr,
  param: (name: string) => number,
  input: (name: string) => number,
): number {
  const rec = (x: Expr): number => lower(g, x, param, input);
  switch (e.kind) {
    case "num":
      return g.num(e.value);
    case "param":
      return g.add("param", [], 0, param(e.name));
    case "driver":
      return g.add("input", [], 0, input(e.name));
    case "neg": {
      const a = rec(e.arg);
      return g.isNum(a) ? g.num(-g.val(a)) : g.add("neg", [a]);
    }
    case "bin": {
      const a = rec(e.left);
      const b = rec(e.right);
      if (e.op === "^") return lowerPow(g, a, b);
      if (g.isNum(a) && g.isNum(b)) return g.num(binary(e.op, g.val(a), g.val(b)));
      return g.add(e.op, [a, b]);
    }
    case "call": {
      const fn = e.fn;
      if (fn === "lag" || fn === "runmean" || fn === "runmax" || fn === "runmin") {
        return g.add(fn, [rec(e.args[0])], (e.args[1] as { value: number }).value);
      }
      if (fn === "accum" || fn === "ewmean") return g.add(fn, [rec(e.args[0]), rec(e.args[1])]);
      const args = e.args.map(rec);
      if (fn === "clamp" && args.length === 1) args.push(g.num(0), g.num(1));
      if (args.every((a) => g.isNum(a)))
        return g.num(
          foldCall(
            fn,
            args.map((a) => g.val(a)),
          ),
        );
      if (fn === "hump") {
        const [x, x0, a] = args;
        // 1/x0 and log x0 are usually per-run scalars, log x a bind-time cache: no division, one exp per cell-month
        const inv = g.isNum(x0) ? g.num(1 / g.val(x0)) : g.add("/", [g.num(1), x0]);
        const lx0 = g.isNum(x0) ? g.num(Math.log(g.val(x0))) : g.add("log", [x0]);
        return g.add("hump", [x, g.add("log", [x]), inv, lx0, a]);
      }
      return g.add(fn as IrOp, args);
    }
  }
}

function lowerPow(g: IrGraph, a: number, b: number): number {
  if (g.isNum(b)) {
    const y = g.val(b);
    if (g.isNum(a)) return g.num(Math.pow(g.val(a), y));
    if (y === 0) return g.num(1);
    if (y === 1 || y === 2 || y === 3 || y === 4) return g.add("ipow", [a], y);
  }
  if (g.isNum(a)) {
    // b^y = e^(y·ln b) for a positive finite numeric base (Math.pow only for the others)
    const v = g.val(a);
    if (v > 0 && v < Infinity) return g.add("exp", [g.add("*", [b, g.num(Math.log(v))])]);
    return g.add("pow", [a, b]);
  }
  return g.add("powl", [a, g.add("log", [a]), b]);
}

function foldCall(fn: string, v: number[]): number {
  switch (fn) {
    case "min":
      return v.reduce((m, x) => Math.min(m, x));
    case "max":
      return v.reduce((m, x) => Math.max(m, x));
    case "clamp":
      return Math.min(Math.max(v[0], v[1]), v[2]);
    case "hump":
      return hump(v[0], v[1], v[2]);
    default:
      return unary(fn, v[0]);
  }
}

/** Where a materialised node is computed and what its buffer spans. */
export interface Stage {
  readonly node: number;
  /** "bind": once when inputs are bound (parameter-free); "run": on every run. */
  readonly when: "bind" | "run";
  /** Buffer span: every cell-month, or one value per cell. */
  readonly domain: "full" | "cell";
}

export interface KernelPlan {
  readonly graph: IrGraph;
  /** Root node of each term. */
  readonly roots: readonly number[];
  /** Materialised nodes in dependency order. */
  readonly stages: readonly Stage[];
  readonly materialised: ReadonlyMap<number, Stage>;
  /** Parameter-only nodes computed once per run, in dependency order. */
  readonly scalars: readonly number[];
}

/** Below this subtree cost a value is recomputed inline rather than read from a cache. */
const CACHE_COST = 4;

export function planKernel(form: Form, inputs: readonly ResolvedInput[]): KernelPlan {
  const g = new IrGraph(inputs);
  const inputIndex = new Map(inputs.map((r, k) => [r.name, k]));
  const roots = form.terms.map((term) => {
    const local = new Map(term.params.map((p, j) => [p.local, term.offset + j]));
    return lower(
      g,
      term.expr,
      (name) => local.get(name)!,
      (name) => inputIndex.get(name)!,
    );
  });
  const nodes = g.nodes;
  const parents: number[][] = nodes.map(() => []);
  for (const n of nodes) for (const a of n.args) parents[a].push(n.id);

  // Only nodes reachable from the roots matter.
  const live = new Uint8Array(nodes.length);
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = 1;
    stack.push(...nodes[id].args);
  }

  const isLeaf = (n: IrNode) => n.op === "num" || n.op === "param" || n.op === "input";
  /** Which cache a node could live in: a bind-time one (no parameters) or a per-run per-cell one. */
  const cacheKind = (n: IrNode): "bind" | "cellrun" | null => {
    if (isLeaf(n) || n.cost < CACHE_COST || TEMPORAL_OPS.has(n.op)) return null;
    if (!(n.flags & P) && n.flags & C) return "bind";
    if (n.flags & P && n.flags & C && !(n.flags & T)) return "cellrun";
    return null;
  };
  const materialised = new Map<number, Stage>();
  const rootSet = new Set(roots);
  for (const n of nodes) {
    if (!live[n.id]) continue;
    if (TEMPORAL_OPS.has(n.op)) {
      materialised.set(n.id, { node: n.id, when: n.flags & P ? "run" : "bind", domain: "full" });
      const x = nodes[n.args[0]];
      const direct = x.op === "input" && inputs[x.ref].layout === "cellTime";
      if (!direct && !materialised.has(x.id)) {
        materialised.set(x.id, { node: x.id, when: x.flags & P ? "run" : "bind", domain: "full" });
      }
      continue;
    }
    const kind = cacheKind(n);
    if (!kind) continue;
    const maximal =
      rootSet.has(n.id) ||
      parents[n.id].some((p) => live[p] && (cacheKind(nodes[p]) !== kind || TEMPORAL_OPS.has(nodes[p].op)));
    if (maximal) {
      materialised.set(n.id, {
        node: n.id,
        when: kind === "bind" ? "bind" : "run",
        domain: n.flags & T ? "full" : "cell",
      });
    }
  }
  // A temporal argument is always a full buffer (it may have been planned as a per-cell cache).
  for (const n of nodes) {
    if (!live[n.id] || !TEMPORAL_OPS.has(n.op)) continue;
    const s = materialised.get(n.args[0]);
    if (s && s.domain === "cell") materialised.set(s.node, { ...s, domain: "full" });
  }
  const stages = [...materialised.values()].sort((a, b) => a.node - b.node);
  const scalars = nodes.filter((n) => live[n.id] && n.flags === P && n.op !== "param").map((n) => n.id);
  return { graph: g, roots, stages, materialised, scalars };
}
