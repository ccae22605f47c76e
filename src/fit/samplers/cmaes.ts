import { deriveSeed, Rng } from "../../util/rng.ts";
import { STATE_COMPLETE } from "../history.ts";
import {
  fromUnit,
  isNumerical,
  isSingle,
  toInternal,
  toUnit,
  transformedBounds,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
  type Params,
  type SearchSpace,
} from "../space.ts";
import type { FrozenTrial, Json } from "../types.ts";
import { Cma, type CmaSettings } from "./cma.ts";
import { PolishPhase, polishTag } from "./polish.ts";
import { QmcSampler } from "./qmc.ts";
import { RandomSampler } from "./random.ts";
import { TpeSampler } from "./tpe.ts";
import { promisingDistribution, rankedPoints, type Promising } from "./warm-start.ts";
import { trialRng, type Sampler, type SamplerContext, type TrialRef } from "./sampler.ts";

export interface CmaEsOptions extends Partial<CmaSettings> {
  seed?: number;
  /** Initial step size in the unit cube. Default 1/6 (Optuna's min(range)/6 after normalisation). */
  sigma0?: number;
  /** Population of the first run. Default 4 + ⌊3 ln n⌋. */
  popsize?: number;
  /**
   * Initial distribution: the centre of the box, the best trial after the startup trials, given
   * parameters, or "top": the mean and covariance of the best trials so far (warm-start.ts; sigma0 and
   * scaleStep are then unused). Default "center".
   */
  x0?: "center" | "best" | "top" | Params;
  /** Trials drawn before CMA-ES starts (they are the ones "best" and "top" read). Default 0. */
  nStartupTrials?: number;
  /** How startup trials are drawn: scrambled Sobol, uniform, or Optuna's TPE. Default "qmc". */
  startup?: "qmc" | "random" | "tpe";
  /** Trial 0, if it is a startup trial, takes the centre of the box. Default false. */
  startupCenter?: boolean;
  /** IPOP: restart with popsize × incPopsize from a random mean when a run stops. Default "ipop". */
  restart?: "ipop" | "none";
  incPopsize?: number;
  /** A log parameter that multiplies the whole prediction (Kiln's forms: "scale"); see scaleStep. */
  scaleParam?: string;
  /**
   * First step of scaleParam as a factor: σ = ln(scaleStep) / ln(hi/lo) in the unit cube (at most
   * sigma0), whatever its range. A global scale spans many decades but scores well only in a narrow band
   * that moves with the other parameters; a σ0 of 1/6 of its range throws most samples off that band.
   */
  scaleStep?: number;
  /** Sampler for categorical and define-by-run parameters CMA-ES does not handle. Default random. */
  independent?: Sampler;
  /** Trials the study will run in all, enqueued ones included (the polish needs it). */
  budget?: number;
  /**
   * With a budget: the trials numbered from budget − round(polish × budget) on are a compass search
   * from the best trial (polish.ts), each coordinate's first step the current CMA-ES spread along it.
   * Default 0 (none).
   */
  polish?: number;
}

const TAG = "kiln:cma";
/** x0 "top": the share of completed trials used (at least 2n + 2) and the prior's standard deviation. */
const TOP_FRACTION = 0.2;
const TOP_ALPHA = 0.02;

interface Run {
  r: number;
  cma: Cma;
}

interface SpaceState {
  names: string[];
  dists: Distribution[];
  sig: string;
  run: Run | undefined;
  /** Finished CMA trials by "r:g", for replaying tells. */
  members: Map<string, FrozenTrial[]>;
  seen: Set<number>;
  /** Polish phases by the trial number they start at. */
  polish: Map<number, PolishPhase>;
}

/**
 * CMA-ES over the numerical parameters of the space, normalised to the unit cube (log parameters in
 * log space). Every CMA trial records its run r and generation g; a generation is told when λ of its
 * trials are COMPLETE, and the trial numbers told are agreed through a study system attribute (first
 * writer wins), so the state is a pure function of the stored trials: a resumed process, or a second
 * process on the same study, replays it instead of starting over. Surplus asks while a generation is
 * incomplete (parallel workers) are extra samples of that generation: they are evaluated and count for
 * the best trial, and the first λ completed by trial number are told. IPOP restarts double λ. With a
 * budget, its last part is a compass search from the best trial (polish.ts), rebuilt from storage too.
 */
