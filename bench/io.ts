/**
 * Benchmark: read one 0.25° GFED4.1s-layout year (12 × 720 × 1440 burned fractions, gzip) and coarsen it
 * area-weighted to 0.5°, 1° and 2°. The year is generated once into a temp folder (h5py-like layout:
 * 2-D lat/lon north to south, ancill/basis_regions, burned_area/MM/burned_fraction in chunks of 45 × 180).
 *
 * Two variants: "sparse" (about 8% of land cells burn each month, as in GFED; compresses well) and
 * "dense" (every cell a random fraction: incompressible, the worst case for gzip decoding).
 *
 *   npx tsx bench/io.ts [runs=5]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readGfed } from "../src/io/gfed.ts";
import { h5ready } from "../src/io/hdf5.ts";
import { Rng } from "../src/util/rng.ts";

const RUNS = Number(process.argv[2] ?? 5);
const NY = 720;
const NX = 1440;
const YEAR = 2005;

async function makeYear(dir: string, dense: boolean): Promise<void> {
  const h5 = await h5ready();
  const f = new h5.File(path.join(dir, `GFED4.1s_${YEAR}.hdf5`), "w");
  const lat = new Float32Array(NY * NX);
  const lon = new Float32Array(NY * NX);
  const regions = new Uint8Array(NY * NX);
  for (let i = 0; i < NY; i++) {
    const la = 89.875 - 0.25 * i;
    for (let j = 0; j < NX; j++) {
      const lo = -179.875 + 0.25 * j;
      lat[i * NX + j] = la;
      lon[i * NX + j] = lo;
      // a crude planet: land where a smooth pattern is positive, 14 regions by longitude band
      const land = Math.sin((lo * Math.PI) / 60) + Math.cos((la * Math.PI) / 45) > 0.3 && Math.abs(la) < 80;
      regions[i * NX + j] = land ? 1 + Math.floor(((lo + 180) / 360) * 14) : 0;
    }
  }
  const chunks = [45, 180];
  f.create_dataset({
    name: "lat",
    data: lat,
    shape: [NY, NX],
    chunks,
    compression: "gzip",
    compression_opts: 4,
  });
  f.create_dataset({
    name: "lon",
    data: lon,
    shape: [NY, NX],
    chunks,
    compression: "gzip",
    compression_opts: 4,
  });
  const anc = f.create_group("ancill");
  anc.create_dataset({ name: "basis_regions", data: regions, shape: [NY, NX], chunks, compression: "gzip" });
  const ba = f.create_group("burned_area");
  const rng = new Rng(7);
  for (let m = 1; m <= 12; m++) {
    const frac = new Float32Array(NY * NX);
    for (let k = 0; k < frac.length; k++) {
      // about 8% of land cells burn a little each month, a few burn a lot
      if (dense) frac[k] = rng.next();
      else if (regions[k] !== 0 && rng.next() < 0.08)
        frac[k] = rng.next() < 0.05 ? rng.next() : 0.02 * rng.next();
    }
    const g = ba.create_group(String(m).padStart(2, "0"));
    g.create_dataset({
      name: "burned_fraction",
      data: frac,
      shape: [NY, NX],
      chunks,
      compression: "gzip",
      compression_opts: 4,
    });
  }
  f.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
}

const t0 = performance.now();
await h5ready();
console.log(`h5wasm init ${(performance.now() - t0).toFixed(0)} ms`);
for (const dense of [false, true]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-bench-io-"));
  try {
    const s0 = performance.now();
    await makeYear(dir, dense);
    const made = performance.now() - s0;
    const size = fs.statSync(path.join(dir, `GFED4.1s_${YEAR}.hdf5`)).size;
    console.log(
      `${dense ? "dense" : "sparse"}: one 0.25° year generated in ${made.toFixed(0)} ms (${(size / 1e6).toFixed(1)} MB); ` +
        `read + coarsen 12 × ${NY} × ${NX}, ${RUNS} runs each:`,
    );
    for (const res of [0.5, 1, 2]) {
      const times: number[] = [];
      let cells = 0;
      for (let r = 0; r < RUNS; r++) {
        const s = performance.now();
        const out = await readGfed(dir, { years: [YEAR], resolution: res });
        times.push(performance.now() - s);
        cells = out.dataset.nCell;
      }
      console.log(
        `  ${String(res).padEnd(4)}°  median ${median(times).toFixed(0).padStart(5)} ms   min ${Math.min(
          ...times,
        )
          .toFixed(0)
          .padStart(5)} ms   (${cells} land cells)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
