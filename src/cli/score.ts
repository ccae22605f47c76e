/**
 * `kiln score REF.nc MODEL.nc [MODEL2.nc ...]`: ILAMB 2.7 burned-area scores of one or more models against
 * a reference, written as scores.json (ILAMB's scalar names), scores.csv, a leaderboard across the
 * aggregation conventions, and PNG maps of the residual fields.
 */
import fs from "node:fs";
import path from "node:path";
import { Option, type Command } from "commander";
import {
  CONVENTIONS,
  CONVENTION_HELP,
  conventionsTable,
  evaluateCells,
  flattenScalars,
  integrateRegions,
  jsonNumber,
  leaderboard,
  leaderboardCsv,
  leaderboardMarkdown,
  makeComparable,
  parseConvention,
  prepareReference,
  residualsOf,
  scoresCsv,
  type Convention,
  type PreparedReference,
  type ResidualFields,
  type ScoreResult,
} from "../bench/index.ts";
import type { Grid } from "../grid/grid.ts";
import {
  GFED_BASIS_CODES,
  globalRegion,
  ilambRegions,
  ILAMB_REGION_LABELS,
  rasterRegions,
  type Region,
} from "../grid/regions.ts";
import { readGridded } from "../io/read.ts";
import type { GriddedVariable } from "../io/types.ts";
import { converter } from "../io/units.ts";
import { lineChart, renderMap } from "../report/plot/index.ts";
import { KilnError } from "../util/errors.ts";
import { progress } from "../util/progress.ts";
import type { RegisterVerb } from "./verbs.ts";

export interface ScoreCommandOptions {
  out: string;
  variable?: string;
  regions?: string;
  regionRaster?: string;
  rmseBasis: "cycle" | "series";
  massWeighting: boolean;
  iav: boolean;
  convention: string;
  dataScale?: string;
  maps: boolean;
  quiet?: boolean;
}

export const registerScore: RegisterVerb = (program: Command) => {
  program
    .command("score")
    .description(
      "Score models against a reference with ILAMB 2.7's burned-area method (Bias, RMSE, Seasonal Cycle, " +
        "Spatial Distribution and Overall, per region), rank them under every aggregation convention, " +
        "and draw maps of the residuals.",
    )
    .argument("<reference>", "the reference file (NetCDF3 or NetCDF4), e.g. GFED4.1s burntArea.nc")
    .argument("<models...>", "one or more model files on the reference grid")
    .requiredOption("--out <dir>", "folder for scores.json, scores.csv, leaderboard.md/.csv and maps/")
    .option(
      "--variable <name>",
      "variable to read from every file (default: each file's single gridded variable)",
    )
    .option("--regions <labels>", `comma-separated region labels (default: ${ILAMB_REGION_LABELS.join(",")})`)
    .option(
      "--region-raster <file[:variable]>",
      "score GFED basis regions from an integer raster (codes 1-14 = bona..aust) instead of ILAMB's boxes",
    )
    .addOption(
      new Option("--rmse-basis <basis>", "RMSE score basis").choices(["cycle", "series"]).default("cycle"),
    )
    .option("--no-mass-weighting", "do not weight Bias/RMSE/Seasonal scores by the reference period mean")
    .option("--iav", "count the interannual variability score in Overall (ILAMB skip_iav = False)", false)
    .option(
      "--convention <name>",
      `aggregation convention that ranks the leaderboard: ${CONVENTIONS.join(", ")}`,
      "ilamb-2.7",
    )
    .option(
      "--data-scale <factor>",
      "multiply reference and model by this before scoring (e.g. 100: fractions as %)",
    )
    .option("--no-maps", "skip the PNG maps and seasonal-cycle charts")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      "\nConventions:\n" +
        CONVENTIONS.map((k) => `  ${k.padEnd(10)} ${CONVENTION_HELP[k]}`).join("\n") +
        "\n\nExample:\n  kiln score ref/burntArea.nc MOD/burntArea.nc CLM/burntArea.nc --regions global,nhaf,shaf --out scores/",
    )
    .action(async (reference: string, models: string[], opts: ScoreCommandOptions) => {
      await runScore(reference, models, opts);
    });
};

