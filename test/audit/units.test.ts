import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { auditDataset } from "../../src/audit/index.ts";
import type { SourceLike } from "../../src/audit/types.ts";
import { loadDataset } from "../../src/io/dataset-config.ts";
import { cleanWorld, monthly } from "./fixtures.ts";

const src = (fileUnits: string | undefined, declaredUnits: string, internalUnits: string): SourceLike => ({
  file: "/data/x.nc",
  variable: "x",
  fileUnits,
  declaredUnits,
  scale: 1,
  internalUnits,
});

function world() {
  const ds = cleanWorld();
  return ds.withFields([monthly("vpd", ds.time, (la, lo, m) => 1 + 2 * Math.abs(Math.sin(la + lo + m)))]);
}

test("a file units attribute that disagrees with the declared units is reported, with a verdict", () => {
  const ds = world();
  const f = auditDataset({ dataset: ds, target: "burned_area", sources: { vpd: src("K", "Pa", "kPa") } });
  const u = f.filter((x) => x.check === "units-attribute");
  assert.equal(u.length, 1);
  assert.equal(u[0].severity, "warning");
  assert.equal(u[0].variable, "vpd");
  assert.match(u[0].message, /says units 'K'/);
  assert.match(u[0].message, /declares 'Pa'/);
  assert.match(u[0].message, /file's attribute looks wrong/);
});

test("the same unit spelled differently is info; agreeing units are silent; a missing attribute is info", () => {
  const ds = world();
  const f = auditDataset({
    dataset: ds,
    target: "burned_area",
    sources: {
      vpd: src("kPa", "kPa", "kPa"),
      pr: src("mm/day", "mm day-1", "mm day-1"),
      tas: src(undefined, "degC", "degC"),
    },
  });
  const byVar = Object.fromEntries(
    f.filter((x) => x.check === "units-attribute").map((x) => [x.variable, x]),
  );
  assert.equal(byVar.vpd, undefined);
  assert.equal(byVar.pr.severity, "info");
  assert.match(byVar.pr.message, /same unit spelled differently/);
  assert.equal(byVar.tas.severity, "info");
  assert.match(byVar.tas.message, /no units attribute/);
});

test("a declaration that makes the values implausible is an error", () => {
  const ds = cleanWorld();
  // the config says kPa but the numbers are pascals (and the file said Pa)
  const pa = ds.withFields([
    monthly("vpd", ds.time, (la, lo, m) => 1000 + 2000 * Math.abs(Math.sin(la + lo + m))),
  ]);
  const f = auditDataset({ dataset: pa, target: "burned_area", sources: { vpd: src("Pa", "kPa", "kPa") } });
  const u = f.filter((x) => x.check === "units-attribute");
  assert.equal(u[0].severity, "error");
  assert.match(u[0].message, /×0\.001/);
  assert.match(u[0].message, /declaration looks wrong/);
  assert.match(u[0].message, /read as 'Pa'.*plausible/);
});

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shared = path.resolve(repo, "../shared/data/pantanal");
const pantanal = path.join(repo, "examples/pantanal/dataset.yaml");

test(
  "the Pantanal set's VPD unit trap is reported",
  {
    skip:
      !fs.existsSync(shared) || !fs.existsSync(pantanal)
        ? "needs ../shared/data/pantanal and examples/pantanal"
        : false,
  },
  async () => {
    const loaded = await loadDataset(pantanal);
    const f = auditDataset(loaded);
    const vpd = f.find((x) => x.check === "units-attribute" && x.variable === "vpd");
    assert.ok(vpd, "no units-attribute finding for vpd");
    assert.equal(vpd.severity, "warning");
    assert.match(vpd.message, /'K'/);
    assert.match(vpd.message, /'Pa'/);
    assert.deepEqual(vpd.regions, ["shsa"]);
    assert.ok(!f.some((x) => x.severity === "error"), "the Pantanal set as configured has no errors");
  },
);
