import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CoalitionCache,
  formatInteractionMatrix,
  formatPruning,
  formatShapleyTable,
  proposePruning,
  shapley,
  shapleyTrainValidation,
} from "../../src/ablate/index.ts";
import { KilnError } from "../../src/util/errors.ts";
import { tableGame } from "./games.ts";

const has = (s: number, k: number): number => (s >> k) & 1;

// ignition and dryness carry most of the score; the fuel hump adds a little only when the GPP gate is absent
const P4 = ["ignition", "dryness", "gpp_gate", "fuel_hump"];
const v4 = (s: number): number =>
  0.3 + 0.4 * has(s, 0) + 0.3 * has(s, 1) + Math.max(0.25 * has(s, 2), 0.03 * has(s, 3));

test("the pruning rule drops exactly the redundant mechanism and names its partner", async () => {
  const game = tableGame(4, v4, { players: P4 });
  const cache = new CoalitionCache(game);
  const r = await shapley(game, { cache });
  assert.ok(Math.abs(r.phi[3] - 0.015) < 1e-15, "the hump's φ: 0.03 when it comes before the gate");
  assert.ok((r.share[3] as number) < 0.02);
  assert.ok(Math.abs((r.interaction as number[][])[2][3] - -0.03) < 1e-15);
  const p = await proposePruning(r, { cache });
  assert.deepEqual(p.dropped, ["fuel_hump"]);
  assert.deepEqual(p.kept, ["ignition", "dryness", "gpp_gate"]);
  const hump = p.decisions[3];
  assert.equal(hump.drop, true);
  assert.equal(hump.partner, "gpp_gate");
  assert.ok(Math.abs((hump.partnerInteraction as number) - -0.03) < 1e-15);
  assert.match(hump.reason, /^drop: .*redundant with gpp_gate/);
  assert.equal(p.interactionUsed, "shapley");
  assert.equal(p.keptMask, 0b0111);
  assert.equal(p.vReduced, p.vFull);
  assert.match(formatPruning(p), /drop fuel_hump/);
  assert.match(formatShapleyTable(r), /fuel_hump\s+0\.0150\s+1\.6%/);
  assert.match(formatInteractionMatrix(r), /-0\.0300/);
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
});

test("low value alone is not enough: a mechanism the rest cannot cover for is kept; a null one goes", async () => {
  const players = [...P4, "lightning", "null"];
  // lightning only matters together with ignition and dryness (a three-way synergy): small φ, big loss
  const game = tableGame(6, (s) => v4(s) + 0.04 * has(s, 0) * has(s, 1) * has(s, 4), { players });
  const cache = new CoalitionCache(game);
  const r = await shapley(game, { cache });
  const p = await proposePruning(r, { cache });
  assert.deepEqual(p.dropped, ["fuel_hump", "null"]);
  const lightning = p.decisions[4];
  assert.equal(lightning.lowValue, true);
  assert.equal(lightning.looOk, false);
  assert.match(lightning.reason, /removing it alone costs 0\.04/);
  assert.equal(p.decisions[5].partner, null, "a null player has no redundant partner");
  assert.equal(p.decisions[2].drop, false);
});

test("two twins that cover for each other: only one is dropped when the joint check can run", async () => {
  const players = ["a", "twin1", "twin2", "b"];
  const game = tableGame(
    4,
    (s) => 0.5 * has(s, 0) + Math.max(0.03 * has(s, 1), 0.03 * has(s, 2)) + 0.4 * has(s, 3),
    {
      players,
    },
  );
  const cache = new CoalitionCache(game);
  const r = await shapley(game, { cache });
  const p = await proposePruning(r, { cache });
  assert.deepEqual(p.dropped, ["twin1"]);
  assert.match(p.decisions[2].reason, /with \{twin1\} costs 0\.03/);
  assert.ok(Math.abs((p.decisions[2].jointLoss as number) - 0.03) < 1e-15);
  assert.equal(p.decisions[1].partner, "twin2");
  // without the cache the rule alone drops both (its blind spot), and says the joint check did not run
  const blind = await proposePruning(r);
  assert.deepEqual(blind.dropped, ["twin1", "twin2"]);
  assert.equal(blind.jointChecked, false);
  assert.equal(blind.vReduced, null);
});

test("measured noise sets δ and the SE floor of the threshold", async () => {
  const game = tableGame(4, v4, { players: P4 });
  const r = await shapley(game, {
    noise: {
      useMeans: false,
      repeats: [
        { mask: 15, values: [1.25, 1.27, 1.23] },
        { mask: 7, values: [1.25, 1.26, 1.24] },
      ],
    },
  });
  const sigma = r.noise!.sigma;
  const p = await proposePruning(r);
  assert.ok(Math.abs(p.delta - 2 * Math.SQRT2 * sigma) < 1e-15);
  const floor = 2 * sigma * r.noise!.shapleyWeightNorm;
  for (const d of p.decisions) assert.ok(Math.abs(d.threshold - Math.max(floor, 0.02 * r.total)) < 1e-15);
  await assert.rejects(proposePruning(r, { shareThreshold: 2 }), (e: unknown) => e instanceof KilnError);
});

test("sampled mode names the partner from the Banzhaf interaction", async () => {
  // 200 uniform draws: the other players' main effects (0.4, 0.3) dwarf the −0.03 pair term unless the
  // additive control variate removes them
  for (const seed of [1, 2, 3, 4, 5]) {
    const game = tableGame(4, v4, { players: P4 });
    const r = await shapley(game, { method: "permutation", maxPermutations: 40, banzhafSamples: 200, seed });
    const p = await proposePruning(r);
    assert.equal(p.interactionUsed, "banzhaf");
    assert.equal(p.decisions[3].partner, "gpp_gate", `seed ${seed}`);
    assert.ok(Math.abs((p.decisions[3].partnerInteraction as number) - -0.03) < 0.005);
  }
});

test("train vs validation: a mechanism that only buys training score is flagged as overfitting", async () => {
  const players = [...P4, "overfit"];
  const validation = tableGame(5, v4, { players });
  const train = tableGame(5, (s) => v4(s) + 0.3 * has(s, 4), { players });
  const r = await shapleyTrainValidation({ train, validation });
  assert.deepEqual(r.overfit, [false, false, false, false, true]);
  assert.ok(Math.abs((r.shareGap[4] as number) - 0.3 / 1.25) < 1e-12);
  assert.equal(r.validation.phi[4], 0);
  // permutation mode: the training run reuses the validation orders
  const s = await shapleyTrainValidation(
    { train, validation },
    { method: "permutation", maxPermutations: 40 },
  );
  assert.deepEqual(s.train.sampling?.orders, s.validation.sampling?.orders);
  assert.equal(s.overfit[4], true);
  await assert.rejects(
    shapleyTrainValidation({ train: tableGame(5, v4), validation }),
    (e: unknown) => e instanceof KilnError && /different players/.test(e.message),
  );
});
