import type { Rng } from "../../util/rng.ts";
import { fromTransformed, stepOf, transformedBounds, type Distribution } from "../space.ts";
import { logGaussMass, ndtr, truncNormalStd } from "../special.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export interface ParzenParameters {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
}

export const DEFAULT_PARZEN: ParzenParameters = {
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
};

/**
 * Optuna's default_weights: ones for n < 25, else a ramp linspace(1/n, 1, n − 25) for the oldest
 * trials followed by 25 ones (observations in trial-number order).
 */
export function defaultWeights(n: number, out: Float64Array): void {
  if (n < 25) {
    out.fill(1, 0, n);
    return;
  }
  const m = n - 25;
  const start = 1 / n;
  for (let k = 0; k < m; k++) out[k] = m === 1 ? start : start + ((1 - start) * k) / (m - 1);
  out.fill(1, m, n);
}

const KIND_CONT = 0;
const KIND_DISC = 1;
const KIND_CAT = 2;

/** log(Φ(b) − Φ(a)) when a ≤ 0 ≤ b (every kernel's case: its centre lies inside the bounds), skipping negligible tails. */
function logMassStraddling(a: number, b: number): number {
  if (a > 0 || b < 0) return logGaussMass(a, b);
  const pa = a < -8.5 ? 0 : ndtr(a);
  const qb = b > 8.5 ? 0 : ndtr(-b);
  return Math.log1p(-pa - qb);
}

/**
 * A Parzen estimator over D parameters as in Optuna v5 (tpe.md §1.4): one kernel per observation plus
 * a prior kernel; numerical kernels are normals truncated to the transformed bounds, with the
 * farther-neighbour bandwidth and the magic clip; categorical kernels put mass 1 + priorWeight/(N+1)
 * on the observed choice. The mixture index is shared across dimensions (a product kernel).
 * Buffers are reused between builds: one estimator object serves every trial.
 */
export class ParzenEstimator {
  private D = 0;
  private K = 0;
  private kinds: number[] = [];
  private dists: Distribution[] = [];
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private step = new Float64Array(0);
  private isLog: boolean[] = [];
  /** Per numerical dimension j (all K kernels): centre and bandwidth, kernel-major within the dimension. */
  private mu: Float64Array[] = [];
  private sigma: Float64Array[] = [];
  private logZ: Float64Array[] = [];
  private inv: Float64Array[] = [];
  /** Per categorical dimension: log probabilities, K × C. */
  private logP: Float64Array[] = [];
  private nChoices: number[] = [];
  /** log mixture weight plus every x-independent term of the continuous dimensions. */
  private constant = new Float64Array(0);
  private logW = new Float64Array(0);
  private cumW = new Float64Array(0);
  private permBuf = new Int32Array(0);
  private sigmaProd = new Float64Array(0);
  private sortedMu = new Float64Array(0);
  /** logPdf buffers: transformed continuous coordinates (m × Dc) and per-kernel log terms (m × K). */
  private X = new Float64Array(0);
  private A = new Float64Array(0);
  private contDims: number[] = [];
  /** Continuous dimensions kernel-major (k * Dc + jj), so one kernel's squared distance stays in registers. */
  private muK = new Float64Array(0);
  private invK = new Float64Array(0);
  /**
   * Truncation log-masses of earlier builds, per dimension by observation id (its trial number): a new
   * trial changes the bandwidths of its neighbours only, so most kernels keep σ and reuse their mass.
   * Reset when the caller's key or a dimension's bounds change.
   */
  private ids: Int32Array | null = null;
  private massKey = "";
  private massLo: number[] = [];
  private massHi: number[] = [];
  private massSigma: Float64Array[] = [];
  private massZ: Float64Array[] = [];

  constructor(private readonly params: ParzenParameters = DEFAULT_PARZEN) {}

  get kernels(): number {
    return this.K;
  }

