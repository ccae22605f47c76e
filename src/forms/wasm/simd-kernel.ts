/**
 * A kernel's loops over cell-months as WebAssembly SIMD (two f64 lanes: two cells at a time), generated from
 * the plan (src/forms/ir.ts) alone, like the JavaScript kernel: the module is made of opcodes chosen here and
 * numbers taken from the checked tree, never text.
 *
 * Functions: `main` (every term, the combiner, float32 output, count of non-finite values), one `s<id>` per
 * pointwise stage over cell-months (bind-time caches such as log(gpp), per-run operands of temporal
 * operators) and per temporal operator but lag. The JavaScript part (codegen.ts) keeps the rest: scalars,
 * per-cell stages, month-only values, lag, and the calls, and places what the module reads in its memory.
 *
 * Every operation is the JavaScript kernel's, in the same order: the arithmetic is IEEE, exp and log
 * (simd-math.ts) give fastmath's bits, and the rare special cases of hump, x^y and cos go to the same scalar
 * functions; so both loops give the same bits (tested on random forms).
 */
import { TEMPORAL_OPS, type KernelPlan } from "../ir.ts";
import { Code, ConstPool, encodeModule, I32, O, S, V128 } from "./encode.ts";
import { BodyEmitter, CALL, type Frame, IMPORT_TYPES, SIMD_IMPORTS } from "./simd-body.ts";
import { SimdMath } from "./simd-math.ts";
import { type ElemType, type MemoTerm, reads, type Reads, simdArgs, type SimdNeeds } from "./simd-needs.ts";
import { temporalFunction } from "./simd-temporal.ts";

const F32_OVERFLOW = 3.4028235677973366e38;

/**
 * The module: `main(nTime, nCell, ...addresses) → non-finite count`, writing float32 burned fraction for
 * every cell-month, and `s<id>(nTime, nCell, ...addresses)` for each pointwise stage in `needs.stages`,
 * writing its f64 buffer. `elem[k]` is the element type of input k as copied into memory. Returns the
 * module and the size of its constant pool (kept at address 0 of the memory).
 */
export function simdKernelModule(
  plan: KernelPlan,
  combiner: string,
  nParams: number,
  needs: SimdNeeds,
  elem: readonly ElemType[],
): { bytes: Uint8Array; poolBytes: number } {
  const pool = new ConstPool();
  const args = simdArgs(needs);
  const nArgs = 2 + args.out + 1;
  const main = loopFunction(plan, combiner, nParams, needs, elem, pool, -1, reads(plan, plan.roots, -1));
  const stages = needs.stages.map((id) =>
    TEMPORAL_OPS.has(plan.graph.nodes[id].op)
      ? temporalFunction(plan, nParams, needs, elem, pool, id)
      : loopFunction(plan, combiner, nParams, needs, elem, pool, id, reads(plan, [id], id)),
  );
  const i32s = Array<typeof I32>(nArgs).fill(I32);
  const bytes = encodeModule({
    imports: SIMD_IMPORTS.map((name) => ({ name, type: IMPORT_TYPES[name] })),
    funcs: [
      { name: "main", type: { params: i32s, results: [I32] }, code: main },
      ...stages.map((code, k) => ({
        name: `s${needs.stages[k]}`,
        type: { params: i32s, results: [] },
        code,
      })),
    ],
    pool,
    minPages: 1,
  });
  return { bytes, poolBytes: pool.bytes.length };
}

