/**
 * JavaScript source for a kernel, generated from the plan (src/forms/ir.ts) alone: every identifier is
 * made here (f3, p0, b12, ...) and numbers are printed from parsed values, so no text from a form file or
 * a language model ever reaches the generated source.
 */
import { P, TEMPORAL_OPS, type IrNode, type KernelPlan, type Stage } from "./ir.ts";
import { decaySlot, isTimeOnly, type SimdNeeds } from "./wasm/simd-needs.ts";

const F32_OVERFLOW = "3.4028235677973366e38";

/** A JavaScript literal for a number (parenthesised when negative). */
export function jsNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  if (Object.is(v, -0)) return "(-0)";
  const s = String(v);
  if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) throw new Error(`codegen: cannot print number ${s}`);
  return v < 0 ? `(${s})` : s;
}

type Domain = "full" | "cell";

class Emitter {
  private readonly nodes: readonly IrNode[];
  private readonly inputs: KernelPlan["graph"]["inputs"];
  private readonly locals = new Set<number>();

  constructor(
    private readonly plan: KernelPlan,
    private readonly domain: Domain,
    /** The node this stage computes (not read from its own buffer). */
    private readonly self: number,
  ) {
    this.nodes = plan.graph.nodes;
    this.inputs = plan.graph.inputs;
  }

  /** A node read from elsewhere rather than computed here. */
  private external(n: IrNode): boolean {
    if (n.id === this.self) return false;
    return (
      n.op === "num" ||
      n.op === "param" ||
      n.op === "input" ||
      n.flags === P ||
      this.plan.materialised.has(n.id) ||
      (this.domain === "full" && isTimeOnly(n))
    );
  }

  /** Lines declaring the locals used more than once below `roots`, then `null`; sets up ref(). */
  prepare(roots: readonly number[]): string[] {
    const uses = new Map<number, number>();
    const seen = new Set<number>();
    const visit = (id: number) => {
      const n = this.nodes[id];
      if (this.external(n)) return;
      uses.set(id, (uses.get(id) ?? 0) + 1);
      if (seen.has(id)) return;
      seen.add(id);
      for (const a of n.args) visit(a);
    };
    for (const r of roots) visit(r);
    const shared = [...uses.entries()].filter(([id, k]) => k > 1 && !roots.includes(id)).map(([id]) => id);
    shared.sort((a, b) => a - b);
    const lines: string[] = [];
    for (const id of shared) {
      lines.push(`const v${id} = ${this.code(id, true)};`);
      this.locals.add(id);
    }
    return lines;
  }

  /** The expression for node `id` in this stage's loop body; `force` computes it here even if cached. */
  code(id: number, force = false): string {
    const n = this.nodes[id];
    if (n.op === "num") return jsNumber(n.value);
    if (n.op === "param") return `p${n.ref}`;
    if (n.op === "input") {
      const layout = this.inputs[n.ref].layout;
      return layout === "cellTime" ? `f${n.ref}[i]` : layout === "cell" ? `f${n.ref}[c]` : `f${n.ref}[t]`;
    }
    if (!force) {
      if (this.locals.has(id)) return `v${id}`;
      if (n.flags === P) return `s${id}`;
      const m = this.plan.materialised.get(id);
      if (m && id !== this.self) return m.domain === "cell" ? `b${id}[c]` : `b${id}[i]`;
      if (this.domain === "full" && isTimeOnly(n)) return `u${id}`;
    }
    return opCode(n, (k) => this.code(n.args[k]));
  }
}

