import { STATE_FAIL, STATE_PRUNED, TrialHistory, type ParamColumn } from "../history.ts";
import { contains, isSingle, type Distribution, type SearchSpace } from "../space.ts";
import { DEFAULT_PARZEN, ParzenEstimator, defaultWeights, type ParzenParameters } from "./parzen.ts";
import { sampleUniform } from "./random.ts";
import { trialRng, type Sampler, type SamplerContext, type TrialRef } from "./sampler.ts";

export interface TpeOptions extends Partial<ParzenParameters> {
  seed?: number;
  /** Random trials before TPE starts (counting COMPLETE and PRUNED). Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion. Default 24. */
  nEiCandidates?: number;
  /** Sample the whole space jointly (Optuna v5's default). False: one 1-D TPE per parameter. */
  multivariate?: boolean;
  /** RUNNING trials of other workers go into g(x), so parallel suggestions spread out. Default true. */
  constantLiar?: boolean;
  /** Number of "good" trials out of n. Default min(ceil(0.1 n), 25). */
  gamma?: (n: number) => number;
  /** Observation weights of g(x), oldest first. Default Optuna's ramp. */
  weights?: (n: number, out: Float64Array) => void;
}

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/**
 * The tree-structured Parzen estimator exactly as Optuna v5 (tpe.md §1): γ-split of COMPLETE (then
 * PRUNED) trials into below/above, Parzen estimators l and g, 24 candidates from l, argmax of
 * log l − log g. Observations come from the column store; buffers are reused, so one suggestion
 * allocates almost nothing.
 */
export class TpeSampler implements Sampler {
  readonly name: string;
  private readonly o: Required<Omit<TpeOptions, "seed">> & { seed: number | undefined };
  private readonly l: ParzenEstimator;
  private readonly g: ParzenEstimator;
  private obsBelow: Float64Array[] = [];
  private obsAbove: Float64Array[] = [];
  private eligibility = new Map<string, { version: number; rows: number; data: Uint8Array }>();
  private side = new Uint8Array(0);
  private obsIndex = new Int32Array(0);
  private runIndex = new Int32Array(0);
  private permBelow: Int32Array[] = [];
  private permAbove: Int32Array[] = [];
  private permsBelow: (Int32Array | undefined)[] = [];
  private permsAbove: (Int32Array | undefined)[] = [];
  /** Each observation's trial number (−1 for a running trial's lie), for the estimators' mass cache. */
  private idsBelow = new Int32Array(0);
  private idsAbove = new Int32Array(0);
  private wBelow = new Float64Array(0);
  private wAbove = new Float64Array(0);
  private cand = new Float64Array(0);
  private ll = new Float64Array(0);
  private lg = new Float64Array(0);

  constructor(opts: TpeOptions = {}) {
    this.o = {
      seed: opts.seed,
      nStartupTrials: opts.nStartupTrials ?? 10,
      nEiCandidates: opts.nEiCandidates ?? 24,
      multivariate: opts.multivariate ?? true,
      constantLiar: opts.constantLiar ?? true,
      gamma: opts.gamma ?? defaultGamma,
      weights: opts.weights ?? defaultWeights,
      priorWeight: opts.priorWeight ?? DEFAULT_PARZEN.priorWeight,
      considerMagicClip: opts.considerMagicClip ?? DEFAULT_PARZEN.considerMagicClip,
      considerEndpoints: opts.considerEndpoints ?? DEFAULT_PARZEN.considerEndpoints,
    };
    this.name = this.o.multivariate ? "tpe" : "tpe-indep";
    const pp = {
      priorWeight: this.o.priorWeight,
      considerMagicClip: this.o.considerMagicClip,
      considerEndpoints: this.o.considerEndpoints,
    };
    this.l = new ParzenEstimator(pp);
    this.g = new ParzenEstimator(pp);
  }

  private started(ctx: SamplerContext): boolean {
    return ctx.history.nComplete + ctx.history.nPruned >= this.o.nStartupTrials;
  }

  async sampleRelative(
    ctx: SamplerContext,
    trial: TrialRef,
    space: SearchSpace,
  ): Promise<Record<string, number>> {
    if (!this.o.multivariate || !this.started(ctx)) return {};
    const names = Object.keys(space).filter((k) => !isSingle(space[k]));
    if (names.length === 0) return {};
    return this.sample(
      ctx,
      trial,
      names,
      names.map((k) => space[k]),
      "rel",
    );
  }

  sampleIndependent(ctx: SamplerContext, trial: TrialRef, name: string, dist: Distribution): number {
    const seed = this.o.seed ?? ctx.seed;
    if (!this.started(ctx) || isSingle(dist))
      return sampleUniform(dist, trialRng(seed, "tpe-startup", trial.number, name));
    return this.sample(ctx, trial, [name], [dist], name)[name];
  }

