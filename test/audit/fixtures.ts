/**
 * Small hand-made worlds for the audit tests: a global 10° grid (every cell valid), three years of months,
 * a target that burns in the tropics' dry season, and drivers built from simple formulas.
 */
import { CellIndex } from "../../src/grid/cells.ts";
import { Dataset } from "../../src/grid/dataset.ts";
import { driverInfo } from "../../src/grid/drivers.ts";
import { makeField, type Field } from "../../src/grid/field.ts";
import { Grid } from "../../src/grid/grid.ts";
import { TimeAxis } from "../../src/grid/time.ts";

export const GRID = Grid.regular(10);
export const CELLS = CellIndex.all(GRID);
export const N = CELLS.length;

export function timeAxis(first = 2001, last = 2003): TimeAxis {
  return TimeAxis.years(first, last);
}

/** A monthly field from f(lat, lon, month, year, t). */
export function monthly(
  name: string,
  time: TimeAxis,
  f: (lat: number, lon: number, month: number, year: number, t: number) => number,
  units?: string,
): Field {
  const data = new Float32Array(time.length * N);
  for (let t = 0; t < time.length; t++) {
    for (let c = 0; c < N; c++)
      data[t * N + c] = f(CELLS.lat(c), CELLS.lon(c), time.months[t], time.years[t], t);
  }
  return makeField(name, units ?? driverInfo(name)?.units ?? "1", data);
}

export function staticField(name: string, f: (lat: number, lon: number) => number): Field {
  const data = new Float32Array(N);
  for (let c = 0; c < N; c++) data[c] = f(CELLS.lat(c), CELLS.lon(c));
  return makeField(name, driverInfo(name)?.units ?? "1", data, true);
}

/** A deterministic wiggle in 0..1 (no randomness needed for these tests). */
export function wiggle(a: number, b: number, c: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233 + c * 37.719) * 43758.5453;
  return x - Math.floor(x);
}

/** Tropical dryness: high in each hemisphere's winter between 25°S and 25°N, zero elsewhere. */
export function dryness(lat: number, lon: number, month: number, year: number): number {
  if (Math.abs(lat) > 25) return 0.05 * wiggle(lat, lon, month + 12 * year);
  const winter =
    lat >= 0 ? Math.cos(((month - 1) / 12) * 2 * Math.PI) : -Math.cos(((month - 1) / 12) * 2 * Math.PI);
  return Math.min(1, Math.max(0, 0.5 + 0.45 * winter + 0.05 * wiggle(lat, lon, month + 12 * year)));
}

/** Burned fraction: where and when it is dry and warm, in the tropics. */
export function burned(lat: number, lon: number, month: number, year: number): number {
  const d = dryness(lat, lon, month, year);
  return Math.abs(lat) <= 25 && d > 0.6 ? 0.02 * d * (0.5 + wiggle(lon, lat, month + year)) : 0;
}

export function temperature(lat: number, lon: number, month: number, year: number): number {
  const season = Math.cos(((month - 7) / 12) * 2 * Math.PI) * (lat / 90) * 15;
  return 28 - 0.4 * Math.abs(lat) + season + 2 * wiggle(lat, lon, month + 13 * year);
}

export function precipitation(lat: number, lon: number, month: number, year: number): number {
  return 2 * (1 - dryness(lat, lon, month, year)) + 4 * wiggle(lon, month, year + lat);
}

/** A clean small world: target and five drivers that pass every check. */
export function cleanWorld(time = timeAxis()): Dataset {
  return new Dataset(GRID, time, CELLS, [
    monthly("burned_area", time, burned),
    monthly("dryness", time, dryness),
    monthly("tas", time, temperature),
    monthly("pr", time, precipitation),
    monthly("popdens", time, (la, lo, m, y) => 5 + 50 * wiggle(la, lo, 1) + 0.001 * (y - 2001) + 0 * m),
    staticField("treecover", (la, lo) => 0.1 + 0.8 * wiggle(lo, la, 3)),
  ]);
}