/** The expression for one operation given its arguments' expressions. */
export function opCode(n: IrNode, a: (k: number) => string): string {
  switch (n.op) {
    case "neg":
      return `(-${a(0)})`;
    case "+":
    case "-":
    case "*":
    case "/":
      return `(${a(0)} ${n.op} ${a(1)})`;
    case "ipow": {
      if (n.value === 1) return a(0);
      return `kipow${n.value}(${a(0)})`;
    }
    case "powl":
      return `kpowl(${a(0)}, ${a(1)}, ${a(2)})`;
    case "pow":
      return `Math.pow(${a(0)}, ${a(1)})`;
    case "exp":
      return `fexp(${a(0)})`;
    case "log":
      return `flog(${a(0)})`;
    case "sqrt":
      return `Math.sqrt(${a(0)})`;
    case "abs":
      return `Math.abs(${a(0)})`;
    case "cos":
      return `Math.cos(${a(0)})`;
    case "min":
    case "max":
      return `Math.${n.op}(${n.args.map((_, k) => a(k)).join(", ")})`;
    case "clamp":
      return `Math.min(Math.max(${a(0)}, ${a(1)}), ${a(2)})`;
    case "sigmoid":
      return `(1 / (1 + fexp(-${a(0)})))`;
    case "step":
      return `(${a(0)} > 0 ? 1 : 0)`;
    case "hump":
      return `khump(${a(0)}, ${a(1)}, ${a(2)}, ${a(3)}, ${a(4)})`;
    default:
      throw new Error(`codegen: '${n.op}' is not a pointwise operation`);
  }
}

/** Lines computing the time-only nodes needed in a full-domain loop, at the top of each month. */
function timeLocals(plan: KernelPlan, roots: readonly number[]): string[] {
  const nodes = plan.graph.nodes;
  const need = new Set<number>();
  const visit = (id: number) => {
    const n = nodes[id];
    if (n.flags === P || n.op === "num" || n.op === "param" || n.op === "input") return;
    if (plan.materialised.has(id) && !roots.includes(id)) return;
    if (isTimeOnly(n)) need.add(id);
    for (const x of n.args) visit(x);
  };
  roots.forEach(visit);
  return [...need]
    .sort((x, y) => x - y)
    .map((id) => `const u${id} = ${new Emitter(plan, "full", id).code(id, true)};`);
}

function pointwiseStage(plan: KernelPlan, s: Stage): string[] {
  const e = new Emitter(plan, s.domain, s.node);
  const body = e.prepare([s.node]);
  const value = e.code(s.node, true);
  if (s.domain === "cell") {
    return [`for (let c = 0; c < nCell; c++) {`, ...ind(body), `  b${s.node}[c] = ${value};`, `}`];
  }
  return [
    `for (let t = 0, i = 0; t < nTime; t++) {`,
    ...ind(timeLocals(plan, [s.node])),
    `  for (let c = 0; c < nCell; c++, i++) {`,
    ...ind(ind(body)),
    `    b${s.node}[i] = ${value};`,
    `  }`,
    `}`,
  ];
}

function temporalStage(plan: KernelPlan, s: Stage): string[] {
  const n = plan.graph.nodes[s.node];
  const x = plan.graph.nodes[n.args[0]];
  const X = x.op === "input" && plan.graph.inputs[x.ref].layout === "cellTime" ? `f${x.ref}` : `b${x.id}`;
  const B = `b${s.node}`;
  const K = n.value;
  switch (n.op) {
    case "lag":
      return [
        `for (let t = 0; t < nTime; t++) {`,
        `  const src = (t < ${K} ? 0 : t - ${K}) * nCell, dst = t * nCell;`,
        `  for (let c = 0; c < nCell; c++) ${B}[dst + c] = ${X}[src + c];`,
        `}`,
      ];
    case "runmean":
    case "runmax":
    case "runmin": {
      const step =
        n.op === "runmean"
          ? `acc += ${X}[s * nCell + c];`
          : `acc = Math.${n.op.slice(3)}(acc, ${X}[s * nCell + c]);`;
      return [
        `for (let t = 0; t < nTime; t++) {`,
        `  const t0 = t < ${K - 1} ? 0 : t - ${K - 1};`,
        `  for (let c = 0; c < nCell; c++) {`,
        `    let acc = ${n.op === "runmean" ? "0" : `${X}[t0 * nCell + c]`};`,
        `    for (let s = t0; s <= t; s++) ${step}`,
        `    ${B}[t * nCell + c] = ${n.op === "runmean" ? "acc / (t - t0 + 1)" : "acc"};`,
        `  }`,
        `}`,
      ];
    }
    case "accum":
    case "ewmean": {
      const tau = new Emitter(plan, "cell", -1).code(n.args[1]);
      const lines = [`{`, `  const d = Math.exp(-1 / ${tau});`];
      if (n.op === "accum") {
        lines.push(
          `  for (let c = 0; c < nCell; c++) ${B}[c] = ${X}[c];`,
          `  for (let i = nCell, nn = nTime * nCell; i < nn; i++) ${B}[i] = ${X}[i] + d * ${B}[i - nCell];`,
        );
      } else {
        lines.push(
          `  const num = w${s.node};`,
          `  num.fill(0);`,
          `  let den = 0;`,
          `  for (let t = 0, i = 0; t < nTime; t++) {`,
          `    den = 1 + d * den;`,
          `    for (let c = 0; c < nCell; c++, i++) {`,
          `      num[c] = ${X}[i] + d * num[c];`,
          `      ${B}[i] = num[c] / den;`,
          `    }`,
          `  }`,
        );
      }
      lines.push(`}`);
      return lines;
    }
    default:
      throw new Error(`codegen: '${n.op}' is not temporal`);
  }
}

