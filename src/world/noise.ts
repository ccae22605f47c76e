import type { Rng } from "../util/rng.ts";

/**
 * Smooth random fields on the sphere's land cells: independent normal values on a coarse lat/lon lattice
 * (periodic in longitude), interpolated to each cell with smoothstep weights and rescaled so that every
 * cell has unit variance. The lattice spacing is the correlation length. The interpolation weights are
 * computed once, so drawing a new field (e.g. one per month) costs four multiply-adds per cell.
 */
export class LatticeSampler {
  readonly spacing: number;
  readonly nLon: number;
  readonly nLat: number;
  /** Number of lattice values a field needs. */
  readonly nPoints: number;
  /** Number of cells it interpolates to. */
  readonly nCell: number;
  private readonly idx: Int32Array;
  private readonly w: Float64Array;

  constructor(lat: ArrayLike<number>, lon: ArrayLike<number>, spacingDeg: number) {
    if (!(spacingDeg > 0)) throw new Error(`lattice spacing must be positive, got ${spacingDeg}`);
    this.spacing = spacingDeg;
    this.nLon = Math.max(3, Math.round(360 / spacingDeg));
    this.nLat = Math.max(2, Math.round(180 / spacingDeg) + 1);
    this.nPoints = this.nLon * this.nLat;
    const n = lat.length;
    this.nCell = n;
    this.idx = new Int32Array(4 * n);
    this.w = new Float64Array(4 * n);
    const dLon = 360 / this.nLon;
    const dLat = 180 / (this.nLat - 1);
    for (let c = 0; c < n; c++) {
      const x = (((lon[c] + 180) % 360) + 360) % 360;
      const fx = x / dLon;
      const i0 = Math.floor(fx) % this.nLon;
      const i1 = (i0 + 1) % this.nLon;
      const fy = Math.min(this.nLat - 1 - 1e-9, Math.max(0, (lat[c] + 90) / dLat));
      const j0 = Math.floor(fy);
      const j1 = j0 + 1;
      const u = smoothstep(fx - Math.floor(fx));
      const v = smoothstep(fy - j0);
      const ws = [(1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v];
      // Normalise so that each cell's value has unit variance whatever its position in the lattice.
      const norm = 1 / Math.sqrt(ws[0] ** 2 + ws[1] ** 2 + ws[2] ** 2 + ws[3] ** 2);
      const ids = [j0 * this.nLon + i0, j0 * this.nLon + i1, j1 * this.nLon + i0, j1 * this.nLon + i1];
      for (let k = 0; k < 4; k++) {
        this.idx[4 * c + k] = ids[k];
        this.w[4 * c + k] = ws[k] * norm;
      }
    }
  }

  /** Interpolate lattice values to cells: out[offset + c]. */
  sample(values: Float64Array, out: Float32Array | Float64Array, offset = 0): void {
    const n = this.nCell;
    const idx = this.idx;
    const w = this.w;
    for (let c = 0; c < n; c++) {
      const b = 4 * c;
      out[offset + c] =
        w[b] * values[idx[b]] +
        w[b + 1] * values[idx[b + 1]] +
        w[b + 2] * values[idx[b + 2]] +
        w[b + 3] * values[idx[b + 3]];
    }
  }

  /** A fresh field of independent lattice values: zero mean, unit variance per cell. */
  draw(rng: Rng): Float64Array {
    const values = normals(rng, this.nPoints);
    const out = new Float64Array(this.nCell);
    this.sample(values, out);
    return out;
  }
}

function smoothstep(t: number): number {
  return t * t * (3 - 2 * t);
}

export function normals(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = rng.normal();
  return out;
}

/**
 * A smooth field with several length scales: Σ weight·field(spacing), rescaled to unit variance.
 * `octaves` are [spacingDeg, weight] pairs.
 */
export function smoothField(
  rng: Rng,
  lat: ArrayLike<number>,
  lon: ArrayLike<number>,
  octaves: readonly (readonly [number, number])[],
): Float64Array {
  const out = new Float64Array(lat.length);
  let var2 = 0;
  for (const [spacing, weight] of octaves) {
    const f = new LatticeSampler(lat, lon, spacing).draw(rng);
    for (let c = 0; c < out.length; c++) out[c] += weight * f[c];
    var2 += weight * weight;
  }
  const s = 1 / Math.sqrt(var2);
  for (let c = 0; c < out.length; c++) out[c] *= s;
  return out;
}

/**
 * Monthly anomaly fields, smooth in space and AR(1) in time with lag-one correlation `rho`, unit
 * variance: out[t * nCell + c]. The AR(1) recursion runs on the lattice values.
 */
export function ar1Fields(rng: Rng, sampler: LatticeSampler, nTime: number, rho: number): Float32Array {
  const n = sampler.nCell;
  const out = new Float32Array(nTime * n);
  const state = normals(rng, sampler.nPoints);
  const innov = Math.sqrt(1 - rho * rho);
  for (let t = 0; t < nTime; t++) {
    if (t > 0) for (let k = 0; k < state.length; k++) state[k] = rho * state[k] + innov * rng.normal();
    sampler.sample(state, out, t * n);
  }
  return out;
}

/**
 * An ENSO-like index: a monthly AR(2) oscillator with a quasi-period of `periodMonths` and damping `r`
 * per month (roots r·e^{±iω}), spun up and scaled to unit standard deviation over the returned months.
 */
export function oscillator(rng: Rng, nTime: number, periodMonths = 46, r = 0.965): Float64Array {
  const omega = (2 * Math.PI) / periodMonths;
  const phi1 = 2 * r * Math.cos(omega);
  const phi2 = -r * r;
  const spin = 240;
  let a = 0;
  let b = 0;
  const out = new Float64Array(nTime);
  for (let t = -spin; t < nTime; t++) {
    const x = phi1 * a + phi2 * b + rng.normal();
    b = a;
    a = x;
    if (t >= 0) out[t] = x;
  }
  let m = 0;
  for (const x of out) m += x;
  m /= Math.max(1, nTime);
  let v = 0;
  for (const x of out) v += (x - m) ** 2;
  const s = nTime > 1 ? Math.sqrt(v / nTime) : 1;
  for (let t = 0; t < nTime; t++) out[t] = (out[t] - m) / (s || 1);
  return out;
}
