import assert from "node:assert/strict";
import { test } from "node:test";
import { auditDataset, formatFindings } from "../../src/audit/index.ts";
import { generateWorld } from "../../src/world/index.ts";

// The default world (2°, 1997–2016), generated in memory: the same data `kiln world` writes.

test("the default world audits with no errors", () => {
  const w = generateWorld();
  assert.equal(w.dataset.nTime, 240);
  const findings = auditDataset({ dataset: w.dataset, target: w.target });
  assert.ok(!findings.some((f) => f.severity === "error"), formatFindings(findings));
});

test("the dryness-bug world fails the audit with an error naming dryness, the regions and the share", () => {
  const w = generateWorld({ scenario: "dryness-bug" });
  const findings = auditDataset({ dataset: w.dataset, target: w.target });
  const errors = findings.filter((f) => f.severity === "error");
  assert.equal(errors.length, 1, formatFindings(findings));
  const e = errors[0];
  assert.equal(e.check, "burned-coverage");
  assert.equal(e.variable, "dryness");
  assert.deepEqual([...e.regions].sort(), ["nhaf", "shaf"]);
  assert.ok(e.numbers.burnedShare > 0.3, `share ${e.numbers.burnedShare}`);
  assert.match(e.message, /in \d+ cells where the target burns, holding \d+% of its burned area/);
});
