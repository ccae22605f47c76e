/**
 * Which axes of a variable are latitude, longitude and time, and the coordinate values along them.
 * Handles CF coordinate variables (1-D, named like their dimension), auxiliary 2-D lat/lon named in the
 * `coordinates` attribute or sitting beside the variable (GFED stores 2-D `lat`/`lon` without dimension
 * names), and axes recognised by name or by attributes (units, standard_name, axis).
 */
import { attrString, type RawFile, type RawVariable } from "./raw.ts";

export type Role = "lat" | "lon" | "time";

export interface Axes {
  latAxis: number;
  lonAxis: number;
  timeAxis: number | null;
  /** Centres in file order along the latitude / longitude axis. */
  latCentres: Float64Array;
  lonCentres: Float64Array;
  /** Bounds in file order, [lo0, hi0, lo1, hi1, ...], when the file gives them. */
  latBounds: Float64Array | null;
  lonBounds: Float64Array | null;
  /** The time coordinate variable. */
  timeVar: RawVariable | null;
  /** Names of the coordinate and bounds variables used. */
  used: string[];
}

const LAT_NAMES = new Set(["lat", "latitude", "lats", "nav_lat", "xlat", "lat_0"]);
const LON_NAMES = new Set(["lon", "longitude", "lons", "nav_lon", "xlong", "lon_0"]);
const TIME_NAMES = new Set(["time", "t", "time_counter", "times"]);
const LAT_UNITS = /^degrees?_?(north|n)$/i;
const LON_UNITS = /^degrees?_?(east|e)$/i;

/** The role a coordinate variable declares by its attributes. */
export function roleByAttrs(v: RawVariable): Role | undefined {
  const units = attrString(v, "units") ?? "";
  const std = (attrString(v, "standard_name") ?? "").toLowerCase();
  const axis = (attrString(v, "axis") ?? "").toUpperCase();
  if (LAT_UNITS.test(units.trim()) || std === "latitude" || axis === "Y") return "lat";
  if (LON_UNITS.test(units.trim()) || std === "longitude" || axis === "X") return "lon";
  if (/\bsince\b/i.test(units) || std === "time" || axis === "T") return "time";
  return undefined;
}

export function roleByName(name: string | null | undefined): Role | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  if (LAT_NAMES.has(n)) return "lat";
  if (LON_NAMES.has(n)) return "lon";
  if (TIME_NAMES.has(n)) return "time";
  return undefined;
}

function baseName(path: string): string {
  return path.replace(/^.*\//, "");
}

function parentOf(path: string): string {
  const k = path.lastIndexOf("/");
  return k < 0 ? "" : path.slice(0, k + 1);
}

/** A 1-D coordinate variable of `size` values for the dimension called `dim`, if any. */
function coordinateVariable(file: RawFile, v: RawVariable, dim: string | null, size: number) {
  if (!dim) return undefined;
  const c = file.get(parentOf(v.name) + dim) ?? file.get(dim);
  if (c && c.shape.length === 1 && c.shape[0] === size && c.type) return c;
  return undefined;
}

function readBounds(file: RawFile, coord: RawVariable, n: number): Float64Array | null {
  const name = attrString(coord, "bounds");
  if (!name) return null;
  const b = file.get(parentOf(coord.name) + name) ?? file.get(name);
  if (!b || b.shape.length !== 2 || b.shape[0] !== n || b.shape[1] !== 2 || !b.type) return null;
  return Float64Array.from(b.read());
}

/** Values along one axis of a 2-D coordinate, when it is constant along the other; else null. */
function alongAxis(values: ArrayLike<number>, rows: number, cols: number, along: 0 | 1): Float64Array | null {
  const tol = 1e-6;
  if (along === 0) {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      out[i] = values[i * cols];
      for (let j = 1; j < cols; j++) if (Math.abs(values[i * cols + j] - out[i]) > tol) return null;
    }
    return out;
  }
  const out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    out[j] = values[j];
    for (let i = 1; i < rows; i++) if (Math.abs(values[i * cols + j] - out[j]) > tol) return null;
  }
  return out;
}

interface Found {
  axis: number;
  centres: Float64Array;
  bounds: Float64Array | null;
  name: string;
}

/**
 * Look for auxiliary coordinates: 1-D or 2-D variables named in `coordinates` or with a latitude /
 * longitude name, beside the variable or at the root, whose shape matches axes of the variable.
 */