interface Scored {
  name: string;
  path: string;
  result: ScoreResult;
  fields: ResidualFields;
  prep: PreparedReference;
}

export async function runScore(
  reference: string,
  modelPaths: string[],
  opts: ScoreCommandOptions,
): Promise<void> {
  const convention: Convention = parseConvention(opts.convention);
  const dataScale = opts.dataScale === undefined ? 1 : Number(opts.dataScale);
  if (!(dataScale > 0)) {
    throw new KilnError(`--data-scale must be a positive number, got '${opts.dataScale}'`);
  }
  const ref = await readGridded(reference, { variable: opts.variable });
  if (!ref.time) {
    throw new KilnError("the reference has no time axis", { where: reference, hint: "score monthly series" });
  }
  const regions = await chooseRegions(ref.grid, opts);
  if (regions.length === 0) throw new KilnError("no region to score", { hint: "give --regions global,..." });
  // the leaderboard ranks on `global` when it is scored, else on the first region
  const headline = regions.some((r) => r.label === "global") ? "global" : regions[0].label;
  const names = modelNames(modelPaths);
  fs.mkdirSync(opts.out, { recursive: true });
  const bar = progress("score", modelPaths.length, { quiet: opts.quiet });
  const scored: Scored[] = [];
  let cached: { key: string; prep: PreparedReference } | undefined;
  for (let k = 0; k < modelPaths.length; k++) {
    const raw = await readGridded(modelPaths[k], { variable: opts.variable });
    const model = toUnits(raw, ref.units);
    const pair = makeComparable(ref, model);
    // models over the same months and cells share one prepared reference
    const key = `${pair.time.describe()}|${pair.cells.length}|${hashCells(pair.cells.flat)}`;
    if (cached?.key !== key) {
      const prep = prepareReference(
        { cells: pair.cells, time: pair.time, data: pair.ref, units: ref.units },
        {
          regions,
          rmseBasis: opts.rmseBasis,
          massWeighting: opts.massWeighting,
          iav: opts.iav ? true : "component",
          dataScale,
        },
      );
      cached = { key, prep };
    }
    const prep = cached.prep;
    const ws = evaluateCells(prep, pair.model);
    scored.push({
      name: names[k],
      path: modelPaths[k],
      result: integrateRegions(prep, ws),
      fields: residualsOf(prep, ws),
      prep,
    });
    bar.tick(1, names[k]);
  }
  bar.stop();

  const lb = leaderboard(
    scored.map((s) => ({ name: s.name, result: s.result })),
    { chosen: convention, region: headline },
  );
  writeJson(
    path.join(opts.out, "scores.json"),
    scoresDocument(reference, ref, scored, opts, dataScale, convention, lb),
  );
  fs.writeFileSync(path.join(opts.out, "scores.csv"), scoresCsv(scored));
  fs.writeFileSync(path.join(opts.out, "leaderboard.md"), leaderboardMarkdown(lb));
  fs.writeFileSync(path.join(opts.out, "leaderboard.csv"), leaderboardCsv(lb));
  if (opts.maps) writeMaps(opts.out, ref, scored);

  if (!opts.quiet) {
    const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "  n/a " : x.toFixed(4));
    const head = `model (${headline})`.padEnd(26);
    process.stdout.write(`${head}Bias    RMSE    Season  Spatial Overall (${convention})\n`);
    for (const e of lb.entries) {
      const g = scored.find((s) => s.name === e.model)!.result.regions.find((r) => r.region === headline);
      const c = g?.components;
      process.stdout.write(
        `${e.model.padEnd(24).slice(0, 24)}  ${f(c?.bias)}  ${f(c?.rmse)}  ${f(c?.seasonal)}  ${f(c?.spatial)}  ${f(e.overall[convention])}\n`,
      );
    }
    for (const fl of lb.flags) process.stdout.write(`flag: ${fl}\n`);
    process.stdout.write(
      `wrote ${opts.out}/scores.json, scores.csv, leaderboard.md${opts.maps ? ", maps/" : ""}\n`,
    );
  }
}

