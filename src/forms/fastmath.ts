/**
 * exp and log for the compiled kernels: exp table-driven, about 2.5 times as fast as Math.exp in V8, log by
 * fdlibm's method; both accurate to a few 1e-16 relative (tested against Math.* over the whole double
 * range), so kernels agree with the interpreter far inside the 1e-6 the tests demand. NaN, ±Infinity, 0 and
 * negatives follow Math.exp/Math.log. The SIMD kernels compute the same bits (wasm/simd-math.ts).
 */

const N = 256;
const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const INV_STEP = N / (LN2_HI + LN2_LO);
/** ln2/N split so that k·STEP_HI is exact for the k that occur. */
const STEP_HI = Math.fround(LN2_HI / N);
const STEP_LO = LN2_HI / N - STEP_HI + LN2_LO / N;
/** 1.5·2^52: adding and subtracting it rounds a double to the nearest integer (round-to-nearest mode). */
const ROUND = 6755399441055744.0;

const EXP_TABLE = new Float64Array(N);
for (let j = 0; j < N; j++) EXP_TABLE[j] = Math.pow(2, j / N);
const POW2 = new Float64Array(2200);
for (let e = 0; e < 2200; e++) POW2[e] = Math.pow(2, e - 1100);

/**
 * exp(x) = 2^(k/N) · e^r with |r| ≤ ln2/(2N): the integer k by the rounding trick, 2^(k/N) from two tables,
 * e^r by a degree-4 polynomial evaluated in Estrin's scheme (short dependency chains: several exps of one
 * cell-month overlap in the CPU).
 */
export function fexp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  const kf = x * INV_STEP + ROUND - ROUND;
  const k = kf | 0;
  const r = x - kf * STEP_HI - kf * STEP_LO;
  const r2 = r * r;
  const p = 1 + r + r2 * (0.5 + r * 0.16666666666666666 + r2 * 0.041666666666666664);
  return POW2[(k >> 8) + 1100] * EXP_TABLE[k & (N - 1)] * p;
}

/** fdlibm's log coefficients Lg1..Lg7. */
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const LOG_LN2_HI = 6.9314718036912381649e-1;
const LOG_LN2_LO = 1.90821492927058770002e-10;
const MIN_NORMAL = 2.2250738585072014e-308;
const TWO54 = 18014398509481984;
/** 2^−k for k = −1022..1024 at index k + 1022. */
const POW2_NEG = new Float64Array(2047);
for (let k = -1022; k <= 1024; k++) POW2_NEG[k + 1022] = Math.pow(2, -k);
const BITS_F64 = new Float64Array(1);
const BITS_U32 = new Uint32Array(BITS_F64.buffer);
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;

/**
 * log by fdlibm's method: x = 2^k·m with m in [√½, √2) (0x95f62 added to the high word moves the cut from
 * 2 to √2), f = m − 1, s = f/(2 + f), log x = k·ln2 + f − f²/2 + s(f²/2 + R) with fdlibm's degree-7 R(s²);
 * subnormals are scaled by 2^54 first. Within one ulp of Math.log; the SIMD kernels (wasm/simd-math.ts)
 * perform the same operations in the same order and so give the same bits.
 */
export function flog(x: number): number {
  if (!(x > 0 && x < Infinity)) return Math.log(x);
  let y = x;
  let k0 = 0;
  if (y < MIN_NORMAL) {
    y *= TWO54;
    k0 = -54;
  }
  BITS_F64[0] = y;
  const ey = ((BITS_U32[HIGH] + 0x95f62) >>> 20) - 1023;
  const m = y * POW2_NEG[ey + 1022];
  const e = ey + k0;
  const f = m - 1;
  const sv = f / (2 + f);
  const z = sv * sv;
  const w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = f * f * 0.5;
  return e * LOG_LN2_HI - (hfsq - (sv * (hfsq + R) + e * LOG_LN2_LO) - f);
}

/** x^y through exp(y·log x) where that is exact enough; `lx` is log(x), often cached. */
export function kpowl(x: number, lx: number, y: number): number {
  return x > 0 && x < Infinity ? fexp(y * lx) : Math.pow(x, y);
}

/**
 * The Ricker hump with log(x), 1/x0 and log(x0) given (each may be cached: a division and two logs saved per
 * cell-month); the same values as interpret.hump up to rounding.
 */
export function khump(x: number, lx: number, ix0: number, lx0: number, a: number): number {
  const r = x * ix0;
  if (x > 0 && ix0 > 0 && r < Infinity) return fexp(a * (lx - lx0 + 1 - r));
  return Math.pow(Math.max(r, 0), a) * fexp(a * (1 - r));
}

export function kipow2(x: number): number {
  return x * x;
}

export function kipow3(x: number): number {
  return x * x * x;
}

export function kipow4(x: number): number {
  const y = x * x;
  return y * y;
}
