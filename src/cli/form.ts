/** `kiln form check|eval|export`: validate a form, evaluate it on a dataset, export it (docs/forms.md). */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { Form } from "../forms/form.ts";
import { loadForm } from "../forms/check.ts";
import { EXPORT_TARGETS, exportForm, type ExportTarget } from "../forms/export/index.ts";
import { inputsFromDataset } from "../forms/inputs.ts";
import { compileKernel } from "../forms/kernel.ts";
import { outOfBounds, readParams } from "../forms/params.ts";
import { FormSpecError } from "../forms/spec.ts";
import { inputUnits } from "../forms/dsl/names.ts";
import { loadDataset } from "../io/dataset-config.ts";
import { writeIlambBurntArea } from "../io/write.ts";
import { KilnError } from "../util/errors.ts";
import type { RegisterVerb } from "./verbs.ts";

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** The summary `kiln form check` prints. */
export function describeForm(form: Form): string {
  const lines = [
    `form ${form.name}: valid`,
    `  combiner    ${form.combiner}`,
    `  hash        ${form.hash}`,
    `  parameters  ${form.nParams} (${form.nGlobal} global + ${form.nParams - form.nGlobal} in ${form.terms.length} term${form.terms.length === 1 ? "" : "s"})`,
    `  drivers     ${form.drivers.map((d) => `${d} [${inputUnits(d)}]`).join(", ")}`,
    `  clusters    ${form.clusters.join(", ") || "(none)"}`,
    "",
    "  terms:",
    ...form.terms.map(
      (t, k) =>
        `    ${k}  ${pad(t.id, 24)} ${pad(t.mechanism ? `library ${t.mechanism}` : "custom", 34)} ${pad(t.regime ?? "-", 20)} ${pad(t.cluster ?? "-", 10)} identity: ${
          t.identity
            ? t.params.map((p, j) => `${p.local}=${t.identity![j]}`).join(",") + ` → ${t.identityValue}`
            : "none"
        }`,
    ),
    "",
    "  parameter vector:",
    ...form.params.map(
      (p, j) =>
        `    ${String(j).padStart(2)}  ${pad(p.name, 34)} [${p.lo}, ${p.hi}] ${p.log ? "log" : "lin"}  default ${p.default}${p.units ? `  ${p.units}` : ""}`,
    ),
    "",
    "  canonical form:",
    ...form.canonical
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`),
  ];
  if (form.warnings.length) lines.push("", "  warnings:", ...form.warnings.map((w) => `    - ${w}`));
  return lines.join("\n");
}

export function formJson(form: Form): unknown {
  return {
    valid: true,
    name: form.name,
    combiner: form.combiner,
    hash: form.hash,
    canonical: form.canonical,
    nParams: form.nParams,
    params: form.params.map((p) => ({
      name: p.name,
      lo: p.lo,
      hi: p.hi,
      default: p.default,
      scale: p.log ? "log" : "lin",
      units: p.units,
    })),
    drivers: form.drivers,
    clusters: form.clusters,
    terms: form.terms.map((t) => ({
      id: t.id,
      mechanism: t.mechanism,
      regime: t.regime,
      cluster: t.cluster,
      expr: t.exprText,
      params: t.params.map((p) => p.name),
      identity: t.identity ? Array.from(t.identity) : null,
      identityValue: t.identityValue,
    })),
    warnings: form.warnings,
  };
}

function paramsFor(form: Form, path: string | undefined): { p: Float64Array; note: string } {
  if (path === undefined)
    return { p: Float64Array.from(form.defaults), note: "default parameter values (no --params)" };
  const p = readParams(path, form);
  const off = outOfBounds(form, p);
  return {
    p,
    note: `parameters from ${path}${off.length ? `; outside the form's bounds: ${off.join(", ")}` : ""}`,
  };
}

export interface FormEvalOptions {
  params?: string;
  data: string;
  out: string;
}

/** Evaluate a form on a dataset config and write an ILAMB-ready burntArea file. */
export async function evalFormToFile(
  formPath: string,
  opts: FormEvalOptions,
): Promise<{ form: Form; nonFinite: number; message: string }> {
  const form = loadForm(formPath);
  const { p, note } = paramsFor(form, opts.params);
  const loaded = await loadDataset(opts.data);
  const ds = loaded.dataset;
  const inputs = inputsFromDataset(ds);
  const run = compileKernel(form).bind(inputs);
  const out = new Float32Array(ds.nTime * ds.nCell);
  const t0 = performance.now();
  const bad = run(p, out);
  const ms = performance.now() - t0;
  await writeIlambBurntArea(opts.out, ds, out);
  // Burned area per year over the valid cells, in Mkm² (cell areas are in m²).
  let total = 0;
  for (let t = 0; t < ds.nTime; t++) {
    for (let c = 0; c < ds.nCell; c++) {
      const v = out[t * ds.nCell + c];
      if (Number.isFinite(v)) total += v * ds.cells.areas[c];
    }
  }
  const years = ds.nTime / 12;
  const lines = [
    `form ${form.name} on ${loaded.name}: ${ds.nCell} cells × ${ds.time.describe()}, ${note}`,
    `  kernel: ${ms.toFixed(1)} ms (${((ds.nTime * ds.nCell) / ms / 1e3).toFixed(1)} M cell-months/s)`,
    `  burned area: ${(total / 1e12 / years).toFixed(3)} Mkm² per year (mean over ${years.toFixed(1)} years)`,
  ];
  if (bad > 0) lines.push(`  warning: ${run.explainNonFinite(p, out)!.message} (written as fill values)`);
  lines.push(`  wrote ${opts.out}`);
  return { form, nonFinite: bad, message: lines.join("\n") };
}

export const registerForm: RegisterVerb = (program: Command) => {
  const form = program
    .command("form")
    .description("check, evaluate or export a form (a burned-area formula: mechanisms and a combiner)")
    .addHelpText("after", "\nExample:\n  kiln form check examples/baselines/b3-clm-li.form.yaml");

  form
    .command("check")
    .description("validate a form file; print its canonical form, hash, parameters, drivers and clusters")
    .argument("<form>", "form file (YAML or JSON)")
    .option("--json", "print the result as JSON (invalid forms too, with every problem and its path)")
    .action((path: string, opts: { json?: boolean }) => {
      let f: Form;
      try {
        f = loadForm(path);
      } catch (e) {
        if (opts.json && e instanceof FormSpecError) {
          process.stdout.write(
            JSON.stringify({ valid: false, source: path, issues: e.issues }, null, 2) + "\n",
          );
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      process.stdout.write((opts.json ? JSON.stringify(formJson(f), null, 2) : describeForm(f)) + "\n");
    })
    .addHelpText(
      "after",
      "\nExample:\n  kiln form check examples/baselines/b1-globfirm.form.yaml\n  kiln form check my.form.yaml --json",
    );

  form
    .command("eval")
    .description("evaluate a form on a dataset and write an ILAMB-ready prediction (burntArea, %)")
    .argument("<form>", "form file (YAML or JSON)")
    .option("--params <file>", 'parameter values, JSON {"name": value}; default: the form\'s defaults')
    .requiredOption("--data <dataset.yaml>", "dataset config (see docs/io.md)")
    .requiredOption("--out <file.nc>", "output NetCDF file")
    .action(async (path: string, opts: FormEvalOptions) => {
      const r = await evalFormToFile(path, opts);
      process.stdout.write(r.message + "\n");
    })
    .addHelpText(
      "after",
      "\nExample:\n  kiln form eval examples/baselines/b3-clm-li.form.yaml --data out/world/dataset.yaml --out out/b3.nc",
    );

  form
    .command("export")
    .description("write a form with its parameter values as LaTeX, Python, Fortran 90, TypeScript or JSON")
    .argument("<form>", "form file (YAML or JSON)")
    .option("--params <file>", 'parameter values, JSON {"name": value}; default: the form\'s defaults')
    .requiredOption("--to <target>", `one of ${EXPORT_TARGETS.join(", ")}`)
    .option("--out <file>", "write to this file instead of standard output")
    .action((path: string, opts: { params?: string; to: string; out?: string }) => {
      if (!EXPORT_TARGETS.includes(opts.to as ExportTarget)) {
        throw new KilnError(`unknown export target '${opts.to}'`, {
          where: "--to",
          hint: `choose one of ${EXPORT_TARGETS.join(", ")}`,
        });
      }
      const f = loadForm(path);
      const { p, note } = paramsFor(f, opts.params);
      const text = exportForm(f, p, opts.to as ExportTarget);
      if (opts.out) {
        writeFileSync(opts.out, text);
        process.stderr.write(`wrote ${opts.out} (${opts.to}, ${note})\n`);
      } else process.stdout.write(text);
    })
    .addHelpText(
      "after",
      "\nExample:\n  kiln form export examples/baselines/b3-clm-li.form.yaml --params fit.json --to fortran --out b3.f90",
    );
};
