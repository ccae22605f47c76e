/**
 * What a SIMD kernel's module reads and writes, found from the plan: the stages it computes, the inputs,
 * buffers and month-only values it reads, the terms it memoises; and the order of its functions' address
 * arguments. The JavaScript part (codegen.ts) and the memory layout (simd-bind.ts) follow the same lists.
 */
import { C, P, T, TEMPORAL_OPS, type IrNode, type KernelPlan } from "../ir.ts";

/** Element type of an input copied into the module's memory. */
export type ElemType = "f32" | "f64";

/** What the module's functions read and write, and so what the JavaScript part places in memory. */
export interface SimdNeeds {
  /**
   * Stages computed by the module (function `s<id>` each): pointwise ones over every cell-month and the
   * temporal operators but lag (a copy, left to JavaScript).
   */
  readonly stages: readonly number[];
  /** accum/ewmean stages among them: the JavaScript part writes e^(−1/τ) into header slot `decaySlot`. */
  readonly decays: readonly number[];
  /** ewmean stages: each has a row of nCell f64 for its running numerator. */
  readonly ewmeans: readonly number[];
  /** Parameter-only values (scalars) read; the parameters themselves are all in the header. */
  readonly scalars: readonly number[];
  /** Nodes read one value per month of (time-only nodes and month-layout inputs). */
  readonly timeNodes: readonly number[];
  /** Inputs with one value per cell read directly (copied as f64). */
  readonly cellInputs: readonly number[];
  /** Inputs with one value per cell-month read directly (copied in their own element type). */
  readonly cellTimeInputs: readonly number[];
  /** Every materialised stage buffer (read, or written by a stage function). */
  readonly buffers: readonly number[];
  /** Terms the main loop memoises per cell (their input repeats from one month to the next). */
  readonly memo: readonly MemoTerm[];
}

/** A term whose value at a cell-month depends on one cell-month input there (and parameters, per-cell values). */
export interface MemoTerm {
  readonly root: number;
  /** The input (index into the resolved inputs). */
  readonly ref: number;
}

/** Below this cost a term is recomputed rather than memoised (an exp or log costs about 12). */
const MEMO_COST = 12;

/**
 * Terms worth memoising if their input repeats: computed in the main loop, costly, and reading exactly one
 * cell-month input (directly or through parameter-free or per-run pointwise caches of it), no month-only
 * value and no temporal operator. Where the input at (t, c) has the bits it had at (t − 1, c), the term
 * has the value it had, so the loop can reuse it.
 */
export function memoCandidates(plan: KernelPlan): MemoTerm[] {
  const nodes = plan.graph.nodes;
  const inputs = plan.graph.inputs;
  const out: MemoTerm[] = [];
  for (const root of new Set(plan.roots)) {
    const n = nodes[root];
    if (n.cost < MEMO_COST || n.flags === P || plan.materialised.has(root) || isTimeOnly(n)) continue;
    if (n.op === "input" || n.op === "num" || n.op === "param") continue;
    const refs = new Set<number>();
    const seen = new Set<number>();
    const ok = (id: number): boolean => {
      if (seen.has(id)) return true;
      seen.add(id);
      const x = nodes[id];
      if (x.op === "num" || x.op === "param" || x.flags === P) return true;
      if (x.op === "input") {
        const layout = inputs[x.ref].layout;
        if (layout === "cellTime") refs.add(x.ref);
        return layout !== "time";
      }
      if (isTimeOnly(x) || TEMPORAL_OPS.has(x.op)) return false;
      return x.args.every(ok);
    };
    if (ok(root) && refs.size === 1) out.push({ root, ref: [...refs][0] });
  }
  return out;
}

export function isTimeOnly(n: IrNode): boolean {
  return (n.flags & T) !== 0 && (n.flags & C) === 0 && n.op !== "input";
}

export interface Reads {
  readonly params: Set<number>;
  readonly scalars: Set<number>;
  readonly timeNodes: Set<number>;
  readonly cellInputs: Set<number>;
  readonly cellTimeInputs: Set<number>;
}

