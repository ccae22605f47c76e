/**
 * Binding a SIMD kernel to its inputs: one WebAssembly memory per bound kernel holding the header
 * (parameters, scalars), the month-only values, copies of the inputs the loop reads, every stage buffer
 * and the float32 output; typed-array views on it for the JavaScript part (`W` in codegen.ts).
 */
import type { KernelPlan } from "../ir.ts";
import type { ResolvedInput } from "../inputs.ts";
import { type WasmModule, WA } from "./api.ts";
import { fexp, khump, kpowl } from "../fastmath.ts";
import { simdKernelModule } from "./simd-kernel.ts";
import { type ElemType, headerLength, simdArgs, type SimdNeeds } from "./simd-needs.ts";

/** Above this many bytes of module memory the JavaScript loop is used instead. */
export const SIMD_MAX_BYTES = 2 ** 31 - 2 ** 16;

let supported: boolean | null = null;

/** Whether this runtime runs WebAssembly SIMD128 (Node 20 does). */
export function simdSupported(): boolean {
  if (supported === null) {
    // (func (result v128) f64.const 0; f64x2.splat)
    const probe = Uint8Array.from([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 0x7b, 3, 2, 1, 0, 10, 15, 1, 13, 0, 0x44, 0, 0, 0, 0, 0,
      0, 0, 0, 0xfd, 0x14, 0x0b,
    ]);
    try {
      supported = WA !== undefined && WA.validate(probe);
    } catch {
      supported = false;
    }
  }
  return supported === true;
}

export function elemTypes(inputs: readonly ResolvedInput[]): ElemType[] {
  return inputs.map((r) => (r.data instanceof Float32Array ? "f32" : "f64"));
}

/** The JavaScript-side view of a bound SIMD kernel (named fields read by the generated source). */
export interface SimdWorld {
  readonly main: () => number;
  readonly out: Float32Array;
  readonly H: Float64Array;
  readonly [view: string]: unknown;
}

interface Region {
  readonly bytes: number;
  readonly offset: number;
}

/** Bytes of module memory a bind needs (to decide between the SIMD and the JavaScript loop). */
export function simdBytes(
  plan: KernelPlan,
  needs: SimdNeeds,
  elem: readonly ElemType[],
  nParams: number,
  nTime: number,
  nCell: number,
): number {
  return layout(plan, needs, elem, nParams, nTime, nCell, 1 << 16).total;
}

function layout(
  plan: KernelPlan,
  needs: SimdNeeds,
  elem: readonly ElemType[],
  nParams: number,
  nTime: number,
  nCell: number,
  poolBytes: number,
) {
  const n = nTime * nCell;
  let total = Math.ceil(poolBytes / 16) * 16;
  const region = (bytes: number): Region => {
    const r = { bytes, offset: total };
    total += Math.ceil(bytes / 16) * 16;
    return r;
  };
  const header = region(8 * headerLength(needs, nParams));
  const time = needs.timeNodes.map(() => region(8 * nTime));
  const cell = needs.cellInputs.map(() => region(8 * nCell));
  const cellTime = needs.cellTimeInputs.map((ref) => region((elem[ref] === "f32" ? 4 : 8) * n));
  const stages = new Map(plan.stages.map((s) => [s.node, region(8 * (s.domain === "cell" ? nCell : n))]));
  const scratch = needs.ewmeans.map(() => region(8 * nCell));
  const memo = needs.memo.map(() => region(8 * (nCell + 1)));
  const out = region(4 * n);
  return { header, time, cell, cellTime, stages, scratch, memo, out, total };
}

export interface SimdModule {
  readonly mod: WasmModule;
  readonly poolBytes: number;
}

const moduleCache = new Map<string, SimdModule>();
const MODULE_CACHE_SIZE = 256;

/** Compile (or reuse) the module for this plan. */
export function simdModule(
  plan: KernelPlan,
  combiner: string,
  nParams: number,
  needs: SimdNeeds,
  elem: readonly ElemType[],
): SimdModule {
  const { bytes, poolBytes } = simdKernelModule(plan, combiner, nParams, needs, elem);
  const key = Buffer.from(bytes).toString("latin1");
  const hit = moduleCache.get(key);
  const mod = hit ?? { mod: new WA!.Module(bytes), poolBytes };
  if (hit) moduleCache.delete(key);
  else if (moduleCache.size >= MODULE_CACHE_SIZE) moduleCache.delete(moduleCache.keys().next().value!);
  moduleCache.set(key, mod);
  return mod;
}

