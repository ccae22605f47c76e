/**
 * exp and log on two f64 lanes (WebAssembly SIMD128) for the SIMD kernels. Each performs fastmath.ts's
 * scalar fexp / flog operation for operation in the same order, so both give the same bits over the whole
 * double range, special values included (NaN, ±Infinity, ±0, subnormals, overflow, underflow), and a SIMD
 * kernel computes exactly what the JavaScript kernel computes (within ~1e-15 of Math.exp / Math.log).
 *
 * exp: x = k·ln2/256 + r with |r| ≤ ln2/512 (k by the 1.5·2^52 rounding trick, read back from the bits of
 * the rounded value), 2^((k mod 256)/256) from a table (looked up lane by lane), e^r by a degree-4
 * polynomial, 2^⌊k/256⌋ added to the exponent bits (fexp multiplies by it: the same, as the result is normal).
 * log: fdlibm's method: x = 2^k·m with m in [√½, √2), f = m − 1, s = f/(2 + f), log m = f − f²/2 + s(f²/2 + R(s²))
 * with fdlibm's degree-7 R, subnormals scaled by 2^54 first.
 */
import { type Code, O, S, V128 } from "./encode.ts";

const MAGIC = 6755399441055744.0; // 1.5·2^52
const LOG2_N = 8;
const N = 1 << LOG2_N;
/** 2^(j/N), j = 0..N−1. */
const EXP_TABLE = Array.from({ length: N }, (_, j) => Math.pow(2, j / N));
const LN2_HI_D = 0.6931471805599453;
const LN2_LO_D = 2.3190468138462996e-17;
const INV_STEP = N / (LN2_HI_D + LN2_LO_D);
/** ln2/N split so that k·STEP_HI is exact for |k| < 2^29. */
const STEP_HI = Math.fround(LN2_HI_D / N);
const STEP_LO = LN2_HI_D / N - STEP_HI + LN2_LO_D / N;
/** fdlibm's log coefficients Lg1..Lg7. */
const LG = [
  6.66666666666673513e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
];

/** Emits exp/log sequences into one function body, sharing its scratch locals. */
export class SimdMath {
  private readonly t: number[];

  constructor(
    private readonly c: Code,
    /** Index of the imported scalar fexp (fastmath.ts). */
    private readonly fexpIndex: number,
  ) {
    this.t = Array.from({ length: 8 }, () => c.local(V128));
  }

  /**
   * exp of local `x`, left on the stack: fastmath.fexp's operations in its order, so the same bits. Lanes
   * with |x| ≥ 708: below −746 give 0, above 710 Infinity, NaN NaN (all without a call); the narrow bands
   * in between go to the scalar fexp (an imported function).
   */
  exp(x: number): void {
    const c = this.c;
    const [t, kf, r, r2, j, res, ok, sp] = this.t;
    const table = c.pool.table(EXP_TABLE);
    // k = round(x·N/ln2) in the low bits of t; x = k·ln2/N + r
    c.get(x).splat(INV_STEP).simd(S.f64x2Mul).splat(MAGIC).simd(S.f64x2Add).tee(t);
    c.splat(MAGIC).simd(S.f64x2Sub).set(kf);
    c.get(x).get(kf).splat(STEP_HI).simd(S.f64x2Mul).simd(S.f64x2Sub);
    c.get(kf).splat(STEP_LO).simd(S.f64x2Mul).simd(S.f64x2Sub).tee(r);
    c.get(r).simd(S.f64x2Mul).set(r2);
    // 2^((k mod N)/N) from the table, one lane at a time
    c.get(t)
      .splatBits(N - 1, 0)
      .simd(S.and)
      .i32(3)
      .simd(S.i64x2Shl)
      .set(j);
    c.get(j).lane(S.i32x4ExtractLane, 2);
    c.get(j).lane(S.i32x4ExtractLane, 0).mem(S.load64Zero, null, 3, table);
    c.mem(S.load64Lane, null, 3, table).op(1);
    // × e^r, |r| ≤ ln2/(2N): (1 + r) + r²((1/2 + r/6) + r²/24)
    c.splat(1).get(r).simd(S.f64x2Add);
    c.splat(0.5).get(r).splat(0.16666666666666666).simd(S.f64x2Mul).simd(S.f64x2Add);
    c.get(r2).splat(0.041666666666666664).simd(S.f64x2Mul).simd(S.f64x2Add).get(r2).simd(S.f64x2Mul);
    c.simd(S.f64x2Add).simd(S.f64x2Mul);
    // × 2^⌊k/N⌋ added to the exponent bits: (k << 44) keeps ⌊k/N⌋ << 52 once its low 52 bits are cleared
    c.get(t)
      .i32(52 - LOG2_N)
      .simd(S.i64x2Shl)
      .splatBits(0, 0xfff00000)
      .simd(S.and)
      .simd(S.i64x2Add)
      .set(res);
    // lanes out of the fast range
    c.get(x).simd(S.f64x2Abs).splat(708).simd(S.f64x2Lt).tee(ok);
    c.simd(S.i64x2AllTrue).op(O.i32Eqz).op(O.if, 0x40);
    c.splat(0).get(res).get(x).splat(-746).simd(S.f64x2Lt).tee(sp).simd(S.bitselect).set(res);
    c.splat(Infinity).get(res).get(x).splat(710).simd(S.f64x2Gt).tee(j).simd(S.bitselect).set(res);
    c.get(sp).get(j).simd(S.or).set(sp);
    c.get(x).get(res).get(x).get(x).simd(S.f64x2Ne).tee(j).simd(S.bitselect).set(res);
    c.get(ok).get(sp).simd(S.or).get(j).simd(S.or).simd(S.i64x2AllTrue).op(O.i32Eqz).op(O.if, 0x40);
    for (let lane = 0; lane < 2; lane++) {
      c.get(res).get(x).lane(S.f64x2ExtractLane, lane).op(O.call, this.fexpIndex);
      c.lane(S.f64x2ReplaceLane, lane).set(res);
    }
    c.op(O.end, O.end);
    c.get(res);
  }

