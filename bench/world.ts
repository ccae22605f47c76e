/**
 * The built-in world's cost: generation time of the default world (2°, 1997–2016; median of a few runs),
 * its size in memory and on disk, the time to write it through src/io and to audit it.
 * Run: npx tsx bench/world.ts [runs]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { auditDataset, summaryLine } from "../src/audit/index.ts";
import { burnedSummary, generateWorld, writeWorld, type World } from "../src/world/index.ts";

const runs = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const times: number[] = [];
let world: World | undefined;
for (let k = 0; k < runs; k++) {
  const t0 = performance.now();
  world = generateWorld();
  times.push((performance.now() - t0) / 1000);
}
const w = world as World;
const ds = w.dataset;
let values = 0;
for (const name of ds.names()) values += ds.field(name).data.length;
const s = burnedSummary(ds, w.target);
console.log(
  `default world: ${ds.nCell} land cells × ${ds.nTime} months, ${ds.names().length} fields, ` +
    `${(values / 1e6).toFixed(1)} M values (${((4 * values) / 1e6).toFixed(0)} MB as float32)`,
);
console.log(
  `generation: median ${median(times).toFixed(2)} s over ${runs} runs (${times.map((t) => t.toFixed(2)).join(", ")}) on one core`,
);
console.log(
  `burned area: ${s.meanAnnualMkm2.toFixed(2)} Mkm² yr⁻¹ (${s.minAnnualMkm2.toFixed(2)}–${s.maxAnnualMkm2.toFixed(2)}), ` +
    `zero in ${(100 * s.zeroShare).toFixed(1)}% of cell-months`,
);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-world-"));
let t0 = performance.now();
const out = await writeWorld(w, dir);
console.log(
  `write (NetCDF-4, gzip 4, via src/io): ${((performance.now() - t0) / 1000).toFixed(2)} s, ` +
    `${out.files.length} files, ${(out.bytes / 1e6).toFixed(1)} MB on disk`,
);
t0 = performance.now();
const findings = auditDataset({ dataset: ds, target: w.target });
console.log(`audit (in memory): ${((performance.now() - t0) / 1000).toFixed(2)} s; ${summaryLine(findings)}`);
fs.rmSync(dir, { recursive: true, force: true });