  /** One TPE step on the given parameters (internal values out). */
  private sample(
    ctx: SamplerContext,
    trial: TrialRef,
    names: string[],
    dists: Distribution[],
    tag: string,
  ): Record<string, number> {
    const h = ctx.history;
    const D = names.length;
    const cols = names.map((k) => h.column(k));
    const running = this.o.constantLiar ? this.runningObservations(h, trial, names, dists) : [];
    // finished COMPLETE/PRUNED rows that hold every parameter (legal under the current distribution):
    // side[r] = 2 ("above") for now, 0 for rows left out
    const nRows = h.size;
    this.ensure(nRows + running.length, D);
    const side = this.side;
    const eligible = this.eligibleRows(h, names, dists, cols);
    for (let r = 0; r < nRows; r++) side[r] = eligible[r] ? 2 : 0;
    // as Optuna: γ and the split count every COMPLETE/PRUNED trial; only those holding the parameters
    // become observations (this matters for conditional parameters)
    const n = h.nComplete + h.nPruned;
    this.split(h, nRows, Math.min(this.o.gamma(n), n));
    // observations, both sides in trial-number order (rows are sorted by number; running trials are merged in)
    const obsIndex = this.obsIndex;
    let nb = 0;
    let na = 0;
    let q = 0; // next running trial to merge
    const runIndex = this.runIndex;
    for (let r = 0; r < nRows; r++) {
      const sd = side[r];
      if (sd === 0) continue;
      const num = h.numbers[r];
      while (q < running.length && running[q].number < num) {
        const vals = running[q].values;
        for (let j = 0; j < D; j++) this.obsAbove[j][na] = vals[j];
        this.idsAbove[na] = -1;
        runIndex[q++] = na++;
      }
      if (sd === 1) {
        for (let j = 0; j < D; j++) this.obsBelow[j][nb] = cols[j]!.data[r];
        this.idsBelow[nb] = num;
        obsIndex[r] = nb++;
      } else {
        for (let j = 0; j < D; j++) this.obsAbove[j][na] = cols[j]!.data[r];
        this.idsAbove[na] = num;
        obsIndex[r] = na++;
      }
    }
    while (q < running.length) {
      const vals = running[q].values;
      for (let j = 0; j < D; j++) this.obsAbove[j][na] = vals[j];
      this.idsAbove[na] = -1;
      runIndex[q++] = na++;
    }
    // per numerical dimension, both sides' observations in value order, from the history's sorted rows
    for (let j = 0; j < D; j++) {
      this.permsBelow[j] = undefined;
      this.permsAbove[j] = undefined;
      if (dists[j].type === "categorical") continue;
      const sr = h.sortedRows(names[j]);
      if (!sr) continue;
      const pb = this.permBelow[j];
      const pa = this.permAbove[j];
      let ib = 0;
      let ia = 0;
      if (running.length === 0) {
        for (let t = 0; t < sr.length; t++) {
          const r = sr.order[t];
          const sd = side[r];
          if (sd === 1) pb[ib++] = obsIndex[r];
          else if (sd === 2) pa[ia++] = obsIndex[r];
        }
      } else {
        const data = cols[j]!.data;
        const runOrder = running.map((_, k) => k).sort((a, b) => running[a].values[j] - running[b].values[j]);
        let k = 0;
        for (let t = 0; t < sr.length; t++) {
          const r = sr.order[t];
          const sd = side[r];
          if (sd === 0) continue;
          const v = data[r];
          while (k < runOrder.length && running[runOrder[k]].values[j] < v)
            pa[ia++] = runIndex[runOrder[k++]];
          if (sd === 1) pb[ib++] = obsIndex[r];
          else pa[ia++] = obsIndex[r];
        }
        while (k < runOrder.length) pa[ia++] = runIndex[runOrder[k++]];
      }
      this.permsBelow[j] = pb;
      this.permsAbove[j] = pa;
    }
    this.o.weights(nb, this.wBelow);
    this.o.weights(na, this.wAbove);
    const key = `${tag}:${names.join(",")}`;
    this.l.build(dists, this.obsBelow, nb, this.wBelow, this.permsBelow, { of: this.idsBelow, key });
    this.g.build(dists, this.obsAbove, na, this.wAbove, this.permsAbove, { of: this.idsAbove, key });
    const M = this.o.nEiCandidates;
    const rng = trialRng(this.o.seed ?? ctx.seed, "tpe", trial.number, tag);
    this.l.sample(rng, M, this.cand);
    this.l.logPdf(this.cand, M, this.ll);
    this.g.logPdf(this.cand, M, this.lg);
    let best = 0;
    let bestScore = -Infinity;
    for (let s = 0; s < M; s++) {
      const score = this.ll[s] - this.lg[s];
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    const out: Record<string, number> = {};
    for (let j = 0; j < D; j++) out[names[j]] = this.cand[best * D + j];
    return out;
  }

  /**
   * Marks side[r] = 1 ("below") for eligible rows among the n_below best finished trials: COMPLETE
   * trials by value (ties by trial number), then, if too few are COMPLETE, PRUNED trials by (further
   * step first, better last value).
   */
  private split(h: TrialHistory, nRows: number, nBelow: number): void {
    if (nBelow === 0) return;
    const side = this.side;
    const sorted = h.sortedCompleteRows();
    const fromComplete = Math.min(nBelow, sorted.length);
    for (let t = 0; t < fromComplete; t++) {
      const r = sorted.order[t];
      if (side[r] === 2) side[r] = 1;
    }
    if (fromComplete === nBelow) return;
    const sign = h.direction === "minimize" ? 1 : -1;
    const pruned: number[] = [];
    for (let r = 0; r < nRows; r++) if (h.states[r] === STATE_PRUNED) pruned.push(r);
    const key = (r: number): [number, number] => {
      if (h.lastStep[r] < 0) return [1, 0];
      const v = sign * h.lastValue[r];
      return [-h.lastStep[r], Number.isNaN(v) ? Infinity : v];
    };
    pruned.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0) || a - b;
    });
    for (let k = 0; k < nBelow - fromComplete && k < pruned.length; k++)
      if (side[pruned[k]] === 2) side[pruned[k]] = 1;
  }

  /**
   * eligible[r] = 1 when finished row r is COMPLETE or PRUNED and holds every parameter with a legal
   * value. Finished rows never change, so the answer is cached per parameter set and extended as rows
   * are appended (recomputed when rows shift or a column starts mixing distributions).
   */
  private eligibleRows(
    h: TrialHistory,
    names: string[],
    dists: Distribution[],
    cols: (ParamColumn | undefined)[],
  ): Uint8Array {
    const key = names.join("\u0000");
    const mixed = cols.some((c) => c?.mixed);
    let e = this.eligibility.get(key);
    if (!e || e.version !== h.layoutVersion || mixed || e.data.length < h.size) {
      const data = new Uint8Array(Math.max(h.size * 2, 64));
      e = { version: h.layoutVersion, rows: 0, data };
      if (!mixed) this.eligibility.set(key, e);
      else this.eligibility.delete(key);
    }
    const D = names.length;
    for (let r = e.rows; r < h.size; r++) {
      let ok = h.states[r] !== STATE_FAIL;
      for (let j = 0; ok && j < D; j++) {
        const col = cols[j];
        const v = col ? col.data[r] : NaN;
        if (v !== v || (col!.mixed && !contains(dists[j], v))) ok = false;
      }
      e.data[r] = ok ? 1 : 0;
    }
    e.rows = h.size;
    return e.data;
  }

  /** RUNNING trials other than this one that hold every parameter, by trial number (the constant liar). */
  private runningObservations(
    h: TrialHistory,
    trial: TrialRef,
    names: string[],
    dists: Distribution[],
  ): { number: number; values: number[] }[] {
    const out: { number: number; values: number[] }[] = [];
    for (const t of h.running.values()) {
      if (t.trialId === trial.trialId) continue;
      const p = TrialHistory.runningParams(t);
      const values: number[] = [];
      for (let j = 0; j < names.length; j++) {
        const v = p[names[j]];
        if (v === undefined || !contains(dists[j], v)) break;
        values.push(v);
      }
      if (values.length === names.length) out.push({ number: t.number, values });
    }
    return out.sort((a, b) => a.number - b.number);
  }

  private ensure(n: number, D: number): void {
    if (this.side.length < n) {
      const cap = Math.max(n, this.side.length * 2, 64);
      this.wBelow = new Float64Array(cap);
      this.wAbove = new Float64Array(cap);
      this.side = new Uint8Array(cap);
      this.obsIndex = new Int32Array(cap);
      this.runIndex = new Int32Array(cap);
      this.idsBelow = new Int32Array(cap);
      this.idsAbove = new Int32Array(cap);
      this.obsBelow = [];
      this.obsAbove = [];
      this.permBelow = [];
      this.permAbove = [];
    }
    const cap = this.side.length;
    while (this.obsBelow.length < D) this.obsBelow.push(new Float64Array(cap));
    while (this.obsAbove.length < D) this.obsAbove.push(new Float64Array(cap));
    while (this.permBelow.length < D) this.permBelow.push(new Int32Array(cap));
    while (this.permAbove.length < D) this.permAbove.push(new Int32Array(cap));
    const M = this.o.nEiCandidates;
    if (this.cand.length < M * D) this.cand = new Float64Array(M * D);
    if (this.ll.length < M) {
      this.ll = new Float64Array(M);
      this.lg = new Float64Array(M);
    }
  }
}
