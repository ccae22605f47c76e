/**
 * loadDataset: a YAML dataset config (docs/io.md) → a Dataset in Kiln's internal units. Each variable is
 * read (readGridded or the GFED reader), its declared units converted to the driver's internal unit
 * (src/grid/drivers.ts; unknown names keep their declared unit), static and monthly fields aligned on one
 * grid and one time axis, and the valid cells chosen.
 */
import fs from "node:fs";
import path from "node:path";
import { CellIndex } from "../grid/cells.ts";
import { Dataset } from "../grid/dataset.ts";
import { driverInfo } from "../grid/drivers.ts";
import { makeField, type Field } from "../grid/field.ts";
import type { Grid } from "../grid/grid.ts";
import { NOLEAP_MONTH_DAYS, TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import {
  isGfedSource,
  parseDatasetConfig,
  type DatasetConfig,
  type FileSource,
  type GfedSource,
} from "./config-schema.ts";
import { readGfed } from "./gfed.ts";
import { readGridded } from "./read.ts";
import type { GriddedVariable } from "./types.ts";
import { conversion, linearFor, type Conversion } from "./units.ts";

export interface SourceInfo {
  field: string;
  file: string;
  variable: string;
  fileUnits: string | undefined;
  declaredUnits: string;
  scale: number;
  internalUnits: string;
}

export interface LoadedDataset {
  dataset: Dataset;
  target: string | undefined;
  sources: Record<string, SourceInfo>;
  configPath: string;
  name: string;
  /** GFED basis regions on the dataset's grid (row-major, south to north) when a GFED source was read. */
  basisRegions?: Int32Array;
  /** The validated config, for callers that need its other keys (description, attributes). */
  config: DatasetConfig;
}

interface Loaded {
  name: string;
  gv: GriddedVariable;
  isStatic: boolean;
  conv: Conversion;
  scale: number;
  info: SourceInfo;
}

export async function loadDataset(configPath: string): Promise<LoadedDataset> {
  const abs = path.resolve(configPath);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KilnError(
      code === "ENOENT" ? "dataset config not found" : `cannot read the dataset config (${code})`,
      {
        where: abs,
      },
    );
  }
  const { config, locate } = parseDatasetConfig(text, abs);
  const root = path.resolve(path.dirname(abs), config.root ?? ".");
  if (!fs.existsSync(root)) {
    throw new KilnError(`the root folder ${root} does not exist`, {
      where: locate(["root"]),
      hint: "`root` is relative to the config's own folder",
    });
  }

  const loaded: Loaded[] = [];
  let basisRegions: Int32Array | undefined;
  for (const [name, src] of Object.entries(config.variables)) {
    const where = locate(["variables", name]);
    if (isGfedSource(src)) {
      const r = await loadGfedSource(name, src, root, config, where);
      basisRegions = r.basisRegions;
      loaded.push(r.loaded);
    } else {
      loaded.push(await loadFileSource(name, src, root, where));
    }
  }

  // one grid
  const first = loaded[0];
  for (const l of loaded.slice(1)) {
    if (!l.gv.grid.sameAs(first.gv.grid)) {
      throw new KilnError(
        `the grids differ: variables.${first.name} (${first.gv.path}) is on a ${first.gv.grid.describe()}; ` +
          `variables.${l.name} (${l.gv.path}) is on a ${l.gv.grid.describe()}`,
        {
          where: locate(["variables", l.name]),
          hint: "regrid the files to one grid first (e.g. `cdo remapcon`)",
        },
      );
    }
  }
  const grid = first.gv.grid;

  // one time axis
  const monthly = loaded.filter((l) => !l.isStatic);
  if (monthly.length === 0) {
    throw new KilnError("every variable is static; a dataset needs at least one monthly variable", {
      where: locate(["variables"]),
    });
  }
  const time = config.years ? yearsAxis(config.years) : (monthly[0].gv.time as TimeAxis);
  const steps = new Map<string, Int32Array>();
  for (const l of monthly) {
    steps.set(l.name, stepsFor(l, time, monthly[0], config.years, locate(["variables", l.name])));
  }

  // valid cells
  const cellsRule = config.cells ?? (config.target !== undefined ? "target" : "all-fields");
  const cells = await chooseCells(cellsRule, loaded, steps, grid, config, root, locate);
  if (cells.length === 0) {
    throw new KilnError(
      `no valid cells: ${typeof cellsRule === "string" ? `no cell passes the '${cellsRule}' rule` : "the mask selects no cell"}`,
      { where: locate(["cells"]), hint: "check the files' missing values, or choose another `cells:` rule" },
    );
  }

  const fields: Field[] = loaded.map((l) => buildField(l, cells, time, steps.get(l.name)));
  const sources: Record<string, SourceInfo> = {};
  for (const l of loaded) sources[l.name] = l.info;
  const out: LoadedDataset = {
    dataset: new Dataset(grid, time, cells, fields),
    target: config.target,
    sources,
    configPath: abs,
    name: config.name,
    config,
  };
  if (basisRegions) out.basisRegions = basisRegions;
  return out;
}