  /**
   * obs[j][i] = internal value of observation i in dimension j (i < n), weights[i] its mixture weight
   * (before the prior is appended and everything normalised). perms[j], when given, lists the
   * observation indices of numerical dimension j in ascending order of value (saves a sort).
   * ids, when given, names each observation stably across builds (ids.of[i] ≥ 0, or −1 for none) under
   * a key that names the parameters; kernels whose bandwidth is unchanged then reuse their mass.
   */
  build(
    dists: Distribution[],
    obs: Float64Array[],
    n: number,
    weights: Float64Array,
    perms?: (Int32Array | undefined)[],
    ids?: { readonly of: Int32Array; readonly key: string },
  ): void {
    const D = dists.length;
    const K = n + 1;
    if (!ids || ids.key !== this.massKey) {
      this.massKey = ids?.key ?? "";
      this.massSigma = [];
      this.massZ = [];
    }
    this.ids = ids ? ids.of : null;
    this.D = D;
    this.K = K;
    this.dists = dists;
    this.kinds = dists.map((d) =>
      d.type === "categorical" ? KIND_CAT : stepOf(d) > 0 ? KIND_DISC : KIND_CONT,
    );
    this.contDims = [];
    if (this.lo.length < D) {
      this.lo = new Float64Array(D);
      this.hi = new Float64Array(D);
      this.step = new Float64Array(D);
    }
    this.isLog = dists.map((d) => d.type !== "categorical" && d.log === true);
    if (this.constant.length < K) {
      const cap = Math.max(K, this.constant.length * 2, 32);
      this.constant = new Float64Array(cap);
      this.logW = new Float64Array(cap);
      this.cumW = new Float64Array(cap);
    }
    // mixture weights: observations' weights, then the prior's; normalised
    let total = 0;
    if (n === 0) {
      this.logW[0] = 1;
      total = 1;
    } else {
      for (let i = 0; i < n; i++) {
        this.logW[i] = weights[i];
        total += weights[i];
      }
      this.logW[n] = this.params.priorWeight;
      total += this.params.priorWeight;
    }
    let cum = 0;
    for (let k = 0; k < K; k++) {
      const w = this.logW[k] / total;
      cum += w;
      this.cumW[k] = cum;
      this.logW[k] = Math.log(w);
      this.constant[k] = this.logW[k];
    }
    // Σ_j log σ_kj as the log of a product (one log per kernel instead of one per kernel and dimension)
    if (this.sigmaProd.length < K) this.sigmaProd = new Float64Array(Math.max(K, this.sigmaProd.length * 2));
    this.sigmaProd.fill(1, 0, K);
    for (let j = 0; j < D; j++) if (this.kinds[j] === KIND_CONT) this.contDims.push(j);
    const Dc = this.contDims.length;
    if (this.muK.length < K * Dc) {
      const cap = Math.max(K * Dc, this.muK.length * 2);
      this.muK = new Float64Array(cap);
      this.invK = new Float64Array(cap);
    }
    for (let j = 0, jj = 0; j < D; j++) {
      const d = dists[j];
      if (d.type === "categorical") {
        this.buildCategorical(j, d.choices.length, obs[j], n);
        continue;
      }
      const { lo, hi } = transformedBounds(d);
      this.lo[j] = lo;
      this.hi[j] = hi;
      this.step[j] = stepOf(d);
      const cont = this.kinds[j] === KIND_CONT;
      this.buildNumerical(j, obs[j], n, lo, hi, d.log === true, perms?.[j], cont ? jj++ : -1);
    }
    if (Dc > 0)
      for (let k = 0; k < K; k++) {
        const p = this.sigmaProd[k];
        if (p > 1e-290 && p < 1e290) this.constant[k] -= Math.log(p);
        else for (const j of this.contDims) this.constant[k] -= Math.log(this.sigma[j][k]); // product out of range
      }
  }

  private ensureDim(j: number, K: number): void {
    while (this.mu.length <= j) {
      this.mu.push(new Float64Array(0));
      this.sigma.push(new Float64Array(0));
      this.logZ.push(new Float64Array(0));
      this.inv.push(new Float64Array(0));
      this.logP.push(new Float64Array(0));
      this.nChoices.push(0);
    }
    if (this.mu[j].length < K) {
      const cap = Math.max(K, this.mu[j].length * 2, 32);
      this.mu[j] = new Float64Array(cap);
      this.sigma[j] = new Float64Array(cap);
      this.logZ[j] = new Float64Array(cap);
      this.inv[j] = new Float64Array(cap);
    }
  }