function stageLines(plan: KernelPlan, s: Stage, simd: SimdNeeds | null, nParams: number): string[] {
  const n = plan.graph.nodes[s.node];
  if (simd?.stages.includes(s.node)) {
    if (!simd.decays.includes(s.node)) return [`W.s${s.node}();`];
    const tau = new Emitter(plan, "cell", -1).code(n.args[1]);
    return [`H[${decaySlot(simd, nParams, s.node)}] = Math.exp(-1 / ${tau});`, `W.s${s.node}();`];
  }
  return TEMPORAL_OPS.has(n.op) ? temporalStage(plan, s) : pointwiseStage(plan, s);
}

/** The combiner applied to term values r0..r{m-1}, with scale p0 and (softmin) tau p1. */
function combineCode(combiner: string, m: number): string[] {
  const r = Array.from({ length: m }, (_, k) => `r${k}`);
  switch (combiner) {
    case "product":
      return [`const v = ${["p0", ...r].join(" * ")};`];
    case "logit-sum":
      return [`const z = ${["p0", ...r].join(" * ")};`, `const v = 1 / (1 + 1 / z);`];
    case "min":
      return [`const v = p0 * ${m === 0 ? "1" : m === 1 ? "r0" : `Math.min(${r.join(", ")})`};`];
    case "softmin":
      if (m === 0) return [`const v = p0;`];
      return [
        `const lo = ${m === 1 ? "r0" : `Math.min(${r.join(", ")})`};`,
        `const se = ${r.map((x) => `fexp(-(${x} - lo) / p1)`).join(" + ")};`,
        `const v = p0 * (lo - p1 * flog(se / ${m}));`,
      ];
    default:
      throw new Error(`codegen: unknown combiner '${combiner}'`);
  }
}

function ind(lines: string[]): string[] {
  return lines.map((l) => "  " + l);
}

/**
 * The body of `new Function("rt", body)`: returns `bind(F, nTime, nCell, W)`, which caches parameter-free
 * stages and returns `run(p, out) → number of non-finite outputs`. With `simd`, the main loop is the
 * WebAssembly module's (simd-kernel.ts): every buffer is a view `W.b<id>` on its memory, and each run writes
 * the parameters and scalars into `W.H`, the month-only values into `W.T<id>`, calls `W.main()` and copies
 * `W.out`; otherwise W is unused and the loop is JavaScript.
 */