function yearsAxis(years: number[]): TimeAxis {
  return new TimeAxis(
    years.flatMap((y) => new Array<number>(12).fill(y)),
    years.flatMap(() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  );
}

function rethrow(e: unknown, key: string, where: string): never {
  if (e instanceof KilnError) {
    throw new KilnError(`${key}: ${e.message.split("\n")[0]}`, { where, hint: e.hint, cause: e });
  }
  throw e;
}

async function loadFileSource(name: string, src: FileSource, root: string, where: string): Promise<Loaded> {
  const file = path.resolve(root, src.file);
  if (!fs.existsSync(file)) {
    throw new KilnError(`variables.${name}.file: file not found: ${file}`, {
      where,
      hint: "file paths are relative to the config's `root` (default: the config's folder)",
    });
  }
  let gv: GriddedVariable;
  try {
    gv = await readGridded(file, { variable: src.variable, units: src.units });
  } catch (e) {
    rethrow(e, `variables.${name}`, where);
  }
  const declared = src.units ?? gv.fileUnits;
  if (declared === undefined || declared.trim() === "") {
    throw new KilnError(`variables.${name}: ${file}, variable '${gv.name}' has no units attribute`, {
      where,
      hint: 'declare what the file holds with `units:` (e.g. units: "1" for a fraction)',
    });
  }
  let isStatic = gv.time === null;
  if (src.static === true && gv.time !== null) {
    if (gv.time.length !== 1) {
      throw new KilnError(
        `variables.${name}: static: true, but ${file} holds ${gv.time.length} time steps (${gv.time.describe()})`,
        { where, hint: "a static field needs a file without time, or with a single step" },
      );
    }
    isStatic = true;
  }
  if (src.static === false && gv.time === null) {
    throw new KilnError(
      `variables.${name}: static: false, but ${file}, variable '${gv.name}' has no time axis`,
      {
        where,
        hint: "drop `static: false` (the field is static)",
      },
    );
  }
  const driver = driverInfo(name);
  const internal = driver?.units ?? declared;
  let conv: Conversion;
  try {
    conv = conversion(declared, internal, `${file}, variable '${gv.name}'`);
  } catch (e) {
    rethrow(e, `variables.${name} (${driver ? `the ${name} driver is in '${internal}'` : ""})`, where);
  }
  const scale = src.scale ?? 1;
  const longName = src.long_name ?? driver?.longName ?? gv.longName;
  return {
    name,
    gv: longName === undefined ? gv : { ...gv, longName },
    isStatic,
    conv,
    scale,
    info: {
      field: name,
      file,
      variable: gv.name,
      fileUnits: gv.fileUnits,
      declaredUnits: declared,
      scale,
      internalUnits: internal,
    },
  };
}

async function loadGfedSource(
  name: string,
  src: GfedSource,
  root: string,
  config: DatasetConfig,
  where: string,
): Promise<{ loaded: Loaded; basisRegions: Int32Array }> {
  if (!config.years) {
    throw new KilnError(`variables.${name}: a GFED source needs \`years:\` in the config`, {
      where,
      hint: "e.g. years: 2001-2016 (GFED4.1s burned area covers 1997–2016)",
    });
  }
  const dir = path.resolve(root, src.gfed);
  let r;
  try {
    r = await readGfed(dir, { years: config.years, resolution: src.resolution });
  } catch (e) {
    rethrow(e, `variables.${name}`, where);
  }
  const ds = r.dataset;
  const f = ds.field("burned_area");
  // back onto the full grid, NaN outside the land cells, so it aligns like any file
  const nG = ds.grid.nCell;
  const data = new Float64Array(ds.nTime * nG).fill(NaN);
  for (let t = 0; t < ds.nTime; t++) {
    for (let c = 0; c < ds.nCell; c++) data[t * nG + ds.cells.flat[c]] = f.data[t * ds.nCell + c];
  }
  const driver = driverInfo(name);
  const internal = driver?.units ?? "1";
  const conv = conversion("1", internal, `${dir} (GFED4.1s burned_fraction)`);
  const gv: GriddedVariable = {
    name: "burned_fraction",
    units: "1",
    fileUnits: "1",
    longName: f.longName,
    grid: ds.grid,
    time: ds.time,
    data,
    path: dir,
  };
  return {
    basisRegions: r.basisRegions,
    loaded: {
      name,
      gv,
      isStatic: false,
      conv,
      scale: 1,
      info: {
        field: name,
        file: dir,
        variable: "burned_area/MM/burned_fraction",
        fileUnits: "1",
        declaredUnits: "1",
        scale: 1,
        internalUnits: internal,
      },
    },
  };
}

/** For each step of `time`, the index of that month in the field's own axis; errors state both spans. */
function stepsFor(
  l: Loaded,
  time: TimeAxis,
  ref: Loaded,
  years: number[] | undefined,
  where: string,
): Int32Array {
  const own = l.gv.time as TimeAxis;
  const index = new Map<number, number>();
  for (let t = 0; t < own.length; t++) index.set(own.years[t] * 12 + own.months[t], t);
  if (!years && (own.length !== time.length || !sameMonths(own, time))) {
    throw new KilnError(
      `the time spans differ: variables.${ref.name} (${ref.gv.path}) covers ${time.describe()}; ` +
        `variables.${l.name} (${l.gv.path}) covers ${own.describe()}`,
      { where, hint: "set `years:` in the config to the years every file covers" },
    );
  }
  const out = new Int32Array(time.length);
  for (let t = 0; t < time.length; t++) {
    const k = index.get(time.years[t] * 12 + time.months[t]);
    if (k === undefined) {
      throw new KilnError(
        `the time spans differ: the config asks for ${time.describe()}; ` +
          `variables.${l.name} (${l.gv.path}) covers ${own.describe()} and lacks ${time.years[t]}-${String(time.months[t]).padStart(2, "0")}`,
        { where, hint: "choose `years:` that every monthly file covers" },
      );
    }
    out[t] = k;
  }
  return out;
}

function sameMonths(a: TimeAxis, b: TimeAxis): boolean {
  for (let t = 0; t < a.length; t++)
    if (a.years[t] !== b.years[t] || a.months[t] !== b.months[t]) return false;
  return true;
}

/** Whether grid cell g has a finite value at any of the used steps. */
function anyFinite(l: Loaded, steps: Int32Array | undefined, nG: number): Uint8Array {
  const out = new Uint8Array(nG);
  const d = l.gv.data;
  const ts = l.isStatic ? Int32Array.of(0) : (steps as Int32Array);
  for (const t of ts) {
    const base = t * nG;
    for (let g = 0; g < nG; g++) if (d[base + g] === d[base + g]) out[g] = 1;
  }
  return out;
}

async function chooseCells(
  rule: NonNullable<DatasetConfig["cells"]>,
  loaded: Loaded[],
  steps: Map<string, Int32Array>,
  grid: Grid,
  config: DatasetConfig,
  root: string,
  locate: (keys: (string | number)[]) => string,
): Promise<CellIndex> {
  const nG = grid.nCell;
  if (rule === "target") {
    const l = loaded.find((x) => x.name === config.target) as Loaded;
    return CellIndex.fromMask(grid, anyFinite(l, steps.get(l.name), nG));
  }
  if (rule === "all-fields") {
    const mask = new Uint8Array(nG).fill(1);
    for (const l of loaded) {
      const m = anyFinite(l, steps.get(l.name), nG);
      for (let g = 0; g < nG; g++) mask[g] &= m[g];
    }
    return CellIndex.fromMask(grid, mask);
  }
  const where = locate(["cells"]);
  const file = path.resolve(root, rule.file);
  if (!fs.existsSync(file)) {
    throw new KilnError(`cells.file: file not found: ${file}`, { where });
  }
  let gv: GriddedVariable;
  try {
    gv = await readGridded(file, { variable: rule.variable });
  } catch (e) {
    rethrow(e, "cells", where);
  }
  if (!gv.grid.sameAs(grid)) {
    throw new KilnError(
      `the grids differ: the cell mask ${file} is on a ${gv.grid.describe()}; the variables are on a ${grid.describe()}`,
      { where },
    );
  }
  const mask = new Uint8Array(nG);
  const nT = gv.time ? gv.time.length : 1;
  for (let t = 0; t < nT; t++) {
    for (let g = 0; g < nG; g++) {
      const x = gv.data[t * nG + g];
      if (x === x && x !== 0) mask[g] = 1;
    }
  }
  return CellIndex.fromMask(grid, mask);
}

function buildField(l: Loaded, cells: CellIndex, time: TimeAxis, steps: Int32Array | undefined): Field {
  const nG = l.gv.grid.nCell;
  const nC = cells.length;
  const flat = cells.flat;
  const src = l.gv.data;
  const unit = l.info.internalUnits;
  if (l.isStatic) {
    const { scale, offset } = linearFor(l.conv, NOLEAP_MONTH_DAYS[0]);
    if (l.conv.monthPower !== 0) {
      throw new KilnError(
        `variables.${l.name}: a static field cannot convert '${l.conv.from}' to '${l.conv.to}' (it depends on the month)`,
        { where: l.gv.path },
      );
    }
    const data = new Float32Array(nC);
    for (let c = 0; c < nC; c++) data[c] = scale * (l.scale * src[flat[c]]) + offset;
    return makeField(l.name, unit, data, true, l.gv.longName);
  }
  const data = new Float32Array(time.length * nC);
  const ts = steps as Int32Array;
  for (let t = 0; t < time.length; t++) {
    // a per-day quantity becomes per-month with this month's noleap length
    const { scale, offset } = linearFor(l.conv, NOLEAP_MONTH_DAYS[time.months[t] - 1]);
    const base = ts[t] * nG;
    const out = t * nC;
    for (let c = 0; c < nC; c++) data[out + c] = scale * (l.scale * src[base + flat[c]]) + offset;
  }
  return makeField(l.name, unit, data, false, l.gv.longName);
}
