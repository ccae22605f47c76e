/**
 * Benchmark: compiled form kernels, in cell-months per second (single-threaded), for the 3-mechanism
 * product form (GPP gate × dryness sigmoid × temperature sigmoid), the world's 4-mechanism truth, and the
 * four stock baselines, on synthetic arrays of the built-in world's size (2°: ~4000 land cells × 240 months)
 * and larger (1°: ~16000 cells). Each run uses new parameter values (as a fit does); the median of the
 * runs is printed, with the one-off bind time (cached parameter-free work) and the interpreter for scale.
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

function inputs(drivers: readonly string[], nTime: number, nCell: number): KernelInputs {
  const rng = new Rng(42);
  const fields: Record<string, NumArray> = {};
  for (const d of drivers) {
    if (d === "lat" || d === "month") continue;
    const [lo, hi] = RANGES[d] ?? [0, 1];
    const n = d === "treecover" ? nCell : nTime * nCell;
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.uniform(lo, hi);
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

const forms: { label: string; form: Form }[] = [
  {
    label: "3-mechanism product",
    form: parseForm(
      "name: three\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n  - mechanism: archibald_temp_sigmoid\n",
    ),
  },
  {
    label: "world truth (4 mech.)",
    form: parseForm(
      "name: truth\nterms:\n  - mechanism: vdw_gpp_gate\n  - mechanism: accumulated_dryness\n  - mechanism: archibald_temp_sigmoid\n  - mechanism: popdens_suppression\n",
    ),
  },
  ...["b1-globfirm", "b2-simfire", "b3-clm-li", "b4-confire"].map((b) => {
    const form = loadForm(path.join(repo, "examples", "baselines", `${b}.form.yaml`));
    return { label: form.name, form };
  }),
];

console.log(
  `kernels: median of ${RUNS} runs, new parameters each run, single-threaded (Node ${process.version})`,
);
for (const size of SIZES) {
  const n = size.nCell * size.nTime;
  console.log(
    `\n${size.label}: ${size.nCell} cells × ${size.nTime} months = ${(n / 1e6).toFixed(2)} M cell-months`,
  );
  console.log(
    `  ${"form".padEnd(24)} ${"params".padStart(6)} ${"bind ms".padStart(8)} ${"run ms".padStart(8)} ${"M cell-months/s".padStart(16)}`,
  );
  for (const { label, form } of forms) {
    const inp = inputs(form.drivers, size.nTime, size.nCell);
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
    const t0 = performance.now();
    const run = compileKernel(form).bind(inp);
    const bindMs = performance.now() - t0;
    const out = new Float32Array(n);
    for (let r = 0; r < 3; r++) run(thetas[r], out); // warm up (JIT)
    const times: number[] = [];
    for (let r = 3; r < RUNS + 3; r++) {
      const s = performance.now();
      run(thetas[r], out);
      times.push(performance.now() - s);
    }
    const ms = median(times);
    console.log(
      `  ${label.padEnd(24)} ${String(form.nParams).padStart(6)} ${bindMs.toFixed(1).padStart(8)} ${ms.toFixed(2).padStart(8)} ${(n / ms / 1e3).toFixed(1).padStart(16)}`,
    );
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