async function chooseRegions(grid: Grid, opts: ScoreCommandOptions): Promise<Region[]> {
  const wanted = opts.regions
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!opts.regionRaster) return ilambRegions(grid, wanted ?? ILAMB_REGION_LABELS);
  const [file, variable] = splitFileVar(opts.regionRaster);
  const raster = await readGridded(file, { variable });
  if (!raster.grid.sameAs(grid)) {
    throw new KilnError(
      `the region raster is on ${raster.grid.describe()}, the reference on ${grid.describe()}`,
      { where: file, hint: "give a raster on the reference grid" },
    );
  }
  const all = [
    globalRegion(grid),
    ...rasterRegions(grid, raster.data.subarray(0, grid.nCell), GFED_BASIS_CODES),
  ];
  if (!wanted) return all;
  return wanted.map((label) => {
    const r = all.find((x) => x.label === label);
    if (!r) {
      throw new KilnError(`unknown region '${label}'`, {
        hint: `the raster gives: ${all.map((x) => x.label).join(", ")}`,
      });
    }
    return r;
  });
}

function splitFileVar(spec: string): [string, string | undefined] {
  const k = spec.lastIndexOf(":");
  return k > 0 && !fs.existsSync(spec) ? [spec.slice(0, k), spec.slice(k + 1)] : [spec, undefined];
}

/** The model converted to the reference's unit, per month for rate ↔ per-month conversions. */
function toUnits(model: GriddedVariable, units: string): GriddedVariable {
  if (model.units.trim() === units.trim() || !model.time) return model;
  const where = `${model.path}, variable '${model.name}'`;
  const byDays = new Map<number, (x: number) => number>();
  const nG = model.grid.nCell;
  const data = new Float64Array(model.data.length);
  for (let t = 0; t < model.time.length; t++) {
    const days = model.time.days(t);
    let f = byDays.get(days);
    if (!f) {
      f = converter(model.units, units, where, days);
      byDays.set(days, f);
    }
    for (let g = t * nG; g < (t + 1) * nG; g++) data[g] = f(model.data[g]);
  }
  return { ...model, units, data };
}

/** File base names, made unique with their folders when two models share a base name. */
export function modelNames(paths: readonly string[]): string[] {
  const base = paths.map((p) => path.basename(p).replace(/\.(nc4?|h5|hdf5?)$/i, ""));
  return paths.map((p, k) => {
    if (base.filter((b) => b === base[k]).length === 1) return base[k];
    const parts = path.resolve(p).split(path.sep);
    return `${parts[parts.length - 2]}/${base[k]}`;
  });
}

function hashCells(flat: Int32Array): number {
  let h = 0;
  for (let k = 0; k < flat.length; k++) h = (Math.imul(h, 31) + flat[k]) | 0;
  return h;
}

function scoresDocument(
  reference: string,
  ref: GriddedVariable,
  scored: readonly Scored[],
  opts: ScoreCommandOptions,
  dataScale: number,
  convention: Convention,
  lb: ReturnType<typeof leaderboard>,
): unknown {
  const first = scored[0];
  return {
    generator: "kiln score (ILAMB 2.7 burned-area method)",
    reference: { path: reference, variable: ref.name, units: ref.units, grid: ref.grid.describe() },
    options: {
      rmseBasis: opts.rmseBasis,
      massWeighting: opts.massWeighting,
      iav: opts.iav,
      dataScale,
      convention,
      regions: first ? first.result.regions.map((r) => r.region) : [],
    },
    units: first?.result.units ?? {},
    benchmark: first
      ? Object.fromEntries(
          Object.entries(first.prep.benchmarkPeriodMean).map(([r, v]) => [
            `Period Mean (original grids) ${r}`,
            jsonNumber(v),
          ]),
        )
      : {},
    models: Object.fromEntries(
      scored.map((s) => [
        s.name,
        {
          path: s.path,
          period: s.prep.time.describe(),
          scalars: flattenScalars(s.result),
          conventions: conventionsTable(s.result),
          components: Object.fromEntries(
            s.result.regions.map((r) => [
              r.region,
              Object.fromEntries(Object.entries(r.components).map(([k, v]) => [k, jsonNumber(v)])),
            ]),
          ),
          spatial: Object.fromEntries(
            s.result.regions.map((r) => [
              r.region,
              { std: jsonNumber(r.spatialStd), R: jsonNumber(r.spatialR) },
            ]),
          ),
          cycles: Object.fromEntries(
            s.fields.cycles.map((c) => [
              c.region,
              { reference: Array.from(c.ref, jsonNumber), model: Array.from(c.model, jsonNumber) },
            ]),
          ),
        },
      ]),
    ),
    leaderboard: {
      region: lb.region,
      chosen: lb.chosen,
      entries: lb.entries.map((e) => ({
        model: e.model,
        overall: Object.fromEntries(Object.entries(e.overall).map(([k, v]) => [k, jsonNumber(v)])),
        rank: Object.fromEntries(Object.entries(e.rank).map(([k, v]) => [k, jsonNumber(v)])),
      })),
      winners: lb.winners,
      winnerChanges: lb.winnerChanges,
      orderChanges: lb.orderChanges,
      flags: lb.flags,
    },
  };
}

