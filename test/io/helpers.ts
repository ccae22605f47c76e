/**
 * Test helpers for src/io: the shared data folder, temp folders, an `ncdump` reader (an independent
 * path to a file's values) and a writer of HDF5/netCDF-4 files straight on h5wasm (so that reader tests
 * do not depend on Kiln's own writer).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import h5wasm from "h5wasm/node";

const here = path.dirname(fileURLToPath(import.meta.url));

/** ../shared beside the repository (the repo root is two folders up from test/io). */
export const SHARED = path.resolve(here, "../../../shared");
export const PANTANAL = path.join(SHARED, "data/pantanal");
export const ILAMB_FIXTURES = path.join(SHARED, "fixtures/ilamb");

export function skipUnless(dir: string): string | false {
  return fs.existsSync(dir) ? false : `${dir} is absent (the shared data folder beside the repository)`;
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
}

let ncdumpPresent: boolean | undefined;
export function hasNcdump(): boolean {
  if (ncdumpPresent === undefined) {
    try {
      execFileSync("ncdump", [], { stdio: "ignore" });
      ncdumpPresent = true;
    } catch (e) {
      // ncdump without arguments prints usage and exits non-zero; only a missing binary is ENOENT
      ncdumpPresent = (e as NodeJS.ErrnoException).code !== "ENOENT";
    }
  }
  return ncdumpPresent;
}

export function ncdump(args: string[]): string {
  return execFileSync("ncdump", args, { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** The values of `variable` in file order, as ncdump prints them (fill "_" and NaN → NaN). */
export function ncdumpValues(file: string, variable: string): Float64Array {
  const out = ncdump(["-v", variable, "-p", "9,17", file]);
  const data = out.slice(out.indexOf("data:"));
  const m = new RegExp(`\\n\\s*${variable} =([^;]*);`).exec(data);
  if (!m) throw new Error(`ncdump printed no values for ${variable}`);
  return Float64Array.from(
    m[1]
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map((s) => (s === "_" || /^-?nanf?$/i.test(s) ? NaN : Number(s.replace(/f$/, "")))),
  );
}

export interface H5Var {
  dims?: string[];
  shape?: number[];
  data: Float32Array | Float64Array | Int16Array | Int32Array | Uint8Array;
  attrs?: Record<string, string | number | Float32Array | Float64Array | Int16Array | Int32Array>;
}

export interface H5Spec {
  /** Dimension scales in order: coordinate variables (values) or bare dimensions (size). */
  dims?: Record<string, { values?: Float64Array | Float32Array; size?: number; attrs?: H5Var["attrs"] }>;
  vars: Record<string, H5Var>;
  globalAttrs?: Record<string, string>;
}

/** Write an HDF5 file with h5wasm directly; dimension scales make it a netCDF-4 file. */
export async function writeH5(file: string, spec: H5Spec): Promise<string> {
  await h5wasm.ready;
  const f = new h5wasm.File(file, "w");
  try {
    const setAttrs = (target: { create_attribute: (...a: never[]) => void }, attrs: H5Var["attrs"]) => {
      for (const [k, v] of Object.entries(attrs ?? {})) {
        const t = target as unknown as {
          create_attribute(n: string, d: unknown, s?: number[] | null, dt?: string | null): void;
        };
        if (typeof v === "string") t.create_attribute(k, v);
        else if (typeof v === "number") t.create_attribute(k, Float64Array.of(v), []);
        else t.create_attribute(k, v, v.length === 1 ? [] : [v.length]);
      }
    };
    for (const [name, d] of Object.entries(spec.dims ?? {})) {
      const ds = f.create_dataset({ name, data: d.values ?? new Float32Array(d.size ?? 1) });
      ds.make_scale(
        d.values
          ? name
          : `This is a netCDF dimension but not a netCDF variable.${String(d.size).padStart(10)}`,
      );
      setAttrs(ds, d.attrs);
    }
    for (const [name, v] of Object.entries(spec.vars)) {
      const parts = name.split("/");
      for (let k = 1; k < parts.length; k++) {
        const g = parts.slice(0, k).join("/");
        if (!f.get(g)) f.create_group(g);
      }
      const shape = v.shape ?? v.dims?.map((d) => spec.dims?.[d].values?.length ?? spec.dims?.[d].size ?? 0);
      const ds = f.create_dataset({ name, data: v.data, shape: shape ?? [v.data.length] });
      v.dims?.forEach((d, k) => ds.attach_scale(k, `/${d}`));
      setAttrs(ds, v.attrs);
    }
    for (const [k, v] of Object.entries(spec.globalAttrs ?? {})) f.create_attribute(k, v);
  } finally {
    f.close();
  }
  return file;
}

/** Float64Array of n values from a function of the index. */
export function seq(n: number, fn: (k: number) => number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => fn(k));
}

export interface GfedBox {
  /** Northern edge and western edge of the box, degrees; cells are 0.25°. */
  north: number;
  west: number;
  nLat: number;
  nLon: number;
  /** basis_regions, rows north to south. */
  regions: Uint8Array;
  /** burned fraction per month (12 arrays, rows north to south); omit for a beta file without burned_area. */
  months?: Float32Array[];
}

/** A GFED4.1s-layout year (ilamb-scoring.md §7) over a small box, written with h5wasm. */
export async function writeGfedYear(file: string, box: GfedBox): Promise<string> {
  const n = box.nLat * box.nLon;
  const lat = new Float32Array(n);
  const lon = new Float32Array(n);
  for (let i = 0; i < box.nLat; i++)
    for (let j = 0; j < box.nLon; j++) {
      lat[i * box.nLon + j] = box.north - 0.125 - 0.25 * i;
      lon[i * box.nLon + j] = box.west + 0.125 + 0.25 * j;
    }
  const vars: H5Spec["vars"] = {
    lat: { shape: [box.nLat, box.nLon], data: lat },
    lon: { shape: [box.nLat, box.nLon], data: lon },
    "ancill/basis_regions": { shape: [box.nLat, box.nLon], data: box.regions },
    "ancill/grid_cell_area": { shape: [box.nLat, box.nLon], data: new Float32Array(n).fill(7.7e8) },
  };
  box.months?.forEach((m, k) => {
    vars[`burned_area/${String(k + 1).padStart(2, "0")}/burned_fraction`] = {
      shape: [box.nLat, box.nLon],
      data: m,
    };
  });
  if (!box.months) vars["emissions/01/C"] = { shape: [box.nLat, box.nLon], data: new Float32Array(n) };
  return writeH5(file, { vars });
}
