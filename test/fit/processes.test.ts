import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteStorage, loadStudy, floatParam } from "../../src/fit/index.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const runner = path.join(here, "fixtures", "sqlite-runner.ts");

function run(args: string[]): { child: ChildProcess; done: number[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", runner, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done: number[] = [];
  let err = "";
  child.stdout!.on("data", (b: Buffer) => {
    for (const m of b.toString().matchAll(/done (\d+)/g)) done.push(Number(m[1]));
  });
  child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      if (code !== 0 && code !== null) process.stderr.write(err);
      resolve(code);
    }),
  );
  return { child, done, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a study killed mid-trial resumes: nothing lost, nothing duplicated, the killed trial re-run under its number", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kiln-")), "crash.db");
  const { child, done, exited } = run([file, "crash", "200", "40", "tpe", "1"]);
  while (done.length < 12) {
    assert.equal(child.exitCode, null, "the child ended early");
    await sleep(5);
  }
  await sleep(15); // the next trial is asked and mid-objective (each takes 40 ms)
  child.kill("SIGKILL");
  await exited;

  const storage = new SqliteStorage(file);
  const [record] = await storage.listStudies();
  const before = await storage.getTrials(record.studyId);
  const running = before.filter((t) => t.state === "RUNNING");
  const complete = before.filter((t) => t.state === "COMPLETE");
  assert.equal(running.length, 1, "one trial was cut off");
  assert.ok(complete.length >= 12);

  const study = await loadStudy({ name: "crash", storage, sampler: "tpe" });
  const killed = study.trials().find((t) => t.trialId === running[0].trialId)!;
  assert.equal(killed.state, "WAITING", "taken back from the dead process, not failed");
  assert.equal(killed.number, running[0].number);
  assert.deepEqual(killed.params, running[0].params);
  assert.match(killed.systemAttrs["kiln:rerun_reason"] as string, /stale: its process .* is gone/);
  assert.equal(study.countFinished(), complete.length, "the cut-off trial does not count toward the budget");
  await study.optimize((t) => ((t.params.x as number) - 1) ** 2 + ((t.params.y as number) + 2) ** 2, {
    nTrials: 40 - complete.length,
    space: { x: floatParam(-5, 5), y: floatParam(-5, 5) },
  });

  const after = study.trials();
  const numbers = after.map((t) => t.number);
  assert.deepEqual(numbers, [...Array(40).keys()], "numbers are 0..39 without gaps or repeats");
  assert.equal(study.trials(["COMPLETE"]).length, 40);
  for (const t of complete) {
    const same = after.find((a) => a.number === t.number)!;
    assert.deepEqual(
      [same.state, same.value, same.params],
      [t.state, t.value, t.params],
      `trial ${t.number} kept`,
    );
  }
  const rerun = after.find((t) => t.trialId === killed.trialId)!;
  assert.deepEqual(rerun.params, killed.params, "re-run with its parameters");
  assert.equal(rerun.state, "COMPLETE");
  assert.equal(rerun.systemAttrs["kiln:retry_count"], 1);
  await storage.close();
});

test("two processes work on one SQLite study at once without losing or duplicating a trial", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kiln-")), "shared.db");
  const a = run([file, "together", "25", "5", "tpe", "1"]);
  const b = run([file, "together", "25", "5", "tpe", "2"]);
  assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0]);
  const storage = new SqliteStorage(file);
  const [record] = await storage.listStudies();
  const trials = await storage.getTrials(record.studyId);
  assert.equal(trials.length, 50);
  assert.deepEqual(
    trials.map((t) => t.number).sort((x, y) => x - y),
    [...Array(50).keys()],
  );
  assert.ok(trials.every((t) => t.state === "COMPLETE"));
  // both really ran at the same time: each process's trials interleave with the other's
  const mine = new Set(a.done);
  assert.equal(mine.size, 25);
  assert.equal(new Set(b.done).size, 25);
  assert.ok(b.done.some((n) => n < Math.max(...a.done)) && a.done.some((n) => n < Math.max(...b.done)));
  await storage.close();
});
