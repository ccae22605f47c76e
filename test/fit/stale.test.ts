/**
 * Trials taken back from a process that is gone: back to WAITING under their own number (parameters and
 * attributes kept, intermediate values cleared), re-run first, failed as stale only after `maxReruns`;
 * the old holder can no longer write to them; a process gives back trials it cannot finish; the trial
 * budget counts neither.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import {
  InMemoryStorage,
  RERUN,
  SYS,
  SqliteStorage,
  TrialNotHeldError,
  UpdateFinishedTrialError,
  createStudy,
  floatParam,
  isStaleFailure,
  loadStudy,
  type FrozenTrial,
} from "../../src/fit/index.ts";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
const dist = floatParam(0, 1);

/** The owner string of a process on this host that has exited. */
async function deadOwner(): Promise<string> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.on("exit", r));
  return `${os.hostname()}:${child.pid}:dead`;
}

function setHolder(file: string, trialId: number, owner: string, heartbeat?: number): void {
  const db = new Database(file);
  try {
    db.prepare("UPDATE trial_heartbeats SET owner = ? WHERE trial_id = ?").run(owner, trialId);
    if (heartbeat !== undefined)
      db.prepare("UPDATE trial_heartbeats SET heartbeat = ? WHERE trial_id = ?").run(heartbeat, trialId);
  } finally {
    db.close();
  }
}

test("sqlite: a dead process's trial goes back to WAITING under its number, then fails as stale after its re-runs", async () => {
  const file = path.join(tmp(), "s.db");
  const s = new SqliteStorage(file);
  const st = await s.createStudy("s", "minimize");
  const waitingBefore = await s.createTrial(st.studyId, {
    state: "WAITING",
    systemAttrs: { fixed_params: {} },
  });
  const t = (await s.claimWaitingTrial(st.studyId, { "kiln:cma": { r: 0, g: 2 } }))!;
  assert.equal(t.trialId, waitingBefore.trialId);
  assert.deepEqual(t.systemAttrs["kiln:cma"], { r: 0, g: 2 }, "attributes set in the claim");
  await s.setTrialParams(t.trialId, [{ name: "x", internal: 0.3, distribution: dist }]);
  await s.setIntermediateValue(t.trialId, 1, 0.9);
  await s.setTrialAttr(t.trialId, "user", "note", "kept");
  const later = await s.createTrial(st.studyId, { state: "WAITING" });
  const done = await s.createTrial(st.studyId, { state: "RUNNING" });
  await s.finishTrial(done.trialId, "COMPLETE", 1);
  setHolder(file, t.trialId, await deadOwner());

  const first = await s.recoverStaleTrials(st.studyId, 1);
  assert.deepEqual(first.failed, []);
  assert.equal(first.requeued.length, 1);
  const back = first.requeued[0];
  assert.deepEqual(
    [back.trialId, back.number, back.state, back.params],
    [t.trialId, t.number, "WAITING", { x: 0.3 }],
  );
  assert.equal(back.intermediateValues.size, 0, "intermediate values cleared: the re-run reports them again");
  assert.equal(back.userAttrs.note, "kept");
  assert.deepEqual(back.systemAttrs["kiln:cma"], { r: 0, g: 2 }, "a sampler's tag kept");
  assert.equal(back.systemAttrs[SYS.retryCount], 1);
  assert.match(back.systemAttrs[RERUN.reason] as string, /stale: its process .* is gone/);
  assert.equal((await s.recoverStaleTrials(st.studyId, 1)).requeued.length, 0, "taken back once");

  const again = (await s.claimWaitingTrial(st.studyId))!;
  assert.equal(again.trialId, t.trialId, "re-run before the later WAITING trial");
  assert.notEqual(again.trialId, later.trialId);
  setHolder(file, t.trialId, await deadOwner());
  const second = await s.recoverStaleTrials(st.studyId, 1);
  assert.deepEqual(second.requeued, []);
  assert.equal(second.failed.length, 1);
  const failed = second.failed[0];
  assert.equal(failed.state, "FAIL");
  assert.equal(failed.systemAttrs[RERUN.stale], true);
  assert.match(failed.systemAttrs[SYS.failReason] as string, /re-run 1 times already/);
  assert.ok(isStaleFailure(failed));
  await s.close();

  const study = await loadStudy({ name: "s", storage: `sqlite:${file}` });
  assert.equal(study.trials(["FAIL"]).length, 1);
  assert.equal(study.countFinished(), 1, "the stale FAIL does not count toward a budget; the COMPLETE does");
  await study.storage.close();
});

