/** A regular latitude/longitude grid. Inside Kiln latitude runs south to north. */

export const EARTH_RADIUS_M = 6.371e6;
const DEG = Math.PI / 180;

export class Grid {
  /** Cell-centre latitudes, south to north (degrees). */
  readonly lat: Float64Array;
  /** Cell-centre longitudes, west to east (degrees). */
  readonly lon: Float64Array;
  /** Latitude edges, length nLat + 1, south to north. */
  readonly latBounds: Float64Array;
  /** Longitude edges, length nLon + 1, west to east. */
  readonly lonBounds: Float64Array;
  readonly nLat: number;
  readonly nLon: number;
  private areaCache: Float64Array | undefined;

  constructor(latBounds: ArrayLike<number>, lonBounds: ArrayLike<number>) {
    if (latBounds.length < 2 || lonBounds.length < 2) {
      throw new Error(
        "Grid needs at least one cell: pass nLat + 1 latitude edges and nLon + 1 longitude edges",
      );
    }
    this.latBounds = Float64Array.from(latBounds);
    this.lonBounds = Float64Array.from(lonBounds);
    assertIncreasing(this.latBounds, "latitude edges");
    assertIncreasing(this.lonBounds, "longitude edges");
    this.nLat = this.latBounds.length - 1;
    this.nLon = this.lonBounds.length - 1;
    this.lat = new Float64Array(this.nLat);
    this.lon = new Float64Array(this.nLon);
    for (let i = 0; i < this.nLat; i++) this.lat[i] = 0.5 * (this.latBounds[i] + this.latBounds[i + 1]);
    for (let j = 0; j < this.nLon; j++) this.lon[j] = 0.5 * (this.lonBounds[j] + this.lonBounds[j + 1]);
  }

  /** A global (or boxed) grid of square cells of `res` degrees. */
  static regular(
    res: number,
    box: { latMin?: number; latMax?: number; lonMin?: number; lonMax?: number } = {},
  ): Grid {
    const { latMin = -90, latMax = 90, lonMin = -180, lonMax = 180 } = box;
    if (!(res > 0)) throw new Error(`grid resolution must be positive degrees, got ${res}`);
    const nLat = Math.round((latMax - latMin) / res);
    const nLon = Math.round((lonMax - lonMin) / res);
    if (Math.abs(nLat * res - (latMax - latMin)) > 1e-9 || Math.abs(nLon * res - (lonMax - lonMin)) > 1e-9) {
      throw new Error(
        `resolution ${res}° does not divide the box ${latMin}..${latMax}, ${lonMin}..${lonMax}: choose a divisor`,
      );
    }
    const lb = new Float64Array(nLat + 1);
    const ob = new Float64Array(nLon + 1);
    for (let i = 0; i <= nLat; i++) lb[i] = latMin + i * res;
    for (let j = 0; j <= nLon; j++) ob[j] = lonMin + j * res;
    return new Grid(lb, ob);
  }

  /**
   * A grid from cell centres (either order); edges are mid-points between centres, the outer
   * edges extrapolated by half a spacing and clipped to ±90° latitude, as ILAMB does without bounds.
   */
  static fromCentres(lat: ArrayLike<number>, lon: ArrayLike<number>): Grid {
    const la = Float64Array.from(lat).sort();
    const lo = Float64Array.from(lon).sort();
    const lb = edgesFromCentres(la);
    lb[0] = Math.max(lb[0], -90);
    lb[lb.length - 1] = Math.min(lb[lb.length - 1], 90);
    return new Grid(lb, edgesFromCentres(lo));
  }

  get nCell(): number {
    return this.nLat * this.nLon;
  }

  /** Row-major flat index of (lat row i, lon column j). */
  index(i: number, j: number): number {
    return i * this.nLon + j;
  }

  /** Cell areas in m², A = R²(sin φN − sin φS)(λE − λW), row-major (lat, lon). */
  areas(): Float64Array {
    if (this.areaCache) return this.areaCache;
    const a = new Float64Array(this.nCell);
    const r2 = EARTH_RADIUS_M * EARTH_RADIUS_M;
    for (let i = 0; i < this.nLat; i++) {
      const dSin = Math.sin(this.latBounds[i + 1] * DEG) - Math.sin(this.latBounds[i] * DEG);
      for (let j = 0; j < this.nLon; j++) {
        a[i * this.nLon + j] = r2 * dSin * (this.lonBounds[j + 1] - this.lonBounds[j]) * DEG;
      }
    }
    this.areaCache = a;
    return a;
  }

  /** The same cells to within `tol` degrees. */
  sameAs(other: Grid, tol = 1e-6): boolean {
    return (
      this.nLat === other.nLat &&
      this.nLon === other.nLon &&
      allClose(this.latBounds, other.latBounds, tol) &&
      allClose(this.lonBounds, other.lonBounds, tol)
    );
  }

  /** Row of the cell whose latitude edges contain `lat` (edge on the north side), or -1. */
  rowOf(lat: number): number {
    return binOf(this.latBounds, lat);
  }

  colOf(lon: number): number {
    return binOf(this.lonBounds, lon);
  }

  /** A short human description, used in error messages. */
  describe(): string {
    const dLat = (this.latBounds[this.nLat] - this.latBounds[0]) / this.nLat;
    const dLon = (this.lonBounds[this.nLon] - this.lonBounds[0]) / this.nLon;
    const r = (x: number) => Number(x.toFixed(4));
    return (
      `${this.nLat}×${this.nLon} grid of ${r(dLat)}°×${r(dLon)}° cells, ` +
      `lat ${r(this.latBounds[0])}..${r(this.latBounds[this.nLat])}, lon ${r(this.lonBounds[0])}..${r(this.lonBounds[this.nLon])}`
    );
  }
}

function edgesFromCentres(c: Float64Array): Float64Array {
  const n = c.length;
  const e = new Float64Array(n + 1);
  if (n === 1) {
    e[0] = c[0] - 0.5;
    e[1] = c[0] + 0.5;
    return e;
  }
  for (let k = 1; k < n; k++) e[k] = 0.5 * (c[k - 1] + c[k]);
  e[0] = c[0] - 0.5 * (c[1] - c[0]);
  e[n] = c[n - 1] + 0.5 * (c[n - 1] - c[n - 2]);
  return e;
}

function assertIncreasing(a: Float64Array, what: string): void {
  for (let k = 1; k < a.length; k++) {
    if (!(a[k] > a[k - 1])) {
      throw new Error(`${what} must increase strictly; got ${a[k - 1]} then ${a[k]} at position ${k}`);
    }
  }
}

function allClose(a: Float64Array, b: Float64Array, tol: number): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k] - b[k]) > tol) return false;
  return true;
}

function binOf(edges: Float64Array, x: number): number {
  if (!(x > edges[0]) || x > edges[edges.length - 1]) return -1;
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x > edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}
