/**
 * How fast is ILAMB scoring? A 0.5° global grid, 20 years monthly, Natural Earth land cells, synthetic
 * reference and model burned fractions. Prints the median time of the prepared in-process path (what the
 * parameter layer calls) and of `kiln score` on files written to a temporary folder.
 *
 *   npx tsx bench/score.ts [--repeats 15] [--cli-repeats 3] [--keep (the temporary files)]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prepareReference, scoreModel, residualFields, type ScoreOptions } from "../src/bench/index.ts";
import { CellIndex } from "../src/grid/cells.ts";
import { Dataset } from "../src/grid/dataset.ts";
import { Grid } from "../src/grid/grid.ts";
import { landPolygons } from "../src/grid/land.ts";
import { ilambRegions } from "../src/grid/regions.ts";
import { TimeAxis } from "../src/grid/time.ts";
import { writeIlambBurntArea } from "../src/io/write.ts";
import { Rng } from "../src/util/rng.ts";

const arg = (name: string, def: number) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : def;
};
const REPEATS = arg("--repeats", 15);
const CLI_REPEATS = arg("--cli-repeats", 3);
const KEEP = process.argv.includes("--keep");

/** Land cells by scanline even-odd fill of the Natural Earth polygons at each row's centre latitude. */
function landMask(grid: Grid): Uint8Array {
  const mask = new Uint8Array(grid.nCell);
  const rings = landPolygons("110m").flat();
  for (let i = 0; i < grid.nLat; i++) {
    const y = grid.lat[i];
    const xs: number[] = [];
    for (const ring of rings) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [x0, y0] = ring[k];
        const [x1, y1] = ring[k + 1];
        if (y0 <= y !== y1 <= y) xs.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let j = 0; j < grid.nLon; j++) {
        const x = grid.lon[j];
        if (x >= xs[k] && x < xs[k + 1]) mask[i * grid.nLon + j] = 1;
      }
    }
  }
  return mask;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(x: number): string {
  return `${x.toFixed(1)} ms`;
}

const grid = Grid.regular(0.5);
const cells = CellIndex.fromMask(grid, landMask(grid));
const time = TimeAxis.years(1997, 2016);
const nC = cells.length;
const nT = time.length;
console.log(
  `grid ${grid.describe()}: ${nC} land cells (${((100 * nC) / grid.nCell).toFixed(1)}%), ${time.describe()}, ` +
    `${((nC * nT) / 1e6).toFixed(1)} M values per field`,
);

// Burned fraction: a seasonal pulse peaking by latitude, zero in ~40% of cells (deserts, ice, forest).
const rng = new Rng(42);
const ref = new Float32Array(nT * nC);
const model = new Float32Array(nT * nC);
for (let c = 0; c < nC; c++) {
  const lat = cells.lat(c);
  const burns = rng.next() < 0.6;
  const amp = burns ? 0.02 * rng.next() ** 2 : 0;
  const peak = lat > 0 ? 2 + ((lat / 15) | 0) : 8 + ((-lat / 20) | 0);
  const shift = rng.int(3);
  const gain = 0.5 + rng.next();
  for (let t = 0; t < nT; t++) {
    const m = time.months[t] - 1;
    const season = Math.max(0, Math.cos(((m - peak) * Math.PI) / 3));
    const yearly = 0.5 + rng.next();
    ref[t * nC + c] = amp * season * yearly;
    const ms2 = Math.max(0, Math.cos(((m - peak - shift) * Math.PI) / 3));
    model[t * nC + c] = burns || rng.next() < 0.1 ? gain * (amp + 0.001) * ms2 * (0.7 + 0.6 * rng.next()) : 0;
  }
}

