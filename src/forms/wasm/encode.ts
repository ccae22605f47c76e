/**
 * A minimal WebAssembly binary writer: just what the SIMD kernels need (one imported memory, imported
 * scalar functions, f64/i32/v128 locals, loops, SIMD128 arithmetic). Opcodes follow the WebAssembly 2.0
 * core specification (SIMD under the 0xFD prefix).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

/** SIMD sub-opcodes (after the 0xFD prefix) used by the kernels. */
export const S = {
  load: 0x00,
  load64Splat: 0x0a,
  store: 0x0b,
  const: 0x0c,
  f64x2Splat: 0x14,
  i32x4ExtractLane: 0x1b,
  i64x2ExtractLane: 0x1d,
  f64x2ExtractLane: 0x21,
  f64x2ReplaceLane: 0x22,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  not: 0x4d,
  and: 0x4e,
  andnot: 0x4f,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  load64Lane: 0x57,
  store32Lane: 0x5a,
  store64Lane: 0x5b,
  load32Zero: 0x5c,
  load64Zero: 0x5d,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  i64x2AllTrue: 0xc3,
  i64x2Shl: 0xcb,
  i64x2ShrS: 0xcc,
  i64x2ShrU: 0xcd,
  i64x2Add: 0xce,
  i64x2Sub: 0xd1,
  i64x2Eq: 0xd6,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
  f64x2Pmin: 0xf6,
  f64x2Pmax: 0xf7,
  f64x2ConvertLowI32x4S: 0xfe,
} as const;

/** Core opcodes used by the kernels. */
export const O = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Load: 0x2b,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  i64Add: 0x7c,
  f64Add: 0xa0,
  f64Mul: 0xa2,
  i32WrapI64: 0xa7,
  f64ConvertI32S: 0xb7,
  select: 0x1b,
  i32LeU: 0x4d,
  i32GtU: 0x4b,
} as const;

export function uleb(n: number, out: number[] = []): number[] {
  let v = n >>> 0;
  if (v !== n) throw new Error(`wasm: ${n} is not an unsigned 32-bit integer`);
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  let v = n | 0;
  if (v !== n) throw new Error(`wasm: ${n} is not a signed 32-bit integer`);
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const F64_BYTES = new Float64Array(1);
const F64_U8 = new Uint8Array(F64_BYTES.buffer);

/**
 * v128 constants kept in memory from address 0 (the module's data segment): V8 rebuilds a `v128.const`
 * from immediates at every use (three instructions), while a load from the pool is one.
 */
export class ConstPool {
  readonly bytes: number[] = [];
  private readonly offsets = new Map<string, number>();

  /** Byte address of a table of f64 values (16-byte aligned), shared by every use with the same values. */
  table(values: readonly number[]): number {
    const key = "T" + values.join(",");
    let k = this.offsets.get(key);
    if (k === undefined) {
      k = this.bytes.length;
      this.offsets.set(key, k);
      const f = new Float64Array(values.length + (values.length & 1));
      f.set(values);
      for (const b of new Uint8Array(f.buffer)) this.bytes.push(b);
    }
    return k;
  }

  /** Byte address of the 16-byte constant. */
  offset(all: readonly number[]): number {
    const key = all.join(",");
    let k = this.offsets.get(key);
    if (k === undefined) {
      k = this.bytes.length;
      this.offsets.set(key, k);
      for (const b of all) this.bytes.push(b);
    }
    return k;
  }
}

/** The body of one function: typed helpers that append instructions. */
export class Code {
  readonly bytes: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(
    private readonly nParams: number,
    readonly pool: ConstPool,
  ) {}

  /** A new local of type `t`; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.nParams + this.locals.length - 1;
  }

  op(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  simd(sub: number): this {
    this.bytes.push(0xfd);
    uleb(sub, this.bytes);
    return this;
  }

  get(i: number): this {
    this.bytes.push(O.localGet);
    uleb(i, this.bytes);
    return this;
  }

  set(i: number): this {
    this.bytes.push(O.localSet);
    uleb(i, this.bytes);
    return this;
  }

  tee(i: number): this {
    this.bytes.push(O.localTee);
    uleb(i, this.bytes);
    return this;
  }

  i32(v: number): this {
    this.bytes.push(O.i32Const);
    sleb(v, this.bytes);
    return this;
  }

  f64(v: number): this {
    F64_BYTES[0] = v;
    this.bytes.push(O.f64Const, ...F64_U8);
    return this;
  }

  /** Push a v128 constant (16 bytes, or 8 repeated in both lanes) loaded from the pool. */
  constant(bytes: readonly number[]): this {
    const all = bytes.length === 8 ? [...bytes, ...bytes] : bytes;
    if (all.length !== 16) throw new Error("wasm: a v128 constant has 16 bytes");
    return this.i32(0).mem(S.load, null, 4, this.pool.offset(all));
  }

  /** The same f64 in both lanes. */
  splat(v: number): this {
    F64_BYTES[0] = v;
    return this.constant([...F64_U8]);
  }

  /** The same 64-bit integer pattern (given as two 32-bit halves) in both lanes. */
  splatBits(lo: number, hi: number): this {
    const b = [lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24];
    const c = [hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24];
    return this.constant([...b, ...c]);
  }

  /** A memory access: SIMD (`sub`) or core (`core`) opcode, then alignment (log2) and offset. */
  mem(sub: number | null, core: number | null, align: number, offset = 0): this {
    if (sub !== null) this.simd(sub);
    else this.bytes.push(core!);
    uleb(align, this.bytes);
    uleb(offset, this.bytes);
    return this;
  }

  lane(sub: number, lane: number): this {
    this.simd(sub);
    this.bytes.push(lane);
    return this;
  }

  /** The function body as encoded in the code section (locals declaration included). */
  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body: number[] = [];
    uleb(groups.length, body);
    for (const [n, t] of groups) {
      uleb(n, body);
      body.push(t);
    }
    for (const b of this.bytes) body.push(b);
    body.push(O.end);
    const out = uleb(body.length);
    for (const b of body) out.push(b);
    return out;
  }
}

