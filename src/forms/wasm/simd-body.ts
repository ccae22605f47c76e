/**
 * The SIMD loop body: each IR node of a loop over cell-months as WebAssembly instructions on two f64 lanes
 * (two cells), each operation the JavaScript kernel's in the same order (codegen.ts opCode), with the rare
 * special cases of hump, x^y and cos handed to the scalar functions the JavaScript kernel calls.
 */
import { P, type IrNode, type KernelPlan } from "../ir.ts";
import { type Code, F64, type FuncType, O, S, V128 } from "./encode.ts";
import type { SimdMath } from "./simd-math.ts";
import type { ElemType } from "./simd-needs.ts";

/** Scalar fallbacks the module imports, in import order. */
export const SIMD_IMPORTS = ["khump", "kpowl", "pow", "cos", "fexp"] as const;
export const IMPORT_TYPES: Record<(typeof SIMD_IMPORTS)[number], FuncType> = {
  khump: { params: [F64, F64, F64, F64, F64], results: [F64] },
  kpowl: { params: [F64, F64, F64], results: [F64] },
  pow: { params: [F64, F64], results: [F64] },
  cos: { params: [F64], results: [F64] },
  fexp: { params: [F64], results: [F64] },
};
export const CALL: Record<(typeof SIMD_IMPORTS)[number], number> = {
  khump: 0,
  kpowl: 1,
  pow: 2,
  cos: 3,
  fexp: 4,
};

/** Locals and addresses the loop body reads. */
export interface Frame {
  /** Base-address argument index of each cell-month input / cell input / buffer / time node. */
  readonly cellTimeBase: Map<number, number>;
  readonly cellBase: Map<number, number>;
  readonly bufferBase: Map<number, number>;
  /** v128 local holding each time node's value for the current month. */
  readonly timeLocal: Map<number, number>;
  /** v128 locals of the parameters and scalars (splat). */
  readonly paramLocal: Map<number, number>;
  readonly scalarLocal: Map<number, number>;
  /** i32 locals: byte offsets of element i in f32 and f64 arrays, and of cell c in f64 arrays. */
  readonly i4: number;
  readonly i8: number;
  readonly c8: number;
}

export class BodyEmitter {
  private readonly value = new Map<number, number>();
  private readonly nodes: readonly IrNode[];

  constructor(
    private readonly c: Code,
    private readonly m: SimdMath,
    private readonly plan: KernelPlan,
    private readonly elem: readonly ElemType[],
    private readonly f: Frame,
    /** "pair": two cells; "tail": the last cell of an odd row (lane 0 only). */
    private readonly mode: "pair" | "tail",
    /** The stage node this function computes (never read from its own buffer), or −1. */
    private readonly self: number,
  ) {
    this.nodes = plan.graph.nodes;
  }

  private loadF64(base: number, offset: number): void {
    this.c.get(base).get(offset).op(O.i32Add);
    if (this.mode === "pair") this.c.mem(S.load, null, 3);
    else this.c.mem(S.load64Zero, null, 3);
  }

  /** The nodes whose values are in locals now (to forget those computed inside a block afterwards). */
  known(): Set<number> {
    return new Set(this.value.keys());
  }

  forgetSince(before: ReadonlySet<number>): void {
    for (const id of [...this.value.keys()]) if (!before.has(id)) this.value.delete(id);
  }

  /** Remember that node `id` is in `local` (e.g. a value produced by a block). */
  hold(id: number, local: number): void {
    this.value.set(id, local);
  }

  /** A v128 local holding node `id` for the current cells; computes it (once per body) if needed. */
  node(id: number): number {
    const have = this.value.get(id);
    if (have !== undefined) return have;
    const { c, f } = this;
    const n = this.nodes[id];
    let local: number;
    if (n.op === "param") local = f.paramLocal.get(n.ref)!;
    else if (n.op === "num") {
      local = c.local(V128);
      c.splat(n.value).set(local);
    } else if (n.flags === P) local = f.scalarLocal.get(id)!;
    else if (f.timeLocal.has(id)) local = f.timeLocal.get(id)!;
    else if (n.op === "input" && f.cellTimeBase.has(n.ref)) {
      local = c.local(V128);
      if (this.elem[n.ref] === "f32") {
        c.get(f.cellTimeBase.get(n.ref)!).get(f.i4).op(O.i32Add);
        c.mem(this.mode === "pair" ? S.load64Zero : S.load32Zero, null, 2);
        c.simd(S.f64x2PromoteLowF32x4);
      } else this.loadF64(f.cellTimeBase.get(n.ref)!, f.i8);
      c.set(local);
    } else if (n.op === "input" && f.cellBase.has(n.ref)) {
      local = c.local(V128);
      this.loadF64(f.cellBase.get(n.ref)!, f.c8);
      c.set(local);
    } else if (f.bufferBase.has(id) && id !== this.self) {
      local = c.local(V128);
      const domain = this.plan.materialised.get(id)!.domain;
      this.loadF64(f.bufferBase.get(id)!, domain === "cell" ? f.c8 : f.i8);
      c.set(local);
    } else {
      const args = n.args.map((a) => this.node(a));
      local = c.local(V128);
      this.op(n, args);
      c.set(local);
    }
    this.value.set(id, local);
    return local;
  }

