/**
 * NetCDF3 (classic and 64-bit offset) through netcdfjs's header parser; the data are read straight from
 * the buffer with a DataView (netcdfjs reads value by value into JS arrays, which is slow, and returns
 * record variables as arrays of records).
 */
import fs from "node:fs";
import { NetCDFReader } from "netcdfjs";
import { KilnError } from "../util/errors.ts";
import type { AttrValue, NumericType, RawFile, RawVariable } from "./raw.ts";

const TYPES: Record<string, { type: NumericType; bytes: number } | undefined> = {
  byte: { type: "i1", bytes: 1 },
  short: { type: "i2", bytes: 2 },
  int: { type: "i4", bytes: 4 },
  float: { type: "f4", bytes: 4 },
  double: { type: "f8", bytes: 8 },
};

interface HeaderAttr {
  name: string;
  value: unknown;
}

function toAttr(value: unknown): AttrValue | undefined {
  if (typeof value === "string") return value.replace(/\0+$/, "");
  if (typeof value === "number") return value;
  if (Array.isArray(value) && value.every((x) => typeof x === "number")) {
    return value.length === 1 ? value[0] : (value as number[]);
  }
  return undefined;
}

function attrMap(list: readonly HeaderAttr[]): Map<string, AttrValue> {
  const m = new Map<string, AttrValue>();
  for (const a of list) {
    const v = toAttr(a.value);
    if (v !== undefined) m.set(a.name, v);
  }
  return m;
}

export function openNetcdf3(path: string): RawFile {
  const bytes = fs.readFileSync(path);
  let reader: NetCDFReader;
  try {
    reader = new NetCDFReader(bytes);
  } catch (e) {
    throw new KilnError(`cannot read the NetCDF3 header: ${(e as Error).message}`, {
      where: path,
      hint: "the file may be truncated or corrupt; `ncdump -h` shows whether the NetCDF library can read it",
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = reader.dimensions;
  const rec = reader.recordDimension;
  const numRecs = rec.length;
  const dimSize = (id: number) => (rec.id === id ? numRecs : dims[id].size);

  const vars = new Map<string, RawVariable>();
  for (const v of reader.variables) {
    const t = TYPES[v.type];
    const shape = v.dimensions.map(dimSize);
    const dimNames = v.dimensions.map((id) => dims[id].name);
    const attrs = attrMap(v.attributes as HeaderAttr[]);
    const isRecord = v.record;
    const perRecord = shape.slice(isRecord ? 1 : 0).reduce((a, b) => a * b, 1);
    const recordStep = rec.recordStep ?? 0;
    vars.set(v.name, {
      name: v.name,
      shape,
      dims: dimNames,
      attrs,
      type: t?.type ?? null,
      read(): ArrayLike<number> {
        if (!t) {
          throw new KilnError(`variable '${v.name}' is of type ${v.type}, not numeric`, { where: path });
        }
        const nRec = isRecord ? numRecs : 1;
        const out = new Float64Array(perRecord * nRec);
        const get = getter(view, t.type);
        let k = 0;
        for (let r = 0; r < nRec; r++) {
          let off = v.offset + (isRecord ? r * recordStep : 0);
          if (off + perRecord * t.bytes > bytes.byteLength) {
            throw new KilnError(`variable '${v.name}' runs past the end of the file`, {
              where: path,
              hint: "the file is truncated",
            });
          }
          for (let i = 0; i < perRecord; i++, off += t.bytes) out[k++] = get(off);
        }
        return out;
      },
    });
  }
  return {
    path,
    format: "netcdf3",
    isNetcdf: true,
    names: () => [...vars.keys()],
    get: (name) => vars.get(name),
    close() {},
  };
}

/** Big-endian reader for one NetCDF3 numeric type. */
function getter(view: DataView, type: NumericType): (off: number) => number {
  switch (type) {
    case "i1":
      return (o) => view.getInt8(o);
    case "i2":
      return (o) => view.getInt16(o, false);
    case "i4":
      return (o) => view.getInt32(o, false);
    case "f4":
      return (o) => view.getFloat32(o, false);
    case "f8":
      return (o) => view.getFloat64(o, false);
    default:
      throw new Error(`NetCDF3 has no type ${type}`);
  }
}
