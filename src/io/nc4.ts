/**
 * A small NetCDF-4 writer on h5wasm. netCDF-4 files are HDF5 files in which each dimension is a
 * dimension scale (a coordinate variable, or an empty dataset whose NAME marks it as a bare dimension),
 * variables have the scales attached to their axes, and text attributes are fixed-length strings (which
 * the netCDF library shows as `char`, as netCDF itself writes them). `ncdump` reads the result.
 */
import fs from "node:fs";
import { KilnError } from "../util/errors.ts";
import { DIM_ONLY_PREFIX, h5ready } from "./hdf5.ts";

type H5 = Awaited<ReturnType<typeof h5ready>>;
type H5File = InstanceType<H5["File"]>;
type H5Dataset = InstanceType<H5["Dataset"]>;

export type AttrInput = string | number | Float32Array | Float64Array | Int32Array;
export type DataInput = Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array;

export interface VarOptions {
  attrs?: Record<string, AttrInput | undefined>;
  /** gzip level (0: none). Chunks are one time step (or the whole variable when it has no time). */
  compress?: number;
}

function setAttr(
  target: { create_attribute: H5Dataset["create_attribute"] },
  name: string,
  value: AttrInput,
): void {
  if (typeof value === "string") {
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes === 0) return;
    // fixed-length strings: ASCII as netCDF char; UTF-8 text keeps its byte length
    const ascii = /^[\x20-\x7e\t\n]*$/.test(value);
    target.create_attribute(name, value, null, `${ascii ? "A" : "S"}${bytes}`);
  } else if (typeof value === "number") {
    target.create_attribute(
      name,
      Number.isInteger(value) ? Int32Array.of(value) : Float64Array.of(value),
      [],
      null,
    );
  } else {
    target.create_attribute(name, value, value.length === 1 ? [] : [value.length], null);
  }
}

export class Nc4Writer {
  private readonly dims = new Map<string, number>();

  private constructor(
    private readonly h5: H5,
    private readonly file: H5File,
    readonly path: string,
  ) {}

  static async create(path: string): Promise<Nc4Writer> {
    const h5 = await h5ready();
    try {
      if (fs.existsSync(path)) fs.rmSync(path);
      // creation order tracked, so that netCDF lists dimensions and variables in the order written
      return new Nc4Writer(h5, new h5.File(path, "w", { track_order: true }), path);
    } catch (e) {
      throw new KilnError(`cannot create the file: ${String(e)}`, { where: path });
    }
  }

  /**
   * A dimension with a coordinate variable of the same name. `dimId` fixes the dimension's position in
   * the netCDF header (default: the order of creation).
   */
  coordinate(
    name: string,
    values: Float64Array,
    attrs: Record<string, AttrInput | undefined> = {},
    dimId?: number,
  ): void {
    const ds = this.file.create_dataset({ name, data: values, track_order: true });
    ds.make_scale(name);
    ds.create_attribute("_Netcdf4Dimid", Int32Array.of(dimId ?? this.dims.size), [], null);
    this.writeAttrs(ds, attrs);
    this.dims.set(name, values.length);
  }

  /** A dimension without a coordinate variable (e.g. `nb`, the two ends of a bound). */
  dimension(name: string, size: number, dimId?: number): void {
    const ds = this.file.create_dataset({ name, data: new Float32Array(size), track_order: true });
    ds.make_scale(`${DIM_ONLY_PREFIX}.${String(size).padStart(10)}`);
    ds.create_attribute("_Netcdf4Dimid", Int32Array.of(dimId ?? this.dims.size), [], null);
    this.dims.set(name, size);
  }

  variable(name: string, dims: string[], data: DataInput, opts: VarOptions = {}): void {
    const shape = dims.map((d) => {
      const n = this.dims.get(d);
      if (n === undefined) throw new Error(`Nc4Writer: dimension '${d}' is not defined`);
      return n;
    });
    const total = shape.reduce((a, b) => a * b, 1);
    if (data.length !== total) {
      throw new Error(
        `Nc4Writer: '${name}' has ${data.length} values, shape ${shape.join("×")} needs ${total}`,
      );
    }
    const level = opts.compress ?? 0;
    const chunks = dims[0] === "time" && shape.length > 1 ? [1, ...shape.slice(1)] : shape;
    const ds = this.file.create_dataset({
      name,
      data,
      shape,
      track_order: true,
      ...(level > 0 && total > 0 ? { chunks, compression: "gzip" as const, compression_opts: level } : {}),
    });
    dims.forEach((d, k) => ds.attach_scale(k, `/${d}`));
    this.writeAttrs(ds, opts.attrs ?? {});
  }

  globalAttributes(attrs: Record<string, AttrInput | undefined>): void {
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) setAttr(this.file, k, v);
  }

  close(): void {
    this.file.close();
  }

  private writeAttrs(ds: H5Dataset, attrs: Record<string, AttrInput | undefined>): void {
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) setAttr(ds, k, v);
  }
}