const regions = ilambRegions(grid);
for (const rmseBasis of ["cycle", "series"] as const) {
  const opts: ScoreOptions = { regions, rmseBasis, massWeighting: true, dataScale: 100 };
  const t0 = performance.now();
  const prep = prepareReference({ cells, time, data: ref }, opts);
  const tPrep = performance.now() - t0;
  scoreModel(prep, model); // first call allocates the workspace and warms up the JIT
  const times: number[] = [];
  const cpu: number[] = [];
  let overall = NaN;
  for (let k = 0; k < REPEATS; k++) {
    const a = performance.now();
    const u = process.cpuUsage();
    overall = scoreModel(prep, model).regions[0].scalars["Overall Score"]!;
    const du = process.cpuUsage(u);
    times.push(performance.now() - a);
    cpu.push((du.user + du.system) / 1000);
  }
  console.log(
    `prepared path, ${rmseBasis} basis, mass weighting, 15 regions: prepareReference ${ms(tPrep)}; ` +
      `scoreModel median ${ms(median(times))} wall (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}), ` +
      `median ${ms(median(cpu))} CPU, n=${REPEATS}; Overall global ${overall.toFixed(4)}`,
  );
}
{
  const prep = prepareReference({ cells, time, data: ref }, { regions, dataScale: 100 });
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const a = performance.now();
    residualFields(prep, model);
    times.push(performance.now() - a);
  }
  console.log(`residualFields median ${ms(median(times))} (n=5)`);
}

// The same pair through files and the CLI.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-"));
const ds = new Dataset(grid, time, cells);
const refFile = path.join(dir, "ref", "burntArea.nc");
const modFile = path.join(dir, "model", "burntArea.nc");
let a = performance.now();
await writeIlambBurntArea(refFile, ds, ref);
await writeIlambBurntArea(modFile, ds, model);
console.log(`wrote the two ILAMB-format files (${ms(performance.now() - a)}) in ${dir}`);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const hasTime = fs.existsSync("/usr/bin/time");
for (const maps of [false, true]) {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < CLI_REPEATS; k++) {
    const out = path.join(dir, `out-${maps}-${k}`);
    const args = [
      "--import",
      "tsx",
      path.join(root, "src/cli/run.ts"),
      "score",
      refFile,
      modFile,
      "--out",
      out,
      "--quiet",
      ...(maps ? [] : ["--no-maps"]),
    ];
    a = performance.now();
    // /usr/bin/time reports the child's CPU seconds on its last stderr line
    const run = hasTime
      ? spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, ...args], {
          cwd: root,
          encoding: "utf8",
        })
      : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    times.push(performance.now() - a);
    if (run.status !== 0) throw new Error(`kiln score failed: ${run.stderr}`);
    const last = run.stderr.trim().split("\n").pop() ?? "";
    const [u, sys] = last.split(" ").map(Number);
    if (hasTime && Number.isFinite(u + sys)) cpu.push((u + sys) * 1000);
  }
  console.log(
    `kiln score (new process: startup, read 2 files, score, write JSON/CSV/leaderboard${maps ? ", maps" : ""}): ` +
      `median ${ms(median(times))} wall` +
      (cpu.length ? `, ${ms(median(cpu))} CPU` : "") +
      ` (n=${CLI_REPEATS})`,
  );
}
{
  // the same in this process, stage by stage
  const { readGridded } = await import("../src/io/read.ts");
  const { makeComparable } = await import("../src/bench/index.ts");
  let t = performance.now();
  const r = await readGridded(refFile);
  const m = await readGridded(modFile);
  const tRead = performance.now() - t;
  t = performance.now();
  const p = makeComparable(r, m);
  const tPair = performance.now() - t;
  t = performance.now();
  const prep = prepareReference({ cells: p.cells, time: p.time, data: p.ref }, { regions, iav: "component" });
  const tPrep = performance.now() - t;
  t = performance.now();
  residualFields(prep, p.model);
  scoreModel(prep, p.model);
  const tScore = performance.now() - t;
  console.log(
    `stages in process: read both files ${ms(tRead)}, make comparable ${ms(tPair)}, prepare ${ms(tPrep)}, ` +
      `score + residual fields (first call, IAV component) ${ms(tScore)}`,
  );
}
if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