/** One function looping over cell-months: the main loop (self = −1) or pointwise stage `self`. */
function loopFunction(
  plan: KernelPlan,
  combiner: string,
  nParams: number,
  needs: SimdNeeds,
  elem: readonly ElemType[],
  pool: ConstPool,
  self: number,
  uses: Reads,
): Code {
  const args = simdArgs(needs);
  const nArgs = 2 + args.out + 1;
  const arg = (k: number) => 2 + k;
  const c = new Code(nArgs, pool);
  const NT = 0;
  const NC = 1;
  const t = c.local(I32);
  const t8 = c.local(I32);
  const cc = c.local(I32);
  const i4 = c.local(I32);
  const i8 = c.local(I32);
  const c8 = c.local(I32);
  const bad = c.local(V128);
  const math = new SimdMath(c, CALL.fexp);

  // parameters and scalars from the header, splat once
  const paramLocal = new Map<number, number>();
  const used = new Set<number>(uses.params);
  if (self < 0) used.add(0);
  if (self < 0 && combiner === "softmin") used.add(1);
  for (const j of [...used].sort((a, b) => a - b)) {
    const l = c.local(V128);
    c.get(arg(args.header))
      .mem(S.load64Splat, null, 3, j * 8)
      .set(l);
    paramLocal.set(j, l);
  }
  const scalarLocal = new Map<number, number>();
  needs.scalars.forEach((id, k) => {
    if (!uses.scalars.has(id)) return;
    const l = c.local(V128);
    c.get(arg(args.header))
      .mem(S.load64Splat, null, 3, (nParams + k) * 8)
      .set(l);
    scalarLocal.set(id, l);
  });
  const myTime = needs.timeNodes.filter((id) => uses.timeNodes.has(id));
  const timeLocal = new Map<number, number>(myTime.map((id) => [id, c.local(V128)]));
  const frame: Frame = {
    cellTimeBase: new Map(needs.cellTimeInputs.map((ref, k) => [ref, arg(args.cellTime[k])])),
    cellBase: new Map(needs.cellInputs.map((ref, k) => [ref, arg(args.cell[k])])),
    bufferBase: new Map(needs.buffers.map((id, k) => [id, arg(args.buffer[k])])),
    timeLocal,
    paramLocal,
    scalarLocal,
    i4,
    i8,
    c8,
  };
  const out = arg(args.out);
  const body = (mode: "pair" | "tail") => {
    const e = new BodyEmitter(c, math, plan, elem, frame, mode, self);
    if (self >= 0) {
      // a stage: its f64 value into its own buffer
      const v = e.node(self);
      c.get(frame.bufferBase.get(self)!).get(i8).op(O.i32Add).get(v);
      if (mode === "pair") c.mem(S.store, null, 3);
      else c.mem(S.store64Lane, null, 3).op(0);
      return;
    }
    const v = c.local(V128);
    for (const [k, m] of needs.memo.entries()) memoised(e, m, arg(args.memo[k]), mode);
    e.combine(
      combiner,
      plan.roots.map((id) => e.node(id)),
    );
    c.set(v);
    // float32 store, then count lanes with !(|v| < float32 overflow)
    c.get(out).get(i4).op(O.i32Add).get(v).simd(S.f32x4DemoteF64x2Zero);
    c.mem(mode === "pair" ? S.store64Lane : S.store32Lane, null, 2).op(0);
    c.get(bad).get(v).simd(S.f64x2Abs).splat(F32_OVERFLOW).simd(S.f64x2Lt).simd(S.not);
    if (mode === "tail")
      c.constant([...Array<number>(8).fill(0xff), ...Array<number>(8).fill(0)]).simd(S.and);
    c.simd(S.i64x2Sub).set(bad);
  };
  const add = (local: number, k: number) => c.get(local).i32(k).op(O.i32Add).set(local);
  const rowBytes = c.local(I32);
  c.get(NC).i32(4).op(O.i32Mul).set(rowBytes);
  /**
   * A memoised term: if t > 0 and its input has, in both lanes, the bits it had a month earlier, the value
   * kept for these cells; else computed (in a scope of its own) and kept.
   */
  const memoised = (e: BodyEmitter, m: MemoTerm, cache: number, mode: "pair" | "tail") => {
    const cur = e.node(plan.graph.nodes.findIndex((n) => n.op === "input" && n.ref === m.ref));
    const f32 = elem[m.ref] === "f32";
    const base = frame.cellTimeBase.get(m.ref)!;
    const res = c.local(V128);
    c.op(O.block, 0x7b);
    c.get(t).op(O.if, 0x40);
    // the input a month earlier: same cells, one row back
    c.get(base)
      .get(f32 ? i4 : i8)
      .op(O.i32Add)
      .get(rowBytes);
    if (!f32) c.i32(1).op(O.i32Shl);
    c.op(O.i32Sub);
    if (f32) c.mem(mode === "pair" ? S.load64Zero : S.load32Zero, null, 2).simd(S.f64x2PromoteLowF32x4);
    else c.mem(mode === "pair" ? S.load : S.load64Zero, null, 3);
    c.get(cur).simd(S.i64x2Eq).simd(S.i64x2AllTrue).op(O.if, 0x40);
    c.get(cache)
      .get(c8)
      .op(O.i32Add)
      .mem(mode === "pair" ? S.load : S.load64Zero, null, 3);
    c.op(O.br, 2, O.end, O.end);
    const before = e.known();
    const v = e.node(m.root);
    e.forgetSince(before);
    c.get(cache).get(c8).op(O.i32Add).get(v);
    if (mode === "pair") c.mem(S.store, null, 3);
    else c.mem(S.store64Lane, null, 3).op(0);
    c.get(v).op(O.end).set(res);
    e.hold(m.root, res);
  };

  // for each month: its month-only values, then the cells two by two, then the last one of an odd row
  c.op(O.block, 0x40, O.loop, 0x40);
  c.get(t).get(NT).op(O.i32GeU).op(O.brIf, 1);
  needs.timeNodes.forEach((id, k) => {
    if (!timeLocal.has(id)) return;
    c.get(arg(args.time[k])).get(t8).op(O.i32Add).mem(S.load64Splat, null, 3).set(timeLocal.get(id)!);
  });
  c.i32(0).set(cc).i32(0).set(c8);
  c.op(O.block, 0x40, O.loop, 0x40);
  c.get(cc).i32(1).op(O.i32Add).get(NC).op(O.i32GeU).op(O.brIf, 1);
  body("pair");
  add(cc, 2);
  add(c8, 16);
  add(i4, 8);
  add(i8, 16);
  c.op(O.br, 0, O.end, O.end);
  c.get(cc).get(NC).op(O.i32LtU).op(O.if, 0x40);
  body("tail");
  add(i4, 4);
  add(i8, 8);
  c.op(O.end);
  add(t, 1);
  add(t8, 8);
  c.op(O.br, 0, O.end, O.end);
  if (self < 0) {
    // the count: both i64 lanes, as i32
    c.get(bad).lane(S.i64x2ExtractLane, 0).get(bad).lane(S.i64x2ExtractLane, 1).op(O.i64Add, O.i32WrapI64);
  }
  return c;
}
