import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Run the CLI in this process (fast), capturing what it writes and its exit status. */
async function kiln(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const w1 = process.stdout.write.bind(process.stdout);
  const w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  const cwd = process.cwd();
  process.chdir(repo);
  try {
    await main(["node", "kiln", ...args]);
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.chdir(cwd);
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { status, stdout: out.join(""), stderr: err.join("") };
}

test("kiln mechanisms lists the library, as a table, as JSON, and one in full", async () => {
  const r = await kiln("mechanisms", "--json");
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; params: unknown[] }[];
  assert.ok(list.length >= 20);
  assert.ok(list.some((m) => m.id === "vdw_gpp_gate"));
  const one = await kiln("mechanisms", "vdw_gpp_gate");
  assert.match(one.stdout, /formula +hump\(gpp, G0, a\)/);
  const bad = await kiln("mechanisms", "vdw_gpp_gat");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /did you mean 'vdw_gpp_gate'/);
});

test("kiln form check prints the canonical form, or every problem with its position", async () => {
  const ok = await kiln("form", "check", "examples/baselines/b2-simfire.form.yaml");
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /form B2-simfire: valid/);
  assert.match(ok.stdout, /parameters +4 /);
  assert.match(ok.stdout, /hash +[0-9a-f]{64}/);
  assert.match(ok.stdout, /clusters +FUEL, HUMAN, MOIST-slow/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const bad = path.join(dir, "bad.yaml");
  fs.writeFileSync(
    bad,
    "name: bad\nterms:\n  - name: t\n    expr: sigmoid(k * (gppp - x0))\n    params: { k: { lo: 0, hi: 1 }, x0: { lo: 0, hi: 5 } }\n",
  );
  const r = await kiln("form", "check", bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /terms\[0\]\.expr: col 14: unknown driver 'gppp', did you mean 'gpp'\?/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
  const j = await kiln("form", "check", bad, "--json");
  assert.equal(j.status, 2);
  assert.deepEqual(JSON.parse(j.stdout).issues[0], {
    path: "terms[0].expr",
    message: "col 14: unknown driver 'gppp', did you mean 'gpp'?",
  });
});

test("kiln form export writes each target with the given parameter values", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const params = path.join(dir, "p.json");
  fs.writeFileSync(params, JSON.stringify({ scale: 0.7, "season.m_e": 0.25, "fuel.B_min": 0.15 }));
  const out = path.join(dir, "b1.py");
  const r = await kiln(
    "form",
    "export",
    "examples/baselines/b1-globfirm.form.yaml",
    "--params",
    params,
    "--to",
    "python",
    "--out",
    out,
  );
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(out, "utf8");
  assert.match(text, /"season\.m_e": 0\.25,/);
  assert.match(text, /def burned_area\(soilm, tas, biomass, p=PARAMS\)/);
  const f = await kiln("form", "export", "examples/baselines/b1-globfirm.form.yaml", "--to", "fortran");
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /module kiln_b1_globfirm/);
  assert.match(f.stdout, /k_season_m_e = 0\.3_dp/);
  const bad = await kiln("form", "export", "examples/baselines/b1-globfirm.form.yaml", "--to", "cobol");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown export target 'cobol'/);
});

test("as a separate process, an invalid form exits 2 with the problem and no stack trace", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const bad = path.join(dir, "bad.yaml");
  fs.writeFileSync(
    bad,
    "name: bad\nterms:\n  - mechanism: vdw_gpp_gate\n    params: { a: { lo: 3, hi: 1 } }\n",
  );
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/run.ts", "form", "check", bad], {
    cwd: repo,
    encoding: "utf8",
  });
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /^kiln: .*bad\.yaml: the form is not valid \(1 problem\):\n {2}terms\[0\]\.params\.a: lo \(3\) must be below hi \(1\)/,
  );
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
});
