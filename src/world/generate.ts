import { Dataset } from "../grid/dataset.ts";
import { driverInfo } from "../grid/drivers.ts";
import { makeField, type Field } from "../grid/field.ts";
import { Grid } from "../grid/grid.ts";
import { TimeAxis } from "../grid/time.ts";
import { KilnError } from "../util/errors.ts";
import {
  dryDays,
  humidity,
  lightning,
  maxTemperature,
  precipitation,
  temperature,
  vapourPressureDeficit,
} from "./climate.ts";
import { componentRng, type WorldContext } from "./context.ts";
import { geography } from "./geography.ts";
import { landCells, landFraction } from "./land.ts";
import { oscillator } from "./noise.ts";
import { croplandFraction, populationDensity } from "./people.ts";
import { scenario as findScenario, type Scenario } from "./scenarios.ts";
import { DEFAULT_TRUTH, observeTarget, truthMean, type TruthModel, type TruthParams } from "./truth.ts";
import { abovegroundBiomass, grossPrimaryProductivity, treeCover } from "./vegetation.ts";
import { accumulatedDryness, liquidWaterInput, potentialEvaporation, soilMoisture } from "./water.ts";

export const WORLD_TARGET = "burned_area";
export const DEFAULT_WORLD = { resolution: 2, firstYear: 1997, lastYear: 2016, seed: 1 } as const;

export interface WorldOptions {
  /** Cell size in degrees (must divide 180). Default 2. */
  readonly resolution?: number;
  readonly firstYear?: number;
  readonly lastYear?: number;
  readonly seed?: number;
  readonly truth?: TruthParams;
  /** A truth written as a form (its heterogeneity and noise still come from `truth`). */
  readonly truthModel?: TruthModel;
  /** A scenario name from SCENARIOS, e.g. "dryness-bug". */
  readonly scenario?: string;
}

export interface World {
  /** The drivers and the target, as written (scenario applied). */
  readonly dataset: Dataset;
  readonly target: string;
  readonly truth: TruthParams;
  readonly truthModel: TruthModel | undefined;
  /** The truth's expected burned fraction (no heterogeneity, no noise), time-major over the cells. */
  readonly truthMean: Float32Array;
  readonly scenario: Scenario | undefined;
  readonly seed: number;
  readonly resolution: number;
  /** ENSO-like index per month. */
  readonly enso: Float64Array;
}

/** The built-in world: land from Natural Earth, 14 drivers, a known truth; deterministic for a seed. */
export function generateWorld(opts: WorldOptions = {}): World {
  const resolution = opts.resolution ?? DEFAULT_WORLD.resolution;
  const firstYear = opts.firstYear ?? DEFAULT_WORLD.firstYear;
  const lastYear = opts.lastYear ?? DEFAULT_WORLD.lastYear;
  const seed = opts.seed ?? DEFAULT_WORLD.seed;
  const truth = opts.truth ?? DEFAULT_TRUTH;
  if (!(resolution > 0) || Math.abs(180 / resolution - Math.round(180 / resolution)) > 1e-9) {
    throw new KilnError(`resolution ${resolution}° does not divide 180°`, {
      hint: "choose e.g. 0.5, 1, 2, 2.5, 3, 4, 5",
    });
  }
  if (!Number.isInteger(seed)) throw new KilnError(`the seed must be an integer, got ${seed}`);
  if (!(Number.isInteger(firstYear) && Number.isInteger(lastYear) && lastYear >= firstYear)) {
    throw new KilnError(`years ${firstYear}..${lastYear} are not a range of whole years`, {
      hint: "write --years 1997-2016",
    });
  }
  const sc = opts.scenario ? findScenario(opts.scenario) : undefined;

  const grid = Grid.regular(resolution);
  const frac = landFraction(grid, { scale: "50m", samples: resolution >= 1 ? 4 : 3 });
  const cells = landCells(grid, { fraction: frac });
  const time = TimeAxis.years(firstYear, lastYear);
  const geo = geography(grid, cells, frac);
  const enso = oscillator(componentRng({ seed }, "enso"), time.length);
  const ctx: WorldContext = { grid, cells, time, geo, seed, nCell: cells.length, nTime: time.length, enso };

  const pr = precipitation(ctx);
  const tas = temperature(ctx, pr);
  const rh = humidity(ctx, pr, tas);
  const vpd = vapourPressureDeficit(tas, rh);
  const tasmax = maxTemperature(tas, rh);
  const pet = potentialEvaporation(tas, vpd);
  const soilm = soilMoisture(ctx, liquidWaterInput(ctx, pr, tas), pet);
  const dryness = accumulatedDryness(ctx, pr, pet);
  const gpp = grossPrimaryProductivity(ctx, tas, soilm);
  const popdens = populationDensity(ctx, tas, pr);
  const cropland = croplandFraction(ctx, popdens, tas, pr, pet);
  const treecover = treeCover(ctx, pr, pet, tas, cropland);
  const biomass = abovegroundBiomass(ctx, gpp, treecover);
  const flashes = lightning(ctx, pr, tas);
  const drydays = dryDays(ctx, pr);

  const field = (name: string, data: Float32Array, isStatic = false): Field => {
    const info = driverInfo(name);
    if (!info) throw new Error(`world: '${name}' is not in src/grid/drivers.ts`);
    return makeField(name, info.units, data, isStatic, info.longName);
  };
  let dataset = new Dataset(grid, time, cells, [
    field("tas", tas),
    field("tasmax", tasmax),
    field("pr", pr),
    field("rh", rh),
    field("vpd", vpd),
    field("soilm", soilm),
    field("dryness", dryness),
    field("drydays", drydays),
    field("gpp", gpp),
    field("biomass", biomass),
    field("treecover", treecover, true),
    field("lightning", flashes),
    field("popdens", popdens),
    field("cropland", cropland),
  ]);
  const mean = opts.truthModel ? opts.truthModel.mean(dataset) : truthMean(truth, gpp, dryness, tas, popdens);
  if (mean.length !== dataset.nCell * dataset.nTime) {
    throw new KilnError(
      `the truth gave ${mean.length} values for ${dataset.nTime} months × ${dataset.nCell} cells`,
    );
  }
  for (let k = 0; k < mean.length; k++) {
    if (!(mean[k] >= 0)) {
      throw new KilnError(`the truth's burned fraction is ${mean[k]} at cell-month ${k}`, {
        hint: "a truth must give finite burned fractions ≥ 0 everywhere",
      });
    }
  }
  dataset = dataset.withFields([field(WORLD_TARGET, observeTarget(ctx, truth, mean))]);
  if (sc) dataset = sc.apply(dataset);
  return {
    dataset,
    target: WORLD_TARGET,
    truth,
    truthModel: opts.truthModel,
    truthMean: mean,
    scenario: sc,
    seed,
    resolution,
    enso,
  };
}
