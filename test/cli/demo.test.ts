import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEMO_BUDGET, demoFrameText } from "../../src/cli/demo.ts";
import { loadFrame } from "../../src/search/frame/load.ts";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

test("the demo's frame is the example frame with the demo budget, pointing at the world it wrote", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-demo-"));
  const config = path.join(dir, "world", "dataset.yaml");
  const file = path.join(dir, "kiln.yaml");
  fs.writeFileSync(file, demoFrameText(config, dir, DEMO_BUDGET.forms, DEMO_BUDGET.trialsPerForm));
  const lf = loadFrame(file);
  assert.equal(lf.frame.budget.forms, DEMO_BUDGET.forms);
  assert.equal(lf.frame.budget.trialsPerForm, DEMO_BUDGET.trialsPerForm);
  assert.equal(lf.frame.split.holdout.join(","), "2013,2014,2015,2016");
  assert.equal(path.resolve(dir, lf.frame.dataset), config);
  assert.equal(lf.frame.proposer.kind, "offline");
  assert.match(lf.text, /what "better" means/, "the example's comments are kept");
});

test("kiln demo on the dryness-bug world stops at the audit, naming the driver, regions and share", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-demo-"));
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(repo, "src/cli/run.ts"),
      "demo",
      dir,
      "--scenario",
      "dryness-bug",
      "--no-maps",
    ],
    { encoding: "utf8", cwd: repo, timeout: 120_000 },
  );
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stdout,
    /ERROR\s+burned-coverage · dryness \[nhaf, shaf\]\n.*holding \d+% of its burned area/,
  );
  assert.match(r.stdout, /the demo stops here, before any fit/);
  assert.ok(!fs.existsSync(path.join(dir, "run")), "no search was started");
});

test("kiln demo refuses to resume a run on another world than the options ask for", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-demo-"));
  fs.mkdirSync(path.join(dir, "run"));
  fs.mkdirSync(path.join(dir, "world"));
  fs.writeFileSync(path.join(dir, "run", "ledger.jsonl"), "");
  fs.writeFileSync(path.join(dir, "world", "dataset.yaml"), "name: stand-in\n");
  // truth.json as `kiln world` writes it: the world's seed and resolution, no scenario
  fs.writeFileSync(
    path.join(dir, "world", "truth.json"),
    JSON.stringify({ world: { seed: 1, resolution: 2 }, scenario: null }),
  );
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(repo, "src/cli/run.ts"), "demo", dir, "--scenario", "dryness-bug"],
    { encoding: "utf8", cwd: repo, timeout: 60_000 },
  );
  assert.notEqual(r.status, 0);
  assert.match(
    r.stderr,
    /another world \(seed 1, 2°, no scenario\) than the one asked for \(seed 1, 2°, scenario dryness-bug\)/,
  );
  assert.match(r.stderr, /delete .* to start over/);
  assert.doesNotMatch(r.stdout, /auditing/, "nothing ran");
});

test("kiln demo run again on a finished run reprints the same summary and recomputes nothing", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-demo-"));
  const demo = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(repo, "src/cli/run.ts"),
        "demo",
        dir,
        "--resolution",
        "10",
        "--no-maps",
        ...extra,
      ],
      { encoding: "utf8", cwd: repo, timeout: 180_000 },
    );
  const first = demo("--forms", "2", "--trials", "20");
  assert.equal(first.status, 0, first.stderr);
  const ledger = () => fs.readFileSync(path.join(dir, "run", "ledger.jsonl"), "utf8");
  const before = ledger();
  const second = demo();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /has finished and its holdout is open: nothing left to search/);
  const summary = (out: string) => out.slice(out.indexOf("kiln demo: 6/6 summary"), out.indexOf("\nreport:"));
  assert.ok(summary(first.stdout).includes("holdout Overall: winner"), first.stdout);
  assert.equal(summary(second.stdout), summary(first.stdout));
  assert.equal(ledger(), before, "the ledger is unchanged");
  assert.equal(before.split("\n").filter((l) => l.includes('"kind":"holdout"')).length, 1);
});
