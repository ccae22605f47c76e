import type { Dataset } from "../grid/dataset.ts";
import { makeField, type Field } from "../grid/field.ts";
import { KilnError } from "../util/errors.ts";

/**
 * A scenario changes the written drivers after the target has been made from the clean ones: an input
 * bug of the kind origin.md describes, which the audit should catch. The truth stays as it was.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** What a reader of truth.json should know: which variable is wrong, where and how. */
  readonly injected: { readonly variable: string; readonly where: string; readonly how: string };
  apply(ds: Dataset): Dataset;
}

/** Latitude/longitude boxes of the affected areas. */
export interface Box {
  readonly label: string;
  readonly lat0: number;
  readonly lat1: number;
  readonly lon0: number;
  readonly lon1: number;
}

export const SAHEL_AND_SOUTHERN_SAVANNAS: readonly Box[] = [
  { label: "Sahel and Sudanian savanna", lat0: 5, lat1: 18, lon0: -18, lon1: 40 },
  { label: "southern-African savannas (miombo, Zambezian)", lat0: -25, lat1: -5, lon0: 11, lon1: 41 },
];

function inBoxes(lat: number, lon: number, boxes: readonly Box[]): boolean {
  return boxes.some((b) => lat >= b.lat0 && lat <= b.lat1 && lon >= b.lon0 && lon <= b.lon1);
}

function mapField(ds: Dataset, name: string, f: (value: number, t: number, c: number) => number): Field {
  const src = ds.field(name);
  const n = ds.nCell;
  const data = new Float32Array(src.data.length);
  for (let k = 0; k < data.length; k++) data[k] = f(src.data[k], Math.floor(k / n), k % n);
  return makeField(src.name, src.units, data, src.isStatic, src.longName);
}

const drynessBug: Scenario = {
  name: "dryness-bug",
  description:
    "origin.md's bug: the accumulated-dryness driver is silently zeroed across the Sahel and the " +
    "southern-African savannas, where most fire is; the target is unchanged",
  injected: {
    variable: "dryness",
    where: SAHEL_AND_SOUTHERN_SAVANNAS.map(
      (b) => `${b.label} (${b.lat0}..${b.lat1}°N, ${b.lon0}..${b.lon1}°E)`,
    ).join("; "),
    how: "set to 0 in every month",
  },
  apply(ds) {
    const zero = ds.cells.flat.map((_, c) =>
      inBoxes(ds.cells.lat(c), ds.cells.lon(c), SAHEL_AND_SOUTHERN_SAVANNAS) ? 1 : 0,
    );
    return ds.withFields([mapField(ds, "dryness", (v, _t, c) => (zero[c] ? 0 : v))]);
  },
};

const vpdPascal: Scenario = {
  name: "vpd-pascal",
  description: "the VPD driver holds pascals while its units say kPa (the Pantanal set's trap, reversed)",
  injected: { variable: "vpd", where: "everywhere", how: "multiplied by 1000" },
  apply(ds) {
    return ds.withFields([mapField(ds, "vpd", (v) => v * 1000)]);
  },
};

const tasKelvin: Scenario = {
  name: "tas-kelvin",
  description: "air temperature holds kelvin while its units say degC",
  injected: { variable: "tas", where: "everywhere", how: "273.15 added" },
  apply(ds) {
    return ds.withFields([mapField(ds, "tas", (v) => v + 273.15)]);
  },
};

const fillLeak: Scenario = {
  name: "fill-leak",
  description: "precipitation's fill value 1e20 leaks as a number over Australia (a missing _FillValue)",
  injected: {
    variable: "pr",
    where: "Australia (-40..-10°N, 112..154°E)",
    how: "set to 1e20 in every month",
  },
  apply(ds) {
    const box = [{ label: "Australia", lat0: -40, lat1: -10, lon0: 112, lon1: 154 }];
    return ds.withFields([
      mapField(ds, "pr", (v, _t, c) => (inBoxes(ds.cells.lat(c), ds.cells.lon(c), box) ? 1e20 : v)),
    ]);
  },
};

export const SCENARIOS: readonly Scenario[] = [drynessBug, vpdPascal, tasKelvin, fillLeak];

export function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) {
    throw new KilnError(`unknown scenario '${name}'`, {
      hint: `choose one of: ${SCENARIOS.map((x) => x.name).join(", ")}`,
    });
  }
  return s;
}
