import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  InMemoryStorage,
  SqliteStorage,
  UpdateFinishedTrialError,
  floatParam,
  openStorage,
  type Storage,
} from "../../src/fit/index.ts";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));

const storages: [string, () => Storage][] = [
  ["memory", () => new InMemoryStorage()],
  ["sqlite", () => new SqliteStorage(path.join(tmp(), "study.db"))],
];

for (const [kind, make] of storages) {
  test(`${kind} storage: numbers, params, values, attributes, intermediate values`, async () => {
    const s = make();
    const st = await s.createStudy("a", "maximize");
    await assert.rejects(s.createStudy("a", "minimize"), /already exists/);
    assert.deepEqual(await s.getStudy("a"), st);
    const dist = floatParam(0, 1);
    const t0 = await s.createTrial(st.studyId, {
      state: "RUNNING",
      params: [{ name: "x", internal: 0.25, distribution: dist }],
    });
    const t1 = await s.createTrial(st.studyId, { state: "RUNNING" });
    assert.deepEqual([t0.number, t1.number], [0, 1]);
    assert.equal(t0.params.x, 0.25);
    await s.setTrialParams(t1.trialId, [{ name: "x", internal: 0.75, distribution: dist }]);
    await s.setIntermediateValue(t1.trialId, 3, 0.5);
    await s.setIntermediateValue(t1.trialId, 1, -Infinity);
    await s.setTrialAttr(t1.trialId, "user", "scores", { bias: 0.7, rmse: [0.1, 0.2] });
    assert.equal(await s.finishTrial(t0.trialId, "COMPLETE", Infinity), true);
    assert.equal(await s.finishTrial(t0.trialId, "FAIL", undefined), false, "finished is final");
    await assert.rejects(s.setTrialAttr(t0.trialId, "user", "k", 1), UpdateFinishedTrialError);
    await s.finishTrial(t1.trialId, "PRUNED", 0.5, { note: "x" });
    const all = await s.getTrials(st.studyId);
    assert.equal(all[0].value, Infinity);
    assert.equal(all[0].state, "COMPLETE");
    assert.deepEqual(
      [...all[1].intermediateValues],
      [
        [1, -Infinity],
        [3, 0.5],
      ],
    );
    assert.deepEqual(all[1].userAttrs.scores, { bias: 0.7, rmse: [0.1, 0.2] });
    assert.equal(all[1].systemAttrs.note, "x");
    assert.equal(all[1].value, 0.5);
    // incremental reads: only trials after an id, plus named ones
    const t2 = await s.createTrial(st.studyId, {
      state: "WAITING",
      systemAttrs: { fixed_params: { x: 0.5 } },
    });
    const since = await s.getTrials(st.studyId, { afterTrialId: t1.trialId, trialIds: [t0.trialId] });
    assert.deepEqual(
      since.map((t) => t.number),
      [0, 2],
    );
    // a waiting trial is claimed once
    const claimed = await s.claimWaitingTrial(st.studyId);
    assert.equal(claimed?.trialId, t2.trialId);
    assert.equal(claimed?.state, "RUNNING");
    assert.equal(await s.claimWaitingTrial(st.studyId), undefined);
    // study attributes; first writer wins for the "if absent" form
    await s.setStudyAttr(st.studyId, "user", "frame", "kiln.yaml");
    assert.deepEqual(await s.getStudyAttrs(st.studyId, "user"), { frame: "kiln.yaml" });
    assert.equal(await s.setStudySystemAttrIfAbsent(st.studyId, "k", 1), 1);
    assert.equal(await s.setStudySystemAttrIfAbsent(st.studyId, "k", 2), 1);
    await s.deleteStudy(st.studyId);
    assert.equal(await s.getStudy("a"), undefined);
    await s.close();
  });
}

test("sqlite storage survives reopening, and refuses a newer schema", async () => {
  const file = path.join(tmp(), "s.db");
  const s = new SqliteStorage(file);
  const st = await s.createStudy("keep", "minimize");
  await s.createTrial(st.studyId, { state: "RUNNING" });
  await s.close();
  const again = openStorage(`sqlite:${file}`);
  assert.equal((await again.getTrials(st.studyId)).length, 1);
  assert.equal(again.kind, "sqlite");
  await again.close();
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(file);
  db.prepare("UPDATE version_info SET schema_version = 99").run();
  db.close();
  const newer = new SqliteStorage(file);
  await assert.rejects(newer.listStudies(), /newer than this Kiln/);
});

test("storage URLs: memory, sqlite, and a clear error otherwise", () => {
  assert.equal(openStorage("memory").kind, "memory");
  assert.throws(() => openStorage("postgresql://db/kiln"), /not available yet/);
  assert.throws(() => openStorage("redis://x"), /unknown storage/);
});
