/**
 * `kiln world`: generate the built-in world (drivers from a seeded synthetic planet, the target from a
 * known truth) and write it as NetCDF-4 files with a dataset config, truth.json and PNG maps.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { parseYears } from "../grid/split.ts";
import { renderMap } from "../report/plot/index.ts";
import { KilnError } from "../util/errors.ts";
import {
  DEFAULT_WORLD,
  SCENARIOS,
  burnedSummary,
  generateWorld,
  writeWorld,
  type World,
  type WrittenWorld,
} from "../world/index.ts";
import type { RegisterVerb } from "./verbs.ts";
import { readTruthChoice } from "./world-truth.ts";

export interface WorldCommandOptions {
  resolution?: string;
  years?: string;
  seed?: string;
  truth?: string;
  scenario?: string;
  out: string;
  maps?: boolean;
}

export interface WorldRun {
  world: World;
  written: WrittenWorld;
  maps: string[];
  generateSeconds: number;
  writeSeconds: number;
}

function parseNumber(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!Number.isFinite(x)) throw new KilnError(`${what} must be a number, got '${text}'`);
  return x;
}

/** The year range of --years: consecutive years only (the world's drivers carry memory across months). */
export function parseYearRange(text: string | undefined): [number, number] {
  if (text === undefined) return [DEFAULT_WORLD.firstYear, DEFAULT_WORLD.lastYear];
  let years: number[];
  try {
    years = parseYears(text);
  } catch (e) {
    throw new KilnError((e as Error).message, { where: "--years" });
  }
  for (let k = 1; k < years.length; k++) {
    if (years[k] !== years[k - 1] + 1) {
      throw new KilnError(`the years must be consecutive, got ${text}`, {
        where: "--years",
        hint: "write e.g. 1997-2016",
      });
    }
  }
  return [years[0], years[years.length - 1]];
}

/** Generate and write a world; the CLI's `world` and `demo` verbs share this. */
export async function runWorld(opts: WorldCommandOptions): Promise<WorldRun> {
  const [firstYear, lastYear] = parseYearRange(opts.years);
  const seed = parseNumber(opts.seed, "--seed", DEFAULT_WORLD.seed);
  if (!Number.isInteger(seed)) throw new KilnError(`--seed must be an integer, got '${opts.seed}'`);
  const resolution = parseNumber(opts.resolution, "--resolution", DEFAULT_WORLD.resolution);
  const { truth, truthModel } = opts.truth
    ? readTruthChoice(opts.truth)
    : { truth: undefined, truthModel: undefined };
  let t0 = performance.now();
  const world = generateWorld({
    resolution,
    firstYear,
    lastYear,
    seed,
    truth,
    truthModel,
    scenario: opts.scenario,
  });
  const generateSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const written = await writeWorld(world, opts.out);
  const maps = opts.maps === false ? [] : writeWorldMaps(world, path.join(opts.out, "maps"));
  const writeSeconds = (performance.now() - t0) / 1000;
  return { world, written, maps, generateSeconds, writeSeconds };
}

function timeMean(world: World, name: string, perYear: boolean): Float64Array {
  const ds = world.dataset;
  const f = ds.field(name);
  const n = ds.nCell;
  const out = new Float64Array(n);
  if (f.isStatic) {
    out.set(f.data);
    return out;
  }
  for (let t = 0; t < ds.nTime; t++) for (let c = 0; c < n; c++) out[c] += f.data[t * n + c];
  const div = perYear ? ds.nTime / 12 : ds.nTime;
  for (let c = 0; c < n; c++) out[c] /= div;
  return out;
}

