import type { Dataset } from "../grid/dataset.ts";
import type { Field } from "../grid/field.ts";
import { breakdown, pct, type CellRegions } from "./regions.ts";
import { fmt } from "./stats.ts";
import type { Finding } from "./types.ts";
import { isFillLike } from "./values.ts";

/** Drivers whose zero means "none here" (no crops, no people, no flashes): zero where fire is may be true. */
const NATURAL_ZERO = new Set([
  "cropland",
  "pasture",
  "treecover",
  "totalcover",
  "popdens",
  "lightning",
  "gdp",
]);

/** Thresholds on the share of the target's burned area held by the driver's dead cells. */
export const COVERAGE_ERROR_SHARE = 0.1;
export const COVERAGE_WARNING_SHARE = 0.03;

/**
 * The dryness bug of origin.md: a driver that is zero or constant over a large share of the target's
 * burned area. A cell is "dead" for a driver when the driver does not change there in any month although
 * it changes in most other cells (for a monthly driver), or when it is zero there (for a static one, or
 * one that never changes in time). The share of the burned area (fraction × cell area, all months) in
 * dead cells is what the optimizer would have to fit without this driver, or with a wrong value of it.
 */
export function checkBurnedCoverage(
  ds: Dataset,
  f: Field,
  regions: CellRegions,
  burned: Float64Array,
): Finding[] {
  const n = ds.nCell;
  const nT = f.isStatic ? 1 : ds.nTime;
  const first = new Float64Array(n).fill(NaN);
  const varies = new Uint8Array(n);
  const allZero = new Uint8Array(n).fill(1);
  for (let t = 0; t < nT; t++) {
    for (let c = 0; c < n; c++) {
      const x = f.data[t * n + c];
      if (x !== x || isFillLike(x)) continue;
      if (x !== 0) allZero[c] = 0;
      if (first[c] !== first[c]) first[c] = x;
      else if (x !== first[c]) varies[c] = 1;
    }
  }
  const areas = ds.cells.areas;
  let area = 0;
  let varyingArea = 0;
  for (let c = 0; c < n; c++) {
    if (first[c] !== first[c]) continue;
    area += areas[c];
    if (varies[c]) varyingArea += areas[c];
  }
  const monthly = !f.isStatic && varyingArea >= 0.5 * area;
  const dead = new Uint8Array(n);
  let allDeadZero = true;
  for (let c = 0; c < n; c++) {
    if (first[c] !== first[c]) continue;
    dead[c] = monthly ? (varies[c] ? 0 : 1) : allZero[c];
    if (dead[c] && !allZero[c]) allDeadZero = false;
  }
  let totalBurned = 0;
  let deadBurned = 0;
  let deadArea = 0;
  let deadCells = 0;
  const deadWeight = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    totalBurned += burned[c];
    if (!dead[c] || !(burned[c] > 0)) continue;
    // only the dead cells that burn matter (an always-wet cell has a constant dryness and no fire)
    deadCells++;
    deadArea += areas[c];
    deadBurned += burned[c];
    deadWeight[c] = burned[c];
  }
  if (!(totalBurned > 0) || deadCells === 0) return [];
  const share = deadBurned / totalBurned;
  const natural = !monthly || (NATURAL_ZERO.has(f.name) && allDeadZero);
  const severity =
    !natural && share >= COVERAGE_ERROR_SHARE
      ? "error"
      : !natural && share >= COVERAGE_WARNING_SHARE
        ? "warning"
        : natural && share >= 0.25
          ? "warning"
          : natural && share >= COVERAGE_ERROR_SHARE
            ? "info"
            : undefined;
  if (!severity) return [];
  const r = breakdown(regions, deadWeight, 0.05);
  // the share of each region's own burned area that is affected
  const own: Record<string, number> = {};
  regions.masks.forEach((m, k) => {
    let all = 0;
    let hit = 0;
    for (let c = 0; c < n; c++) {
      if (!m[c]) continue;
      all += burned[c];
      hit += deadWeight[c];
    }
    if (all > 0 && hit > 0) own[regions.labels[k]] = hit / all;
  });
  const where = r.labels
    .filter((l) => own[l] !== undefined)
    .map((l) => `${l}: ${pct(own[l])} of its burned area`)
    .join(", ");
  const what = allDeadZero ? "zero" : "constant in time";
  const numbers: Record<string, number> = {
    burnedShare: share,
    areaShare: area > 0 ? deadArea / area : 0,
    cells: deadCells,
  };
  for (const l of r.labels) if (own[l] !== undefined) numbers[`share_${l}`] = own[l];
  return [
    {
      severity,
      check: "burned-coverage",
      variable: f.name,
      regions: r.labels,
      numbers,
      message:
        `${f.name} is ${what}${monthly ? " in every month" : ""} in ${deadCells} cells where the target burns, ` +
        `holding ${pct(share)} of its burned area on ${pct(numbers.areaShare)} of the land` +
        (where ? ` (${where})` : "") +
        (natural
          ? `; zero may be genuine for ${f.name}, but check it`
          : `; a model fitted to this would learn the bug (origin.md, lesson one)`),
      hint: natural
        ? `confirm that ${f.name} is really ${allDeadZero ? "zero" : fmt(first[0])} where fire is`
        : `recompute ${f.name} for ${r.labels.join(", ")} and compare with its neighbours before any fit`,
    },
  ];
}
