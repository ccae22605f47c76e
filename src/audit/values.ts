import type { Dataset } from "../grid/dataset.ts";
import { driverInfo } from "../grid/drivers.ts";
import type { Field } from "../grid/field.ts";
import { breakdown, describeShares, pct, type CellRegions, type RegionBreakdown } from "./regions.ts";
import { fmt, quantile, sample, sortedCopy } from "./stats.ts";
import type { Finding } from "./types.ts";
import { implausibleMagnitude, looksLike, type ValueStats } from "./units.ts";

/** Values that are fill values leaking as numbers: huge magnitudes, and common sentinels. */
const SENTINELS = [-9999, -999, -99999, -32768, -32767, 32767, 65535, -9.96921e36, 9.96921e36];

export function isFillLike(x: number): boolean {
  const a = Math.abs(x);
  if (a >= 1e15) return true;
  if (a < 998) return false;
  for (const s of SENTINELS) if (Math.abs(x - s) <= 1e-6 * Math.abs(s)) return true;
  return false;
}

interface Tally {
  count: number;
  byCell: Float64Array;
  example: number;
}

/** One pass over a field: infinite, NaN, fill-like and out-of-range values, counted per cell. */
function tally(
  ds: Dataset,
  f: Field,
  min: number,
  max: number,
): { inf: Tally; nan: Tally; fill: Tally; outside: Tally } {
  const n = ds.nCell;
  const make = (): Tally => ({ count: 0, byCell: new Float64Array(n), example: NaN });
  const inf = make();
  const nan = make();
  const fill = make();
  const outside = make();
  const d = f.data;
  for (let k = 0; k < d.length;) {
    for (let c = 0; c < n; c++, k++) {
      const x = d[k];
      let hit: Tally | undefined;
      if (x !== x) hit = nan;
      else if (x === Infinity || x === -Infinity) hit = inf;
      else if (isFillLike(x)) hit = fill;
      else if (x < min || x > max) hit = outside;
      if (hit) {
        if (hit.count === 0) hit.example = x;
        hit.count++;
        hit.byCell[c]++;
      }
    }
  }
  return { inf, nan, fill, outside };
}

/** ", in nhaf 60%, shaf 30%" (nothing when it is everywhere). */
function within(r: RegionBreakdown, word = "in"): string {
  return r.labels[0] === "global" ? "" : `, ${word} ${describeShares(r.labels, r.shares)}`;
}

function statsOf(f: Field, nCell: number): ValueStats & { min: number; max: number } {
  const s = sortedCopy(sample(f.data, 200_000, nCell, isFillLike));
  return {
    p01: quantile(s, 0.01),
    p50: quantile(s, 0.5),
    p99: quantile(s, 0.99),
    min: s.length ? s[0] : NaN,
    max: s.length ? s[s.length - 1] : NaN,
  };
}

/**
 * NaN and ±Inf, fill values leaking as numbers, values outside the driver's physical range (with the unit
 * they look like instead), and in-range values of an implausible magnitude.
 */
export function checkValues(ds: Dataset, f: Field, regions: CellRegions, isTarget: boolean): Finding[] {
  const out: Finding[] = [];
  const name = f.name;
  const total = f.data.length;
  const info = driverInfo(name);
  const { inf, nan, fill, outside } = tally(ds, f, info?.min ?? -Infinity, info?.max ?? Infinity);
  if (inf.count > 0) {
    const r = breakdown(regions, inf.byCell);
    out.push({
      severity: "error",
      check: "nonfinite",
      variable: name,
      regions: r.labels,
      numbers: { count: inf.count, share: inf.count / total },
      message: `${name} has ${inf.count} infinite values (${pct(inf.count / total)})${within(r)}`,
      hint: "an infinite value is a computation error upstream (a division by zero, a log of 0): fix the file",
    });
  }
  if (nan.count > 0) {
    const share = nan.count / total;
    const r = breakdown(regions, nan.byCell);
    out.push({
      severity: share >= 0.5 ? "error" : "warning",
      check: "nonfinite",
      variable: name,
      regions: r.labels,
      numbers: { count: nan.count, share },
      message:
        `${name} is missing (NaN) in ${nan.count} of ${total} values (${pct(share)}) inside the valid cells` +
        within(r, "mostly"),
      hint: "fill the gaps, or choose the valid cells (`cells:` in the dataset config) where every field has data",
    });
  }

  if (fill.count > 0) {
    const example = fill.example;
    const r = breakdown(regions, fill.byCell);
    out.push({
      severity: "error",
      check: "fill-value",
      variable: name,
      regions: r.labels,
      numbers: { count: fill.count, share: fill.count / total, value: example },
      message:
        `${name} holds ${fill.count} values like ${fmt(example)} (${pct(fill.count / total)}): a fill value ` +
        `leaking as a number${within(r)}`,
      hint: "declare the file's fill value (_FillValue or missing_value) so that the reader turns it into NaN",
    });
  }

  if (!info) return out;
  const stats = statsOf(f, ds.nCell);
  const unitGuess = looksLike(name, stats);
  if (outside.count > 0) {
    const share = outside.count / total;
    const r = breakdown(regions, outside.byCell);
    const severe = share >= 0.01 || unitGuess !== undefined || isTarget;
    out.push({
      severity: severe ? "error" : "warning",
      check: "range",
      variable: name,
      regions: r.labels,
      numbers: {
        count: outside.count,
        share,
        min: stats.min,
        max: stats.max,
        p01: stats.p01,
        p99: stats.p99,
      },
      message:
        `${name} has ${outside.count} values (${pct(share)}) outside its physical range ${info.min}..${info.max} ` +
        `${info.units} (values ${fmt(stats.min)}..${fmt(stats.max)}, 1–99% ${fmt(stats.p01)}..${fmt(stats.p99)})` +
        (unitGuess ? `; they look like ${unitGuess}, not ${info.units}` : "") +
        within(r),
      hint: unitGuess
        ? `declare \`units: ${unitGuess}\` for ${name} in the dataset config so that Kiln converts it to ${info.units}`
        : `check the file's units and values; ${name} is expected in ${info.units}`,
    });
  } else if (implausibleMagnitude(name, stats)) {
    out.push({
      severity: "warning",
      check: "range",
      variable: name,
      regions: ["global"],
      numbers: { p01: stats.p01, p50: stats.p50, p99: stats.p99 },
      message:
        `${name} is within ${info.min}..${info.max} ${info.units} but of an unusual size ` +
        `(1–99% ${fmt(stats.p01)}..${fmt(stats.p99)})` +
        (unitGuess ? `; it looks like ${unitGuess}, not ${info.units}` : ""),
      hint: unitGuess
        ? `declare \`units: ${unitGuess}\` for ${name} in the dataset config`
        : `check the file's units: ${name} is expected in ${info.units}`,
    });
  }
  return out;
}