/** PNG maps: mean annual burned fraction and two drivers (dryness, GPP), with colour bars and coastlines. */
export function writeWorldMaps(world: World, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const ds = world.dataset;
  const years = `${ds.time.years[0]}–${ds.time.years[ds.nTime - 1]}`;
  const tag = `seed ${world.seed}, ${world.resolution}°${world.scenario ? `, scenario ${world.scenario.name}` : ""}`;
  const s = burnedSummary(ds, world.target);
  const maps = [
    {
      file: "burned_area.png",
      values: timeMean(world, world.target, true),
      title: `Burned area, mean annual fraction ${years}`,
      subtitle: `${s.meanAnnualMkm2.toFixed(2)} Mkm² yr⁻¹; ${tag}`,
      units: "fraction of the cell burned per year",
      scheme: "YlOrRd",
      log: true,
      range: [1e-3, 1] as const,
    },
    {
      file: "dryness.png",
      values: timeMean(world, "dryness", false),
      title: `Accumulated dryness, mean ${years}`,
      subtitle: tag,
      units: "0 wet .. 1 very dry",
      scheme: "YlOrBr",
      log: false,
      range: [0, 1] as const,
    },
    {
      file: "gpp.png",
      values: timeMean(world, "gpp", false),
      title: `Gross primary productivity, mean ${years}`,
      subtitle: tag,
      units: "gC m⁻² day⁻¹",
      scheme: "YlGnBu",
      log: false,
      range: undefined,
    },
  ];
  const written: string[] = [];
  for (const m of maps) {
    const png = renderMap({
      grid: ds.grid,
      values: ds.cells.toGrid(m.values),
      title: m.title,
      subtitle: m.subtitle,
      units: m.units,
      scheme: m.scheme,
      log: m.log,
      ...(m.range ? { range: m.range } : {}),
    });
    const file = path.join(dir, m.file);
    fs.writeFileSync(file, png);
    written.push(file);
  }
  return written;
}

export function describeWorldRun(run: WorldRun): string {
  const { world, written } = run;
  const ds = world.dataset;
  const s = burnedSummary(ds, world.target);
  const lines = [
    `world: ${ds.nCell} land cells at ${world.resolution}° × ${ds.nTime} months (${ds.time.describe()}), ` +
      `${ds.names().length} fields, seed ${world.seed}` +
      (world.scenario ? `, scenario ${world.scenario.name}` : ""),
    `  generated in ${run.generateSeconds.toFixed(1)} s, written in ${run.writeSeconds.toFixed(1)} s ` +
      `(${(written.bytes / 1e6).toFixed(1)} MB)`,
    `  burned area: ${s.meanAnnualMkm2.toFixed(2)} Mkm² per year (${s.minAnnualMkm2.toFixed(2)}–` +
      `${s.maxAnnualMkm2.toFixed(2)}), zero in ${(100 * s.zeroShare).toFixed(0)}% of cell-months`,
    `  dataset: ${written.configPath}`,
    `  truth:   ${written.truthPath} (for comparison afterwards; the search never reads it)`,
  ];
  if (run.maps.length) lines.push(`  maps:    ${run.maps.join(", ")}`);
  if (world.scenario) lines.push(`  injected: ${world.scenario.description}`);
  return lines.join("\n");
}

export const registerWorld: RegisterVerb = (program: Command) => {
  program
    .command("world")
    .description(
      "Generate the built-in world: land from Natural Earth, 14 monthly drivers from a seeded synthetic " +
        "climate, and a burned-area target from a known truth (GPP gate × dryness × temperature × people), " +
        "written as NetCDF-4 files, a dataset config, truth.json and PNG maps.",
    )
    .requiredOption("--out <dir>", "folder for dataset.yaml, the NetCDF files, truth.json and maps/")
    .option("--resolution <deg>", `cell size in degrees, dividing 180 (default ${DEFAULT_WORLD.resolution})`)
    .option(
      "--years <range>",
      `consecutive years (default ${DEFAULT_WORLD.firstYear}-${DEFAULT_WORLD.lastYear})`,
    )
    .option("--seed <n>", `integer seed: the same seed gives identical files (default ${DEFAULT_WORLD.seed})`)
    .option(
      "--truth <file>",
      "another truth: parameters (examples/world/truth.yaml) or a form file (its defaults, or form: + params:)",
    )
    .option("--scenario <name>", `inject an input bug: ${SCENARIOS.map((s) => s.name).join(", ")}`)
    .option("--no-maps", "skip the PNG maps")
    .addHelpText(
      "after",
      "\nScenarios:\n" +
        SCENARIOS.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n") +
        "\n\nExample:\n  kiln world --out out/world\n  kiln world --truth examples/world/alt-truth.yaml --out out/alt\n  kiln world --resolution 4 --years 2001-2005 --seed 7 --scenario dryness-bug --out out/bug",
    )
    .action(async (opts: WorldCommandOptions) => {
      const run = await runWorld(opts);
      process.stdout.write(describeWorldRun(run) + "\n");
    });
};
