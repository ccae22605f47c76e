/**
 * GFED4.1s reader: a folder of yearly GFED4.1s_YYYY.hdf5 files (layout: ilamb-scoring.md §7) —
 * `burned_area/MM/burned_fraction` (0..1 of the cell per month), 2-D `lat`/`lon` north to south,
 * `ancill/basis_regions` (0 ocean, 1..14 the GFED basis regions) — coarsened area-weighted to a chosen
 * resolution. Valid cells are those with any land (basis region ≠ 0); each coarse cell keeps its majority
 * land region.
 */
import fs from "node:fs";
import path from "node:path";
import { CellIndex } from "../grid/cells.ts";
import { Dataset } from "../grid/dataset.ts";
import { makeField } from "../grid/field.ts";
import { Grid } from "../grid/grid.ts";
import { TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import { BlockCoarsener, majorityBlocks } from "./coarsen.ts";
import { h5ready, readNumeric } from "./hdf5.ts";

export interface GfedOptions {
  years: number[];
  /** Output resolution in degrees: a multiple of the file's 0.25° (0.25, 0.5, 1, 2, ...). */
  resolution: number;
}

export interface GfedResult {
  dataset: Dataset;
  /** Majority basis region of each cell of the dataset's grid, row-major south to north (0: ocean). */
  basisRegions: Int32Array;
}

const FILE_RE = /^GFED4\.1s_(\d{4})(_beta)?\.hdf5$/;
const DEG = Math.PI / 180;

/** The yearly files present in `dir`: year → file name. */
export function gfedFiles(dir: string): Map<number, string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KilnError(
      code === "ENOENT" ? "GFED folder not found" : `cannot list the GFED folder (${code})`,
      {
        where: dir,
        hint: "point to the folder holding GFED4.1s_YYYY.hdf5 files",
      },
    );
  }
  const out = new Map<number, string>();
  for (const n of names.sort()) {
    const m = FILE_RE.exec(n);
    if (m && !out.has(Number(m[1]))) out.set(Number(m[1]), n);
  }
  return out;
}

interface Axis {
  centres: Float64Array;
  step: number;
}

function regularAxis(values: ArrayLike<number>, what: string, where: string): Axis {
  const n = values.length;
  const centres = Float64Array.from(values);
  if (n < 2) return { centres, step: 0.25 };
  const step = Math.abs(centres[1] - centres[0]);
  for (let k = 1; k < n; k++) {
    if (Math.abs(Math.abs(centres[k] - centres[k - 1]) - step) > 1e-4 * step) {
      throw new KilnError(
        `${what} is not regularly spaced (step ${step} then ${centres[k] - centres[k - 1]})`,
        {
          where,
        },
      );
    }
  }
  return { centres, step };
}