function section(id: number, content: readonly number[]): number[] {
  const out = [id, ...uleb(content.length)];
  for (const b of content) out.push(b);
  return out;
}

function name(s: string): number[] {
  const b = [...Buffer.from(s, "utf8")];
  return [...uleb(b.length), ...b];
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

function encodeType(t: FuncType): number[] {
  return [0x60, ...uleb(t.params.length), ...t.params, ...uleb(t.results.length), ...t.results];
}

/**
 * A module importing memory `env.mem` (at least `minPages` 64 KiB pages) and the functions `imports`
 * (module `env`), defining and exporting `funcs`, with the constant pool written at address 0 on
 * instantiation. Imported functions take index 0.. in order, then the defined ones.
 */
export function encodeModule(opts: {
  imports: readonly { name: string; type: FuncType }[];
  funcs: readonly { name: string; type: FuncType; code: Code }[];
  pool: ConstPool;
  minPages: number;
}): Uint8Array {
  const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const push = (xs: readonly number[]) => {
    for (const x of xs) out.push(x);
  };
  const types = [...opts.imports.map((f) => f.type), ...opts.funcs.map((f) => f.type)];
  push(section(1, [...uleb(types.length), ...types.flatMap(encodeType)]));
  const imports: number[] = [...uleb(opts.imports.length + 1)];
  imports.push(...name("env"), ...name("mem"), 0x02, 0x00, ...uleb(opts.minPages));
  opts.imports.forEach((f, k) => imports.push(...name("env"), ...name(f.name), 0x00, ...uleb(k)));
  push(section(2, imports));
  const n0 = opts.imports.length;
  push(section(3, [...uleb(opts.funcs.length), ...opts.funcs.flatMap((_, k) => uleb(n0 + k))]));
  const exports: number[] = [...uleb(opts.funcs.length)];
  opts.funcs.forEach((f, k) => exports.push(...name(f.name), 0x00, ...uleb(n0 + k)));
  push(section(7, exports));
  const code: number[] = uleb(opts.funcs.length);
  for (const f of opts.funcs) for (const b of f.code.encode()) code.push(b);
  push(section(10, code));
  // one active data segment: the pool at address 0
  const data: number[] = [1, 0x00, O.i32Const, 0, O.end, ...uleb(opts.pool.bytes.length)];
  for (const b of opts.pool.bytes) data.push(b);
  push(section(11, data));
  return Uint8Array.from(out);
}
