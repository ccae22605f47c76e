/**
 * Temporal operators (running mean/max/min, accum, ewmean) as module functions, two cells at a time.
 */
import { type KernelPlan } from "../ir.ts";
import { Code, type ConstPool, F64, I32, O, S, V128 } from "./encode.ts";
import { decaySlot, directInput, type ElemType, simdArgs, type SimdNeeds } from "./simd-needs.ts";

/**
 * A temporal operator along each cell's series, two cells at a time, in the same order of operations as
 * the JavaScript stage (codegen.ts temporalStage): running mean/max/min over a window of K months (a direct
 * sum, oldest month first), accum (A(t) = x(t) + d·A(t−1)) and ewmean (numerator and denominator
 * recurrences), with d = e^(−1/τ) read from the header.
 */
export function temporalFunction(
  plan: KernelPlan,
  nParams: number,
  needs: SimdNeeds,
  elem: readonly ElemType[],
  pool: ConstPool,
  self: number,
): Code {
  const n = plan.graph.nodes[self];
  const args = simdArgs(needs);
  const nArgs = 2 + args.out + 1;
  const arg = (k: number) => 2 + k;
  const c = new Code(nArgs, pool);
  const NT = 0;
  const NC = 1;
  const ref = directInput(plan, n);
  const f32 = ref !== null && elem[ref] === "f32";
  const X =
    ref !== null
      ? arg(args.cellTime[needs.cellTimeInputs.indexOf(ref)])
      : arg(args.buffer[needs.buffers.indexOf(n.args[0])]);
  const B = arg(args.buffer[needs.buffers.indexOf(self)]);
  const size = f32 ? 4 : 8;
  const t = c.local(I32);
  const cc = c.local(I32);
  const xo = c.local(I32); // byte address of X at (t, c)
  const bo = c.local(I32); // byte address of B at (t, c)
  const rowX = c.local(I32);
  const rowB = c.local(I32);
  const acc = c.local(V128);
  const add = (local: number, k: number | (() => void)) => {
    c.get(local);
    if (typeof k === "number") c.i32(k);
    else k();
    c.op(O.i32Add).set(local);
  };
  c.get(NC).i32(size).op(O.i32Mul).set(rowX);
  c.get(NC).i32(8).op(O.i32Mul).set(rowB);
  /** Push X at byte address on the stack as two f64 lanes (lane 0 only in the tail). */
  const loadX = (mode: "pair" | "tail") => {
    if (f32) c.mem(mode === "pair" ? S.load64Zero : S.load32Zero, null, 2).simd(S.f64x2PromoteLowF32x4);
    else c.mem(mode === "pair" ? S.load : S.load64Zero, null, 3);
  };
  const storeB = (mode: "pair" | "tail") => {
    if (mode === "pair") c.mem(S.store, null, 3);
    else c.mem(S.store64Lane, null, 3).op(0);
  };
  /** for t: for cells two by two (then the odd last one): body(mode); xo, bo advance by cell. */
  const cells = (body: (mode: "pair" | "tail") => void, perMonth: () => void = () => {}) => {
    c.i32(0).set(t).get(X).set(xo).get(B).set(bo);
    c.op(O.block, 0x40, O.loop, 0x40);
    c.get(t).get(NT).op(O.i32GeU).op(O.brIf, 1);
    perMonth();
    c.i32(0).set(cc);
    c.op(O.block, 0x40, O.loop, 0x40);
    c.get(cc).i32(1).op(O.i32Add).get(NC).op(O.i32GeU).op(O.brIf, 1);
    body("pair");
    add(cc, 2);
    add(xo, 2 * size);
    add(bo, 16);
    c.op(O.br, 0, O.end, O.end);
    c.get(cc).get(NC).op(O.i32LtU).op(O.if, 0x40);
    body("tail");
    add(xo, size);
    add(bo, 8);
    c.op(O.end);
    add(t, 1);
    c.op(O.br, 0, O.end, O.end);
  };

  if (n.op === "runmean" || n.op === "runmax" || n.op === "runmin") {
    const K = n.value;
    const t0 = c.local(I32);
    const count = c.local(V128);
    const p = c.local(I32);
    const s = c.local(I32);
    const op = n.op === "runmean" ? S.f64x2Add : n.op === "runmax" ? S.f64x2Max : S.f64x2Min;
    cells(
      (mode) => {
        // from month t0 (at xo − (t − t0) rows) to t
        c.get(xo).get(t).get(t0).op(O.i32Sub).get(rowX).op(O.i32Mul).op(O.i32Sub).set(p);
        if (n.op === "runmean") c.splat(0).set(acc);
        else {
          c.get(p);
          loadX(mode);
          c.set(acc);
        }
        c.get(t0).set(s);
        c.op(O.block, 0x40, O.loop, 0x40);
        c.get(s).get(t).op(O.i32GtU).op(O.brIf, 1);
        c.get(acc).get(p);
        loadX(mode);
        c.simd(op).set(acc);
        add(p, () => c.get(rowX));
        add(s, 1);
        c.op(O.br, 0, O.end, O.end);
        c.get(bo).get(acc);
        if (n.op === "runmean") c.get(count).simd(S.f64x2Div);
        storeB(mode);
      },
      () => {
        // t0 = t < K−1 ? 0 : t − (K−1); count = t − t0 + 1
        c.i32(0)
          .get(t)
          .i32(K - 1)
          .op(O.i32Sub)
          .get(t)
          .i32(K - 1)
          .op(O.i32LtU)
          .op(O.select)
          .set(t0);
        c.get(t).get(t0).op(O.i32Sub).i32(1).op(O.i32Add).op(O.f64ConvertI32S).simd(S.f64x2Splat).set(count);
      },
    );
    return c;
  }
  // accum / ewmean: d from the header
  const d = c.local(V128);
  const dScalar = c.local(F64);
  c.get(arg(args.header))
    .mem(null, O.f64Load, 3, decaySlot(needs, nParams, self) * 8)
    .set(dScalar);
  c.get(dScalar).simd(S.f64x2Splat).set(d);
  if (n.op === "accum") {
    // A(0) = x(0); A(t) = x(t) + d·A(t − 1)
    cells((mode) => {
      c.get(xo);
      loadX(mode);
      c.set(acc);
      c.get(t).op(O.if, 0x40);
      c.get(acc).get(d).get(bo).get(rowB).op(O.i32Sub);
      c.mem(mode === "pair" ? S.load : S.load64Zero, null, 3);
      c.simd(S.f64x2Mul).simd(S.f64x2Add).set(acc);
      c.op(O.end);
      c.get(bo).get(acc);
      storeB(mode);
    });
    return c;
  }
  // ewmean: num(c) = x + d·num(c), den = 1 + d·den, value num/den
  const W = arg(args.scratch[needs.ewmeans.indexOf(self)]);
  const den = c.local(F64);
  const denV = c.local(V128);
  const wo = c.local(I32);
  // num := 0 over the row
  c.i32(0).set(cc);
  c.op(O.block, 0x40, O.loop, 0x40);
  c.get(cc).get(NC).op(O.i32GeU).op(O.brIf, 1);
  c.get(W).get(cc).i32(8).op(O.i32Mul).op(O.i32Add).splat(0).mem(S.store64Lane, null, 3).op(0);
  add(cc, 1);
  c.op(O.br, 0, O.end, O.end);
  c.f64(0).set(den);
  cells(
    (mode) => {
      c.get(xo);
      loadX(mode);
      c.get(d).get(wo);
      c.mem(mode === "pair" ? S.load : S.load64Zero, null, 3);
      c.simd(S.f64x2Mul).simd(S.f64x2Add).set(acc);
      c.get(wo).get(acc);
      storeB(mode);
      c.get(bo).get(acc).get(denV).simd(S.f64x2Div);
      storeB(mode);
      add(wo, mode === "pair" ? 16 : 8);
    },
    () => {
      c.f64(1).get(dScalar).get(den).op(O.f64Mul).op(O.f64Add).tee(den).simd(S.f64x2Splat).set(denV);
      c.get(W).set(wo);
    },
  );
  return c;
}