function auxiliary(file: RawFile, v: RawVariable, role: "lat" | "lon"): Found | string | undefined {
  const names = new Set<string>();
  for (const n of (attrString(v, "coordinates") ?? "").split(/\s+/).filter(Boolean)) names.add(n);
  const pool = role === "lat" ? LAT_NAMES : LON_NAMES;
  for (const n of pool) {
    names.add(n);
    names.add(n.toUpperCase());
    names.add(n[0].toUpperCase() + n.slice(1));
  }
  const tried = new Set<string>();
  for (const n of names) {
    for (const path of [parentOf(v.name) + n, n]) {
      if (tried.has(path) || path === v.name) continue;
      tried.add(path);
      const c = file.get(path);
      if (!c || !c.type) continue;
      const r = roleByAttrs(c) ?? roleByName(baseName(c.name));
      if (r !== role) continue;
      if (c.shape.length === 1) {
        const axes = v.shape.map((s, k) => (s === c.shape[0] && (v.dims[k] ?? null) === null ? k : -1));
        const hit = axes.filter((k) => k >= 0);
        if (hit.length === 1) {
          return { axis: hit[0], centres: Float64Array.from(c.read()), bounds: null, name: c.name };
        }
      } else if (c.shape.length === 2) {
        const [rows, cols] = c.shape;
        // the pair of axes of v that the 2-D coordinate spans: by dimension names, else by shape
        let pair: [number, number] | undefined;
        if (c.dims.every((d) => d !== null) && v.dims.every((d) => d !== null)) {
          const a = v.dims.indexOf(c.dims[0]);
          const b = v.dims.indexOf(c.dims[1]);
          if (a >= 0 && b >= 0) pair = [a, b];
        }
        if (!pair) {
          for (let a = 0; a < v.shape.length && !pair; a++)
            for (let b = a + 1; b < v.shape.length && !pair; b++)
              if (v.shape[a] === rows && v.shape[b] === cols) pair = [a, b];
        }
        if (!pair) continue;
        const values = c.read();
        const first = alongAxis(values, rows, cols, 0);
        const second = alongAxis(values, rows, cols, 1);
        if (first && second) {
          // all values equal: the coordinate belongs to an axis of length 1
          const k = rows === 1 && cols === 1 ? (role === "lat" ? 0 : 1) : rows === 1 ? 0 : 1;
          return { axis: pair[k], centres: k === 0 ? first : second, bounds: null, name: c.name };
        }
        if (first) return { axis: pair[0], centres: first, bounds: null, name: c.name };
        if (second) return { axis: pair[1], centres: second, bounds: null, name: c.name };
        return (
          `its 2-D ${role === "lat" ? "latitude" : "longitude"} '${c.name}' varies along both axes ` +
          `(a curvilinear grid); Kiln reads regular latitude/longitude grids: regrid it first (e.g. \`cdo remapcon\`)`
        );
      }
    }
  }
  return undefined;
}

/**
 * The axes of `v`, or a sentence saying why it is not a gridded variable (no latitude, extra
 * dimensions, curvilinear coordinates).
 */
export function findAxes(file: RawFile, v: RawVariable): Axes | string {
  const n = v.shape.length;
  if (n < 2)
    return `it has ${n} dimension${n === 1 ? "" : "s"}; a gridded variable has latitude and longitude`;
  const roles: (Role | undefined)[] = new Array(n).fill(undefined);
  const coords: (RawVariable | undefined)[] = new Array(n).fill(undefined);
  for (let k = 0; k < n; k++) {
    const c = coordinateVariable(file, v, v.dims[k] ?? null, v.shape[k]);
    coords[k] = c;
    roles[k] =
      (c && roleByAttrs(c)) ?? roleByName(v.dims[k]) ?? (c ? roleByName(baseName(c.name)) : undefined);
  }
  const used: string[] = [];
  let lat: Found | undefined;
  let lon: Found | undefined;
  for (let k = 0; k < n; k++) {
    const c = coords[k];
    if (roles[k] === "lat" || roles[k] === "lon") {
      if (!c) continue; // a named dimension without values: try auxiliary coordinates below
      const f: Found = {
        axis: k,
        centres: Float64Array.from(c.read()),
        bounds: readBounds(file, c, v.shape[k]),
        name: c.name,
      };
      if (roles[k] === "lat") lat ??= f;
      else lon ??= f;
    }
  }
  for (const role of ["lat", "lon"] as const) {
    if ((role === "lat" ? lat : lon) !== undefined) continue;
    const aux = auxiliary(file, v, role);
    if (typeof aux === "string") return aux;
    if (aux) {
      if (role === "lat") lat = aux;
      else lon = aux;
      roles[aux.axis] = role;
    }
  }
  if (!lat) return "no latitude axis found (no coordinate with degrees_north units or a latitude name)";
  if (!lon) return "no longitude axis found (no coordinate with degrees_east units or a longitude name)";
  if (lat.axis === lon.axis) return "latitude and longitude lie along the same axis (a curvilinear grid)";
  used.push(lat.name, lon.name);
  let timeAxis: number | null = null;
  let timeVar: RawVariable | null = null;
  for (let k = 0; k < n; k++) {
    if (k === lat.axis || k === lon.axis) continue;
    if (roles[k] === "time") {
      if (timeAxis !== null) return "it has two time axes";
      timeAxis = k;
      timeVar = coords[k] ?? null;
      if (!timeVar) {
        return `its time dimension '${v.dims[k]}' has no coordinate variable (with CF units such as 'days since 1850-01-01')`;
      }
      used.push(timeVar.name);
      continue;
    }
    if (v.shape[k] !== 1) {
      return (
        `it has an extra dimension '${v.dims[k] ?? `axis ${k}`}' of size ${v.shape[k]}; ` +
        `Kiln reads (lat, lon) and (time, lat, lon) variables: select one level first (e.g. \`ncks -d\`)`
      );
    }
  }
  return {
    latAxis: lat.axis,
    lonAxis: lon.axis,
    timeAxis,
    latCentres: lat.centres,
    lonCentres: lon.centres,
    latBounds: lat.bounds,
    lonBounds: lon.bounds,
    timeVar,
    used,
  };
}

