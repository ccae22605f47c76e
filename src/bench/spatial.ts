/**
 * `Variable.spatialDistribution`: the Taylor-style score 2(1+R)/(σ̂ + 1/σ̂)² of the period-mean maps of
 * reference (x) and model (y) over I ∩ region. Never area- or mass-weighted.
 */

/** Sums over the scored cells, collected by the caller in the same loop as the other integrals. */
export interface SpatialSums {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

export interface SpatialResult {
  /** ILAMB 2.7's score (quirk Q3 correlation). */
  readonly score: number;
  /** Normalised std σ_model/σ_ref (each clipped at 1e-12), stored by ILAMB as the "std" attribute. */
  readonly std: number;
  /** ILAMB's correlation with n = every cell of the grid (masked cells count as zeros). */
  readonly R: number;
  /** The same score with a proper Pearson correlation over the scored cells (ilamb3's). */
  readonly pearsonScore: number;
  readonly pearsonR: number;
}

const NONE: SpatialResult = { score: NaN, std: NaN, R: NaN, pearsonScore: NaN, pearsonR: NaN };

export function spatialDistribution(
  s: SpatialSums,
  members: Int32Array,
  inter: Uint8Array,
  x: Float64Array,
  y: Float64Array,
  nGridCells: number,
): SpatialResult {
  if (s.n === 0) return NONE;
  // np.ma std: mean first, then the mean squared deviation (ddof 0), over the unmasked cells.
  const mx = s.sx / s.n;
  const my = s.sy / s.n;
  let dxx = 0;
  let dyy = 0;
  let dxy = 0;
  for (let j = 0; j < members.length; j++) {
    const c = members[j];
    if (!inter[c]) continue;
    const ex = x[c] - mx;
    const ey = y[c] - my;
    dxx += ex * ex;
    dyy += ey * ey;
    dxy += ex * ey;
  }
  const stdRef = Math.sqrt(dxx / s.n);
  const stdMod = Math.sqrt(dyy / s.n);
  // Q3: Variable.correlation divides by the size of the whole array, masked cells included.
  const n = nGridCells;
  const xbar = s.sx / n;
  const ybar = s.sy / n;
  const R =
    (s.sxy - n * xbar * ybar) / (Math.sqrt(s.sxx - n * xbar * xbar) * Math.sqrt(s.syy - n * ybar * ybar));
  const pearsonR = dxy / Math.sqrt(dxx * dyy);
  const sig = Math.max(stdMod, 1e-12) / Math.max(stdRef, 1e-12);
  return {
    score: taylorScore(R, sig),
    std: sig,
    R,
    pearsonScore: taylorScore(pearsonR, sig),
    pearsonR,
  };
}

/** 4(1+R)/((σ̂ + 1/σ̂)²(1+R₀)) with R₀ = 1. */
function taylorScore(R: number, sig: number): number {
  return (4.0 * (1.0 + R)) / ((sig + 1.0 / sig) ** 2 * (1.0 + 1.0));
}