test("sqlite: the old holder of a re-queued trial cannot write to it or finish it", async () => {
  const file = path.join(tmp(), "h.db");
  const old = new SqliteStorage(file);
  const st = await old.createStudy("h", "minimize");
  const t = await old.createTrial(st.studyId, { state: "RUNNING" });
  // the holder ran on another host and has been silent for long: judged by its heartbeat's age
  setHolder(file, t.trialId, "elsewhere:4242:abcd", 0);
  const other = new SqliteStorage(file, { staleAfterMs: 60_000 });
  const { requeued } = await other.recoverStaleTrials(st.studyId, 3);
  assert.deepEqual(
    requeued.map((r) => [r.trialId, r.state]),
    [[t.trialId, "WAITING"]],
  );
  await assert.rejects(
    old.setTrialParams(t.trialId, [{ name: "x", internal: 0.5, distribution: dist }]),
    TrialNotHeldError,
  );
  assert.equal(await old.finishTrial(t.trialId, "COMPLETE", 1), false, "a WAITING trial is not finished");
  const claimed = (await other.claimWaitingTrial(st.studyId))!;
  assert.equal(claimed.trialId, t.trialId);
  assert.equal(await old.finishTrial(t.trialId, "COMPLETE", 1), false, "held by another owner now");
  await assert.rejects(old.setIntermediateValue(t.trialId, 1, 0.5), TrialNotHeldError);
  assert.deepEqual(await old.releaseTrials([t.trialId], "not mine"), []);
  await other.setTrialParams(t.trialId, [{ name: "x", internal: 0.5, distribution: dist }]);
  assert.equal(await other.finishTrial(t.trialId, "COMPLETE", 2), true);
  const [final] = await other.getTrials(st.studyId);
  assert.deepEqual([final.state, final.value, final.params], ["COMPLETE", 2, { x: 0.5 }]);
  await assert.rejects(other.setTrialAttr(t.trialId, "user", "k", 1), UpdateFinishedTrialError);
  await old.close();
  await other.close();
});

for (const [kind, make] of [
  ["memory", () => new InMemoryStorage()],
  ["sqlite", () => new SqliteStorage(path.join(tmp(), "r.db"))],
] as const) {
  test(`${kind}: a trial given back by its holder is WAITING again, unchanged but for its reports`, async () => {
    const s = make();
    const st = await s.createStudy("r", "maximize");
    const t = await s.createTrial(st.studyId, {
      state: "RUNNING",
      params: [{ name: "x", internal: 0.7, distribution: dist }],
    });
    await s.setIntermediateValue(t.trialId, 2, 0.1);
    assert.deepEqual(await s.releaseTrials([t.trialId], "given back: test"), [t.trialId]);
    let [w]: FrozenTrial[] = await s.getTrials(st.studyId);
    assert.deepEqual([w.number, w.state, w.params, w.intermediateValues.size], [0, "WAITING", { x: 0.7 }, 0]);
    assert.equal(w.systemAttrs[RERUN.reason], "given back: test");
    assert.equal(w.systemAttrs[SYS.retryCount], undefined, "giving back is not a re-run of a dead process");
    await assert.rejects(s.setTrialAttr(t.trialId, "user", "k", 1), TrialNotHeldError);
    assert.equal(await s.finishTrial(t.trialId, "COMPLETE", 1), false);
    assert.deepEqual(await s.releaseTrials([t.trialId], "again"), [], "only RUNNING trials");
    assert.equal((await s.claimWaitingTrial(st.studyId))?.trialId, t.trialId);
    [w] = await s.getTrials(st.studyId);
    assert.equal(w.state, "RUNNING");
    await s.close();
  });
}

test("an optimize that fails gives back the batch's untold trials; the next call runs the same trials an uninterrupted study does", async () => {
  const space = { x: floatParam(-3, 3), y: floatParam(-3, 3) };
  const f = (t: { params: Record<string, unknown> }) =>
    ((t.params.x as number) - 1) ** 2 + ((t.params.y as number) + 0.5) ** 2;
  const reference = await createStudy({ sampler: "tpe", seed: 4 });
  await reference.optimize(f, { nTrials: 20, jobs: 2, space });

  const study = await createStudy({ sampler: "tpe", seed: 4 });
  const boom = new Error("a callback broke");
  await assert.rejects(
    study.optimize(f, {
      nTrials: 20,
      jobs: 2,
      space,
      callbacks: [
        (_s, t) => {
          if (t.number === 12) throw boom;
        },
      ],
    }),
    (e) => e === boom,
  );
  // trial 12 was told before its callback threw; 13, its batch partner, was never told
  assert.equal(study.trials().find((t) => t.number === 13)?.state, "WAITING");
  assert.equal(study.countFinished(), 13);
  await study.optimize(f, { nTrials: 20 - study.countFinished(), jobs: 2, space });
  const view = (s: typeof study) => s.trials().map((t) => [t.number, t.state, t.params, t.value]);
  assert.deepEqual(view(study), view(reference));
});

test("a study from before re-runs kept numbers: its stale FAILs do not count toward the budget", async () => {
  const s = new InMemoryStorage();
  const study = await createStudy({ name: "legacy", storage: s, sampler: "random" });
  const t = await s.createTrial(study.studyId, { state: "RUNNING" });
  await s.finishTrial(t.trialId, "FAIL", undefined, {
    [SYS.failReason]: "stale: its process (h:1:x) is gone",
  });
  const real = await s.createTrial(study.studyId, { state: "RUNNING" });
  await s.finishTrial(real.trialId, "FAIL", undefined, { [SYS.failReason]: "Error: boom" });
  await study.refresh();
  assert.equal(study.trials(["FAIL"]).length, 2);
  assert.equal(study.countFinished(), 1, "the objective's own FAIL counts, the stale one does not");
});