export interface AxisOrder {
  /** Cell edges, increasing (length n + 1). */
  edges: Float64Array;
  /** For output position i, the index along the file's axis. */
  src: Int32Array;
}

/**
 * Sort an axis increasing (south to north; west to east with longitudes above 180° moved to −180..180)
 * and derive edges: from the file's bounds when they are contiguous, else mid-points between centres
 * with the outer edges extrapolated (latitude clipped to ±90°). Returns null with a reason on duplicates.
 */
export function orderAxis(
  centresIn: Float64Array,
  boundsIn: Float64Array | null,
  kind: "lat" | "lon",
): AxisOrder | string {
  const n = centresIn.length;
  const centres = Float64Array.from(centresIn);
  const bounds = boundsIn ? Float64Array.from(boundsIn) : null;
  if (kind === "lon" && centres.some((c) => c > 180)) {
    for (let k = 0; k < n; k++) {
      if (centres[k] > 180) {
        centres[k] -= 360;
        if (bounds) {
          bounds[2 * k] -= 360;
          bounds[2 * k + 1] -= 360;
        }
      }
    }
  }
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(centres[k]))
      return `${kind === "lat" ? "latitude" : "longitude"} ${k} is not a number`;
  }
  const src = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => centres[a] - centres[b]);
  for (let k = 1; k < n; k++) {
    if (centres[src[k]] === centres[src[k - 1]]) {
      return `${kind === "lat" ? "latitude" : "longitude"} ${centres[src[k]]} appears twice`;
    }
  }
  const edges = new Float64Array(n + 1);
  let fromBounds = false;
  if (bounds) {
    const lo = (k: number) => Math.min(bounds[2 * src[k]], bounds[2 * src[k] + 1]);
    const hi = (k: number) => Math.max(bounds[2 * src[k]], bounds[2 * src[k] + 1]);
    fromBounds = true;
    for (let k = 0; k < n; k++) {
      const width = hi(k) - lo(k);
      if (!(width > 0)) fromBounds = false;
      if (k > 0 && Math.abs(lo(k) - hi(k - 1)) > 1e-6 * Math.max(1, width)) fromBounds = false;
    }
    if (fromBounds) {
      edges[0] = lo(0);
      for (let k = 0; k < n; k++) edges[k + 1] = hi(k);
    }
  }
  if (!fromBounds) {
    const c = (k: number) => centres[src[k]];
    if (n === 1) {
      edges[0] = c(0) - 0.5;
      edges[1] = c(0) + 0.5;
    } else {
      for (let k = 1; k < n; k++) edges[k] = 0.5 * (c(k - 1) + c(k));
      edges[0] = c(0) - 0.5 * (c(1) - c(0));
      edges[n] = c(n - 1) + 0.5 * (c(n - 1) - c(n - 2));
    }
    if (kind === "lat") {
      edges[0] = Math.max(edges[0], -90);
      edges[n] = Math.min(edges[n], 90);
    }
  }
  return { edges, src };
}
