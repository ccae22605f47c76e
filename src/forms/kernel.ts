/**
 * Compiled kernels: a form's terms become one specialised JavaScript function over the inputs, generated
 * from the checked tree only (see codegen.ts). Usage:
 *
 *   const run = compileKernel(form).bind(inputs);   // caches parameter-free work (e.g. log gpp, lags)
 *   const bad = run(params, out);                    // out: Float32Array(nTime*nCell) of burned fraction
 *
 * `run` returns the number of non-finite outputs; `run.explainNonFinite(params, out)` names the term that
 * produced the first one, and `run.runChecked` throws a KilnError with that explanation.
 */
import { KilnError } from "../util/errors.ts";
import { kernelSource } from "./codegen.ts";
import { fexp, flog, khump, kipow2, kipow3, kipow4, kpowl } from "./fastmath.ts";
import type { Form } from "./form.ts";
import { resolveInputs, type KernelInputs, type NumArray } from "./inputs.ts";
import { combine, evalSeries, seriesContext } from "./interpret.ts";
import { planKernel } from "./ir.ts";
import {
  elemTypes,
  SIMD_MAX_BYTES,
  simdBytes,
  simdModule,
  simdSupported,
  simdWorld,
  MEMO_MIN_REPEAT,
  pairRepeatFraction,
} from "./wasm/simd-bind.ts";
import { memoCandidates, simdNeeds } from "./wasm/simd-needs.ts";

const RUNTIME = Object.freeze({ fexp, flog, khump, kpowl, kipow2, kipow3, kipow4 });

export interface NonFiniteReport {
  /** How many outputs are non-finite. */
  readonly count: number;
  /** The first one: flat index, month index, cell index, value. */
  readonly index: number;
  readonly t: number;
  readonly c: number;
  readonly value: number;
  /** Id of the first term whose value is non-finite there, or null if the terms are finite (the combiner overflowed). */
  readonly term: string | null;
  readonly termValues: Readonly<Record<string, number>>;
  /** The inputs the form reads, at that cell and month. */
  readonly inputs: Readonly<Record<string, number>>;
  readonly message: string;
}

export type KernelRun = (params: ArrayLike<number>, out: Float32Array) => number;

export interface BoundKernel extends KernelRun {
  readonly form: Form;
  readonly nTime: number;
  readonly nCell: number;
  /** The generated source (for inspection). */
  readonly source: string;
  /** Whether the loop over cell-months runs as WebAssembly SIMD (else JavaScript). */
  readonly simd: boolean;
  /** Ids of the terms the SIMD loop memoises (their input repeats from month to month). */
  readonly memo: readonly string[];
  /** Run and throw a KilnError naming the term when any output is non-finite. */
  runChecked(params: ArrayLike<number>, out: Float32Array): void;
  /** Explain the first non-finite value of `out` (as filled by a run with `params`), or null. */
  explainNonFinite(params: ArrayLike<number>, out: Float32Array): NonFiniteReport | null;
}

export interface Kernel {
  readonly form: Form;
  bind(inputs: KernelInputs): BoundKernel;
}

type BindFn = (F: ArrayLike<number>[], nTime: number, nCell: number, W: unknown) => KernelRun;

export interface KernelOptions {
  /**
   * Run the loop over cell-months as WebAssembly SIMD when the runtime supports it and the data fit in
   * its memory (default true); false keeps everything in JavaScript.
   */
  readonly simd?: boolean;
  /** Largest module memory (bytes) a bind may use for the SIMD loop before falling back (default ~2 GiB). */
  readonly maxSimdBytes?: number;
  /**
   * Memoise (SIMD loop) the terms of one cell-month input that repeats from month to month in at least half
   * of the cell pairs (default true); the values are the same either way.
   */
  readonly memo?: boolean;
}

/** Compiled factories by source text, shared by every kernel (a form bound many times compiles once). */
const factories = new Map<string, BindFn>();
const FACTORY_CACHE_SIZE = 256;

function factoryFor(source: string): BindFn {
  let f = factories.get(source);
  if (f) factories.delete(source);
  else {
    // The one allowed use of Function: source generated from a checked tree, no user text in it.
    // eslint-disable-next-line no-new-func
    f = new Function("rt", source)(RUNTIME) as BindFn;
    if (factories.size >= FACTORY_CACHE_SIZE) factories.delete(factories.keys().next().value!);
  }
  factories.set(source, f);
  return f;
}

