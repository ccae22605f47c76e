/**
 * readGridded: one variable of a NetCDF3 or NetCDF4/HDF5 file on Kiln's orientation — latitude south to
 * north, longitude west to east in −180..180, months in order on the noleap monthly axis — with fill
 * values, missing values and NaN as NaN.
 */
import { Grid } from "../grid/grid.ts";
import { TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import { decodeMonths, monthlyOrder } from "./cf-time.ts";
import { findAxes, orderAxis, type Axes } from "./coords.ts";
import { decoderFor } from "./missing.ts";
import { attrString, openRaw, type RawFile, type RawVariable } from "./raw.ts";
import type { GriddedVariable } from "./types.ts";

export interface ReadOptions {
  /** The variable to read; default: the file's single gridded variable. */
  variable?: string;
  /** The unit the file really holds, overriding its `units` attribute. */
  units?: string;
}

export async function readGridded(path: string, opts: ReadOptions = {}): Promise<GriddedVariable> {
  const file = await openRaw(path);
  try {
    const { v, axes } = chooseVariable(file, opts.variable);
    return assemble(file, v, axes, opts.units);
  } finally {
    file.close();
  }
}

/** The names of the gridded variables of a file (those with latitude and longitude), in file order. */
export async function listGridded(path: string): Promise<string[]> {
  const file = await openRaw(path);
  try {
    return griddedCandidates(file).map((c) => c.v.name);
  } finally {
    file.close();
  }
}

function griddedCandidates(file: RawFile): { v: RawVariable; axes: Axes }[] {
  const vars = file
    .names()
    .map((n) => file.get(n))
    .filter((v): v is RawVariable => v !== undefined);
  // coordinate and bounds variables are never data
  const coordNames = new Set<string>();
  for (const v of vars) {
    for (const d of v.dims) if (d) coordNames.add(d);
    const b = attrString(v, "bounds");
    if (b) coordNames.add(b);
  }
  const out: { v: RawVariable; axes: Axes }[] = [];
  for (const v of vars) {
    if (!v.type || v.shape.length < 2 || coordNames.has(v.name)) continue;
    const axes = findAxes(file, v);
    if (typeof axes === "string") continue;
    out.push({ v, axes });
  }
  const used = new Set(out.flatMap((c) => c.axes.used));
  return out.filter((c) => !used.has(c.v.name));
}

function chooseVariable(file: RawFile, name: string | undefined): { v: RawVariable; axes: Axes } {
  if (name !== undefined) {
    const v = file.get(name);
    if (!v) {
      throw new KilnError(`no variable '${name}' in the file`, {
        where: file.path,
        hint: `the file has: ${file.names().join(", ") || "(no variables)"}`,
      });
    }
    if (!v.type) {
      throw new KilnError(`variable '${name}' is not numeric`, { where: file.path });
    }
    const axes = findAxes(file, v);
    if (typeof axes === "string") {
      throw new KilnError(`variable '${name}' is not a gridded variable: ${axes}`, { where: file.path });
    }
    return { v, axes };
  }
  const candidates = griddedCandidates(file);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new KilnError("no gridded variable (one with latitude and longitude axes) in the file", {
      where: file.path,
      hint: `the file has: ${file.names().join(", ") || "(no variables)"}`,
    });
  }
  throw new KilnError(
    `the file has several gridded variables: ${candidates.map((c) => c.v.name).join(", ")}; say which one to read`,
    { where: file.path, hint: "give `variable:` in the dataset config (or the `variable` option)" },
  );
}

function assemble(
  file: RawFile,
  v: RawVariable,
  axes: Axes,
  unitsOverride: string | undefined,
): GriddedVariable {
  const where = `${file.path}, variable '${v.name}'`;
  const lat = orderAxis(axes.latCentres, axes.latBounds, "lat");
  if (typeof lat === "string") throw new KilnError(lat, { where });
  const lon = orderAxis(axes.lonCentres, axes.lonBounds, "lon");
  if (typeof lon === "string") throw new KilnError(lon, { where });
  let grid: Grid;
  try {
    grid = new Grid(lat.edges, lon.edges);
  } catch (e) {
    throw new KilnError(`the latitude/longitude coordinates do not form a grid: ${(e as Error).message}`, {
      where,
    });
  }

  let time: TimeAxis | null = null;
  let timeSrc: Int32Array = Int32Array.of(0);
  if (axes.timeAxis !== null && axes.timeVar) {
    const tv = axes.timeVar;
    const twhere = `${file.path}, variable '${tv.name}'`;
    const units = attrString(tv, "units");
    if (!units) {
      throw new KilnError("the time coordinate has no units attribute", {
        where: twhere,
        hint: "CF time needs units such as 'days since 1850-01-01'",
      });
    }
    const boundsName = attrString(tv, "bounds");
    const bv = boundsName ? file.get(boundsName) : undefined;
    const n = tv.shape[0];
    const bounds = bv && bv.shape.length === 2 && bv.shape[0] === n && bv.shape[1] === 2 ? bv.read() : null;
    const decoded = decodeMonths(tv.read(), bounds, units, attrString(tv, "calendar"), twhere);
    timeSrc = monthlyOrder(decoded, twhere);
    time = new TimeAxis(
      Array.from(timeSrc, (t) => decoded.years[t]),
      Array.from(timeSrc, (t) => decoded.months[t]),
    );
  }

  // strides of the file's C-order array
  const shape = v.shape;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  const raw = v.read();
  if (raw.length !== s) {
    throw new KilnError(`read ${raw.length} values, the shape ${shape.join("×")} has ${s}`, { where });
  }
  const dec = decoderFor(v, file.isNetcdf);
  const nT = time ? time.length : 1;
  const nLat = grid.nLat;
  const nLon = grid.nLon;
  const data = new Float64Array(nT * nLat * nLon);
  const sT = axes.timeAxis === null ? 0 : strides[axes.timeAxis];
  const sLat = strides[axes.latAxis];
  const sLon = strides[axes.lonAxis];
  const lonOff = Int32Array.from(lon.src, (j) => j * sLon);
  const miss = dec.missing;
  const nMiss = miss.length;
  const { min, max, scale, offset } = dec;
  let k = 0;
  for (let t = 0; t < nT; t++) {
    const baseT = timeSrc[t] * sT;
    for (let i = 0; i < nLat; i++) {
      const base = baseT + lat.src[i] * sLat;
      for (let j = 0; j < nLon; j++) {
        const x = raw[base + lonOff[j]];
        let bad = x !== x || x < min || x > max;
        for (let m = 0; !bad && m < nMiss; m++) bad = x === miss[m];
        data[k++] = bad ? NaN : x * scale + offset;
      }
    }
  }
  const longName = attrString(v, "long_name") ?? attrString(v, "standard_name");
  const units = unitsOverride ?? attrString(v, "units") ?? "";
  return {
    name: v.name,
    units,
    fileUnits: attrString(v, "units"),
    longName,
    grid,
    time,
    data,
    path: file.path,
  };
}