export class CmaEsSampler implements Sampler {
  readonly name: string;
  private readonly o: CmaEsOptions;
  private readonly settings: CmaSettings;
  private readonly independent: Sampler;
  private readonly qmc = new QmcSampler();
  private readonly tpe: TpeSampler;
  private states = new Map<string, SpaceState>();

  constructor(opts: CmaEsOptions = {}, name = "cmaes") {
    this.o = opts;
    this.name = name;
    this.settings = {
      tolX: opts.tolX ?? 1e-11,
      tolFun: opts.tolFun ?? 1e-12,
      stagnationGenerations: opts.stagnationGenerations ?? 0,
    };
    this.independent = opts.independent ?? new RandomSampler({ seed: opts.seed });
    this.tpe = new TpeSampler({ seed: opts.seed });
  }

  sampleIndependent(ctx: SamplerContext, trial: TrialRef, name: string, dist: Distribution): number {
    return this.independent.sampleIndependent(ctx, trial, name, dist);
  }

  async sampleRelative(
    ctx: SamplerContext,
    trial: TrialRef,
    space: SearchSpace,
  ): Promise<Record<string, number>> {
    const names = Object.keys(space).filter((k) => isNumerical(space[k]) && !isSingle(space[k]));
    if (names.length === 0) return {};
    const seed = this.o.seed ?? ctx.seed;
    const dists = names.map((k) => space[k]);
    const sig = String(deriveSeed(0, JSON.stringify(names.map((k, j) => [k, dists[j]]))));
    const key = `${ctx.studyName}:${sig}`;
    let st = this.states.get(key);
    if (!st) {
      st = {
        names,
        dists,
        sig,
        run: undefined,
        members: new Map(),
        seen: new Set(),
        polish: new Map(),
      };
      this.states.set(key, st);
    }
    const sub: SearchSpace = {};
    names.forEach((k, j) => (sub[k] = dists[j]));
    const nStartup = this.o.nStartupTrials ?? 0;
    if (!st.run) {
      if (ctx.history.nComplete < nStartup) {
        if (this.o.startupCenter && trial.number === 0)
          return Object.fromEntries(names.map((k) => [k, fromUnit(space[k], 0.5)]));
        const startup = this.o.startup ?? "qmc";
        if (startup === "qmc") return this.qmc.pointFor(seed, sub, trial.number);
        if (startup === "tpe") return this.tpe.sampleRelative(ctx, trial, sub);
        const rng = trialRng(seed, "cma-startup", trial.number);
        const out: Record<string, number> = {};
        for (const k of names) out[k] = fromUnit(space[k], rng.next());
        return out;
      }
      st.run = { r: 0, cma: await this.firstRun(ctx, st) };
    }
    this.index(ctx, st);
    await this.catchUp(ctx, st, seed);
    const run = st.run!;
    const x = new Float64Array(names.length);
    const polish = this.o.polish ?? 0;
    const from = this.o.budget === undefined ? Infinity : this.o.budget - Math.round(polish * this.o.budget);
    const polishing =
      polish > 0 &&
      trial.number >= from &&
      (await phase(st, from).next(ctx, trial, () => run.cma.spread(), x));
    if (!polishing) {
      run.cma.sample(trialRng(seed, `cma:${run.r}:${run.cma.generation}`, trial.number), x);
      await ctx.setTrialSystemAttr(trial.trialId, TAG, { s: st.sig, r: run.r, g: run.cma.generation });
    }
    const out: Record<string, number> = {};
    names.forEach((k, j) => (out[k] = fromUnit(dists[j], x[j])));
    return out;
  }

  private async firstRun(ctx: SamplerContext, st: SpaceState): Promise<Cma> {
    const n = st.names.length;
    const x0 = this.o.x0 ?? "center";
    if (x0 === "top") {
      const points = rankedPoints(ctx.history, st.names, st.dists);
      const proposed: Promising = points.length
        ? promisingDistribution(
            points,
            Math.max(2 * n + 2, Math.ceil(TOP_FRACTION * points.length)),
            TOP_ALPHA,
          )
        : { mean: new Array(n).fill(0.5), sigma: this.o.sigma0 ?? 1 / 6, shape: identity(n) };
      const agreed = (await ctx.setStudySystemAttrIfAbsent(
        `${TAG}:${st.sig}:x0`,
        proposed as unknown as Json,
      )) as unknown as Promising;
      return new Cma(
        agreed.mean,
        agreed.sigma,
        this.o.popsize ?? Cma.defaultPopsize(n),
        this.settings,
        agreed.shape,
      );
    }
    let mean: number[] = new Array(n).fill(0.5);
    if (x0 === "best") {
      const b = ctx.history.best;
      const proposed = st.names.map((k, j) => {
        const v = b?.internalParams[k];
        return v === undefined ? 0.5 : toUnit(st.dists[j], v);
      });
      // agree across processes on the starting point
      mean = (await ctx.setStudySystemAttrIfAbsent(`${TAG}:${st.sig}:x0`, proposed)) as number[];
    } else if (x0 !== "center")
      mean = st.names.map((k, j) => toUnit(st.dists[j], toInternal(k, st.dists[j], x0[k])));
    return new Cma(
      mean,
      this.o.sigma0 ?? 1 / 6,
      this.o.popsize ?? Cma.defaultPopsize(n),
      this.settings,
      this.stds(st),
    );
  }