  private bin(a: number, b: number, op: number): void {
    this.c.get(a).get(b).simd(op);
  }

  /** Push pow(+0, y) for y in local `y`: 0 (y > 0), 1 (y = 0), Infinity (y < 0), NaN (y NaN). */
  private powZero(y: number): void {
    const c = this.c;
    c.splat(Infinity).splat(NaN).get(y).splat(0).simd(S.f64x2Lt).simd(S.bitselect);
    const t = c.local(V128);
    c.set(t);
    c.splat(1).get(t).get(y).splat(0).simd(S.f64x2Eq).simd(S.bitselect).set(t);
    c.splat(0).get(t).get(y).splat(0).simd(S.f64x2Gt).simd(S.bitselect);
  }

  /** Replace both lanes of local `res` by the imported scalar function applied lane by lane. */
  private scalarCall(fn: number, args: readonly number[], res: number): void {
    const c = this.c;
    for (let lane = 0; lane < 2; lane++) {
      c.get(res);
      for (const a of args) c.get(a).lane(S.f64x2ExtractLane, lane);
      c.op(O.call, fn).lane(S.f64x2ReplaceLane, lane).set(res);
    }
  }

  /**
   * Leave `fast` where all of `ok` holds; else `alt` where `altOk` (both computed only then), and the
   * scalar function on both lanes when some lane is neither. Result in local `res`.
   */
  private guarded(
    fast: number,
    ok: number,
    alt: (() => { alt: number; altOk: number }) | null,
    fallback: { fn: number; args: readonly number[] },
    res: number,
  ): void {
    const c = this.c;
    c.get(fast).set(res);
    c.get(ok).simd(S.i64x2AllTrue).op(O.i32Eqz).op(O.if, 0x40);
    if (alt) {
      const { alt: a, altOk } = alt();
      c.get(ok).get(altOk).simd(S.or).simd(S.i64x2AllTrue).op(O.if, 0x40);
      c.get(fast).get(a).get(ok).simd(S.bitselect).set(res);
      c.op(O.else);
      this.scalarCall(fallback.fn, fallback.args, res);
      c.op(O.end);
    } else this.scalarCall(fallback.fn, fallback.args, res);
    c.op(O.end);
    c.get(res);
  }