export async function readGfed(dir: string, opts: GfedOptions): Promise<GfedResult> {
  const years = [...new Set(opts.years)].sort((a, b) => a - b);
  if (years.length === 0) throw new KilnError("no years asked of the GFED reader", { where: dir });
  const files = gfedFiles(dir);
  const missing = years.filter((y) => !files.has(y));
  if (missing.length) {
    const have = [...files.keys()];
    throw new KilnError(`no GFED4.1s file for ${missing.join(", ")}`, {
      where: dir,
      hint: have.length
        ? `the folder has years ${have[0]}..${have[have.length - 1]} (${have.length} files)`
        : "the folder has no GFED4.1s_YYYY.hdf5 files",
    });
  }
  const h5 = await h5ready();

  let setup:
    | {
        nLat: number;
        nLon: number;
        flip: boolean;
        coarsener: BlockCoarsener;
        grid: Grid;
        cells: CellIndex;
        basis: Int32Array;
      }
    | undefined;
  const nT = years.length * 12;
  let data: Float32Array | undefined;
  let coarse: Float64Array | undefined;

  for (let y = 0; y < years.length; y++) {
    const name = files.get(years[y]) as string;
    const p = path.join(dir, name);
    const f = new h5.File(p, "r");
    try {
      if (!setup) {
        setup = gridSetup(h5, f, p, opts.resolution);
        data = new Float32Array(nT * setup.cells.length);
        coarse = new Float64Array(setup.grid.nCell);
      }
      const keys = f.keys();
      if (!keys.includes("burned_area")) {
        throw new KilnError(
          name.includes("_beta")
            ? `${name} has no burned_area: GFED4.1s beta files (2017 on) carry emissions only`
            : `${name} has no burned_area group; is it a GFED4.1s file?`,
          { where: p, hint: "GFED4.1s burned area covers 1997–2016: choose years in that span" },
        );
      }
      for (let m = 1; m <= 12; m++) {
        const key = `burned_area/${String(m).padStart(2, "0")}/burned_fraction`;
        const ds = f.get(key);
        if (!(ds instanceof h5.Dataset)) {
          throw new KilnError(`${key} is missing`, {
            where: p,
            hint: "a GFED4.1s year has 12 monthly groups",
          });
        }
        const shape = ds.shape ?? [];
        if (shape.length !== 2 || shape[0] !== setup.nLat || shape[1] !== setup.nLon) {
          throw new KilnError(
            `${key} has shape ${shape.join("×")}, the grid is ${setup.nLat}×${setup.nLon}`,
            {
              where: p,
            },
          );
        }
        setup.coarsener.mean(readNumeric(ds, p), setup.flip, coarse as Float64Array);
        const flat = setup.cells.flat;
        const out = data as Float32Array;
        const base = (y * 12 + m - 1) * flat.length;
        for (let c = 0; c < flat.length; c++) out[base + c] = (coarse as Float64Array)[flat[c]];
      }
    } finally {
      f.close();
    }
  }
  if (!setup || !data) throw new Error("unreachable: no GFED year read");
  const time = new TimeAxis(
    years.flatMap((y) => new Array<number>(12).fill(y)),
    years.flatMap(() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  );
  const field = makeField(
    "burned_area",
    "1",
    data,
    false,
    "burned fraction of the cell per month (GFED4.1s)",
  );
  return { dataset: new Dataset(setup.grid, time, setup.cells, [field]), basisRegions: setup.basis };
}

type H5 = Awaited<ReturnType<typeof h5ready>>;

function gridSetup(h5: H5, f: InstanceType<H5["File"]>, p: string, resolution: number) {
  const latDs = f.get("lat");
  const lonDs = f.get("lon");
  if (!(latDs instanceof h5.Dataset) || !(lonDs instanceof h5.Dataset)) {
    throw new KilnError("no lat/lon datasets at the root", {
      where: p,
      hint: "GFED4.1s files store 2-D /lat and /lon",
    });
  }
  const ls = latDs.shape ?? [];
  const os = lonDs.shape ?? [];
  // 2-D (GFED: lat[:,0], lon[0,:]) or 1-D
  const latVals = (
    ls.length === 2
      ? latDs.slice([
          [0, ls[0]],
          [0, 1],
        ])
      : latDs.value
  ) as ArrayLike<number>;
  const lonVals = (
    os.length === 2
      ? lonDs.slice([
          [0, 1],
          [0, os[1]],
        ])
      : lonDs.value
  ) as ArrayLike<number>;
  const lat = regularAxis(latVals, "latitude", p);
  const lon = regularAxis(lonVals, "longitude", p);
  const nLat = lat.centres.length;
  const nLon = lon.centres.length;
  const flip = nLat > 1 && lat.centres[0] > lat.centres[nLat - 1];
  const fLat = resolution / lat.step;
  const fLon = resolution / lon.step;
  const factor = Math.round(fLat);
  const ok =
    Math.abs(fLat - factor) < 1e-6 &&
    Math.abs(fLon - factor) < 1e-6 &&
    nLat % factor === 0 &&
    nLon % factor === 0;
  if (!ok || factor < 1) {
    const choices: number[] = [];
    for (let k = 1; k <= Math.min(nLat, nLon); k++)
      if (nLat % k === 0 && nLon % k === 0) choices.push(k * lat.step);
    throw new KilnError(`cannot coarsen the ${lat.step}° grid to ${resolution}°`, {
      where: p,
      hint: `choose a resolution that is a whole multiple of ${lat.step}° dividing the grid: ${choices.slice(0, 12).join(", ")}`,
    });
  }
  const south = Math.min(lat.centres[0], lat.centres[nLat - 1]) - lat.step / 2;
  const west = Math.min(lon.centres[0], lon.centres[nLon - 1]) - lon.step / 2;
  const fineLatEdges = Float64Array.from({ length: nLat + 1 }, (_, k) => south + k * lat.step);
  const rowWeights = Float64Array.from(
    { length: nLat },
    (_, r) => Math.sin(fineLatEdges[r + 1] * DEG) - Math.sin(fineLatEdges[r] * DEG),
  );
  const nLatC = nLat / factor;
  const nLonC = nLon / factor;
  const grid = new Grid(
    Float64Array.from({ length: nLatC + 1 }, (_, k) => round(south + k * resolution)),
    Float64Array.from({ length: nLonC + 1 }, (_, k) => round(west + k * resolution)),
  );
  const regionsDs = f.get("ancill/basis_regions");
  if (!(regionsDs instanceof h5.Dataset)) {
    throw new KilnError("no ancill/basis_regions dataset", {
      where: p,
      hint: "GFED4.1s files carry ancill/basis_regions",
    });
  }
  const rs = regionsDs.shape ?? [];
  if (rs.length !== 2 || rs[0] !== nLat || rs[1] !== nLon) {
    throw new KilnError(`ancill/basis_regions has shape ${rs.join("×")}, the grid is ${nLat}×${nLon}`, {
      where: p,
    });
  }
  const basis = majorityBlocks(readNumeric(regionsDs, p), nLat, nLon, factor, flip);
  const cells = CellIndex.fromMask(grid, basis);
  return {
    nLat,
    nLon,
    flip,
    coarsener: new BlockCoarsener(nLat, nLon, factor, rowWeights),
    grid,
    cells,
    basis,
  };
}

/** Round edges to 1e-9° so that 0.25° sums land exactly on round degrees. */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
