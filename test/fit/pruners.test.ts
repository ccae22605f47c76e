import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MedianPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  TrialHistory,
  createStudy,
  percentile,
  scoreInStages,
  type Direction,
  type FrozenTrial,
  type Json,
  type PrunerContext,
  type TrialState,
} from "../../src/fit/index.ts";

let nextId = 1;
function trial(
  state: TrialState,
  inter: [number, number][],
  systemAttrs: Record<string, Json> = {},
): FrozenTrial {
  const id = nextId++;
  return {
    trialId: id,
    number: id,
    state,
    value: state === "COMPLETE" ? 0 : undefined,
    params: {},
    internalParams: {},
    distributions: {},
    intermediateValues: new Map(inter),
    userAttrs: {},
    systemAttrs,
    datetimeStart: undefined,
    datetimeComplete: undefined,
  };
}

function context(
  direction: Direction,
  trials: FrozenTrial[],
): PrunerContext & { writes: [number, string, Json][] } {
  const history = new TrialHistory(direction);
  history.apply(trials);
  const writes: [number, string, Json][] = [];
  return {
    direction,
    history,
    writes,
    setTrialSystemAttr: async (id, key, value) => void writes.push([id, key, value]),
  };
}

const completed = (values: number[], step = 1) => values.map((v) => trial("COMPLETE", [[step, v]]));

test("percentile is numpy's linear interpolation", () => {
  assert.equal(percentile([4, 1, 3, 2], 50), 2.5);
  assert.equal(percentile([1, 2, 3, 4, 5], 25), 2);
  assert.ok(Math.abs(percentile([10, 20], 10) - 11) < 1e-12);
  assert.ok(Number.isNaN(percentile([NaN], 50)));
});

test("median pruner on hand-made intermediate values", async () => {
  const ctx = context("minimize", completed([1, 2, 3, 4, 5]));
  const p = new MedianPruner();
  assert.equal(await p.prune(ctx, trial("RUNNING", [[1, 3.5]])), true, "worse than the median 3");
  assert.equal(await p.prune(ctx, trial("RUNNING", [[1, 2.5]])), false);
  assert.equal(
    await p.prune(
      ctx,
      trial("RUNNING", [
        [0, 10],
        [1, 2.9],
      ]),
    ),
    false,
    "its best value so far counts",
  );
  assert.equal(await p.prune(ctx, trial("RUNNING", [[1, NaN]])), true, "all NaN");
  assert.equal(await p.prune(ctx, trial("RUNNING", [[2, 100]])), false, "no completed trial reported step 2");
  assert.equal(await p.prune(ctx, trial("RUNNING", [])), false, "nothing reported yet");
  assert.equal(
    await new MedianPruner({ nWarmupSteps: 2 }).prune(ctx, trial("RUNNING", [[1, 9]])),
    false,
    "warm-up",
  );
  const few = context("minimize", completed([1, 2, 3, 4]));
  assert.equal(await p.prune(few, trial("RUNNING", [[1, 9]])), false, "fewer than 5 completed trials");
  assert.equal(
    await new MedianPruner({ nMinTrials: 6 }).prune(ctx, trial("RUNNING", [[1, 9]])),
    false,
    "n_min_trials",
  );
  const up = context("maximize", completed([1, 2, 3, 4, 5]));
  assert.equal(await p.prune(up, trial("RUNNING", [[1, 2.5]])), true, "maximize: below the median");
  assert.equal(await p.prune(up, trial("RUNNING", [[1, 3.5]])), false);
});

test("interval steps: only the first report in each interval is checked", async () => {
  const trials = [
    ...completed([1, 2, 3, 4, 5], 0),
    ...completed([1, 2, 3, 4, 5], 1),
    ...completed([1, 2, 3, 4, 5], 2),
  ];
  const ctx = context("minimize", trials);
  const p = new PercentilePruner(50, { intervalSteps: 2, nStartupTrials: 1 });
  assert.equal(
    await p.prune(
      ctx,
      trial("RUNNING", [
        [0, 9],
        [1, 9],
      ]),
    ),
    false,
    "step 1 is not on the interval",
  );
  assert.equal(
    await p.prune(
      ctx,
      trial("RUNNING", [
        [0, 9],
        [2, 9],
      ]),
    ),
    true,
    "step 2 is",
  );
  assert.equal(
    await new PercentilePruner(25).prune(
      context("minimize", completed([1, 2, 3, 4, 5])),
      trial("RUNNING", [[1, 2.5]]),
    ),
    true,
  );
});

test("successive halving: rungs at min_resource·η^(s+r), promotion of the top 1/η", async () => {
  const others = [1, 2, 3].map((v) => trial("RUNNING", [[1, v]], { completed_rung_0: v }));
  const ctx = context("minimize", others);
  const p = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
  // competing values at rung 0: [1, 2, 3] and its own; the promotable index is ⌊4/2⌋ − 1 = 1
  const bad = trial("RUNNING", [[1, 2.5]]);
  assert.equal(await p.prune(ctx, bad), true);
  const good = trial("RUNNING", [[1, 1.5]]);
  assert.equal(await p.prune(ctx, good), false);
  assert.deepEqual(ctx.writes.at(-1), [good.trialId, "completed_rung_0", 1.5]);
  assert.equal(good.systemAttrs.completed_rung_0, 1.5);
  // the next rung is at step 2: step 1 again does nothing more; at step 2 it competes in rung 1 alone
  good.intermediateValues.set(2, 1.4);
  assert.equal(await p.prune(ctx, good), false);
  assert.equal(good.systemAttrs.completed_rung_1, 1.4);
  assert.equal(await p.prune(ctx, trial("RUNNING", [[1, NaN]])), true, "NaN");
  const boot = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 5 });
  assert.equal(
    await boot.prune(context("minimize", []), trial("RUNNING", [[1, 0]])),
    true,
    "rung not bootstrapped yet",
  );
  const auto = new SuccessiveHalvingPruner();
  assert.equal(
    await auto.prune(context("minimize", []), trial("RUNNING", [[1, 5]])),
    false,
    "auto waits for a completed trial",
  );
  // maximize: the top 1/η are the largest
  const upCtx = context(
    "maximize",
    [1, 2, 3].map((v) => trial("RUNNING", [[1, v]], { completed_rung_0: v })),
  );
  assert.equal(await p.prune(upCtx, trial("RUNNING", [[1, 2.5]])), false);
  assert.equal(await p.prune(upCtx, trial("RUNNING", [[1, 1.5]])), true);
});

test("multi-fidelity: a cheap stage prunes before the full score is computed", async () => {
  const study = await createStudy({
    sampler: "random",
    seed: 5,
    pruner: new MedianPruner({ nStartupTrials: 4 }),
  });
  let fullScores = 0;
  const s = await study.optimize(
    (t) => {
      const x = t.suggestFloat("x", -4, 4);
      return scoreInStages(t, [
        { resource: 10, score: () => x * x + 0.1 },
        {
          resource: 100,
          score: () => {
            fullScores++;
            return x * x;
          },
        },
      ]);
    },
    { nTrials: 40 },
  );
  assert.ok(s.nPruned >= 10, `pruned ${s.nPruned}`);
  assert.equal(fullScores, s.nComplete, "pruned trials never ran the full score");
  for (const t of study.trials(["PRUNED"])) assert.deepEqual([...t.intermediateValues.keys()], [10]);
  for (const t of study.trials(["COMPLETE"])) assert.deepEqual([...t.intermediateValues.keys()], [10, 100]);
});
