import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildProgram } from "../../src/cli/main.ts";
import { loadDataset } from "../../src/io/dataset-config.ts";
import { DEFAULT_TRUTH, generateWorld, writeWorld } from "../../src/world/index.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
const small = { resolution: 6, firstYear: 2001, lastYear: 2002 } as const;

test("a written world loads back through src/io with identical values, and truth.json sits beside it", async () => {
  const world = generateWorld({ ...small, seed: 2 });
  const dir = tmp();
  const out = await writeWorld(world, dir);
  const loaded = await loadDataset(out.configPath);
  assert.equal(loaded.target, "burned_area");
  assert.equal(loaded.dataset.nCell, world.dataset.nCell);
  assert.deepEqual(loaded.dataset.names().sort(), world.dataset.names().sort());
  for (const name of world.dataset.names()) {
    assert.deepEqual(loaded.dataset.field(name).data, world.dataset.field(name).data, name);
  }
  const truth = JSON.parse(fs.readFileSync(out.truthPath, "utf8"));
  assert.deepEqual(truth.parameters, DEFAULT_TRUTH);
  assert.equal(truth.world.seed, 2);
  assert.match(truth.formula, /vdw_gpp_gate/);
  assert.ok(
    !fs.readFileSync(out.configPath, "utf8").includes("truth"),
    "the dataset config does not point at the truth",
  );
});

test("the same seed writes byte-identical files; another seed does not", async () => {
  const [a, b, c] = [tmp(), tmp(), tmp()];
  await writeWorld(generateWorld({ ...small, seed: 5 }), a);
  await writeWorld(generateWorld({ ...small, seed: 5 }), b);
  await writeWorld(generateWorld({ ...small, seed: 6 }), c);
  const files = fs.readdirSync(a).sort();
  assert.ok(
    files.includes("burned_area.nc") && files.includes("dataset.yaml") && files.includes("truth.json"),
  );
  for (const f of files) {
    assert.ok(
      fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))),
      `${f} differs between runs`,
    );
  }
  for (const f of ["burned_area.nc", "pr.nc", "truth.json"]) {
    assert.ok(
      !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(c, f))),
      `${f} same for two seeds`,
    );
  }
});

test("`kiln world` writes the dataset, truth.json and three PNG maps", async () => {
  const dir = tmp();
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (lines.push(s), true)) as typeof process.stdout.write;
  try {
    await buildProgram().parseAsync([
      "node",
      "kiln",
      "world",
      "--out",
      dir,
      "--resolution",
      "6",
      "--years",
      "2001-2002",
    ]);
  } finally {
    process.stdout.write = write;
  }
  const text = lines.join("");
  assert.match(text, /Mkm² per year/);
  assert.match(text, /dataset\.yaml/);
  for (const png of ["burned_area.png", "dryness.png", "gpp.png"]) {
    const buf = fs.readFileSync(path.join(dir, "maps", png));
    assert.equal(buf.subarray(1, 4).toString("latin1"), "PNG", png);
    assert.ok(buf.length > 5000, `${png} has ${buf.length} bytes`);
  }
  await assert.rejects(
    buildProgram().parseAsync(["node", "kiln", "world", "--out", dir, "--years", "2001,2003"]),
    /consecutive/,
  );
});

test("`kiln audit` exits 1 on the dryness-bug world and names the driver in --json", async () => {
  const dir = tmp();
  await writeWorld(
    generateWorld({ resolution: 6, firstYear: 2001, lastYear: 2003, scenario: "dryness-bug" }),
    dir,
  );
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/run.ts", "audit", path.join(dir, "dataset.yaml"), "--json"],
    {
      cwd: repo,
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.summary.errors >= 1);
  const bug = report.findings.find((f: { check: string }) => f.check === "burned-coverage");
  assert.equal(bug.variable, "dryness");
  assert.equal(bug.severity, "error");
  assert.ok(bug.regions.includes("nhaf") && bug.regions.includes("shaf"));
});
