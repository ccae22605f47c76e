/**
 * Benchmark: compiled form kernels, in cell-months per second (single-threaded), for the 3-mechanism
 * product form (GPP gate × dryness sigmoid × temperature sigmoid), the world's 4-mechanism truth, and the
 * four stock baselines, on synthetic arrays of the built-in world's size (2°: ~4000 land cells × 240 months)
 * and larger (1°: ~16000 cells), and the truth again with population density yearly (repeating within each
 * year: "simd+m" marks terms memoised). Each form runs with the WebAssembly SIMD loop (the default) and with
 * the plain JavaScript loop (`{ simd: false }`). Each run uses new parameter values (as a fit does); the median
 * of the runs is printed (wall time and process CPU time), with the one-off bind time (cached
 * parameter-free work, module compilation) and the interpreter for scale.
 *
 *   npx tsx bench/kernels.ts [runs=21] [--quick]
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadForm, parseForm } from "../src/forms/check.ts";
import { interpretForm } from "../src/forms/evaluate.ts";
import type { Form } from "../src/forms/form.ts";
import type { KernelInputs, NumArray } from "../src/forms/inputs.ts";
import { compileKernel } from "../src/forms/kernel.ts";
import { Rng } from "../src/util/rng.ts";

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const RUNS = Number(args.find((a) => /^\d+$/.test(a)) ?? (QUICK ? 7 : 21));
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const SIZES = QUICK
  ? [{ label: "2° world", nCell: 4000, nTime: 240 }]
  : [
      { label: "2° world", nCell: 4000, nTime: 240 },
      { label: "1° world", nCell: 16000, nTime: 240 },
    ];

const RANGES: Record<string, [number, number]> = {
  tas: [-25, 38],
  pr: [0, 15],
  rh: [5, 100],
  vpd: [0, 5],
  gpp: [0, 10],
  biomass: [0, 20],
  dryness: [0, 1],
  lightning: [0, 15],
  popdens: [0, 3000],
  cropland: [0, 1],
  treecover: [0, 1],
  soilm: [0, 1],
  drydays: [0, 1],
};

/** Random inputs; drivers in `yearly` keep January's values through each year (as yearly data do). */
function inputs(
  drivers: readonly string[],
  nTime: number,
  nCell: number,
  yearly: readonly string[] = [],
): KernelInputs {
  const rng = new Rng(42);
  const fields: Record<string, NumArray> = {};
  for (const d of drivers) {
    if (d === "lat" || d === "month") continue;
    const [lo, hi] = RANGES[d] ?? [0, 1];
    const n = d === "treecover" ? nCell : nTime * nCell;
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
    if (yearly.includes(d)) {
      for (let t = 0; t < nTime; t++) if (t % 12) a.copyWithin(t * nCell, (t - 1) * nCell, t * nCell);
    }
    fields[d] = a;
  }
  const lat = Float64Array.from({ length: nCell }, () => rng.uniform(-60, 75));
  const month = Int32Array.from({ length: nTime }, (_, t) => (t % 12) + 1);
  return { nTime, nCell, fields, lat, month };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const TRUTH =
  "name: truth\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n  - mechanism: archibald_temp_sigmoid\n  - mechanism: popdens_suppression\n";

const forms: { label: string; form: Form; yearly?: string[] }[] = [
  {
    label: "3-mechanism product",
    form: parseForm(
      "name: three\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n  - mechanism: archibald_temp_sigmoid\n",
    ),
  },
  { label: "world truth (4 mech.)", form: parseForm(TRUTH) },
  { label: "truth, yearly popdens", form: parseForm(TRUTH), yearly: ["popdens"] },
  ...["b1-globfirm", "b2-simfire", "b3-clm-li", "b4-confire"].map((b) => {
    const form = loadForm(path.join(repo, "examples", "baselines", `${b}.form.yaml`));
    return { label: form.name, form };
  }),
];

/** Median wall and CPU milliseconds of `RUNS` runs (new parameters each), after 3 warm-up runs. */
function time(
  run: (p: Float64Array, out: Float32Array) => number,
  thetas: Float64Array[],
  out: Float32Array,
) {
  for (let r = 0; r < 3; r++) run(thetas[r], out); // warm up (JIT, WebAssembly tier-up)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 3; r < RUNS + 3; r++) {
    const s = performance.now();
    const u = process.cpuUsage();
    run(thetas[r], out);
    const d = process.cpuUsage(u);
    wall.push(performance.now() - s);
    cpu.push((d.user + d.system) / 1e3);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

console.log(
  `kernels: median of ${RUNS} runs, new parameters each run, single-threaded (Node ${process.version})`,
);
console.log(
  "M/s = million cell-months per second of wall time; CPU ms is the process's CPU time per run (steadier on a busy machine)",
);
for (const size of SIZES) {
  const n = size.nCell * size.nTime;
  console.log(
    `\n${size.label}: ${size.nCell} cells × ${size.nTime} months = ${(n / 1e6).toFixed(2)} M cell-months`,
  );
  console.log(
    `  ${"form".padEnd(24)} ${"params".padStart(6)} ${"loop".padStart(6)} ${"bind ms".padStart(8)} ${"run ms".padStart(8)} ${"CPU ms".padStart(8)} ${"M/s".padStart(7)} ${"M/s CPU".padStart(8)}`,
  );
  for (const { label, form, yearly } of forms) {
    const inp = inputs(form.drivers, size.nTime, size.nCell, yearly);
    const rng = new Rng(7);
    const thetas = Array.from({ length: RUNS + 3 }, () =>
      Float64Array.from(form.params, (q, j) =>
        j === 0
          ? form.defaults[0]
          : q.log
            ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi)))
            : rng.uniform(q.lo, q.hi),
      ),
    );
    const out = new Float32Array(n);
    for (const simd of [true, false]) {
      const t0 = performance.now();
      const run = compileKernel(form, { simd }).bind(inp);
      const bindMs = performance.now() - t0;
      const { wall, cpu } = time(run, thetas, out);
      console.log(
        `  ${(simd ? label : "").padEnd(24)} ${(simd ? String(form.nParams) : "").padStart(6)} ${(run.simd ? (run.memo.length ? "simd+m" : "simd") : "js").padStart(6)} ${bindMs.toFixed(1).padStart(8)} ${wall.toFixed(2).padStart(8)} ${cpu.toFixed(2).padStart(8)} ${(n / wall / 1e3).toFixed(1).padStart(7)} ${(n / cpu / 1e3).toFixed(1).padStart(8)}`,
      );
    }
  }
}

// The plain interpreter, for scale (one run, 2° world, 3-mechanism form).
{
  const { form } = forms[0];
  const inp = inputs(form.drivers, 240, 4000);
  const s = performance.now();
  interpretForm(form, inp, form.defaults);
  const ms = performance.now() - s;
  console.log(
    `\ninterpreter (reference semantics), 3-mechanism form, 2° world: ${ms.toFixed(0)} ms (${(0.96e6 / ms / 1e3).toFixed(1)} M cell-months/s)`,
  );
}
