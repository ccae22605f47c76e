import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  SAMPLER_NAMES,
  TrialPruned,
  categoricalParam,
  createStudy,
  floatParam,
  intParam,
  loadStudy,
} from "../../src/fit/index.ts";

const space = { x: floatParam(-3, 3), n: intParam(1, 64, { log: true }), kind: categoricalParam(["a", "b"]) };
const f = (p: Record<string, unknown>) =>
  ((p.x as number) - 1) ** 2 + Math.log2(p.n as number) / 6 + (p.kind === "b" ? 0 : 0.5);

test("ask and tell with a fixed space; states, errors and the trials table", async () => {
  const study = await createStudy({ sampler: "random", seed: 1 });
  const t0 = await study.ask(space);
  assert.equal(t0.number, 0);
  assert.deepEqual(Object.keys(t0.params).sort(), ["kind", "n", "x"]);
  await study.tell(t0, 2.5);
  const t1 = await study.ask(space);
  const failed = await study.tell(t1, NaN);
  assert.equal(failed.state, "FAIL");
  assert.match(failed.systemAttrs.fail_reason as string, /NaN/);
  const t2 = await study.ask(space);
  await t2.report(7, 1);
  assert.equal((await study.tell(t2, { state: "PRUNED" })).value, 7, "a pruned trial keeps its last value");
  const t3 = await study.ask(space);
  await study.tell(t3, { value: 1.5, attrs: { bias: 0.8 } });
  await assert.rejects(study.tell(t3, 1), /not running/);
  assert.equal(study.bestTrial?.number, 3);
  assert.deepEqual(study.bestTrial?.userAttrs, { bias: 0.8 });
  const table = study.trialsTable();
  assert.deepEqual(
    table.map((r) => [r.number, r.state, r.value]),
    [
      [0, "COMPLETE", 2.5],
      [1, "FAIL", undefined],
      [2, "PRUNED", 7],
      [3, "COMPLETE", 1.5],
    ],
  );
  assert.match(table[1].error!, /NaN/);
});

test("optimize: exceptions fail a trial and keep the error; a broken objective stops with its error", async () => {
  const study = await createStudy({ sampler: "tpe", seed: 2 });
  const s = await study.optimize(
    (t) => {
      const x = t.suggestFloat("x", 0, 1);
      if (t.number % 5 === 4) throw new Error(`no good at ${t.number}`);
      if (t.number % 7 === 6) throw new TrialPruned();
      return x;
    },
    { nTrials: 20 },
  );
  assert.equal(s.nTrials, 20);
  assert.deepEqual([s.nFail, s.nPruned, s.nComplete], [4, 2, 14]);
  const fail = study.trials(["FAIL"])[0];
  assert.match(fail.systemAttrs.fail_reason as string, /no good at 4/);
  const broken = await createStudy({ sampler: "random" });
  await assert.rejects(
    broken.optimize(
      () => {
        throw new Error("typo in the objective");
      },
      { nTrials: 50 },
    ),
    /first 10 trials all failed[\s\S]*typo in the objective/,
  );
  assert.equal(broken.trials().length, 10);
  const wrongType = await createStudy({ sampler: "random" });
  await wrongType.optimize(() => "0.5" as unknown as number, {
    nTrials: 1,
    maxFailuresBeforeFirstSuccess: 5,
  });
  assert.match(wrongType.trials()[0].systemAttrs.fail_reason as string, /not a number/);
});

test("enqueued trials run first with their parameters (warm starts); the rest are sampled", async () => {
  const study = await createStudy({ sampler: "auto", seed: 3 });
  await study.enqueueTrial({ x: 1, n: 1, kind: "b" }, { userAttrs: { warm: true } });
  await study.enqueueTrial({ x: -2 });
  await study.optimize((t) => f(t.params), { nTrials: 3, space });
  const [a, b, c] = study.trials();
  assert.deepEqual(a.params, { x: 1, n: 1, kind: "b" });
  assert.equal(a.userAttrs.warm, true);
  assert.equal(b.params.x, -2);
  assert.ok(typeof b.params.n === "number" && ["a", "b"].includes(b.params.kind as string));
  assert.notEqual(c.params.x, -2);
  await study.enqueueTrial({ x: 99 });
  await assert.rejects(
    study.optimize((t) => f(t.params), { nTrials: 1, space }),
    /outside \[-3, 3\]/,
  );
});

test("study user attributes are stored and read back", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  const storage = `sqlite:${path.join(dir, "s.db")}`;
  const study = await createStudy({ name: "attrs", storage });
  await study.setUserAttr("form", { name: "model-c", hash: "abc" });
  await study.storage.close();
  const again = await loadStudy({ name: "attrs", storage });
  assert.deepEqual(again.userAttrs, { form: { name: "model-c", hash: "abc" } });
  await again.storage.close();
});

test("same seed, same trials: every sampler, in memory or SQLite; another seed differs", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
  for (const sampler of SAMPLER_NAMES) {
    const run = async (storage: string, seed: number) => {
      const study = await createStudy({ name: sampler, sampler, seed, storage });
      await study.optimize((t) => f(t.params), { nTrials: 40, space });
      const params = study.trials().map((t) => t.params);
      await study.storage.close();
      return params;
    };
    const a = await run("memory", 7);
    const b = await run(`sqlite:${path.join(dir, `${sampler}.db`)}`, 7);
    const c = await run("memory", 8);
    assert.deepEqual(b, a, sampler);
    assert.notDeepEqual(c, a, sampler);
  }
});

test("define-by-run: a parameter suggested twice returns the same value; another distribution is an error", async () => {
  const study = await createStudy({ sampler: "tpe" });
  const t = await study.ask();
  const x = t.suggestFloat("x", 0, 1);
  assert.equal(t.suggestFloat("x", 0, 1), x);
  assert.throws(() => t.suggestFloat("x", 0, 2), /another distribution/);
  assert.throws(() => t.suggestInt("k", 0.5, 3), /must be integers/);
  await study.tell(t, x);
});
