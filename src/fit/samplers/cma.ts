import type { Rng } from "../../util/rng.ts";

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations.
 * On return `vals` holds the eigenvalues and `vecs` the eigenvectors as columns (row-major n×n).
 */
export function symmetricEigen(a: Float64Array, n: number, vals: Float64Array, vecs: Float64Array): void {
  const m = Float64Array.from(a.subarray(0, n * n));
  vecs.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) vecs[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vecs[k * n + p];
          const vkq = vecs[k * n + q];
          vecs[k * n + p] = c * vkp - s * vkq;
          vecs[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  for (let i = 0; i < n; i++) vals[i] = m[i * n + i];
}

export interface CmaSettings {
  /** Stop when σ·√C_ii and σ·|pc_i| are all below this (coordinates in the unit cube). */
  tolX: number;
  /** Stop when the best and worst values of the last generations span less than this. */
  tolFun: number;
  /** Stop when the best value has not improved by tolFun for this many generations (0: never). */
  stagnationGenerations: number;
}

/**
 * CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial", with negative recombination weights)
 * in the unit cube [0, 1]^n: samples outside are redrawn (up to 100 times, then clipped). Ask/tell is
 * split so that a sampler can replay generations from stored trials.
 */
export class Cma {
  readonly n: number;
  readonly lambda: number;
  readonly mu: number;
  readonly weights: Float64Array;
  readonly mueff: number;
  private readonly cc: number;
  private readonly c1: number;
  private readonly cmu: number;
  private readonly cs: number;
  private readonly ds: number;
  private readonly chiN: number;
  mean: Float64Array;
  sigma: number;
  readonly sigma0: number;
  C: Float64Array;
  pc: Float64Array;
  ps: Float64Array;
  private B: Float64Array;
  private D: Float64Array;
  private fresh = false;
  generation = 0;
  private funHist: number[] = [];
  private readonly funHistTerm: number;
  bestValue = Infinity;
  private bestGeneration = 0;

  /**
   * `shape`, when given, is the initial covariance relative to σ² instead of the identity: n values are
   * standard deviations (a diagonal covariance: a coordinate whose useful range is much narrower than the
   * others', e.g. a global scale over many decades, starts with a step that fits it), n² values a full
   * symmetric positive-definite matrix, row-major (e.g. estimated from the best trials so far).
   */
  constructor(
    mean: ArrayLike<number>,
    sigma: number,
    lambda: number,
    private readonly settings: CmaSettings,
    shape?: ArrayLike<number>,
  ) {
    const n = mean.length;
    this.n = n;
    this.lambda = lambda;
    const mu = Math.floor(lambda / 2);
    this.mu = mu;
    const wp = new Float64Array(lambda);
    for (let i = 0; i < lambda; i++) wp[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1);
    let sp = 0;
    let sp2 = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < lambda; i++) {
      if (i < mu) {
        sp += wp[i];
        sp2 += wp[i] * wp[i];
      } else {
        sn += wp[i];
        sn2 += wp[i] * wp[i];
      }
    }
    const mueff = (sp * sp) / sp2;
    const mueffMinus = sn2 > 0 ? (sn * sn) / sn2 : 0;
    this.mueff = mueff;
    const alphaCov = 2;
    this.c1 = alphaCov / ((n + 1.3) ** 2 + mueff);
    this.cmu = Math.min(
      1 - this.c1 - 1e-8,
      (alphaCov * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + (alphaCov * mueff) / 2),
    );
    const minAlpha = Math.min(
      1 + this.c1 / this.cmu,
      1 + (2 * mueffMinus) / (mueff + 2),
      (1 - this.c1 - this.cmu) / (n * this.cmu),
    );
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < lambda; i++)
      if (wp[i] > 0) pos += wp[i];
      else neg -= wp[i];
    this.weights = new Float64Array(lambda);
    for (let i = 0; i < lambda; i++) this.weights[i] = wp[i] >= 0 ? wp[i] / pos : (minAlpha * wp[i]) / neg;
    this.cs = (mueff + 2) / (n + mueff + 5);
    this.ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + this.cs;
    this.cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.mean = Float64Array.from(mean);
    this.sigma = sigma;
    this.sigma0 = sigma;
    this.C = new Float64Array(n * n);
    if (shape && shape.length === n * n) for (let k = 0; k < n * n; k++) this.C[k] = shape[k];
    else for (let i = 0; i < n; i++) this.C[i * n + i] = shape ? shape[i] * shape[i] : 1;
    this.pc = new Float64Array(n);
    this.ps = new Float64Array(n);
    this.B = new Float64Array(n * n);
    this.D = new Float64Array(n);
    this.funHistTerm = 10 + Math.ceil((30 * n) / lambda);
  }

  static defaultPopsize(n: number): number {
    return 4 + Math.floor(3 * Math.log(n));
  }

  private decompose(): void {
    if (this.fresh) return;
    const n = this.n;
    const C = this.C;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const s = 0.5 * (C[i * n + j] + C[j * n + i]);
        C[i * n + j] = s;
        C[j * n + i] = s;
      }
    symmetricEigen(C, n, this.D, this.B);
    for (let i = 0; i < n; i++) this.D[i] = Math.sqrt(this.D[i] < 0 ? 1e-8 : this.D[i]);
    // rebuild C = B diag(D²) Bᵀ so that it stays positive definite
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += this.B[i * n + k] * this.D[k] * this.D[k] * this.B[j * n + k];
        C[i * n + j] = s;
      }
    this.fresh = true;
  }

  /** One sample x ~ N(m, σ²C) inside the unit cube. */
  sample(rng: Rng, out: Float64Array): void {
    this.decompose();
    const n = this.n;
    const z = new Float64Array(n);
    for (let attempt = 0; attempt <= 100; attempt++) {
      for (let i = 0; i < n; i++) z[i] = this.D[i] * rng.normal();
      let inside = true;
      for (let i = 0; i < n; i++) {
        let y = 0;
        for (let k = 0; k < n; k++) y += this.B[i * n + k] * z[k];
        const x = this.mean[i] + this.sigma * y;
        out[i] = x;
        if (x < 0 || x > 1) inside = false;
      }
      if (inside) return;
    }
    for (let i = 0; i < n; i++) out[i] = out[i] < 0 ? 0 : out[i] > 1 ? 1 : out[i];
  }

  /** Updates the distribution from λ solutions (unit-cube points and values to minimise). */
  tell(xs: Float64Array[], values: number[]): void {
    const n = this.n;
    const lambda = this.lambda;
    this.decompose();
    const order = values.map((_, k) => k).sort((a, b) => values[a] - values[b] || a - b);
    const bestNow = values[order[0]];
    const worstNow = values[order[lambda - 1]];
    this.funHist.push(bestNow, worstNow);
    if (this.funHist.length > 2 * this.funHistTerm) this.funHist.splice(0, 2);
    this.generation++;
    if (bestNow < this.bestValue - this.settings.tolFun) {
      this.bestValue = bestNow;
      this.bestGeneration = this.generation;
    } else if (bestNow < this.bestValue) this.bestValue = bestNow;
    const ys = order.map((k) => {
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) y[i] = (xs[k][i] - this.mean[i]) / this.sigma;
      return y;
    });
    const yw = new Float64Array(n);
    for (let r = 0; r < this.mu; r++) for (let i = 0; i < n; i++) yw[i] += this.weights[r] * ys[r][i];
    for (let i = 0; i < n; i++) this.mean[i] += this.sigma * yw[i];
    const B = this.B;
    const D = this.D;
    // C^(-1/2) v = B D⁻¹ Bᵀ v
    const invSqrt = (v: Float64Array): Float64Array => {
      const t = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += B[i * n + k] * v[i];
        t[k] = s / D[k];
      }
      const o = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += B[i * n + k] * t[k];
        o[i] = s;
      }
      return o;
    };
    const cyw = invSqrt(yw);
    const csn = Math.sqrt(this.cs * (2 - this.cs) * this.mueff);
    let psNorm2 = 0;
    for (let i = 0; i < n; i++) {
      this.ps[i] = (1 - this.cs) * this.ps[i] + csn * cyw[i];
      psNorm2 += this.ps[i] * this.ps[i];
    }
    const psNorm = Math.sqrt(psNorm2);
    this.sigma *= Math.exp((this.cs / this.ds) * (psNorm / this.chiN - 1));
    const hsig =
      psNorm / Math.sqrt(1 - (1 - this.cs) ** (2 * (this.generation + 1))) < (1.4 + 2 / (n + 1)) * this.chiN
        ? 1
        : 0;
    const ccn = Math.sqrt(this.cc * (2 - this.cc) * this.mueff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - this.cc) * this.pc[i] + hsig * ccn * yw[i];
    const wo = new Float64Array(lambda);
    let wsum = 0;
    for (let r = 0; r < lambda; r++) {
      wsum += this.weights[r];
      if (this.weights[r] >= 0) wo[r] = this.weights[r];
      else {
        const c = invSqrt(ys[r]);
        let s = 0;
        for (let i = 0; i < n; i++) s += c[i] * c[i];
        wo[r] = (this.weights[r] * n) / (s + 1e-8);
      }
    }
    const dh = (1 - hsig) * this.cc * (2 - this.cc);
    const decay = 1 + this.c1 * dh - this.c1 - this.cmu * wsum;
    const C = this.C;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let rmu = 0;
        for (let r = 0; r < lambda; r++) rmu += wo[r] * ys[r][i] * ys[r][j];
        C[i * n + j] = decay * C[i * n + j] + this.c1 * this.pc[i] * this.pc[j] + this.cmu * rmu;
      }
    this.fresh = false;
  }

  /** Each coordinate's current standard deviation, σ·√C_ii (unit-cube units). */
  spread(): number[] {
    const n = this.n;
    return Array.from({ length: n }, (_, i) => this.sigma * Math.sqrt(this.C[i * n + i]));
  }

  /** Why this run should stop (a restart criterion), or undefined. */
  stopReason(): string | undefined {
    this.decompose();
    const n = this.n;
    const s = this.settings;
    if (this.generation > this.funHistTerm) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of this.funHist) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo < s.tolFun) return "tolfun";
    }
    let small = true;
    for (let i = 0; i < n; i++)
      if (
        this.sigma * Math.sqrt(this.C[i * n + i]) >= s.tolX ||
        this.sigma * Math.abs(this.pc[i]) >= s.tolX
      ) {
        small = false;
        break;
      }
    if (small) return "tolx";
    let dmax = 0;
    let dmin = Infinity;
    for (let i = 0; i < n; i++) {
      dmax = Math.max(dmax, this.D[i]);
      dmin = Math.min(dmin, this.D[i]);
    }
    if (this.sigma * dmax > 1e4) return "tolxup";
    for (let i = 0; i < n; i++)
      if (this.mean[i] === this.mean[i] + 0.2 * this.sigma * Math.sqrt(this.C[i * n + i]))
        return "noeffectcoord";
    const ax = this.generation % n;
    let same = true;
    for (let i = 0; i < n; i++)
      if (this.mean[i] !== this.mean[i] + 0.1 * this.sigma * this.D[ax] * this.B[i * n + ax]) {
        same = false;
        break;
      }
    if (same) return "noeffectaxis";
    if (dmax / dmin > 1e7) return "conditioncov"; // D holds square roots: condition of C above 1e14
    if (s.stagnationGenerations > 0 && this.generation - this.bestGeneration > s.stagnationGenerations)
      return "stagnation";
    return undefined;
  }
}
