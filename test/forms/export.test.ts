import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import katex from "katex";
import { checkForm, parseForm } from "../../src/forms/check.ts";
import { interpretForm } from "../../src/forms/evaluate.ts";
import { exportForm, fortranModuleName, latexBody } from "../../src/forms/export/index.ts";
import { exportContext } from "../../src/forms/export/common.ts";
import { wrapFortran } from "../../src/forms/export/fortran.ts";
import type { Form } from "../../src/forms/form.ts";
import type { KernelInputs } from "../../src/forms/inputs.ts";
import { compileKernel } from "../../src/forms/kernel.ts";
import { Rng } from "../../src/util/rng.ts";
import { maxRelDiff, randomInputs } from "./helpers.ts";

const FORMS = [
  `
name: everything
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: antecedent_fuel_buildup
  - mechanism: tree_cover_gate
  - mechanism: lightning_ignitions
  - mechanism: globfirm_season
  - mechanism: emc_dead_fuel
  - mechanism: simfire_nesterov_power
  - mechanism: popdens_suppression
  - name: custom
    expr: >-
      1 + 0.3 * cos(2 * pi * (month - m0) / 12) + clamp(runmin(tas, 3) / 40, -0.2, 0.5)
      + 0.01 * sqrt(abs(accum(pr - 2, tau))) + step(tas - 5) * 0.1 + max(min(dryness, 0.7), 0.1) ^ 2
    params: { m0: { lo: 1, hi: 12 }, tau: { lo: 1, hi: 12, scale: log } }
`,
  `
name: soft-min.form
combiner: softmin
terms:
  - mechanism: accumulated_dryness
  - mechanism: archibald_temp_sigmoid
  - mechanism: wet_suppression
`,
  `
name: logit
combiner: logit-sum
scale: { lo: 0.01, hi: 100, default: 20, scale: log }
terms:
  - mechanism: vdw_gpp_gate
  - mechanism: cropland_fragmentation
  - { name: lagged, expr: "1 + lag(dryness, 2) - runmean(dryness, 6) / 2" }
`,
  `
name: liebig
combiner: min
terms:
  - mechanism: li_fuel_ramp
  - mechanism: soil_moisture_gate
  - mechanism: vpd_flammability
`,
];

const NT = 30;
const NC = 6;

function setup(
  yaml: string,
  seed: number,
): { form: Form; inputs: KernelInputs; p: Float64Array; kernel: Float32Array; ref: Float64Array } {
  const form = parseForm(yaml);
  const inputs = randomInputs([...form.drivers], NT, NC, seed);
  const rng = new Rng(seed);
  const p = Float64Array.from(form.params, (q) =>
    q.log ? Math.exp(rng.uniform(Math.log(q.lo), Math.log(q.hi))) : rng.uniform(q.lo, q.hi),
  );
  const kernel = new Float32Array(NT * NC);
  assert.equal(compileKernel(form).bind(inputs)(p, kernel), 0, `${form.name} has non-finite values`);
  const ref = interpretForm(form, inputs, p);
  return { form, inputs, p, kernel, ref };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
}

test("the TypeScript export reproduces the kernel (1e-5) and the interpreter (1e-12)", async () => {
  const dir = tmp();
  for (const [k, yaml] of FORMS.entries()) {
    const { form, inputs, p, kernel, ref } = setup(yaml, 40 + k);
    const file = path.join(dir, `form${k}.ts`);
    fs.writeFileSync(file, exportForm(form, p, "typescript"));
    const mod = (await import(pathToFileURL(file).href)) as {
      burnedArea: (inp: unknown) => Float64Array;
      PARAMS: Record<string, number>;
    };
    const got = mod.burnedArea({
      nTime: NT,
      nCell: NC,
      ...inputs.fields,
      lat: inputs.lat,
      month: inputs.month,
    });
    assert.ok(maxRelDiff(got, kernel) < 1e-5, `${form.name}: vs kernel ${maxRelDiff(got, kernel)}`);
    assert.ok(maxRelDiff(got, ref) < 1e-12, `${form.name}: vs interpreter ${maxRelDiff(got, ref)}`);
    assert.equal(mod.PARAMS[form.paramNames[1]], p[1]);
  }
});

function findPython(): string | null {
  for (const exe of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(exe, ["-c", "import numpy"], { encoding: "utf8" });
    if (r.status === 0) return exe;
  }
  return null;
}

function writeInputs(dir: string, form: Form, inputs: KernelInputs): void {
  for (const d of form.drivers) {
    let data: ArrayLike<number>;
    if (d === "lat") data = inputs.lat!;
    else if (d === "month") data = inputs.month!;
    else data = inputs.fields[d];
    fs.writeFileSync(path.join(dir, `${d}.bin`), Buffer.from(Float64Array.from(data).buffer));
  }
}

