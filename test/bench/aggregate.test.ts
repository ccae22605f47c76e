/** Aggregation conventions and the leaderboard's flag when the convention changes the winner or order. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONVENTIONS,
  aggregate,
  aggregateRegion,
  allConventions,
  leaderboard,
  leaderboardCsv,
  leaderboardMarkdown,
  parseConvention,
  rankScores,
  type ComponentVector,
  type RegionResult,
  type ScoreResult,
} from "../../src/bench/index.ts";
import { KilnError } from "../../src/util/errors.ts";

function result(
  c: Partial<ComponentVector> & { bias: number; rmse: number; seasonal: number; spatial: number },
): ScoreResult {
  const components: ComponentVector = {
    iav: NaN,
    seasonalLinear: c.seasonal,
    spatialPearson: c.spatial,
    ...c,
  };
  const region: RegionResult = {
    region: "global",
    scalars: {
      "Bias Score": c.bias,
      "RMSE Score": c.rmse,
      "Seasonal Cycle Score": c.seasonal,
      "Spatial Distribution Score": c.spatial,
    },
    components,
    spatialStd: 1,
    spatialR: 1,
  };
  return { regions: [region], units: {} };
}

test("ILAMB 2.7 Overall is (B + 2R + S + SD)/5: origin.md's table", () => {
  const r = result({ bias: 0.728, rmse: 0.506, seasonal: 0.846, spatial: 0.771 });
  assert.ok(Math.abs(aggregate(r) - 0.6714) < 1e-12);
  assert.ok(Math.abs(aggregate(r, "ilamb-2.7", "global") - (0.728 + 2 * 0.506 + 0.846 + 0.771) / 5) < 1e-15);
});

test("each convention on a hand-made component vector", () => {
  const r = result({
    bias: 0.8,
    rmse: 0.4,
    seasonal: 0.9,
    spatial: 0.6,
    iav: 0.5,
    seasonalLinear: 0.7,
    spatialPearson: 0.55,
  });
  const all = allConventions(r);
  const eq = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);
  eq(all["ilamb-2.7"], (0.8 + 0.8 + 0.9 + 0.6) / 5);
  eq(all["ilamb-2.5"], (0.8 + 0.8 + 0.9 + 0.6 + 0.5) / 6);
  eq(all.mean4, (0.8 + 0.4 + 0.9 + 0.6) / 4);
  eq(all.ilamb3, (0.8 + 0.4 + 0.7 + 0.55) / 4);
  eq(all.min, 0.4);
  assert.deepEqual(Object.keys(all), [...CONVENTIONS]);
  // without IAV the 2.5 convention cannot be computed; a NaN component makes the Overall NaN
  assert.ok(Number.isNaN(aggregate(result({ bias: 1, rmse: 1, seasonal: 1, spatial: 1 }), "ilamb-2.5")));
  assert.ok(Number.isNaN(aggregate(result({ bias: NaN, rmse: 1, seasonal: 1, spatial: 1 }), "min")));
});

test("a score ILAMB skipped (no cycle under 12 months) is left out, not counted as NaN", () => {
  const r = result({ bias: 0.8, rmse: 0.4, seasonal: NaN, spatial: 0.6 });
  const reg = r.regions[0] as { scalars: Record<string, number> };
  delete reg.scalars["Seasonal Cycle Score"];
  assert.ok(Math.abs(aggregateRegion(r.regions[0], "ilamb-2.7") - (0.8 + 0.8 + 0.6) / 4) < 1e-15);
  assert.equal(aggregateRegion(r.regions[0], "min"), 0.4);
});

test("unknown convention and unknown region are user errors", () => {
  assert.throws(() => parseConvention("ilamb-9"), KilnError);
  assert.equal(parseConvention("mean4"), "mean4");
  assert.throws(
    () => aggregate(result({ bias: 1, rmse: 1, seasonal: 1, spatial: 1 }), "mean4", "mars"),
    /mars/,
  );
});

test("ranks: descending, ties share a rank, NaN last", () => {
  assert.deepEqual(rankScores([0.5, 0.7, 0.5, NaN, 0.1]), [2, 1, 2, NaN, 4]);
});

test("the leaderboard flags a change of winner between conventions", () => {
  // A is strong except for a weak RMSE, B is even: ILAMB 2.7 ranks A first (0.66 vs 0.54), `min` ranks B first
  const A = result({ bias: 0.9, rmse: 0.3, seasonal: 0.9, spatial: 0.9 });
  const B = result({ bias: 0.5, rmse: 0.6, seasonal: 0.5, spatial: 0.5 });
  const lb = leaderboard(
    [
      { name: "A", result: A },
      { name: "B", result: B },
    ],
    { chosen: "ilamb-2.7" },
  );
  assert.deepEqual(lb.winners["ilamb-2.7"], ["A"]);
  assert.deepEqual(lb.winners.min, ["B"]);
  assert.ok(lb.winnerChanges && lb.orderChanges);
  assert.match(lb.flags.join("\n"), /winner changes.*ilamb-2\.7 → A.*min → B/);
  assert.match(lb.flags.join("\n"), /not comparable.*ilamb-2\.5/, "no IAV: 2.5 cannot rank");
  assert.equal(lb.entries[0].model, "A");
  assert.equal(lb.entries[0].rank.min, 2);
  assert.match(leaderboardMarkdown(lb), /\*\*Flag:\*\* the winner changes/);
  const csv = leaderboardCsv(lb).trim().split("\n");
  assert.equal(csv.length, 3);
  assert.match(csv[0], /^model,ilamb-2\.7,rank ilamb-2\.7,/);
});

test("the leaderboard flags an order change below an unchanged winner, and nothing when all agree", () => {
  const W = result({ bias: 0.95, rmse: 0.9, seasonal: 0.95, spatial: 0.95 });
  const A = result({ bias: 0.9, rmse: 0.3, seasonal: 0.9, spatial: 0.9 });
  const B = result({ bias: 0.5, rmse: 0.6, seasonal: 0.5, spatial: 0.5 });
  const models = [
    { name: "W", result: W },
    { name: "A", result: A },
    { name: "B", result: B },
  ];
  const lb = leaderboard(models, { conventions: ["ilamb-2.7", "min"] });
  assert.ok(!lb.winnerChanges && lb.orderChanges);
  assert.match(lb.flags.join("\n"), /order differs from ilamb-2\.7 under: min/);
  const agree = leaderboard(models, { conventions: ["ilamb-2.7", "mean4"] });
  assert.ok(!agree.winnerChanges && !agree.orderChanges);
  assert.deepEqual(agree.flags, []);
  assert.match(leaderboardMarkdown(agree), /agree on the winner and the order/);
});
