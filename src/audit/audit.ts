import { KilnError } from "../util/errors.ts";
import { checkUnitAttribute } from "./attributes.ts";
import { burnedByCell, checkConstant } from "./constant.ts";
import { checkBurnedCoverage } from "./coverage.ts";
import { checkNearDuplicates } from "./redundancy.ts";
import { breakdown, cellRegions, type CellRegions } from "./regions.ts";
import { checkShift, defaultAuditSplit } from "./shift.ts";
import { checkTimeAxis } from "./time.ts";
import type { AuditInput, AuditOptions, CheckId, Finding, Severity } from "./types.ts";
import { checkValues } from "./values.ts";

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Check every driver and the target before any fit (docs/audit.md). Returns the findings, errors first.
 * The search loop calls this before every run and stops on errors.
 */
export function auditDataset(input: AuditInput, opts: AuditOptions = {}): Finding[] {
  const ds = input.dataset;
  const skip = new Set<CheckId>(opts.skip ?? []);
  const on = (id: CheckId) => !skip.has(id);
  const findings: Finding[] = [];
  const targetName = opts.target ?? input.target;
  if (targetName === undefined) {
    findings.push({
      severity: "error",
      check: "target",
      variable: null,
      regions: [],
      numbers: {},
      message: "no target: the dataset names none and none was given",
      hint: "set `target:` in the dataset config, or pass --target NAME",
    });
  } else if (!ds.has(targetName)) {
    throw new KilnError(`the target '${targetName}' is not a field of the dataset`, {
      hint: `the fields are: ${ds.names().join(", ")}`,
    });
  }
  const target = targetName !== undefined && ds.has(targetName) ? ds.field(targetName) : undefined;
  const regions = cellRegions(ds.cells);
  const burned = target ? burnedByCell(ds, target) : undefined;
  const drivers = ds.names().filter((n) => n !== targetName);

  if (on("time-axis")) findings.push(...checkTimeAxis(ds.time.years, ds.time.months));
  for (const name of ds.names()) {
    const f = ds.field(name);
    const isTarget = name === targetName;
    if (on("nonfinite") || on("fill-value") || on("range")) {
      findings.push(...checkValues(ds, f, regions, isTarget).filter((x) => on(x.check)));
    }
    const src = input.sources?.[name];
    if (src && on("units-attribute")) findings.push(...checkUnitAttribute(ds, name, src));
    if (on("constant")) findings.push(...checkConstant(ds, f, regions, isTarget, burned));
    if (!isTarget && burned && on("burned-coverage")) {
      findings.push(...checkBurnedCoverage(ds, f, regions, burned));
    }
  }
  if (on("near-duplicate")) findings.push(...checkNearDuplicates(ds, drivers));
  if (on("shift")) {
    const years = ds.time.yearList();
    const split = opts.split ?? (years.length >= 2 ? defaultAuditSplit(years) : undefined);
    if (split) findings.push(...checkShift(ds, ds.names(), split, regions));
  }
  // "global" for a regional dataset (the Pantanal) means the boxes the dataset lies in
  const extent = datasetExtent(regions);
  return findings
    .map((f) => (f.regions.length === 1 && f.regions[0] === "global" ? { ...f, regions: extent } : f))
    .map((f, k) => ({ f, k }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.k - b.k)
    .map(({ f }) => f);
}

/** ["global"] for a dataset spread over most GFED boxes; otherwise the boxes holding its cells. */
function datasetExtent(regions: CellRegions): string[] {
  if (regions.labels.length >= 8) return ["global"];
  const n = regions.masks[0]?.length ?? 0;
  return breakdown(regions, new Float64Array(n).fill(1), 0.1).labels;
}
