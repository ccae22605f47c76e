import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AutoSampler,
  CmaEsSampler,
  createStudy,
  floatParam,
  InMemoryStorage,
  loadStudy,
  makeSampler,
  parseSamplerSpec,
  toUnit,
  type FrozenTrial,
  type SearchSpace,
} from "../../src/fit/index.ts";

/**
 * A form-like objective (maximised): a global scale over 8 decades multiplies the prediction, so only a
 * narrow band of log(scale) scores well, and where that band lies depends on the other parameters.
 */
const space: SearchSpace = {
  scale: floatParam(1e-6, 100, { log: true }),
  a: floatParam(0, 1),
  b: floatParam(0, 8),
  c: floatParam(0.01, 1, { log: true }),
};
const objective = (p: Record<string, unknown>) => {
  const s = p.scale as number;
  const a = p.a as number;
  const b = p.b as number;
  const c = p.c as number;
  const amplitude = Math.exp(2 * a) * (1 + b) * c; // what the other parameters do to the mean prediction
  const misfit = Math.log((s * amplitude) / 0.5) ** 2;
  return 1 / (1 + misfit + (a - 0.3) ** 2 + ((b - 5) / 8) ** 2 + Math.log(c / 0.1) ** 2 / 20);
};
const start = { scale: 1e-3, a: 0.5, b: 2, c: 0.5 };

const cmaTrials = (trials: FrozenTrial[], g: number) =>
  trials.filter((t) => (t.systemAttrs["kiln:cma"] as { g?: number } | undefined)?.g === g);

function spread(trials: FrozenTrial[], name: string): number {
  const u = trials.map((t) => toUnit(space[name], t.params[name] as number));
  const m = u.reduce((s, x) => s + x, 0) / u.length;
  return Math.sqrt(u.reduce((s, x) => s + (x - m) ** 2, 0) / u.length);
}

test("auto starts CMA-ES from the best start with a small step along the global scale", async () => {
  const study = await createStudy({ direction: "maximize", sampler: new AutoSampler(), seed: 4 });
  await study.enqueueTrial(start);
  for (const s of [1e-5, 1e-3, 1e-1, 10]) await study.enqueueTrial({ ...start, scale: s });
  await study.optimize((t) => objective(t.params), { nTrials: 60, space });
  // the first generation is centred on the best start (scale 1e-1 here) ...
  const g0 = cmaTrials(study.trials(), 0);
  assert.ok(g0.length >= 6, `first generation: ${g0.length} trials`);
  const best = study
    .trials()
    .slice(0, 5)
    .sort((x, y) => y.value! - x.value!)[0];
  assert.equal(best.params.scale, 1e-1);
  // ... and its spread along log(scale) is a fraction of its spread along the others (×2 in scale is
  // ln 2 / ln 1e8 ≈ 0.038 of the range, against σ0 = 1/6)
  for (const k of ["a", "b", "c"])
    assert.ok(
      spread(g0, "scale") < 0.5 * spread(g0, k),
      `scale ${spread(g0, "scale")} vs ${k} ${spread(g0, k)}`,
    );
  // without the scale treatment the spreads are alike
  const plain = await createStudy({
    direction: "maximize",
    sampler: new AutoSampler({ scaleParam: undefined }),
    seed: 4,
  });
  await plain.enqueueTrial(start);
  for (const s of [1e-5, 1e-3, 1e-1, 10]) await plain.enqueueTrial({ ...start, scale: s });
  await plain.optimize((t) => objective(t.params), { nTrials: 60, space });
  const p0 = cmaTrials(plain.trials(), 0);
  assert.ok(spread(p0, "scale") > 0.5 * spread(p0, "a"));
});

test("auto finds the scale band and the optimum of the form-like objective", async () => {
  const study = await createStudy({ direction: "maximize", sampler: "auto", seed: 1 });
  await study.enqueueTrial(start);
  await study.optimize((t) => objective(t.params), { nTrials: 400, space });
  assert.ok(study.bestValue! > 0.99, `best ${study.bestValue}`);
});

test("a resumed auto study replays its generations and its polish, and continues exactly where it stopped", async () => {
  const run = async (cuts: number[], opts: ConstructorParameters<typeof AutoSampler>[0] = {}) => {
    const storage = new InMemoryStorage();
    let done = 0;
    let last: FrozenTrial[] = [];
    for (const [k, n] of cuts.entries()) {
      // every part is a new process: a fresh sampler that knows only the stored trials
      const study =
        k === 0
          ? await createStudy({
              name: "r",
              direction: "maximize",
              storage,
              sampler: new AutoSampler(opts),
              seed: 9,
            })
          : await loadStudy({ name: "r", storage, sampler: new AutoSampler(opts) });
      if (k === 0) await study.enqueueTrial(start);
      await study.optimize((t) => objective(t.params), { nTrials: n - done, space });
      done = n;
      last = study.trials();
    }
    return last.map((t) => t.params);
  };
  const straight = await run([170]);
  const resumed = await run([37, 101, 170]);
  assert.equal(resumed.length, 170);
  assert.deepEqual(resumed, straight);
  // with a budget, the last 30 % polish; cut inside the polish too
  const opts = { budget: 170, polish: 0.3 };
  const polished = await run([170], opts);
  assert.deepEqual(await run([37, 101, 133, 170], opts), polished);
  assert.notDeepEqual(polished.slice(119), straight.slice(119), "the polish proposes other points");
  assert.deepEqual(polished.slice(0, 119), straight.slice(0, 119), "nothing changes before it");
});