export function compileKernel(form: Form, options: KernelOptions = {}): Kernel {
  const wantSimd = options.simd !== false && simdSupported();
  return {
    form,
    bind(inputs: KernelInputs): BoundKernel {
      const resolved = resolveInputs(form.drivers, inputs);
      const { nTime, nCell } = inputs;
      const plan = planKernel(form, resolved);
      const elem = elemTypes(resolved);
      // memoise the terms of an input that mostly repeats from month to month (e.g. yearly population)
      const repeating = new Set<number>();
      if (wantSimd && options.memo !== false) {
        for (const ref of new Set(memoCandidates(plan).map((m) => m.ref))) {
          if (pairRepeatFraction(resolved[ref].data, nTime, nCell) >= MEMO_MIN_REPEAT) repeating.add(ref);
        }
      }
      const needs = wantSimd ? simdNeeds(plan, repeating) : null;
      const simd =
        needs !== null &&
        simdBytes(plan, needs, elem, form.nParams, nTime, nCell) <=
          Math.min(options.maxSimdBytes ?? SIMD_MAX_BYTES, SIMD_MAX_BYTES);
      const source = kernelSource(plan, form.combiner, form.nParams, simd ? needs : null);
      const factory = factoryFor(source);
      const world = simd
        ? simdWorld(
            simdModule(plan, form.combiner, form.nParams, needs!, elem),
            plan,
            needs!,
            resolved,
            elem,
            form.nParams,
            nTime,
            nCell,
          )
        : null;
      const run = factory(
        resolved.map((r) => r.data),
        nTime,
        nCell,
        world,
      );
      const explain = (params: ArrayLike<number>, out: Float32Array) =>
        explainNonFinite(form, inputs, params, out);
      return Object.assign(run, {
        form,
        nTime,
        nCell,
        source,
        simd,
        memo: simd
          ? form.terms.filter((_, k) => needs!.memo.some((m) => m.root === plan.roots[k])).map((t) => t.id)
          : [],
        explainNonFinite: explain,
        runChecked(params: ArrayLike<number>, out: Float32Array): void {
          if (run(params, out) > 0) {
            const r = explain(params, out)!;
            throw new KilnError(r.message, {
              hint: r.term
                ? `check term '${r.term}' and its parameter bounds, or the inputs listed`
                : "check the scale and the combiner",
            });
          }
        },
      });
    },
  };
}

/** Find the first non-finite output and evaluate each term there with the interpreter. */
export function explainNonFinite(
  form: Form,
  inputs: KernelInputs,
  params: ArrayLike<number>,
  out: ArrayLike<number>,
): NonFiniteReport | null {
  let first = -1;
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return null;
  const { nCell } = inputs;
  const t = Math.floor(first / nCell);
  const c = first % nCell;
  // The cell's own series up to month t is all a causal term needs there.
  const one = cellHistory(form.drivers, inputs, c, t);
  const ctx = seriesContext(form.drivers, one);
  const termValues: Record<string, number> = {};
  let term: string | null = null;
  const f = form.terms.map((tm, k) => {
    const local = form.termParams(k, params);
    const v = evalSeries(tm.expr, ctx, (name) => local[name])[t];
    termValues[tm.id] = v;
    if (term === null && !Number.isFinite(v)) term = tm.id;
    return v;
  });
  const at: Record<string, number> = {};
  for (const r of resolveInputs(form.drivers, one)) {
    at[r.name] = r.layout === "cellTime" ? r.data[t] : r.layout === "cell" ? r.data[0] : r.data[t];
  }
  const value = out[first];
  const bad = Object.entries(at).filter(([, v]) => !Number.isFinite(v));
  const where = `cell ${c}, month index ${t}`;
  const inputsText = Object.entries(at)
    .map(([k, v]) => `${k} = ${v}`)
    .join(", ");
  let message: string;
  if (term !== null) {
    message =
      `${count} non-finite burned-area value${count === 1 ? "" : "s"}; the first (${value}) at ${where} comes from term '${term}' = ${termValues[term]}` +
      (bad.length ? ` (input ${bad.map(([k]) => `'${k}'`).join(", ")} is not finite there)` : "") +
      ` [inputs there: ${inputsText}]`;
  } else {
    const combined = combine(form.combiner, form.scaleOf(params), form.tauOf(params), f);
    message =
      `${count} non-finite burned-area value${count === 1 ? "" : "s"}; the first (${value}) at ${where}: every term is finite ` +
      `(${Object.entries(termValues)
        .map(([k, v]) => `${k} = ${v}`)
        .join(", ")}) but the ${form.combiner} combiner gives ${combined}` +
      (Number.isFinite(combined) ? " (beyond float32 range)" : "");
  }
  return { count, index: first, t, c, value, term, termValues, inputs: at, message };
}

function cellHistory(drivers: readonly string[], inputs: KernelInputs, c: number, t: number): KernelInputs {
  const nT = t + 1;
  const fields: Record<string, NumArray> = {};
  const resolved = resolveInputs(drivers, inputs);
  for (const r of resolved) {
    if (r.name === "lat" || r.name === "month") continue;
    if (r.layout === "cell") fields[r.name] = Float64Array.of(r.data[c]);
    else {
      const a = new Float64Array(nT);
      for (let s = 0; s < nT; s++) a[s] = r.data[s * inputs.nCell + c];
      fields[r.name] = a;
    }
  }
  return {
    nTime: nT,
    nCell: 1,
    fields,
    lat: inputs.lat ? [inputs.lat[c]] : undefined,
    month: inputs.month ? Array.from({ length: nT }, (_, s) => inputs.month![s]) : undefined,
  };
}
