import fs from "node:fs";
import path from "node:path";
import { writeDataset } from "../io/write.ts";
import { KilnError } from "../util/errors.ts";
import type { World } from "./generate.ts";
import { burnedSummary } from "./summary.ts";
import { BUILTIN_TRUTH_FORM, TRUTH_DRIVERS, TRUTH_FORMULA, builtinFormParams } from "./truth.ts";

export const WORLD_NAME = "kiln-world";
export const TRUTH_FILE = "truth.json";

export interface WrittenWorld {
  /** The dataset config that loads the world through src/io. */
  readonly configPath: string;
  readonly truthPath: string;
  readonly files: readonly string[];
  readonly bytes: number;
}

/** What truth.json holds: enough to recompute the truth and to compare a found form with it. */
export function truthRecord(world: World): Record<string, unknown> {
  const ds = world.dataset;
  const s = burnedSummary(ds, world.target);
  return {
    kind: "kiln-world-truth",
    note:
      "The known truth of a Kiln built-in world, for comparing a found form with it afterwards. " +
      "The search must never read this file.",
    formula: world.truthModel ? world.truthModel.formula : TRUTH_FORMULA,
    drivers: world.truthModel ? world.truthModel.drivers : TRUTH_DRIVERS,
    parameters: world.truth,
    // The truth as a form and its parameter values: what a search result is compared with.
    form: world.truthModel ? world.truthModel.form : BUILTIN_TRUTH_FORM,
    formParams: world.truthModel ? world.truthModel.params : builtinFormParams(world.truth),
    target: world.target,
    world: {
      seed: world.seed,
      resolution: world.resolution,
      years: [ds.time.years[0], ds.time.years[ds.nTime - 1]],
      cells: ds.nCell,
      months: ds.nTime,
      fields: ds.names(),
    },
    scenario: world.scenario
      ? {
          name: world.scenario.name,
          description: world.scenario.description,
          injected: world.scenario.injected,
        }
      : null,
    burnedArea: {
      meanAnnualMkm2: round(s.meanAnnualMkm2, 4),
      minAnnualMkm2: round(s.minAnnualMkm2, 4),
      maxAnnualMkm2: round(s.maxAnnualMkm2, 4),
      zeroShare: round(s.zeroShare, 4),
    },
  };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

/**
 * Write a world: the dataset through src/io's writer (one NetCDF-4 file per field, cells.nc and
 * dataset.yaml), then truth.json beside it (not referenced by dataset.yaml).
 */
export async function writeWorld(world: World, dir: string): Promise<WrittenWorld> {
  const attributes: Record<string, string> = {
    kiln_world_seed: String(world.seed),
    kiln_world_resolution_deg: String(world.resolution),
    kiln_world_scenario: world.scenario?.name ?? "none",
  };
  const configPath = await withFixedClock(() =>
    writeDataset(world.dataset, dir, {
      name: world.scenario ? `${WORLD_NAME}-${world.scenario.name}` : WORLD_NAME,
      target: world.target,
      attributes,
    }),
  );
  const truthPath = path.join(dir, TRUTH_FILE);
  try {
    fs.writeFileSync(truthPath, JSON.stringify(truthRecord(world), null, 2) + "\n");
  } catch (e) {
    throw new KilnError(`cannot write the truth file (${(e as NodeJS.ErrnoException).code})`, {
      where: truthPath,
    });
  }
  const files = [
    path.join(dir, "cells.nc"),
    ...world.dataset.names().map((n) => path.join(dir, `${n}.nc`)),
    configPath,
    truthPath,
  ];
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(f).size;
  return { configPath, truthPath, files, bytes };
}

/**
 * HDF5 stamps each object with its modification time, and h5wasm offers no way to turn that off, so two
 * writes of the same world would differ in a few bytes. The stamp comes from Date.now inside the
 * (synchronous) WASM calls: hold the clock at SOURCE_DATE_EPOCH (the reproducible-builds convention; 0
 * when unset) while the files are written, so that a seed gives identical files.
 */
async function withFixedClock<T>(work: () => Promise<T>): Promise<T> {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  const fixed = Number.isFinite(epoch) ? epoch * 1000 : 0;
  const real = Date.now;
  Date.now = () => fixed;
  try {
    return await work();
  } finally {
    Date.now = real;
  }
}