test("the polish takes the last trials of the budget and improves on CMA-ES alone", async () => {
  const polish = await createStudy({
    direction: "maximize",
    sampler: new AutoSampler({ budget: 150, polish: 0.3 }),
    seed: 5,
  });
  await polish.enqueueTrial(start);
  await polish.optimize((t) => objective(t.params), { nTrials: 150, space });
  const tagged = polish.trials().filter((t) => t.systemAttrs["kiln:polish"] !== undefined);
  assert.equal(tagged.length, 45);
  assert.equal(tagged[0].number, 105);
  const plain = await createStudy({ direction: "maximize", sampler: new AutoSampler(), seed: 5 });
  await plain.enqueueTrial(start);
  await plain.optimize((t) => objective(t.params), { nTrials: 150, space });
  assert.ok(polish.bestValue! > plain.bestValue!, `${polish.bestValue} vs ${plain.bestValue}`);
});

test("a study resumed with a larger budget goes back to CMA-ES, then polishes again at the new end", async () => {
  const storage = new InMemoryStorage();
  const first = await createStudy({
    name: "b",
    direction: "maximize",
    storage,
    sampler: new AutoSampler({ budget: 120, polish: 0.25 }),
    seed: 7,
  });
  await first.enqueueTrial(start);
  await first.optimize((t) => objective(t.params), { nTrials: 120, space });
  const second = await loadStudy({
    name: "b",
    storage,
    sampler: new AutoSampler({ budget: 200, polish: 0.25 }),
  });
  await second.optimize((t) => objective(t.params), { nTrials: 80, space });
  const phaseOf = (t: FrozenTrial) => (t.systemAttrs["kiln:polish"] as { f?: number } | undefined)?.f ?? null;
  const phases = second.trials().map(phaseOf);
  assert.ok(phases.slice(0, 90).every((f) => f === null));
  assert.ok(phases.slice(90, 120).every((f) => f === 90));
  assert.ok(
    phases.slice(120, 150).every((f) => f === null),
    "CMA-ES again until the new polish",
  );
  assert.ok(phases.slice(150).every((f) => f === 150));
  assert.ok(
    second
      .trials()
      .slice(120, 150)
      .every((t) => t.systemAttrs["kiln:cma"] !== undefined),
  );
  assert.ok(second.bestValue! >= first.bestValue!);
});

test("parallel batches (jobs 2) are reproducible from the seed, polish included", async () => {
  const run = async () => {
    const study = await createStudy({
      direction: "maximize",
      sampler: new AutoSampler({ budget: 90, polish: 0.3 }),
      seed: 3,
    });
    await study.enqueueTrial(start);
    await study.optimize(
      async (t) => {
        await new Promise((r) => setTimeout(r, (t.number * 7) % 3)); // finish out of order
        return objective(t.params);
      },
      { nTrials: 90, jobs: 2, space },
    );
    return study.trials().map((t) => [t.number, t.params]);
  };
  assert.deepEqual(await run(), await run());
});

test("the TPE → CMA-ES hand-off starts CMA-ES from the best trials' distribution", async () => {
  const sampler = new CmaEsSampler({ startup: "tpe", nStartupTrials: 60, x0: "top" });
  const study = await createStudy({ direction: "maximize", sampler, seed: 2 });
  await study.enqueueTrial(start);
  await study.optimize((t) => objective(t.params), { nTrials: 60 + 24, space });
  const trials = study.trials();
  assert.equal(cmaTrials(trials.slice(0, 60), 0).length, 0, "the first 60 trials are TPE's");
  const g0 = cmaTrials(trials, 0);
  assert.ok(g0.length > 0);
  // the first generation sits where the best startup trials are: its spread along log(scale) is no
  // wider than theirs (a centre start with σ0 = 1/6 would spread over 1/6 of the range)
  const top = trials
    .slice(0, 60)
    .sort((x, y) => y.value! - x.value!)
    .slice(0, 12);
  assert.ok(
    spread(g0, "scale") < 2 * spread(top, "scale") + 0.02,
    `${spread(g0, "scale")} vs ${spread(top, "scale")}`,
  );
  assert.ok(spread(g0, "scale") < 0.1);
});

test("sampler specs carry options: name+key=value", () => {
  assert.deepEqual(parseSamplerSpec("auto+popsize=6+scaleParam=none+polish=0.3+x=true"), {
    name: "auto",
    options: { popsize: 6, scaleParam: "none", polish: 0.3, x: true },
  });
  assert.deepEqual(parseSamplerSpec("tpe"), { name: "tpe", options: {} });
  assert.throws(() => parseSamplerSpec("auto+popsize"), /cannot read sampler option 'popsize'/);
  const s = makeSampler("auto", undefined, { popsize: 6 });
  assert.equal(s.name, "auto");
});
