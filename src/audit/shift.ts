import type { Dataset } from "../grid/dataset.ts";
import type { YearSplit } from "../grid/split.ts";
import type { CellRegions } from "./regions.ts";
import { fmt, ksStatistic, quantile } from "./stats.ts";
import type { Finding } from "./types.ts";
import { isFillLike } from "./values.ts";

/** The default split for the audit: the last 20% of the years (at least one) are the holdout. */
export function defaultAuditSplit(years: readonly number[]): Pick<YearSplit, "train" | "holdout"> {
  const nHold = Math.max(1, Math.round(0.2 * years.length));
  return { train: years.slice(0, years.length - nHold), holdout: years.slice(years.length - nHold) };
}

interface Moments {
  /** A subsample of the values, for the KS statistic and the quantiles. */
  values: Float64Array;
  /** Per cell: count, sum and sum of squares of the values. */
  count: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

function momentsOfYears(ds: Dataset, name: string, years: readonly number[]): Moments {
  const f = ds.field(name);
  const n = ds.nCell;
  const steps = ds.time.indicesOfYears(years);
  const count = new Float64Array(n);
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const stride = Math.max(1, Math.floor((steps.length * n) / 50_000));
  const vals: number[] = [];
  let k = 0;
  for (const t of steps) {
    const base = t * n;
    for (let c = 0; c < n; c++, k++) {
      const x = f.data[base + c];
      if (x !== x || isFillLike(x)) continue;
      count[c]++;
      sum[c] += x;
      sumSq[c] += x * x;
      if (k % stride === 0) vals.push(x);
    }
  }
  return { values: Float64Array.from(vals).sort(), count, sum, sumSq };
}

/** Mean and standard deviation over the cells where mask is set (all cells without a mask). */
function pooled(m: Moments, mask?: Uint8Array): { mean: number; sd: number } {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let c = 0; c < m.count.length; c++) {
    if (mask && !mask[c]) continue;
    n += m.count[c];
    s += m.sum[c];
    s2 += m.sumSq[c];
  }
  if (n < 2) return { mean: NaN, sd: NaN };
  const mean = s / n;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / n - mean * mean)) };
}

/**
 * Each monthly field's distribution in the holdout years against the training years: the two-sample
 * Kolmogorov–Smirnov statistic D, the standardised mean difference, and the share of holdout values
 * outside the training values' 0.5–99.5% span. A warning when D ≥ 0.2, |SMD| ≥ 0.5 or that share ≥ 10%;
 * info when D ≥ 0.1 or |SMD| ≥ 0.25. The regions are the GFED boxes whose own mean shifts most.
 */
export function checkShift(
  ds: Dataset,
  names: readonly string[],
  split: Pick<YearSplit, "train" | "holdout">,
  regions: CellRegions,
): Finding[] {
  const out: Finding[] = [];
  if (split.train.length === 0 || split.holdout.length === 0) return out;
  for (const name of names) {
    if (ds.field(name).isStatic) continue;
    const mt = momentsOfYears(ds, name, split.train);
    const mh = momentsOfYears(ds, name, split.holdout);
    const tr = mt.values;
    const ho = mh.values;
    if (tr.length < 10 || ho.length < 10) continue;
    const d = ksStatistic(tr, ho);
    const a = pooled(mt);
    const b = pooled(mh);
    const smd = a.sd > 0 ? (b.mean - a.mean) / a.sd : 0;
    const lo = quantile(tr, 0.005);
    const hi = quantile(tr, 0.995);
    let outside = 0;
    for (const x of ho) if (x < lo || x > hi) outside++;
    const outShare = outside / ho.length;
    const warn = d >= 0.2 || Math.abs(smd) >= 0.5 || outShare >= 0.1;
    const note = d >= 0.1 || Math.abs(smd) >= 0.25;
    if (!warn && !note) continue;
    const regional: [string, number][] = [];
    regions.masks.forEach((m, r) => {
      const rt = pooled(mt, m);
      const rh = pooled(mh, m);
      if (rt.sd > 0 && Number.isFinite(rh.mean))
        regional.push([regions.labels[r], (rh.mean - rt.mean) / rt.sd]);
    });
    regional.sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]));
    const top = regional.filter(([, s]) => Math.abs(s) >= 0.25).slice(0, 4);
    const numbers: Record<string, number> = { ks: d, smd, outsideShare: outShare };
    for (const [l, s] of top) numbers[`smd_${l}`] = s;
    out.push({
      severity: warn ? "warning" : "info",
      check: "shift",
      variable: name,
      regions: top.length ? top.map(([l]) => l) : ["global"],
      numbers,
      message:
        `${name} shifts between the training years (${span(split.train)}) and the holdout (${span(split.holdout)}): ` +
        `KS D = ${fmt(d)}, mean ${fmt(a.mean)} → ${fmt(b.mean)} (${fmt(smd)} sd), ` +
        `${(100 * outShare).toFixed(1)}% of holdout values outside the training span` +
        (top.length ? `; most in ${top.map(([l, s]) => `${l} (${fmt(s)} sd)`).join(", ")}` : ""),
      hint: warn
        ? "a form fitted on the training years extrapolates here: expect the holdout score to suffer"
        : "a mild shift; worth knowing when reading the holdout score",
    });
  }
  return out;
}

function span(years: readonly number[]): string {
  return years.length === 1 ? `${years[0]}` : `${years[0]}–${years[years.length - 1]}`;
}
