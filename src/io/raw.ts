/**
 * A format-neutral view of a gridded file: variables with shapes, dimension names and attributes, read
 * as numbers. NetCDF3 (netcdfjs) and NetCDF4/HDF5 (h5wasm) both present this view; read.ts works on it.
 */
import fs from "node:fs";
import { KilnError } from "../util/errors.ts";

export type AttrValue = string | number | number[];

export type NumericType = "i1" | "u1" | "i2" | "u2" | "i4" | "u4" | "i8" | "u8" | "f4" | "f8";

export interface RawVariable {
  /** Name as the file spells it; inside HDF5 groups, the path without the leading slash ("ancill/basis_regions"). */
  readonly name: string;
  readonly shape: readonly number[];
  /** Dimension name per axis, or null where the file does not name it (plain HDF5). */
  readonly dims: readonly (string | null)[];
  readonly attrs: ReadonlyMap<string, AttrValue>;
  /** Null for non-numeric variables (strings, chars, compounds). */
  readonly type: NumericType | null;
  /** All values, C order. */
  read(): ArrayLike<number>;
}

export interface RawFile {
  readonly path: string;
  readonly format: "netcdf3" | "hdf5";
  /** True when the file follows netCDF conventions (netCDF3, or HDF5 written by netCDF-4). */
  readonly isNetcdf: boolean;
  names(): string[];
  get(name: string): RawVariable | undefined;
  close(): void;
}

export type FileFormat = "netcdf3" | "hdf5";

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format by the magic bytes: "CDF\x01"/"CDF\x02" is NetCDF3; the HDF5 signature is NetCDF4/HDF5. */
export function sniffFormat(path: string): FileFormat {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KilnError(
      code === "ENOENT" ? "file not found" : `cannot open the file (${code ?? String(e)})`,
      {
        where: path,
        hint:
          code === "ENOENT"
            ? "check the path (relative paths in a dataset config start at its `root`)"
            : undefined,
      },
    );
  }
  const head = Buffer.alloc(8);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (n >= 4 && head[0] === 0x43 && head[1] === 0x44 && head[2] === 0x46) {
    if (head[3] === 1 || head[3] === 2) return "netcdf3";
    if (head[3] === 5) {
      throw new KilnError("this is a CDF-5 (64-bit data) NetCDF file, which Kiln does not read", {
        where: path,
        hint: "convert it to NetCDF4: `nccopy -k nc4 in.nc out.nc`",
      });
    }
  }
  if (n === 8 && HDF5_MAGIC.every((b, k) => head[k] === b)) return "hdf5";
  throw new KilnError("not a NetCDF or HDF5 file (unknown magic bytes)", {
    where: path,
    hint: "Kiln reads NetCDF3 (classic, 64-bit offset) and NetCDF4/HDF5 files",
  });
}

/** Open a file of either format. */
export async function openRaw(path: string): Promise<RawFile> {
  const format = sniffFormat(path);
  if (format === "netcdf3") {
    const { openNetcdf3 } = await import("./netcdf3.ts");
    return openNetcdf3(path);
  }
  const { openHdf5 } = await import("./hdf5.ts");
  return openHdf5(path);
}

/** An attribute as a string (undefined when absent or not a string). */
export function attrString(v: RawVariable, name: string): string | undefined {
  const a = v.attrs.get(name);
  return typeof a === "string" ? a : undefined;
}

/** An attribute as a list of numbers (undefined when absent or not numeric). */
export function attrNumbers(v: RawVariable, name: string): number[] | undefined {
  const a = v.attrs.get(name);
  if (typeof a === "number") return [a];
  if (Array.isArray(a)) return a;
  return undefined;
}