function writeJson(file: string, doc: unknown): void {
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}

function writeMaps(out: string, ref: GriddedVariable, scored: readonly Scored[]): void {
  const dir = path.join(out, "maps");
  fs.mkdirSync(dir, { recursive: true });
  const u = ref.units;
  const first = scored[0];
  if (first) {
    const cells = first.fields.cells;
    fs.writeFileSync(
      path.join(dir, "reference_mean.png"),
      renderMap({
        grid: ref.grid,
        values: cells.toGrid(first.fields.refMean),
        title: "Reference period mean",
        subtitle: first.prep.time.describe(),
        units: u,
        scheme: "YlOrRd",
      }),
    );
  }
  for (const s of scored) {
    const f = s.fields;
    const grid = ref.grid;
    const toGrid = (v: Float64Array) => f.cells.toGrid(v);
    const g = s.result.regions.find((r) => r.region === "global")?.scalars;
    const sub = (name: string, v: number | undefined) =>
      v === undefined || !Number.isFinite(v) ? undefined : `${name} (global): ${v.toFixed(4)}`;
    const maps: [string, Parameters<typeof renderMap>[0]][] = [
      [
        "model_mean",
        { grid, values: toGrid(f.modelMean), title: `${s.name}: period mean`, units: u, scheme: "YlOrRd" },
      ],
      [
        "bias",
        {
          grid,
          values: toGrid(f.bias),
          title: `${s.name}: bias (model − reference)`,
          subtitle: sub("Bias", g?.Bias),
          units: u,
          colours: "diverging",
        },
      ],
      [
        "bias_score",
        {
          grid,
          values: toGrid(f.biasScore),
          title: `${s.name}: bias score`,
          subtitle: sub("Bias Score", g?.["Bias Score"]),
          units: "1",
          range: [0, 1],
        },
      ],
      [
        "rmse_score",
        {
          grid,
          values: toGrid(f.rmseScore),
          title: `${s.name}: RMSE score`,
          subtitle: sub("RMSE Score", g?.["RMSE Score"]),
          units: "1",
          range: [0, 1],
        },
      ],
      [
        "phase_shift",
        {
          grid,
          values: toGrid(f.phaseShiftMonths),
          title: `${s.name}: phase shift (model peak − reference peak)`,
          subtitle: sub("Seasonal Cycle Score", g?.["Seasonal Cycle Score"]),
          units: "months",
          colours: "diverging",
          range: [-6, 6],
        },
      ],
    ];
    for (const [name, m] of maps)
      fs.writeFileSync(path.join(dir, `${safeName(s.name)}_${name}.png`), renderMap(m));
    if (f.cycles.length > 0) {
      const months = Array.from({ length: 12 }, (_, k) => k + 1);
      const series = f.cycles.flatMap((c) => [
        { name: "reference", x: months, y: c.ref, panel: c.region },
        { name: s.name, x: months, y: c.model, panel: c.region },
      ]);
      fs.writeFileSync(
        path.join(dir, `${safeName(s.name)}_cycles.png`),
        lineChart({
          series,
          title: `${s.name}: mean seasonal cycle per region`,
          subtitle: "area mean over the scored cells",
          yTitle: u,
          months: true,
        }),
      );
    }
  }
}
