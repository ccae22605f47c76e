import { deriveSeed, Rng } from "../../util/rng.ts";
import { STATE_COMPLETE } from "../history.ts";
import {
  fromUnit,
  isNumerical,
  isSingle,
  toInternal,
  toUnit,
  type Distribution,
  type Params,
  type SearchSpace,
} from "../space.ts";
import type { FrozenTrial, Json } from "../types.ts";
import { Cma, type CmaSettings } from "./cma.ts";
import { QmcSampler } from "./qmc.ts";
import { RandomSampler } from "./random.ts";
import { trialRng, type Sampler, type SamplerContext, type TrialRef } from "./sampler.ts";

export interface CmaEsOptions extends Partial<CmaSettings> {
  seed?: number;
  /** Initial step size in the unit cube. Default 1/6 (Optuna's min(range)/6 after normalisation). */
  sigma0?: number;
  /** Population of the first run. Default 4 + ⌊3 ln n⌋. */
  popsize?: number;
  /** Initial mean: the centre of the box, the best trial after the startup trials, or given parameters. */
  x0?: "center" | "best" | Params;
  /** Trials drawn before CMA-ES starts (they are the ones "best" picks from). Default 0. */
  nStartupTrials?: number;
  /** How startup trials are drawn. Default "qmc" (scrambled Sobol). */
  startup?: "qmc" | "random";
  /** Trial 0, if it is a startup trial, takes the centre of the box. Default false. */
  startupCenter?: boolean;
  /** IPOP: restart with popsize × incPopsize from a random mean when a run stops. Default "ipop". */
  restart?: "ipop" | "none";
  incPopsize?: number;
  /** Sampler for categorical and define-by-run parameters CMA-ES does not handle. Default random. */
  independent?: Sampler;
}

const TAG = "kiln:cma";

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
}

/**
 * CMA-ES over the numerical parameters of the space, normalised to the unit cube (log parameters in
 * log space). Every CMA trial records its run r and generation g; a generation is told when λ of its
 * trials are COMPLETE, and the trial numbers told are agreed through a study system attribute (first
 * writer wins), so the state is a pure function of the stored trials: a resumed process, or a second
 * process on the same study, replays it instead of starting over. Surplus asks while a generation is
 * incomplete (parallel workers) are extra samples of that generation: they are evaluated and count for
 * the best trial, and the first λ completed by trial number are told. IPOP restarts double λ.
 */
export class CmaEsSampler implements Sampler {
  readonly name: string;
  private readonly o: CmaEsOptions;
  private readonly settings: CmaSettings;
  private readonly independent: Sampler;
  private readonly qmc = new QmcSampler();
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
      st = { names, dists, sig, run: undefined, members: new Map(), seen: new Set() };
      this.states.set(key, st);
    }
    const sub: SearchSpace = {};
    names.forEach((k, j) => (sub[k] = dists[j]));
    const nStartup = this.o.nStartupTrials ?? 0;
    if (!st.run) {
      if (ctx.history.nComplete < nStartup) {
        if (this.o.startupCenter && trial.number === 0)
          return Object.fromEntries(names.map((k) => [k, fromUnit(space[k], 0.5)]));
        if ((this.o.startup ?? "qmc") === "qmc") return this.qmc.pointFor(seed, sub, trial.number);
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
    run.cma.sample(trialRng(seed, `cma:${run.r}:${run.cma.generation}`, trial.number), x);
    await ctx.setTrialSystemAttr(trial.trialId, TAG, { s: st.sig, r: run.r, g: run.cma.generation });
    const out: Record<string, number> = {};
    names.forEach((k, j) => (out[k] = fromUnit(dists[j], x[j])));
    return out;
  }

  private async firstRun(ctx: SamplerContext, st: SpaceState): Promise<Cma> {
    const n = st.names.length;
    const x0 = this.o.x0 ?? "center";
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
    return new Cma(mean, this.o.sigma0 ?? 1 / 6, this.o.popsize ?? Cma.defaultPopsize(n), this.settings);
  }

  /** Adds newly finished CMA trials of this space to the generation index. */
  private index(ctx: SamplerContext, st: SpaceState): void {
    const fin = ctx.history.finished;
    if (st.seen.size === fin.length) return;
    for (let row = 0; row < fin.length; row++) {
      const t = fin[row];
      if (st.seen.has(t.trialId)) continue;
      st.seen.add(t.trialId);
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
        st.run = { r, cma: new Cma(mean, run.cma.sigma0, lambda, this.settings) };
      }
    }
  }
}