  /** Initial coordinate steps relative to σ0 (only the scale parameter differs). */
  private stds(st: SpaceState): Float64Array | undefined {
    const k = this.o.scaleParam === undefined ? -1 : st.names.indexOf(this.o.scaleParam);
    if (k < 0) return undefined;
    const d = st.dists[k] as FloatDistribution | IntDistribution;
    if (this.o.scaleStep === undefined || !d.log) return undefined;
    const { lo, hi } = transformedBounds(d);
    const sigma0 = this.o.sigma0 ?? 1 / 6;
    const out = new Float64Array(st.names.length).fill(1);
    out[k] = Math.min(sigma0, Math.log(this.o.scaleStep) / (hi - lo)) / sigma0;
    return out;
  }

  /** Adds newly finished CMA trials of this space to the generation index. */
  private index(ctx: SamplerContext, st: SpaceState): void {
    const fin = ctx.history.finished;
    if (st.seen.size === fin.length) return;
    for (let row = 0; row < fin.length; row++) {
      const t = fin[row];
      if (st.seen.has(t.trialId)) continue;
      st.seen.add(t.trialId);
      const ptag = polishTag(t);
      if (ptag) {
        if (ptag.s === st.sig) phase(st, ptag.f).add(t);
        continue;
      }
      const tag = t.systemAttrs[TAG] as { s?: string; r?: number; g?: number } | undefined;
      if (!tag || tag.s !== st.sig || ctx.history.states[row] !== STATE_COMPLETE) continue;
      const k = `${tag.r}:${tag.g}`;
      let list = st.members.get(k);
      if (!list) st.members.set(k, (list = []));
      list.push(t);
    }
  }

  /** Tells every generation that is complete, restarting runs that stop. */
  private async catchUp(ctx: SamplerContext, st: SpaceState, seed: number): Promise<void> {
    const sign = ctx.direction === "minimize" ? 1 : -1;
    for (;;) {
      const run = st.run!;
      const g = run.cma.generation;
      const members = (st.members.get(`${run.r}:${g}`) ?? []).slice().sort((a, b) => a.number - b.number);
      if (members.length < run.cma.lambda) return;
      const proposed = members.slice(0, run.cma.lambda).map((t) => t.number);
      const agreed = (await ctx.setStudySystemAttrIfAbsent(
        `${TAG}:${st.sig}:told:${run.r}:${g}`,
        proposed,
      )) as Json[];
      const byNumber = new Map(members.map((t) => [t.number, t]));
      const told = agreed.map((num) => byNumber.get(num as number));
      if (told.some((t) => t === undefined)) return; // another process told trials this one has not seen yet
      const xs = told.map((t) =>
        Float64Array.from(st.names.map((k, j) => toUnit(st.dists[j], t!.internalParams[k]))),
      );
      run.cma.tell(
        xs,
        told.map((t) => sign * (t!.value as number)),
      );
      if ((this.o.restart ?? "ipop") === "ipop" && run.cma.stopReason() !== undefined) {
        const r = run.r + 1;
        const rng = new Rng(deriveSeed(seed, `cma-restart:${r}`));
        const mean = st.names.map(() => rng.next());
        const lambda = Math.round(run.cma.lambda * (this.o.incPopsize ?? 2));
        st.run = { r, cma: new Cma(mean, this.o.sigma0 ?? 1 / 6, lambda, this.settings, this.stds(st)) };
      }
    }
  }
}

function phase(st: SpaceState, from: number): PolishPhase {
  let p = st.polish.get(from);
  if (!p) st.polish.set(from, (p = new PolishPhase(st.names, st.dists, st.sig, from)));
  return p;
}

function identity(n: number): number[] {
  return Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
}