  /** Push the value of pointwise node `n` whose arguments are in locals `a`. */
  private op(n: IrNode, a: readonly number[]): void {
    const { c, m } = this;
    switch (n.op) {
      case "neg":
        c.get(a[0]).simd(S.f64x2Neg);
        return;
      case "+":
        return this.bin(a[0], a[1], S.f64x2Add);
      case "-":
        return this.bin(a[0], a[1], S.f64x2Sub);
      case "*":
        return this.bin(a[0], a[1], S.f64x2Mul);
      case "/":
        return this.bin(a[0], a[1], S.f64x2Div);
      case "ipow":
        // as kipow2/3/4: x·x, x·x·x, (x·x)²
        if (n.value === 1) c.get(a[0]);
        else if (n.value === 2) this.bin(a[0], a[0], S.f64x2Mul);
        else if (n.value === 3) c.get(a[0]).get(a[0]).simd(S.f64x2Mul).get(a[0]).simd(S.f64x2Mul);
        else {
          const y = c.local(V128);
          c.get(a[0]).get(a[0]).simd(S.f64x2Mul).tee(y).get(y).simd(S.f64x2Mul);
        }
        return;
      case "exp":
        m.exp(a[0]);
        return;
      case "log":
        m.log(a[0]);
        return;
      case "sqrt":
        c.get(a[0]).simd(S.f64x2Sqrt);
        return;
      case "abs":
        c.get(a[0]).simd(S.f64x2Abs);
        return;
      case "min":
      case "max": {
        const op = n.op === "min" ? S.f64x2Min : S.f64x2Max;
        c.get(a[0]);
        for (let k = 1; k < a.length; k++) c.get(a[k]).simd(op);
        return;
      }
      case "clamp":
        c.get(a[0]).get(a[1]).simd(S.f64x2Max).get(a[2]).simd(S.f64x2Min);
        return;
      case "step":
        c.get(a[0]).splat(0).simd(S.f64x2Gt).splat(1).simd(S.and);
        return;
      case "sigmoid":
        c.splat(1);
        this.sigmoidDenominator(a[0]);
        c.simd(S.f64x2Div);
        return;
      case "cos": {
        const res = c.local(V128);
        c.get(a[0]).set(res);
        this.scalarCall(CALL.cos, [a[0]], res);
        c.get(res);
        return;
      }
      case "pow": {
        // a numeric base that is not positive and finite (lowering turns the others into exp)
        const res = c.local(V128);
        c.get(a[1]).set(res);
        this.scalarCall(CALL.pow, a, res);
        c.get(res);
        return;
      }
      case "powl": {
        // kpowl(x, log x, y): e^(y·log x) for 0 < x < ∞; pow(+0, y) branch-free; the rest scalar
        const [x, lx, y] = a;
        const e = c.local(V128);
        const fast = c.local(V128);
        const ok = c.local(V128);
        const res = c.local(V128);
        c.get(y).get(lx).simd(S.f64x2Mul).set(e);
        m.exp(e);
        c.set(fast);
        c.get(x).splat(0).simd(S.f64x2Gt).get(x).splat(Infinity).simd(S.f64x2Lt).simd(S.and).set(ok);
        this.guarded(
          fast,
          ok,
          () => {
            const alt = c.local(V128);
            const altOk = c.local(V128);
            this.powZero(y);
            c.set(alt);
            c.get(x).splatBits(0, 0).simd(S.i64x2Eq).set(altOk);
            return { alt, altOk };
          },
          { fn: CALL.kpowl, args: a },
          res,
        );
        return;
      }
      case "hump": {
        // khump(x, log x, 1/x0, log x0, a)
        const [x, lx, ix0, lx0, al] = a;
        const r = c.local(V128);
        const e = c.local(V128);
        const fast = c.local(V128);
        const ok = c.local(V128);
        const res = c.local(V128);
        c.get(x).get(ix0).simd(S.f64x2Mul).set(r);
        c.get(al).get(lx).get(lx0).simd(S.f64x2Sub).splat(1).simd(S.f64x2Add).get(r).simd(S.f64x2Sub);
        c.simd(S.f64x2Mul).set(e);
        m.exp(e);
        c.set(fast);
        c.get(x).splat(0).simd(S.f64x2Gt).get(ix0).splat(0).simd(S.f64x2Gt).simd(S.and);
        c.get(r).splat(Infinity).simd(S.f64x2Lt).simd(S.and).set(ok);
        this.guarded(
          fast,
          ok,
          () => {
            // r ≤ 0 (e.g. x = 0): max(r, 0) = +0, so the value is pow(+0, a)·e^(a(1 − r))
            const alt = c.local(V128);
            const altOk = c.local(V128);
            c.get(al).splat(1).get(r).simd(S.f64x2Sub).simd(S.f64x2Mul).set(e);
            this.powZero(al);
            m.exp(e);
            c.simd(S.f64x2Mul).set(alt);
            c.get(r).splat(0).simd(S.f64x2Le).set(altOk);
            return { alt, altOk };
          },
          { fn: CALL.khump, args: a },
          res,
        );
        return;
      }
      default:
        throw new Error(`simd: '${n.op}' is not a pointwise operation`);
    }
  }

  /** Push 1 + e^(−z) for z in local `z`. */
  private sigmoidDenominator(z: number): void {
    const c = this.c;
    const nz = c.local(V128);
    c.get(z).simd(S.f64x2Neg).set(nz);
    c.splat(1);
    this.m.exp(nz);
    c.simd(S.f64x2Add);
  }

  /** Push the combined value of the term locals `r` (scale p0, tau p1). */
  combine(combiner: string, r: readonly number[]): void {
    const { c, m, f } = this;
    const p0 = f.paramLocal.get(0)!;
    const chain = (op: number) => {
      c.get(r[0]);
      for (let k = 1; k < r.length; k++) c.get(r[k]).simd(op);
    };
    switch (combiner) {
      case "product":
      case "logit-sum": {
        c.get(p0);
        for (const x of r) c.get(x).simd(S.f64x2Mul);
        if (combiner === "logit-sum") {
          const z = c.local(V128);
          c.set(z);
          c.splat(1).splat(1).splat(1).get(z).simd(S.f64x2Div).simd(S.f64x2Add).simd(S.f64x2Div);
        }
        return;
      }
      case "min":
        c.get(p0);
        if (r.length === 0) c.splat(1);
        else chain(S.f64x2Min);
        c.simd(S.f64x2Mul);
        return;
      case "softmin": {
        if (r.length === 0) {
          c.get(p0);
          return;
        }
        const tau = f.paramLocal.get(1)!;
        const lo = c.local(V128);
        const se = c.local(V128);
        const z = c.local(V128);
        chain(S.f64x2Min);
        c.set(lo);
        r.forEach((x, k) => {
          c.get(x).get(lo).simd(S.f64x2Sub).simd(S.f64x2Neg).get(tau).simd(S.f64x2Div).set(z);
          m.exp(z);
          if (k > 0) c.get(se).simd(S.f64x2Add);
          c.set(se);
        });
        c.get(se).splat(r.length).simd(S.f64x2Div).set(z);
        c.get(p0).get(lo).get(tau);
        m.log(z);
        c.simd(S.f64x2Mul).simd(S.f64x2Sub).simd(S.f64x2Mul);
        return;
      }
      default:
        throw new Error(`simd: unknown combiner '${combiner}'`);
    }
  }
}
