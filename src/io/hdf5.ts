/**
 * NetCDF4/HDF5 through h5wasm (the HDF5 C library in WASM; in Node it uses the real filesystem, so paths
 * are ordinary paths). NetCDF-4 dimensions are HDF5 dimension scales: a variable's dimension names are
 * the names of the scales attached to its axes.
 */
import h5wasm from "h5wasm/node";
import { KilnError } from "../util/errors.ts";
import type { AttrValue, NumericType, RawFile, RawVariable } from "./raw.ts";

let ready: Promise<unknown> | undefined;

/** Initialise h5wasm once per process (the first call costs about a second). */
export async function h5ready(): Promise<typeof h5wasm> {
  ready ??= h5wasm.ready;
  await ready;
  return h5wasm;
}

/** netCDF-4 bookkeeping attributes that are not user attributes. */
const HIDDEN_ATTRS = new Set([
  "DIMENSION_LIST",
  "REFERENCE_LIST",
  "CLASS",
  "NAME",
  "_Netcdf4Dimid",
  "_Netcdf4Coordinates",
  "_nc3_strict",
  "_NCProperties",
]);

/** The NAME netCDF-4 gives a dimension that has no coordinate variable. */
export const DIM_ONLY_PREFIX = "This is a netCDF dimension but not a netCDF variable";

type H5Dataset = InstanceType<typeof h5wasm.Dataset>;
type H5File = InstanceType<typeof h5wasm.File>;
type H5Attrs = H5Dataset["attrs"];

function toAttr(value: unknown): AttrValue | undefined {
  if (typeof value === "string") return value.replace(/\0+$/, "");
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = Array.from(value as unknown as ArrayLike<number | bigint>, Number);
    return arr.length === 1 ? arr[0] : arr;
  }
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === "string")) return value.length === 1 ? value[0] : value.join(", ");
    if (value.every((x) => typeof x === "number")) return value.length === 1 ? value[0] : value;
  }
  return undefined;
}

export function readAttrs(attrs: H5Attrs): Map<string, AttrValue> {
  const m = new Map<string, AttrValue>();
  for (const [name, a] of Object.entries(attrs)) {
    if (HIDDEN_ATTRS.has(name)) continue;
    try {
      const v = toAttr(a.value);
      if (v !== undefined) m.set(name, v);
    } catch {
      // attributes of exotic types (references, compounds) are not needed
    }
  }
  return m;
}

function numericType(ds: H5Dataset): NumericType | null {
  const md = ds.metadata;
  if (md.type === 1) return md.size === 4 ? "f4" : md.size === 8 ? "f8" : null;
  if (md.type === 0) {
    const s = md.signed ? "i" : "u";
    return ([1, 2, 4, 8].includes(md.size) ? `${s}${md.size}` : null) as NumericType | null;
  }
  return null;
}

/** All values of a numeric dataset as a JS typed array (64-bit integers become float64). */
export function readNumeric(ds: H5Dataset, where: string): ArrayLike<number> {
  const v = ds.value;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
  if (ArrayBuffer.isView(v)) return v as unknown as ArrayLike<number>;
  if (typeof v === "number") return [v];
  throw new KilnError(`dataset '${ds.path}' is not numeric`, { where });
}

class Hdf5Variable implements RawVariable {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: NumericType | null;
  private dimsCache: (string | null)[] | undefined;
  private attrsCache: Map<string, AttrValue> | undefined;

  constructor(
    private readonly ds: H5Dataset,
    private readonly filePath: string,
  ) {
    this.name = ds.path.replace(/^\//, "");
    this.shape = ds.shape ?? [];
    this.type = numericType(ds);
  }

  get dims(): readonly (string | null)[] {
    if (!this.dimsCache) {
      this.dimsCache = this.shape.map((_, k) => {
        let scales: string[];
        try {
          scales = this.ds.get_attached_scales(k);
        } catch {
          scales = [];
        }
        return scales.length ? scales[0].replace(/^.*\//, "") : null;
      });
    }
    return this.dimsCache;
  }

  get attrs(): ReadonlyMap<string, AttrValue> {
    this.attrsCache ??= readAttrs(this.ds.attrs);
    return this.attrsCache;
  }

  read(): ArrayLike<number> {
    if (!this.type) {
      throw new KilnError(`variable '${this.name}' is not numeric`, { where: this.filePath });
    }
    return readNumeric(this.ds, this.filePath);
  }

  /** True for a netCDF-4 dimension without a coordinate variable. */
  isDimensionOnly(): boolean {
    try {
      const name = this.ds.attrs["NAME"]?.value;
      return typeof name === "string" && name.startsWith(DIM_ONLY_PREFIX);
    } catch {
      return false;
    }
  }
}

export async function openHdf5(path: string): Promise<RawFile> {
  const h5 = await h5ready();
  let f: H5File;
  try {
    f = new h5.File(path, "r");
  } catch (e) {
    throw new KilnError(`HDF5 cannot open the file: ${String(e)}`, { where: path });
  }
  const cache = new Map<string, Hdf5Variable | null>();
  const get = (name: string): Hdf5Variable | undefined => {
    const key = name.replace(/^\//, "");
    if (!cache.has(key)) {
      let entity: unknown;
      try {
        entity = f.get(key);
      } catch {
        entity = null;
      }
      cache.set(key, entity instanceof h5.Dataset ? new Hdf5Variable(entity, path) : null);
    }
    return cache.get(key) ?? undefined;
  };
  let isNetcdf = "_NCProperties" in f.attrs;
  if (!isNetcdf) {
    for (const k of f.keys()) {
      const v = get(k);
      if (v && v.dims.some((d) => d !== null)) {
        isNetcdf = true;
        break;
      }
    }
  }
  return {
    path,
    format: "hdf5",
    isNetcdf,
    names() {
      const out: string[] = [];
      for (const p of f.paths()) {
        const v = get(p);
        if (v && !v.isDimensionOnly()) out.push(v.name);
      }
      return out;
    },
    get,
    close() {
      f.close();
    },
  };
}
