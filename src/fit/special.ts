/**
 * Special functions for the samplers: erf/erfc, the standard normal CDF Φ and its log with tails,
 * the log mass of a normal between two points, the inverse CDF, and truncated-normal sampling.
 *
 * erf/erfc use the piecewise rational approximations of FreeBSD msun s_erf.c (Sun Microsystems,
 * 1993: "Permission to use, copy, modify, and distribute this software is freely granted, provided
 * that this notice is preserved."), the same coefficients Optuna's TPE uses; relative accuracy in the
 * tails is what log Φ needs. The inverse CDF is Acklam's rational approximation refined by one Halley step.
 */

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
// erf on [0, 0.84375]
const PP0 = 1.28379167095512558561e-1,
  PP1 = -3.2504210724700149937e-1,
  PP2 = -2.84817495755985104766e-2,
  PP3 = -5.77027029648944159157e-3,
  PP4 = -2.37630166566501626084e-5;
const QQ1 = 3.97917223959155352819e-1,
  QQ2 = 6.50222499887672944485e-2,
  QQ3 = 5.08130628187576562776e-3,
  QQ4 = 1.32494738004321644526e-4,
  QQ5 = -3.9602282787753681232e-6;
// erf on [0.84375, 1.25]
const PA0 = -2.36211856075265944077e-3,
  PA1 = 4.14856118683748331666e-1,
  PA2 = -3.72207876035701323847e-1,
  PA3 = 3.18346619901161753674e-1,
  PA4 = -1.10894694282396677476e-1,
  PA5 = 3.54783043256182359371e-2,
  PA6 = -2.166375594868790843e-3;
const QA1 = 1.06420880400844228286e-1,
  QA2 = 5.40397917702171048937e-1,
  QA3 = 7.18286544141962662868e-2,
  QA4 = 1.26171219808761642112e-1,
  QA5 = 1.36370839120290507362e-2,
  QA6 = 1.1984499846799107417e-2;
// erfc on [1.25, 1/0.35]
const RA0 = -9.86494403484714822705e-3,
  RA1 = -6.93858572707181764372e-1,
  RA2 = -1.05586262253232909814e1,
  RA3 = -6.23753324503260060396e1,
  RA4 = -1.62396669462573470355e2,
  RA5 = -1.84605092906711035994e2,
  RA6 = -8.12874355063065934246e1,
  RA7 = -9.81432934416914548592;
const SA1 = 1.96512716674392571292e1,
  SA2 = 1.376577541435190426e2,
  SA3 = 4.34565877475229228821e2,
  SA4 = 6.45387271733267880336e2,
  SA5 = 4.29008140027567833386e2,
  SA6 = 1.08635005541779435134e2,
  SA7 = 6.57024977031928170135,
  SA8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, 28]
const RB0 = -9.86494292470009928597e-3,
  RB1 = -7.99283237680523006574e-1,
  RB2 = -1.77579549177547519889e1,
  RB3 = -1.60636384855821916062e2,
  RB4 = -6.37566443368389627722e2,
  RB5 = -1.02509513161107724954e3,
  RB6 = -4.83519191608651397019e2;
const SB1 = 3.03380607434824582924e1,
  SB2 = 3.25792512996573918826e2,
  SB3 = 1.53672958608443695994e3,
  SB4 = 3.19985821950859553908e3,
  SB5 = 2.55305040643316442583e3,
  SB6 = 4.74528541206955367215e2,
  SB7 = -2.24409524465858183362e1;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** x with the low 32 bits of its mantissa cleared (so that z*z is exact). */
function highPart(x: number): number {
  scratch[0] = x;
  scratchWords[0] = 0; // little-endian: word 0 is the low word
  return scratch[0];
}

/** exp(−x² − 0.5625 + R/S) / x for x in [1.25, 28], the core of erfc's tail. */
function erfcTail(x: number): number {
  const s = 1 / (x * x);
  let r: number, q: number;
  if (x < 1 / 0.35) {
    r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    q = 1 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else {
    r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  const z = highPart(x);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + r / q)) / x;
}

