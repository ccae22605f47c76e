import type { Dataset } from "../grid/dataset.ts";
import { fmt } from "./stats.ts";
import type { Finding } from "./types.ts";
import { isFillLike } from "./values.ts";

export const NEAR_DUPLICATE_R = 0.95;
const MAX_SAMPLES = 100_000;

/**
 * Near-duplicate drivers: Pearson correlation over the same cell-months (static fields repeated over
 * time), |r| > 0.95 as an info-level redundancy hint, |r| > 0.999 as a warning (the same variable twice?).
 */
export function checkNearDuplicates(ds: Dataset, names: readonly string[]): Finding[] {
  const n = ds.nCell;
  const nT = ds.nTime;
  const total = n * nT;
  let step = Math.max(1, Math.ceil(total / MAX_SAMPLES));
  // keep the sample from locking onto a few cells of the time-major layout
  while (step > 1 && gcdOf(step, n) !== 1) step++;
  const idx: number[] = [];
  for (let k = 0; k < total; k += step) idx.push(k);
  const columns: Float64Array[] = names.map((name) => {
    const f = ds.field(name);
    return Float64Array.from(idx, (k) => {
      const x = f.isStatic ? f.data[k % n] : f.data[k];
      return x === x && !isFillLike(x) ? x : NaN;
    });
  });
  const out: Finding[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const r = pearson(columns[a], columns[b]);
      if (!(Math.abs(r) > NEAR_DUPLICATE_R)) continue;
      const same = Math.abs(r) > 0.999;
      out.push({
        severity: same ? "warning" : "info",
        check: "near-duplicate",
        variable: names[a],
        with: names[b],
        regions: ["global"],
        numbers: { r },
        message: same
          ? `${names[a]} and ${names[b]} are the same up to a linear map (r = ${fmt(r)}): one variable loaded twice?`
          : `${names[a]} and ${names[b]} are near-duplicates (r = ${fmt(r)}): a form using both spends ` +
            `parameters on one signal; Shapley values will split their credit`,
        hint: same ? "check the two files and variables" : "a redundancy hint, not an error",
      });
    }
  }
  return out;
}

function gcdOf(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < x.length; k++) {
    if (x[k] !== x[k] || y[k] !== y[k]) continue;
    n++;
    sx += x[k];
    sy += y[k];
  }
  if (n < 3) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < x.length; k++) {
    if (x[k] !== x[k] || y[k] !== y[k]) continue;
    const dx = x[k] - mx;
    const dy = y[k] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
