/**
 * A worker that cannot start for a reason that is not the objective's (its module does not load, its
 * init has a bug, no worker can be started again) is a HarnessError, not a KilnError, so the search
 * loop stops instead of recording the candidate as crashed; an objective's own init refusal (a
 * KilnError, e.g. a form reading a driver the data lack) stays a KilnError: that candidate's failure.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { FitProblem, fitForm } from "../../src/fit/form/index.ts";
import { createStudy, floatParam, shareArrays, type ModuleObjective } from "../../src/fit/index.ts";
import { HarnessError } from "../../src/fit/parallel/pool.ts";
import { parseForm } from "../../src/forms/index.ts";
import { KilnError } from "../../src/util/errors.ts";
import { generateWorld } from "../../src/world/index.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const faults = new URL("./fixtures/worker-faults.ts", import.meta.url);
const space = { x: floatParam(-5, 5) };

async function optimizeError(objective: ModuleObjective, jobs: number): Promise<Error> {
  const study = await createStudy({ sampler: "random", seed: 1 });
  try {
    await study.optimize(objective, { nTrials: 4, jobs, space });
  } catch (err) {
    assert.deepEqual(
      study.trials().map((t) => t.state),
      [],
      "no trial was started before the objective could run",
    );
    return err as Error;
  }
  throw new Error("optimize did not fail");
}

for (const jobs of [1, 2]) {
  const where = jobs === 1 ? "in this thread" : "in worker threads";

  test(`a module that does not load is a HarnessError (${where})`, async () => {
    const err = await optimizeError({ module: path.join(here, "fixtures", "no-such-module.ts") }, jobs);
    assert.ok(err instanceof HarnessError, `${err.name}: ${err.message}`);
    assert.ok(!(err instanceof KilnError));
    assert.match(err.message, /no-such-module/);
  });

  test(`an init with a bug of its own (a TypeError) is a HarnessError (${where})`, async () => {
    const err = await optimizeError(
      { module: faults, exportName: "objective", initName: "initWithBug" },
      jobs,
    );
    assert.ok(err instanceof HarnessError, `${err.name}: ${err.message}`);
    assert.match(err.message, /TypeError/);
  });

  test(`an init that refuses its input with a KilnError stays a KilnError (${where})`, async () => {
    const err = await optimizeError(
      { module: faults, exportName: "objective", initName: "initRefusing" },
      jobs,
    );
    assert.ok(err instanceof KilnError, `${err.name}: ${err.message}`);
    assert.ok(!(err instanceof HarnessError));
    assert.match(err.message, /reads wind, which the dataset does not have/);
  });
}

test("a pool that loses its last worker and cannot start another stops with a HarnessError; untold trials go back to WAITING", async () => {
  const study = await createStudy({ sampler: "random", seed: 2 });
  const starts = shareArrays({ starts: new Int32Array(1) });
  const err = await study
    .optimize(
      { module: faults, exportName: "dying", initName: "initCounting", context: starts },
      { nTrials: 12, jobs: 2, space },
    )
    .then(
      () => undefined,
      (e: Error) => e,
    );
  assert.ok(err instanceof HarnessError, `${err?.name}: ${err?.message}`);
  assert.match(err.message, /this worker cannot start/);
  const states = study.trials().map((t) => [t.number, t.state]);
  // batches [0, 1], [2, 3], [4, 5]: trial 3's worker died (a FAIL of that trial, as a crash of the
  // objective is); in [4, 5] the last worker died with no replacement, so neither was the objective's
  assert.deepEqual(states, [
    [0, "COMPLETE"],
    [1, "COMPLETE"],
    [2, "COMPLETE"],
    [3, "FAIL"],
    [4, "WAITING"],
    [5, "WAITING"],
  ]);
  assert.match(study.trials()[5].systemAttrs["kiln:rerun_reason"] as string, /HarnessError/);
  assert.equal(study.countFinished(), 4);
});

test("a form whose kernel cannot bind in the workers (a driver the data lack) fails its fit with a KilnError", async () => {
  const world = generateWorld({ resolution: 20, firstYear: 2001, lastYear: 2003, seed: 3 });
  const problem = FitProblem.create({
    dataset: world.dataset,
    target: "burned_area",
    train: [2001, 2002],
    validation: [2003],
    metric: {
      convention: "ilamb-2.7",
      region: "global",
      regions: ["global"],
      rmseBasis: "cycle",
      massWeighting: true,
    },
  });
  const windy = parseForm(`
name: windy
terms:
  - mechanism: wind_spread
  - mechanism: vdw_gpp_gate
`);
  assert.ok(!problem.drivers.includes("wind"), "the world has no wind");
  const err = await fitForm(problem, windy, { sampler: "auto", trials: 4, jobs: 2, seed: 1 }).then(
    () => undefined,
    (e: Error) => e,
  );
  assert.ok(err instanceof KilnError, `${err?.name}: ${err?.message}`);
  assert.ok(!(err instanceof HarnessError));
  assert.match(err.message, /could not start in a worker thread: .*wind/);
});