  /** log of local `x`, left on the stack. */
  log(x: number): void {
    const c = this.c;
    const [xs, e, m, f, s, z, w, hf] = this.t;
    // subnormals (and 0) scaled by 2^54; e starts at −54 for them
    c.get(x).splat(2.2250738585072014e-308).simd(S.f64x2Lt).set(w);
    c.get(x).splat(18014398509481984).simd(S.f64x2Mul).get(x).get(w).simd(S.bitselect).set(xs);
    // m = mantissa in [1, 2) scaled to [√½, √2): add 0x95f62 to the high word, as fdlibm does
    c.get(xs).splatBits(0, 0x00095f62).simd(S.i64x2Add).tee(m);
    c.i32(52).simd(S.i64x2ShrU).splatBits(1023, 0).simd(S.i64x2Sub).set(e); // k as i64 (unbiased exponent)
    // m bits: mantissa of (xs + 0x95f62<<32) with exponent set to 0x3ff, then minus the 0x95f62 shift
    c.get(m).splatBits(0xffffffff, 0x000fffff).simd(S.and).splatBits(0, 0x3ff00000).simd(S.i64x2Add);
    c.splatBits(0, 0x00095f62).simd(S.i64x2Sub).set(m);
    // f = m − 1, s = f / (2 + f)
    c.get(m).splat(1).simd(S.f64x2Sub).tee(f).splat(2).get(f).simd(S.f64x2Add).simd(S.f64x2Div).set(s);
    // k as f64: i64 → f64 for |k| < 2^31 via the magic-number trick
    c.get(e).splatBits(0, 0x43380000).simd(S.i64x2Add).splat(MAGIC).simd(S.f64x2Sub);
    c.splat(54).splat(0).get(w).simd(S.bitselect).simd(S.f64x2Sub).set(e);
    // z = s², w2 = z² ; R = z·(Lg1 + w2(Lg3 + w2(Lg5 + w2 Lg7))) + w2(Lg2 + w2(Lg4 + w2 Lg6))
    c.get(s).get(s).simd(S.f64x2Mul).tee(z).get(z).simd(S.f64x2Mul).set(w);
    c.get(w).splat(LG[6]).simd(S.f64x2Mul).splat(LG[4]).simd(S.f64x2Add).get(w).simd(S.f64x2Mul);
    c.splat(LG[2]).simd(S.f64x2Add).get(w).simd(S.f64x2Mul).splat(LG[0]).simd(S.f64x2Add);
    c.get(z).simd(S.f64x2Mul);
    c.get(w).splat(LG[5]).simd(S.f64x2Mul).splat(LG[3]).simd(S.f64x2Add).get(w).simd(S.f64x2Mul);
    c.splat(LG[1]).simd(S.f64x2Add).get(w).simd(S.f64x2Mul);
    c.simd(S.f64x2Add).set(z); // z := R
    // hfsq = f²/2; log = k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo)) − f)
    c.get(f).get(f).simd(S.f64x2Mul).splat(0.5).simd(S.f64x2Mul).set(hf);
    c.get(e).splat(6.9314718036912381649e-1).simd(S.f64x2Mul);
    c.get(hf);
    c.get(s).get(hf).get(z).simd(S.f64x2Add).simd(S.f64x2Mul);
    c.get(e).splat(1.90821492927058770002e-10).simd(S.f64x2Mul).simd(S.f64x2Add);
    c.simd(S.f64x2Sub).get(f).simd(S.f64x2Sub).simd(S.f64x2Sub).set(f);
    // special cases: x < 0 or NaN → NaN; x = 0 → −Infinity; x = +Infinity → +Infinity
    c.splat(-Infinity).get(f).get(x).splat(0).simd(S.f64x2Eq).simd(S.bitselect).set(f);
    c.splat(Infinity).get(f).get(x).splat(Infinity).simd(S.f64x2Eq).simd(S.bitselect).set(f);
    c.get(f).splat(NaN).get(x).splat(0).simd(S.f64x2Ge).simd(S.bitselect);
  }
}
