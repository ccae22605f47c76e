import assert from "node:assert/strict";
import { test } from "node:test";
import { MedianPruner, createStudy, floatParam, shareArrays } from "../../src/fit/index.ts";

const space = { x: floatParam(-5, 5), y: floatParam(-5, 5) };
const context = shareArrays({ centre: new Float64Array([1, -2]) });
const fixture = new URL("./fixtures/objective.ts", import.meta.url);
const objective = (exportName: string) => ({ module: fixture, exportName, context });

test("shareArrays moves typed arrays into shared memory and leaves the rest", () => {
  const plain = { a: new Float32Array([1, 2]), nested: [{ b: new Int32Array([3]) }], n: 4, s: "x" };
  const shared = shareArrays(plain);
  assert.ok(shared.a.buffer instanceof SharedArrayBuffer);
  assert.ok(shared.nested[0].b.buffer instanceof SharedArrayBuffer);
  assert.deepEqual([...shared.a], [1, 2]);
  assert.equal(shared.n, 4);
  assert.equal(shareArrays(shared).a, shared.a, "already shared arrays are kept");
});

test("jobs: 2 in worker threads gives the same trials as serial (random: identical; TPE: same best within tolerance)", async () => {
  const serial = await createStudy({ sampler: "random", seed: 3 });
  await serial.optimize(objective("sharedCheck"), { nTrials: 24, jobs: 1, space });
  const parallel = await createStudy({ sampler: "random", seed: 3 });
  await parallel.optimize(objective("sharedCheck"), { nTrials: 24, jobs: 2, space });
  assert.deepEqual(
    parallel.trials().map((t) => [t.params, t.value]),
    serial.trials().map((t) => [t.params, t.value]),
  );
  assert.ok(
    parallel.trials().every((t) => t.userAttrs.shared === true),
    "workers saw shared memory",
  );

  const bests: number[] = [];
  for (const jobs of [1, 2]) {
    const study = await createStudy({ sampler: "tpe", seed: 5 });
    await study.optimize(objective("quadratic"), { nTrials: 120, jobs, space });
    bests.push(study.bestValue!);
  }
  assert.ok(bests[0] < 0.05 && bests[1] < 0.05, `bests ${bests}`);
  assert.ok(Math.abs(bests[0] - bests[1]) < 0.05);
});

test("parallel batches are reproducible from the seed; asynchronous mode runs every trial", async () => {
  const runs = [];
  for (let k = 0; k < 2; k++) {
    const study = await createStudy({ sampler: "auto", seed: 8 });
    await study.optimize(objective("quadratic"), { nTrials: 30, jobs: 3, space });
    runs.push(study.trials().map((t) => t.params));
  }
  assert.deepEqual(runs[0], runs[1]);
  const study = await createStudy({ sampler: "tpe", seed: 8 });
  const s = await study.optimize(objective("quadratic"), { nTrials: 30, jobs: 2, space, asynchronous: true });
  assert.equal(s.nComplete, 30);
  assert.deepEqual(
    study.trials().map((t) => t.number),
    [...Array(30).keys()],
  );
});

test("workers report intermediate values and get pruned; their errors fail the trial with the text", async () => {
  const study = await createStudy({
    sampler: "tpe",
    seed: 2,
    pruner: new MedianPruner({ nStartupTrials: 3 }),
  });
  const s = await study.optimize(objective("staged"), { nTrials: 30, jobs: 2, space });
  assert.ok(s.nPruned > 0 && s.nComplete > 0, `${s.nPruned} pruned, ${s.nComplete} complete`);
  for (const t of study.trials(["PRUNED"])) assert.ok(t.intermediateValues.has(1));
  const broken = await createStudy({ sampler: "random" });
  await assert.rejects(
    broken.optimize(objective("throws"), { nTrials: 20, jobs: 2, space }),
    /boom from the worker/,
  );
  assert.match(broken.trials()[0].systemAttrs.fail_reason as string, /boom from the worker/);
  const missing = await createStudy({ sampler: "random" });
  await assert.rejects(
    missing.optimize(objective("nope"), { nTrials: 2, jobs: 2, space }),
    /no function export "nope"/,
  );
  await assert.rejects(
    missing.optimize(objective("quadratic"), { nTrials: 2, jobs: 2 }),
    /needs a search space/,
  );
});
