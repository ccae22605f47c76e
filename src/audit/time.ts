import type { Finding } from "./types.ts";

function ym(k: number): string {
  const y = Math.floor(k / 12);
  const m = (k % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}

function list(keys: number[], max = 6): string {
  const shown = keys.slice(0, max).map(ym).join(", ");
  return keys.length > max ? `${shown} and ${keys.length - max} more` : shown;
}

/**
 * A monthly time axis given as parallel year and month arrays (a file's axis before it becomes a
 * TimeAxis, or a TimeAxis's own arrays): duplicated months and months out of order are errors; missing
 * months inside the span are errors; partial first or last years are info (annual sums need whole years).
 */
export function checkTimeAxis(years: ArrayLike<number>, months: ArrayLike<number>): Finding[] {
  const out: Finding[] = [];
  const n = years.length;
  if (n === 0) {
    return [
      {
        severity: "error",
        check: "time-axis",
        variable: null,
        regions: [],
        numbers: { steps: 0 },
        message: "the time axis is empty",
      },
    ];
  }
  const keys: number[] = [];
  for (let t = 0; t < n; t++) keys.push(years[t] * 12 + (months[t] - 1));
  const seen = new Map<number, number>();
  const dup: number[] = [];
  const backwards: number[] = [];
  for (let t = 0; t < n; t++) {
    const k = keys[t];
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 2) dup.push(k);
    if (t > 0 && k < keys[t - 1]) backwards.push(k);
  }
  if (dup.length) {
    out.push({
      severity: "error",
      check: "time-axis",
      variable: null,
      regions: [],
      numbers: { duplicated: dup.length },
      message: `${dup.length} month(s) appear more than once on the time axis: ${list(dup)}`,
      hint: "a file concatenated twice, or a 360-day calendar decoded as noleap: keep one value per month",
    });
  }
  if (backwards.length) {
    out.push({
      severity: "error",
      check: "time-axis",
      variable: null,
      regions: [],
      numbers: { outOfOrder: backwards.length },
      message: `the time axis goes backwards at ${list(backwards)}`,
      hint: "sort the file by time",
    });
  }
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  const missing: number[] = [];
  for (let k = lo; k <= hi; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length) {
    out.push({
      severity: "error",
      check: "time-axis",
      variable: null,
      regions: [],
      numbers: { missing: missing.length, span: hi - lo + 1 },
      message: `${missing.length} month(s) are missing between ${ym(lo)} and ${ym(hi)}: ${list(missing)}`,
      hint: "seasonal cycles, accumulations and annual sums assume consecutive months: fill the gap or choose other years",
    });
  }
  if (lo % 12 !== 0 || hi % 12 !== 11) {
    out.push({
      severity: "info",
      check: "time-axis",
      variable: null,
      regions: [],
      numbers: { first: lo, last: hi },
      message: `the data run from ${ym(lo)} to ${ym(hi)}: the first or last year is partial`,
      hint: "splits and annual sums use whole years; partial years are left out of them",
    });
  }
  return out;
}
