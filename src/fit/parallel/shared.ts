type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

function isTypedArray(v: unknown): v is TypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** A copy of a typed array in a SharedArrayBuffer (the same array if it already lives in one). */
export function toShared<T extends TypedArray>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a as unknown as ArrayLike<number>);
  return out;
}

/**
 * A context for worker objectives: the same plain objects and arrays, with every typed array moved
 * into shared memory, so that posting it to N workers shares the data instead of copying it N times.
 * Class instances are not walked (structured cloning drops their prototypes): pass plain data.
 */
export function shareArrays<T>(value: T): T {
  if (isTypedArray(value)) return toShared(value) as T;
  if (Array.isArray(value)) return value.map((v) => shareArrays(v)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shareArrays(v);
    return out as T;
  }
  return value;
}
