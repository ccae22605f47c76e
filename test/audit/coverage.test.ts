import assert from "node:assert/strict";
import { test } from "node:test";
import { auditDataset } from "../../src/audit/index.ts";
import { cleanWorld, dryness, monthly, staticField } from "./fixtures.ts";

test("a driver zeroed where the target burns is an error naming the driver, the regions and the share", () => {
  const ds = cleanWorld();
  // zero dryness over Africa's tropics (both GFED African boxes), as in origin.md's bug
  const bug = ds.withFields([
    monthly("dryness", ds.time, (la, lo, m, y) =>
      lo > -20 && lo < 50 && Math.abs(la) <= 25 ? 0 : dryness(la, lo, m, y),
    ),
  ]);
  const f = auditDataset({ dataset: bug, target: "burned_area" });
  const cov = f.filter((x) => x.check === "burned-coverage");
  assert.equal(cov.length, 1);
  assert.equal(cov[0].severity, "error");
  assert.equal(cov[0].variable, "dryness");
  assert.ok(cov[0].regions.includes("nhaf") && cov[0].regions.includes("shaf"), cov[0].regions.join());
  // Africa's longitudes are 7 of the 36 columns of the burning tropics
  assert.ok(
    cov[0].numbers.burnedShare > 0.1 && cov[0].numbers.burnedShare < 0.3,
    String(cov[0].numbers.burnedShare),
  );
  assert.ok(cov[0].numbers.share_nhaf > 0.95);
  assert.ok(cov[0].numbers.share_shaf > 0.95);
  assert.match(cov[0].message, /dryness is zero in every month/);
});

test("a driver zero or constant only where nothing burns is not flagged", () => {
  const ds = cleanWorld();
  const wet = ds.withFields([
    monthly("dryness", ds.time, (la, lo, m, y) => (la > 40 ? 0 : dryness(la, lo, m, y))),
  ]);
  assert.equal(
    auditDataset({ dataset: wet, target: "burned_area" }).filter((x) => x.check === "burned-coverage").length,
    0,
  );
});

test("a driver frozen at a non-zero value where fire is, is caught as constant", () => {
  const ds = cleanWorld();
  const frozen = ds.withFields([
    monthly("dryness", ds.time, (la, lo, m, y) =>
      lo > 60 && lo < 150 && Math.abs(la) < 25 ? 0.37 : dryness(la, lo, m, y),
    ),
  ]);
  const cov = auditDataset({ dataset: frozen, target: "burned_area" }).filter(
    (x) => x.check === "burned-coverage",
  );
  assert.equal(cov.length, 1);
  assert.match(cov[0].message, /constant in time/);
});

test("zero cropland where fire is may be genuine: at most a warning", () => {
  const ds = cleanWorld();
  const crops = ds.withFields([staticField("cropland", (la) => (Math.abs(la) < 25 ? 0 : 0.3))]);
  const cov = auditDataset({ dataset: crops, target: "burned_area" }).filter(
    (x) => x.check === "burned-coverage",
  );
  assert.equal(cov.length, 1);
  assert.equal(cov[0].severity, "warning");
  assert.match(cov[0].message, /may be genuine/);
});
