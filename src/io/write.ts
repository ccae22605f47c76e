/**
 * Writing: a Dataset as CF NetCDF-4 files plus a dataset config that reads them back (values identical),
 * and a burned-area prediction as an ILAMB-ready file with the layout of ILAMB's own burntArea.nc.
 */
import fs from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import type { Dataset } from "../grid/dataset.ts";
import type { Grid } from "../grid/grid.ts";
import { TIME_CALENDAR, TIME_UNITS, type TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import { Nc4Writer, type AttrInput } from "./nc4.ts";

/** ILAMB's fill value for burntArea (fixtures/ilamb/*\/burntArea.nc). */
export const ILAMB_FILL = 1e20;
const FILL32 = Math.fround(1e20);

export interface WriteDatasetOptions {
  name: string;
  target?: string;
  attributes?: Record<string, string>;
}

function boundsOf(edges: Float64Array): Float64Array {
  const n = edges.length - 1;
  const b = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    b[2 * k] = edges[k];
    b[2 * k + 1] = edges[k + 1];
  }
  return b;
}

/**
 * time (with time_bnds) when `time` is given, lat and lon with bounds: the variables, their order and
 * attributes of ILAMB's burntArea.nc (dimensions time, lat, lon, nb).
 */
function writeAxes(w: Nc4Writer, grid: Grid, time: TimeAxis | null): void {
  const id = time ? 1 : 0;
  w.dimension("nb", 2, id + 2);
  if (time) {
    w.coordinate(
      "time",
      Float64Array.from(time.centres),
      { units: TIME_UNITS, calendar: TIME_CALENDAR, bounds: "time_bnds" },
      0,
    );
    w.variable("time_bnds", ["time", "nb"], Float64Array.from(time.bounds));
  }
  w.coordinate("lat", Float64Array.from(grid.lat), { units: "degrees_north", bounds: "lat_bnds" }, id);
  w.variable("lat_bnds", ["lat", "nb"], boundsOf(grid.latBounds));
  w.coordinate("lon", Float64Array.from(grid.lon), { units: "degrees_east", bounds: "lon_bnds" }, id + 1);
  w.variable("lon_bnds", ["lon", "nb"], boundsOf(grid.lonBounds));
}

function ensureDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new KilnError(`cannot create the folder (${(e as NodeJS.ErrnoException).code})`, { where: dir });
  }
}

/**
 * Write each field as `<field>.nc` (float32 on the full grid, `_FillValue` outside the valid cells and
 * where values are missing), the valid cells as `cells.nc`, and `dataset.yaml` naming them.
 * Returns the config's path; `loadDataset` on it gives back the same values, cells and time axis.
 */
export async function writeDataset(ds: Dataset, dir: string, opts: WriteDatasetOptions): Promise<string> {
  if (opts.target !== undefined && !ds.has(opts.target)) {
    throw new KilnError(`target '${opts.target}' is not a field of the dataset (${ds.names().join(", ")})`);
  }
  ensureDir(dir);
  const grid = ds.grid;
  const nG = grid.nCell;
  const nC = ds.nCell;
  const flat = ds.cells.flat;
  const globals: Record<string, AttrInput> = {
    Conventions: "CF-1.8",
    title: opts.name,
    source: "Kiln",
    ...(opts.attributes ?? {}),
  };

  const mask = new Float32Array(nG);
  for (let c = 0; c < nC; c++) mask[flat[c]] = 1;
  let w = await Nc4Writer.create(path.join(dir, "cells.nc"));
  try {
    writeAxes(w, grid, null);
    w.variable("valid", ["lat", "lon"], mask, {
      compress: 4,
      attrs: { long_name: "valid cells of the dataset (1) and others (0)", units: "1" },
    });
    w.globalAttributes(globals);
  } finally {
    w.close();
  }

  const variables: Record<string, Record<string, string | boolean>> = {};
  for (const f of ds.fields.values()) {
    const file = `${f.name}.nc`;
    const nT = f.isStatic ? 1 : ds.nTime;
    const out = new Float32Array(nT * nG).fill(FILL32);
    for (let t = 0; t < nT; t++) {
      for (let c = 0; c < nC; c++) {
        const x = f.data[t * nC + c];
        if (x === x) out[t * nG + flat[c]] = x;
      }
    }
    w = await Nc4Writer.create(path.join(dir, file));
    try {
      writeAxes(w, grid, f.isStatic ? null : ds.time);
      w.variable(f.name, f.isStatic ? ["lat", "lon"] : ["time", "lat", "lon"], out, {
        compress: 4,
        attrs: { _FillValue: Float32Array.of(FILL32), units: f.units, long_name: f.longName },
      });
      w.globalAttributes(globals);
    } finally {
      w.close();
    }
    variables[f.name] = { file, variable: f.name, units: f.units, ...(f.isStatic ? { static: true } : {}) };
  }

  const config: Record<string, unknown> = { name: opts.name };
  if (opts.target !== undefined) config.target = opts.target;
  config.cells = { file: "cells.nc", variable: "valid" };
  config.variables = variables;
  if (opts.attributes && Object.keys(opts.attributes).length) config.attributes = opts.attributes;
  const configPath = path.join(dir, "dataset.yaml");
  fs.writeFileSync(
    configPath,
    `# Written by Kiln: the dataset '${opts.name}' (${ds.nCell} cells, ${ds.time.describe()}).\n` +
      stringify(config),
  );
  return configPath;
}

/**
 * An ILAMB-ready burned-area file: `burntArea(time, lat, lon)` in % (double, `_FillValue` 1e20 outside the
 * valid cells and where the prediction is NaN), `time` in noleap days since 1850-01-01 at mid-month with
 * `time_bnds`, `lat`/`lon` with bounds — the layout of ILAMB's fixtures/ilamb/MOD/burntArea.nc.
 * `values` is the burned fraction (0..1), `t * nCell + c` over the dataset's cells.
 */
export async function writeIlambBurntArea(
  filePath: string,
  ds: Dataset,
  values: Float32Array,
): Promise<void> {
  const nC = ds.nCell;
  const nT = ds.nTime;
  if (values.length !== nT * nC) {
    throw new KilnError(
      `the prediction has ${values.length} values; the dataset needs ${nT * nC} (${nT} months × ${nC} cells)`,
      { where: filePath },
    );
  }
  ensureDir(path.dirname(path.resolve(filePath)));
  const nG = ds.grid.nCell;
  const flat = ds.cells.flat;
  const out = new Float64Array(nT * nG).fill(ILAMB_FILL);
  for (let t = 0; t < nT; t++) {
    for (let c = 0; c < nC; c++) {
      const x = values[t * nC + c];
      if (x === x) out[t * nG + flat[c]] = 100 * x;
    }
  }
  const w = await Nc4Writer.create(filePath);
  try {
    writeAxes(w, ds.grid, ds.time);
    w.variable("burntArea", ["time", "lat", "lon"], out, {
      compress: 4,
      attrs: { _FillValue: Float64Array.of(ILAMB_FILL), units: "%" },
    });
    w.globalAttributes({ Conventions: "CF-1.8", source: "Kiln" });
  } finally {
    w.close();
  }
}