export function kernelSource(
  plan: KernelPlan,
  combiner: string,
  nParams: number,
  simd: SimdNeeds | null = null,
): string {
  const nodes = plan.graph.nodes;
  const usedParams = new Set<number>([0]);
  if (combiner === "softmin") usedParams.add(1);
  for (const n of nodes) if (n.op === "param") usedParams.add(n.ref);
  const bindStages = plan.stages.filter((s) => s.when === "bind");
  const runStages = plan.stages.filter((s) => s.when === "run");

  const lines: string[] = [
    `"use strict";`,
    `const { fexp, flog, khump, kpowl, kipow2, kipow3, kipow4 } = rt;`,
    `return function bind(F, nTime, nCell, W) {`,
    `  const n = nTime * nCell;`,
    ...plan.graph.inputs.map((_, k) => `  const f${k} = F[${k}];`),
    ...plan.stages.map((s) =>
      simd
        ? `  const b${s.node} = W.b${s.node};`
        : `  const b${s.node} = new Float64Array(${s.domain === "cell" ? "nCell" : "n"});`,
    ),
    ...plan.stages
      .filter((s) => nodes[s.node].op === "ewmean" && !simd?.stages.includes(s.node))
      .map((s) => `  const w${s.node} = new Float64Array(nCell);`),
    ...(simd ? [`  const H = W.H;`, ...simd.timeNodes.map((id) => `  const T${id} = W.T${id};`)] : []),
    ...(simd ? ind(timeBuffers(plan, simd, false)) : []),
    ...ind(bindStages.flatMap((s) => stageLines(plan, s, simd, nParams))),
    `  return function run(p, out) {`,
    `    if (p.length !== ${nParams}) throw new RangeError("kernel: expected ${nParams} parameter values, got " + p.length);`,
    `    if (out.length !== n) throw new RangeError("kernel: out must hold " + n + " values, got " + out.length);`,
    ...[...usedParams].sort((a, b) => a - b).map((j) => `    const p${j} = p[${j}];`),
    ...plan.scalars.map((id) => `    const s${id} = ${new Emitter(plan, "cell", id).code(id, true)};`),
    ...(simd ? ind(ind(simdHeader(plan, simd, nParams))) : []),
    ...ind(ind(runStages.flatMap((s) => stageLines(plan, s, simd, nParams)))),
    ...ind(
      ind(simd ? [`const bad = W.main();`, `out.set(W.out);`, `return bad;`] : jsMainLoop(plan, combiner)),
    ),
    `  };`,
    `};`,
  ];
  return lines.join("\n") + "\n";
}

/** The fused loop over cell-months in JavaScript. */
function jsMainLoop(plan: KernelPlan, combiner: string): string[] {
  const main = new Emitter(plan, "full", -1);
  const body = main.prepare(plan.roots);
  return [
    `let bad = 0;`,
    `for (let t = 0, i = 0; t < nTime; t++) {`,
    ...ind(timeLocals(plan, plan.roots)),
    `  for (let c = 0; c < nCell; c++, i++) {`,
    ...ind(ind(body)),
    ...plan.roots.map((id, k) => `    const r${k} = ${main.code(id)};`),
    ...ind(ind(combineCode(combiner, plan.roots.length))),
    `    out[i] = v;`,
    `    if (!(Math.abs(v) < ${F32_OVERFLOW})) bad++;`,
    `  }`,
    `}`,
    `return bad;`,
  ];
}

/** Each run: the parameters and scalars into the module's header, and the month-only values that depend on them. */
function simdHeader(plan: KernelPlan, simd: SimdNeeds, nParams: number): string[] {
  const nodes = plan.graph.nodes;
  const params = new Set<number>([0, 1].filter((j) => j < nParams));
  for (const n of nodes) if (n.op === "param") params.add(n.ref);
  return [
    ...[...params].sort((a, b) => a - b).map((j) => `H[${j}] = p[${j}];`),
    ...simd.scalars.map((id, k) => `H[${nParams + k}] = s${id};`),
    ...timeBuffers(plan, simd, true),
  ];
}

/** Fill the month-only buffers the module reads: those depending on parameters (each run) or not (at bind). */
function timeBuffers(plan: KernelPlan, simd: SimdNeeds, withParams: boolean): string[] {
  const nodes = plan.graph.nodes;
  const ids = simd.timeNodes.filter((id) => ((nodes[id].flags & P) !== 0) === withParams);
  if (!ids.length) return [];
  return [
    `for (let t = 0; t < nTime; t++) {`,
    ...ind(
      timeLocals(
        plan,
        ids.filter((id) => nodes[id].op !== "input"),
      ),
    ),
    ...ids.map((id) =>
      nodes[id].op === "input" ? `  T${id}[t] = f${nodes[id].ref}[t];` : `  T${id}[t] = u${id};`,
    ),
    `}`,
  ];
}