function smallRatio(z: number): number {
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

function midRatio(s: number): number {
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 3.725290298461914e-9) return x + EFX * x;
  if (a < 0.84375) return x + x * smallRatio(x * x);
  if (a < 1.25) return Math.sign(x) * (ERX + midRatio(a - 1));
  if (a >= 6) return Math.sign(x);
  return Math.sign(x) * (1 - erfcTail(a));
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 1.3877787807814457e-17) return 1 - x;
    const y = smallRatio(x * x);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const pq = midRatio(a - 1);
    return x >= 0 ? 1 - ERX - pq : 1 + ERX + pq;
  }
  if (a < 28) {
    if (x < -6) return 2;
    const r = erfcTail(a);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF Φ(a), with relative accuracy in the lower tail. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a * SQRT1_2);
}

/** log Φ(a) with tails: log1p(−Φ(−a)) for a > 0, an asymptotic series for a ≤ −20. */
export function logNdtr(a: number): number {
  if (a > 0) return Math.log1p(-ndtr(-a));
  if (a > -20) return Math.log(ndtr(a));
  // log Φ(a) = −a²/2 − log(−a) − log √(2π) + log(1 − 1/a² + 3/a⁴ − 15/a⁶ + …)
  const r = 1 / (a * a);
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 12; k++) {
    term *= -(2 * k - 1) * r;
    sum += term;
  }
  return -0.5 * a * a - Math.log(-a) - LOG_SQRT_2PI + Math.log(sum);
}

/** log(Φ(b) − Φ(a)) for a ≤ b, accurate when both lie in the same tail. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    const lb = logNdtr(b);
    return lb + Math.log1p(-Math.exp(logNdtr(a) - lb));
  }
  if (a > 0) {
    const la = logNdtr(-a);
    return la + Math.log1p(-Math.exp(logNdtr(-b) - la));
  }
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

const A1 = -3.969683028665376e1,
  A2 = 2.209460984245205e2,
  A3 = -2.759285104469687e2,
  A4 = 1.38357751867269e2,
  A5 = -3.066479806614716e1,
  A6 = 2.506628277459239;
const B1 = -5.447609879822406e1,
  B2 = 1.615858368580409e2,
  B3 = -1.556989798598866e2,
  B4 = 6.680131188771972e1,
  B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3,
  C2 = -3.223964580411365e-1,
  C3 = -2.400758277161838,
  C4 = -2.549732539343734,
  C5 = 4.374664141464968,
  C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3,
  D2 = 3.224671290700398e-1,
  D3 = 2.445134137142996,
  D4 = 3.754408661907416;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Inverse of Φ for p in (0, 1); accurate for p down to the smallest doubles. */
export function ndtri(p: number): number {
  if (!(p > 0)) return p === 0 ? -Infinity : NaN;
  if (!(p < 1)) return p === 1 ? Infinity : NaN;
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) /
      (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log1p(-p));
    x =
      -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) /
      ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  // One Halley step on e = Φ(x) − p; for x > 0, Φ(x) is taken as 1 − Φ(−x) to keep the upper tail's precision.
  const e = x <= 0 ? ndtr(x) - p : 1 - p - ndtr(-x);
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/**
 * A standard normal truncated to [a, b], drawn by the inverse CDF from u in [0, 1).
 * The side with less mass is worked in complements so that tails keep their precision.
 */
export function truncNormalStd(u: number, a: number, b: number): number {
  if (a >= 0) return -truncNormalStd(1 - u, -b, -a);
  let z: number;
  if (b <= 0) {
    const pa = ndtr(a);
    const pb = ndtr(b);
    if (pb > 1e-300) z = ndtri(pa + u * (pb - pa));
    else {
      // both far in the lower tail: the normal is close to an exponential with rate |b| from b
      const lam = -b;
      z = b + Math.log(1 - u * (1 - Math.exp(-lam * (b - a)))) / lam;
    }
  } else {
    const pa = ndtr(a);
    const qb = ndtr(-b);
    const mass = 1 - pa - qb;
    const p = pa + u * mass;
    z = p < 0.5 ? ndtri(p) : -ndtri(qb + (1 - u) * mass);
  }
  return z < a ? a : z > b ? b : z;
}

export const LOG_SQRT_2PI_CONST = LOG_SQRT_2PI;