/** What computing `roots` reads (each root computed, not read from its buffer). */
export function reads(plan: KernelPlan, roots: readonly number[], self: number): Reads {
  const nodes = plan.graph.nodes;
  const inputs = plan.graph.inputs;
  const seen = new Set<number>();
  const r: Reads = {
    params: new Set(),
    scalars: new Set(),
    timeNodes: new Set(),
    cellInputs: new Set(),
    cellTimeInputs: new Set(),
  };
  const visit = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = nodes[id];
    if (n.op === "num") return;
    if (n.op === "param") r.params.add(n.ref);
    else if (n.flags === P) r.scalars.add(id);
    else if (n.op === "input") {
      const layout = inputs[n.ref].layout;
      if (layout === "cellTime") r.cellTimeInputs.add(n.ref);
      else if (layout === "cell") r.cellInputs.add(n.ref);
      else r.timeNodes.add(id);
    } else if (plan.materialised.has(id) && id !== self) return;
    else if (isTimeOnly(n)) r.timeNodes.add(id);
    else n.args.forEach(visit);
  };
  roots.forEach(visit);
  return r;
}

function pointwiseStages(plan: KernelPlan): number[] {
  return plan.stages
    .filter((s) => s.domain === "full" && !TEMPORAL_OPS.has(plan.graph.nodes[s.node].op))
    .map((s) => s.node);
}

function temporalStages(plan: KernelPlan): number[] {
  return plan.stages
    .filter((s) => TEMPORAL_OPS.has(plan.graph.nodes[s.node].op) && plan.graph.nodes[s.node].op !== "lag")
    .map((s) => s.node);
}

/** The operand of temporal node `n` when it is read directly from a cell-month input, else null. */
export function directInput(plan: KernelPlan, n: IrNode): number | null {
  const x = plan.graph.nodes[n.args[0]];
  return x.op === "input" && plan.graph.inputs[x.ref].layout === "cellTime" ? x.ref : null;
}

/** What the module reads and writes; `repeating`: the inputs whose memo candidates are memoised. */
export function simdNeeds(plan: KernelPlan, repeating: ReadonlySet<number> = new Set()): SimdNeeds {
  const nodes = plan.graph.nodes;
  const temporal = temporalStages(plan);
  const memo = memoCandidates(plan).filter((m) => repeating.has(m.ref));
  const all = [reads(plan, plan.roots, -1), ...pointwiseStages(plan).map((id) => reads(plan, [id], id))];
  for (const m of memo) all.push({ ...reads(plan, [], -1), cellTimeInputs: new Set([m.ref]) });
  for (const id of temporal) {
    const ref = directInput(plan, nodes[id]);
    if (ref !== null) all.push({ ...reads(plan, [], -1), cellTimeInputs: new Set([ref]) });
  }
  const union = (k: Exclude<keyof Reads, "params">) =>
    [...new Set(all.flatMap((r) => [...r[k]]))].sort((a, b) => a - b);
  const stages = new Set([...pointwiseStages(plan), ...temporal]);
  return {
    stages: plan.stages.map((s) => s.node).filter((id) => stages.has(id)),
    decays: temporal.filter((id) => nodes[id].op === "accum" || nodes[id].op === "ewmean"),
    ewmeans: temporal.filter((id) => nodes[id].op === "ewmean"),
    scalars: union("scalars"),
    timeNodes: union("timeNodes"),
    cellInputs: union("cellInputs"),
    cellTimeInputs: union("cellTimeInputs"),
    buffers: plan.stages.map((s) => s.node),
    memo,
  };
}

/**
 * The order of every module function's i32 arguments after (nTime, nCell): the byte address of the
 * header (parameters, then the scalars), of each time buffer, cell input, cell-month input, stage buffer,
 * and of the float32 output.
 */
export interface SimdArgs {
  readonly header: 0;
  readonly time: readonly number[];
  readonly cell: readonly number[];
  readonly cellTime: readonly number[];
  readonly buffer: readonly number[];
  /** The ewmean numerator rows. */
  readonly scratch: readonly number[];
  /** One row of nCell f64 per memoised term: its last value in each cell. */
  readonly memo: readonly number[];
  readonly out: number;
}

export function simdArgs(needs: SimdNeeds): SimdArgs {
  let k = 1;
  const next = (xs: readonly number[]) => xs.map(() => k++);
  const time = next(needs.timeNodes);
  const cell = next(needs.cellInputs);
  const cellTime = next(needs.cellTimeInputs);
  const buffer = next(needs.buffers);
  const scratch = next(needs.ewmeans);
  const memo = next(needs.memo.map((m) => m.root));
  return { header: 0, time, cell, cellTime, buffer, scratch, memo, out: k };
}

/** Header slot (f64 index) of the decay factor of accum/ewmean stage `id`. */
export function decaySlot(needs: SimdNeeds, nParams: number, id: number): number {
  return nParams + needs.scalars.length + needs.decays.indexOf(id);
}

/** f64 values in the header: parameters, scalars, decay factors. */
export function headerLength(needs: SimdNeeds, nParams: number): number {
  return nParams + needs.scalars.length + needs.decays.length;
}