  private buildNumerical(
    j: number,
    obs: Float64Array,
    n: number,
    lo: number,
    hi: number,
    log: boolean,
    perm: Int32Array | undefined,
    /** Position among the continuous dimensions (kernel-major copies and the σ product), −1 when stepped. */
    jj: number,
  ): void {
    const K = n + 1;
    this.ensureDim(j, K);
    const mu = this.mu[j];
    const sigma = this.sigma[j];
    const R = hi - lo;
    for (let i = 0; i < n; i++) mu[i] = log ? Math.log(obs[i]) : obs[i];
    if (!perm) {
      // observations sorted by value, ties in observation order (a stable argsort)
      const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => mu[a] - mu[b] || a - b);
      if (this.permBuf.length < n) this.permBuf = new Int32Array(Math.max(n, this.permBuf.length * 2));
      perm = this.permBuf;
      perm.set(idx);
    }
    // farther-neighbour bandwidth on the sorted centres padded with the bounds
    if (this.sortedMu.length < n) this.sortedMu = new Float64Array(Math.max(n, this.sortedMu.length * 2));
    const sm = this.sortedMu;
    for (let r = 0; r < n; r++) sm[r] = mu[perm[r]];
    const minSigma = this.params.considerMagicClip ? R / Math.min(100, n + 2) : 1e-12;
    const ends = !this.params.considerEndpoints && n >= 2;
    for (let r = 0; r < n; r++) {
      const x = sm[r];
      const left = x - (r === 0 ? lo : sm[r - 1]);
      const right = (r === n - 1 ? hi : sm[r + 1]) - x;
      let s = left > right ? left : right;
      if (ends) {
        if (r === 0) s = right;
        else if (r === n - 1) s = left;
      }
      sigma[perm[r]] = s < minSigma ? minSigma : s > R ? R : s;
    }
    mu[n] = 0.5 * (lo + hi);
    sigma[n] = R;
    const logZ = this.logZ[j];
    const inv = this.inv[j];
    const constant = this.constant;
    this.truncationMasses(j, n, lo, hi);
    if (jj >= 0) {
      // continuous: also the x-independent terms and the kernel-major copies logPdf reads
      const Dc = this.contDims.length;
      const prod = this.sigmaProd;
      const muK = this.muK;
      const invK = this.invK;
      for (let k = 0; k < K; k++) {
        const iv = 1 / sigma[k];
        const z = logZ[k];
        inv[k] = iv;
        constant[k] -= z + LOG_SQRT_2PI;
        prod[k] *= sigma[k];
        muK[k * Dc + jj] = mu[k];
        invK[k * Dc + jj] = iv;
      }
    } else
      for (let k = 0; k < K; k++) {
        inv[k] = 1 / sigma[k];
        constant[k] -= logZ[k];
      }
  }

  /** logZ[j][k] = log of kernel k's normal mass inside [lo, hi], from the cache where σ is unchanged. */
  private truncationMasses(j: number, n: number, lo: number, hi: number): void {
    const mu = this.mu[j];
    const sigma = this.sigma[j];
    const logZ = this.logZ[j];
    const ids = this.ids;
    const mass = (k: number) => {
      const iv = 1 / sigma[k];
      return logMassStraddling((lo - mu[k]) * iv, (hi - mu[k]) * iv);
    };
    logZ[n] = mass(n);
    if (!ids) {
      for (let k = 0; k < n; k++) logZ[k] = mass(k);
      return;
    }
    let maxId = -1;
    for (let k = 0; k < n; k++) if (ids[k] > maxId) maxId = ids[k];
    if (this.massSigma[j] === undefined || this.massLo[j] !== lo || this.massHi[j] !== hi) {
      this.massSigma[j] = new Float64Array(Math.max(64, maxId + 1)).fill(NaN);
      this.massZ[j] = new Float64Array(this.massSigma[j].length);
      this.massLo[j] = lo;
      this.massHi[j] = hi;
    } else if (this.massSigma[j].length <= maxId) {
      const cap = Math.max(maxId + 1, 2 * this.massSigma[j].length);
      const s = new Float64Array(cap).fill(NaN);
      const z = new Float64Array(cap);
      s.set(this.massSigma[j]);
      z.set(this.massZ[j]);
      this.massSigma[j] = s;
      this.massZ[j] = z;
    }
    const cs = this.massSigma[j];
    const cz = this.massZ[j];
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if (id < 0) {
        logZ[k] = mass(k);
      } else if (cs[id] === sigma[k]) {
        logZ[k] = cz[id];
      } else {
        const z = mass(k);
        cs[id] = sigma[k];
        cz[id] = z;
        logZ[k] = z;
      }
    }
  }

  private buildCategorical(j: number, C: number, obs: Float64Array, n: number): void {
    const K = n + 1;
    this.ensureDim(j, K);
    if (this.logP[j].length < K * C)
      this.logP[j] = new Float64Array(Math.max(K * C, this.logP[j].length * 2));
    this.nChoices[j] = C;
    const lp = this.logP[j];
    if (n === 0) {
      for (let c = 0; c < C; c++) lp[c] = -Math.log(C);
      return;
    }
    const base = this.params.priorWeight / K;
    const rowSum = C * base + 1;
    const logOff = Math.log(base / rowSum);
    const logOn = Math.log((base + 1) / rowSum);
    for (let i = 0; i < n; i++) {
      const c0 = obs[i];
      for (let c = 0; c < C; c++) lp[i * C + c] = c === c0 ? logOn : logOff;
    }
    for (let c = 0; c < C; c++) lp[n * C + c] = -Math.log(C);
  }

  /** Draws m samples (internal values) into out[s * D + j]. */
  sample(rng: Rng, m: number, out: Float64Array): void {
    const { D, K } = this;
    for (let s = 0; s < m; s++) {
      const u = rng.next();
      let k = 0;
      while (k < K - 1 && this.cumW[k] <= u) k++;
      for (let j = 0; j < D; j++) {
        const d = this.dists[j];
        if (d.type === "categorical") {
          const C = this.nChoices[j];
          const lp = this.logP[j];
          let v = rng.next();
          let c = 0;
          for (; c < C - 1; c++) {
            v -= Math.exp(lp[k * C + c]);
            if (v < 0) break;
          }
          out[s * D + j] = c;
          continue;
        }
        const mu = this.mu[j][k];
        const sg = this.sigma[j][k];
        const z = truncNormalStd(rng.next(), (this.lo[j] - mu) / sg, (this.hi[j] - mu) / sg);
        out[s * D + j] = fromTransformed(d, mu + sg * z);
      }
    }
  }

  /** log density (mass, for stepped and categorical dimensions) of m points given as internal values. */
  logPdf(x: Float64Array, m: number, out: Float64Array): void {
    const { D, K } = this;
    const cont = this.contDims;
    const Dc = cont.length;
    if (this.X.length < m * Dc) this.X = new Float64Array(m * Dc);
    if (this.A.length < m * K) this.A = new Float64Array(Math.max(m * K, this.A.length * 2));
    const X = this.X;
    const A = this.A;
    for (let s = 0; s < m; s++)
      for (let jj = 0; jj < Dc; jj++) {
        const v = x[s * D + cont[jj]];
        X[s * Dc + jj] = this.isLog[cont[jj]] ? Math.log(v) : v;
      }
    const muK = this.muK;
    const invK = this.invK;
    const constant = this.constant;
    // continuous dimensions: −½ Σ ((x − μ)/σ)², four candidates per pass over the kernels
    let s0 = 0;
    for (; s0 + 4 <= m; s0 += 4) {
      const o0 = s0 * Dc;
      const o1 = o0 + Dc;
      const o2 = o1 + Dc;
      const o3 = o2 + Dc;
      const r0 = s0 * K;
      const r1 = r0 + K;
      const r2 = r1 + K;
      const r3 = r2 + K;
      for (let k = 0, base = 0; k < K; k++, base += Dc) {
        let q0 = 0;
        let q1 = 0;
        let q2 = 0;
        let q3 = 0;
        for (let jj = 0; jj < Dc; jj++) {
          const mu = muK[base + jj];
          const iv = invK[base + jj];
          const e0 = (X[o0 + jj] - mu) * iv;
          const e1 = (X[o1 + jj] - mu) * iv;
          const e2 = (X[o2 + jj] - mu) * iv;
          const e3 = (X[o3 + jj] - mu) * iv;
          q0 += e0 * e0;
          q1 += e1 * e1;
          q2 += e2 * e2;
          q3 += e3 * e3;
        }
        const c = constant[k];
        A[r0 + k] = c - 0.5 * q0;
        A[r1 + k] = c - 0.5 * q1;
        A[r2 + k] = c - 0.5 * q2;
        A[r3 + k] = c - 0.5 * q3;
      }
    }
    for (; s0 < m; s0++) {
      const o = s0 * Dc;
      const r = s0 * K;
      for (let k = 0, base = 0; k < K; k++, base += Dc) {
        let q = 0;
        for (let jj = 0; jj < Dc; jj++) {
          const e = (X[o + jj] - muK[base + jj]) * invK[base + jj];
          q += e * e;
        }
        A[r + k] = constant[k] - 0.5 * q;
      }
    }
    for (let s = 0; s < m; s++) {
      const r = s * K;
      for (let j = 0; j < D; j++) {
        const kind = this.kinds[j];
        if (kind === KIND_DISC) {
          const v = x[s * D + j];
          const half = this.step[j] / 2;
          const lower = this.isLog[j] ? Math.log(v - half) : v - half;
          const upper = this.isLog[j] ? Math.log(v + half) : v + half;
          const mu = this.mu[j];
          const inv = this.inv[j];
          for (let k = 0; k < K; k++)
            A[r + k] += logGaussMass((lower - mu[k]) * inv[k], (upper - mu[k]) * inv[k]);
        } else if (kind === KIND_CAT) {
          const C = this.nChoices[j];
          const lp = this.logP[j];
          const c = x[s * D + j];
          for (let k = 0; k < K; k++) A[r + k] += lp[k * C + c];
        }
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (A[r + k] > max) max = A[r + k];
      if (max === -Infinity) {
        out[s] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const d = A[r + k] - max;
        if (d > -40) sum += Math.exp(d); // smaller terms change the sum by less than 1e-17 relative
      }
      out[s] = max + Math.log(sum);
    }
  }
}