/** Memory, input copies, views and the instance for one bind. */
export function simdWorld(
  { mod, poolBytes }: SimdModule,
  plan: KernelPlan,
  needs: SimdNeeds,
  inputs: readonly ResolvedInput[],
  elem: readonly ElemType[],
  nParams: number,
  nTime: number,
  nCell: number,
): SimdWorld {
  const L = layout(plan, needs, elem, nParams, nTime, nCell, poolBytes);
  const memory = new WA!.Memory({ initial: Math.max(1, Math.ceil(L.total / 65536)) });
  const buf = memory.buffer;
  const n = nTime * nCell;
  const f64 = (r: Region, len: number) => new Float64Array(buf, r.offset, len);
  const world: Record<string, unknown> = {};
  world.H = f64(L.header, headerLength(needs, nParams));
  needs.timeNodes.forEach((id, k) => (world[`T${id}`] = f64(L.time[k], nTime)));
  needs.cellInputs.forEach((ref, k) => f64(L.cell[k], nCell).set(inputs[ref].data));
  needs.cellTimeInputs.forEach((ref, k) => {
    const r = L.cellTime[k];
    const view =
      elem[ref] === "f32" ? new Float32Array(buf, r.offset, n) : new Float64Array(buf, r.offset, n);
    view.set(inputs[ref].data);
  });
  for (const s of plan.stages)
    world[`b${s.node}`] = f64(L.stages.get(s.node)!, s.domain === "cell" ? nCell : n);
  world.out = new Float32Array(buf, L.out.offset, n);
  const instance = new WA!.Instance(mod, {
    env: { mem: memory, khump, kpowl, pow: Math.pow, cos: Math.cos, fexp },
  });
  const a = simdArgs(needs);
  const addr: number[] = new Array<number>(a.out + 1);
  addr[a.header] = L.header.offset;
  a.time.forEach((k, j) => (addr[k] = L.time[j].offset));
  a.cell.forEach((k, j) => (addr[k] = L.cell[j].offset));
  a.cellTime.forEach((k, j) => (addr[k] = L.cellTime[j].offset));
  a.buffer.forEach((k, j) => (addr[k] = L.stages.get(needs.buffers[j])!.offset));
  a.scratch.forEach((k, j) => (addr[k] = L.scratch[j].offset));
  a.memo.forEach((k, j) => (addr[k] = L.memo[j].offset));
  addr[a.out] = L.out.offset;
  const fn = (name: string) =>
    (instance.exports[name] as (...a: number[]) => number).bind(null, nTime, nCell, ...addr);
  world.main = fn("main");
  for (const id of needs.stages) world[`s${id}`] = fn(`s${id}`);
  // keep the memory alive with the views (they hold its buffer anyway)
  world.memory = memory;
  return world as unknown as SimdWorld;
}

/** Pairs of cells whose values repeat from one month to the next in both, for the memo to pay. */
export const MEMO_MIN_REPEAT = 0.5;

/**
 * The fraction of (month ≥ 1, pair of cells) where both cells of a cell-month input have the same bits as
 * a month earlier (the SIMD loop works on pairs: a memo hit needs both), estimated on at most 36 month
 * transitions spread over the series (at uneven months, so that yearly changes are sampled fairly).
 */
export function pairRepeatFraction(data: ArrayLike<number>, nTime: number, nCell: number): number {
  if (nTime < 2 || nCell < 1) return 0;
  const f64 = !(data instanceof Float32Array);
  const arr = data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data);
  // compared as 32-bit words (so −0 ≠ 0 and NaNs with the same bits are equal)
  const words = new Uint32Array(arr.buffer, arr.byteOffset, arr.length * (f64 ? 2 : 1));
  const w = f64 ? 2 : 1;
  const row = nCell * w;
  const m = Math.min(nTime - 1, 36);
  let hits = 0;
  let pairs = 0;
  for (let j = 0; j < m; j++) {
    const t = 1 + Math.floor((j * (nTime - 1)) / m);
    for (let c = 0; c < nCell; c += 2) {
      pairs++;
      let same = true;
      for (let k = c * w, end = Math.min(c + 2, nCell) * w; k < end; k++) {
        const i = t * row + k;
        if (words[i] !== words[i - row]) {
          same = false;
          break;
        }
      }
      if (same) hits++;
    }
  }
  return hits / pairs;
}
