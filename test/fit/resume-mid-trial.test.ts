/**
 * A study killed (SIGKILL) in the middle of a trial and resumed gives the trials an uninterrupted study
 * with the same seed gives: the killed trial is re-run under its own number with its parameters, nothing
 * is failed, nothing extra is run, and every later trial is the same. Each sampler, serial and in batches
 * of two (in this thread and in worker threads), in SQLite.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteStorage, SYS, type FrozenTrial } from "../../src/fit/index.ts";
import { runScenario, type Scenario } from "./fixtures/resume-scenario.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, "fixtures", "resume-runner.ts");
const TOTAL = 24;

async function killedChild(s: Scenario): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", runner, JSON.stringify(s)], {
    cwd: path.resolve(here, "../.."),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  const how = await new Promise<string | number | null>((resolve) =>
    child.on("exit", (code, sig) => resolve(sig ?? code)),
  );
  assert.equal(how, "SIGKILL", `the child died by its own SIGKILL: ${err}`);
}

async function stored(file: string): Promise<FrozenTrial[]> {
  const storage = new SqliteStorage(file);
  try {
    const [study] = await storage.listStudies();
    return await storage.getTrials(study.studyId);
  } finally {
    await storage.close();
  }
}

const view = (ts: FrozenTrial[]) =>
  ts.map((t) => ({ number: t.number, state: t.state, params: t.params, value: t.value }));

interface Case {
  sampler: Scenario["sampler"];
  jobs: number;
  killAt: number;
  killWhere?: "objective" | "callback" | "ask";
  pool?: boolean;
  defineByRun?: boolean;
}

const CASES: Case[] = [
  { sampler: "auto", jobs: 1, killAt: 13 },
  { sampler: "auto", jobs: 1, killAt: 12, killWhere: "ask" },
  { sampler: "cmaes", jobs: 1, killAt: 11 },
  { sampler: "tpe", jobs: 1, killAt: 14 },
  { sampler: "qmc", jobs: 1, killAt: 5 },
  { sampler: "random", jobs: 1, killAt: 1 }, // inside the enqueued starts
  { sampler: "tpe", jobs: 1, killAt: 12, defineByRun: true },
  { sampler: "auto", jobs: 2, killAt: 13, pool: true },
  { sampler: "cmaes", jobs: 2, killAt: 10 },
  { sampler: "tpe", jobs: 2, killAt: 14 },
  { sampler: "tpe", jobs: 2, killAt: 12, killWhere: "callback" }, // half of a batch told
  { sampler: "tpe", jobs: 2, killAt: 13, killWhere: "ask" }, // half of a batch asked
  { sampler: "cmaes", jobs: 2, killAt: 11, killWhere: "ask" },
  { sampler: "qmc", jobs: 2, killAt: 7, pool: true },
  { sampler: "random", jobs: 2, killAt: 2 },
];

const KILLED = { objective: "in", callback: "after telling", ask: "while asking" };

describe("a study killed mid-trial resumes exactly", { concurrency: 2 }, () => {
  for (const c of CASES) {
    const name =
      `${c.sampler}, ${c.jobs === 1 ? "serial" : `batches of ${c.jobs}${c.pool ? " in worker threads" : ""}`}` +
      `${c.defineByRun ? ", define-by-run" : ""}: killed ${KILLED[c.killWhere ?? "objective"]} trial ${c.killAt}`;
    it(name, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
      const { killAt, killWhere, ...rest } = c;
      const base = { ...rest, seed: 11, total: TOTAL };
      const file = path.join(dir, "killed.db");
      await killedChild({ ...base, file, killAt, killWhere });

      const cut = await stored(file);
      const running = cut.filter((t) => t.state === "RUNNING").map((t) => t.number);
      if (killWhere === "callback") assert.deepEqual(running, [killAt + 1], "the batch's second trial");
      else assert.ok(running.includes(killAt), `trial ${killAt} was cut off (running: ${running})`);

      const resumed = await runScenario({ ...base, file });
      await resumed.storage.close();
      const reference = await runScenario({ ...base, file: path.join(dir, "reference.db") });
      await reference.storage.close();

      const after = await stored(file);
      assert.equal(after.length, TOTAL, "no trial added");
      assert.deepEqual(view(after), view(await stored(path.join(dir, "reference.db"))));
      for (const n of running) {
        const t = after.find((a) => a.number === n)!;
        assert.equal(t.systemAttrs[SYS.retryCount], 1, `trial ${n} was re-run once`);
        const before = cut.find((b) => b.number === n)!;
        for (const [k, v] of Object.entries(before.params)) assert.equal(t.params[k], v, `${k} kept`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});