function readOut(file: string): Float64Array {
  const b = fs.readFileSync(file);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const python = findPython();
test(
  "the Python export on numpy arrays reproduces the kernel (1e-5)",
  { skip: python ? false : "python3 with numpy is not installed" },
  () => {
    for (const [k, yaml] of FORMS.entries()) {
      const dir = tmp();
      const { form, inputs, p, kernel, ref } = setup(yaml, 40 + k);
      fs.writeFileSync(path.join(dir, "form.py"), exportForm(form, p, "python"));
      writeInputs(dir, form, inputs);
      const shapes = form.drivers.map((d) => {
        const n = d === "lat" ? NC : d === "month" ? NT : inputs.fields[d].length;
        return `np.fromfile("${d}.bin", dtype="<f8").reshape(${d === "month" ? `(${NT}, 1)` : n === NC ? `(${NC},)` : `(${NT}, ${NC})`})`;
      });
      const script = `import numpy as np\nimport form\nout = form.burned_area(${shapes.join(", ")})\nnp.asarray(out, dtype="<f8").reshape(-1).tofile("out.bin")\n`;
      fs.writeFileSync(path.join(dir, "run.py"), script);
      const r = spawnSync(python!, ["run.py"], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const got = readOut(path.join(dir, "out.bin"));
      assert.equal(got.length, NT * NC);
      assert.ok(maxRelDiff(got, kernel) < 1e-5, `${form.name}: vs kernel ${maxRelDiff(got, kernel)}`);
      assert.ok(maxRelDiff(got, ref) < 1e-9, `${form.name}: vs interpreter ${maxRelDiff(got, ref)}`);
    }
  },
);

const gfortran = spawnSync("gfortran", ["--version"]).status === 0;
test(
  "the Fortran 90 module compiles with gfortran and reproduces the kernel (1e-5)",
  { skip: gfortran ? false : "gfortran is not installed" },
  () => {
    for (const [k, yaml] of FORMS.entries()) {
      const dir = tmp();
      const { form, inputs, p, kernel, ref } = setup(yaml, 40 + k);
      const src = exportForm(form, p, "fortran");
      for (const line of src.split("\n"))
        assert.ok(line.length <= 132, `line longer than 132 characters:\n${line}`);
      fs.writeFileSync(path.join(dir, "form.f90"), src);
      writeInputs(dir, form, inputs);
      const decl: string[] = [];
      const read: string[] = [];
      const args: string[] = [];
      for (const d of form.drivers) {
        if (d === "lat") {
          decl.push(`  real(dp) :: lat(nc)`);
          read.push(
            `  open(10, file="lat.bin", access="stream", form="unformatted"); read(10) lat; close(10)`,
          );
          args.push("lat(c)");
        } else if (d === "month") {
          decl.push(`  real(dp) :: rmonth(nt)`, `  integer :: month(nt)`);
          read.push(
            `  open(10, file="month.bin", access="stream", form="unformatted"); read(10) rmonth; close(10)`,
            `  month = nint(rmonth)`,
          );
          args.push("month");
        } else if (inputs.fields[d].length === NC) {
          decl.push(`  real(dp) :: ${d}(nc), ${d}_s(nt)`);
          read.push(
            `  open(10, file="${d}.bin", access="stream", form="unformatted"); read(10) ${d}; close(10)`,
          );
          args.push(`${d}_s`);
        } else {
          decl.push(`  real(dp) :: ${d}(nc, nt)`);
          read.push(
            `  open(10, file="${d}.bin", access="stream", form="unformatted"); read(10) ${d}; close(10)`,
          );
          args.push(`${d}(c, :)`);
        }
      }
      const spreads = form.drivers
        .filter((d) => d !== "lat" && d !== "month" && inputs.fields[d].length === NC)
        .map((d) => `    ${d}_s = ${d}(c)`);
      const main = [
        "program run",
        `  use ${fortranModuleName(form.name)}`,
        "  implicit none",
        `  integer, parameter :: nt = ${NT}, nc = ${NC}`,
        "  real(dp) :: out(nc, nt), ba(nt)",
        "  integer :: c",
        ...decl,
        ...read,
        "  do c = 1, nc",
        ...spreads,
        ...wrapFortran(`    call burned_area_series(nt, ${args.join(", ")}, ba)`),
        "    out(c, :) = ba",
        "  end do",
        '  open(11, file="out.bin", access="stream", form="unformatted", status="replace"); write(11) out; close(11)',
        "end program run",
        "",
      ].join("\n");
      fs.writeFileSync(path.join(dir, "main.f90"), main);
      const cc = spawnSync("gfortran", ["-O2", "-std=f2008", "-o", "run", "form.f90", "main.f90"], {
        cwd: dir,
        encoding: "utf8",
      });
      assert.equal(cc.status, 0, `${form.name}: gfortran failed\n${cc.stderr}\n${src}`);
      const r = spawnSync(path.join(dir, "run"), [], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const got = readOut(path.join(dir, "out.bin"));
      assert.ok(maxRelDiff(got, kernel) < 1e-5, `${form.name}: vs kernel ${maxRelDiff(got, kernel)}`);
      assert.ok(maxRelDiff(got, ref) < 1e-9, `${form.name}: vs interpreter ${maxRelDiff(got, ref)}`);
    }
  },
);

test("the LaTeX export renders with KaTeX and shows the fitted values", () => {
  for (const [k, yaml] of FORMS.entries()) {
    const { form, p } = setup(yaml, 40 + k);
    const body = latexBody(exportContext(form, p));
    assert.doesNotThrow(() => katex.renderToString(body, { throwOnError: true, displayMode: true }), body);
    const text = exportForm(form, p, "latex");
    assert.ok(text.includes(body));
    assert.match(text, /^% Kiln form/);
  }
  const f = parseForm("name: x\nterms:\n  - mechanism: vdw_gpp_gate\n");
  const body = latexBody(exportContext(f, [0.25, 2.5, 1.25]));
  assert.match(body, /G_\{0\} = 2\.5/);
  assert.match(body, /s = 0\.25/);
  assert.match(body, /\\frac\{\\mathrm\{GPP\}\}\{G_\{0\}\}/);
});

test("the JSON export carries the values, the hash and a self-contained form", () => {
  for (const [k, yaml] of FORMS.entries()) {
    const { form, p } = setup(yaml, 40 + k);
    const doc = JSON.parse(exportForm(form, p, "json"));
    assert.equal(doc.format, "kiln-form-export");
    assert.equal(doc.hash, form.hash);
    assert.deepEqual(doc.params, form.record(p));
    const again = checkForm(doc.form);
    assert.equal(again.hash, form.hash);
    assert.ok(again.terms.every((t) => t.mechanism === null));
  }
});
