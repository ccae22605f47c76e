/**
 * Where a fitted form is most wrong on the validation years, for the proposer's feedback: the regions
 * that carry fire and score worst, and the (region, calendar month) pairs with the largest burned-area
 * error of the mean seasonal cycle.
 */
import type { ScoreSummary } from "../../bench/summary.ts";
import type { FitProblem } from "../../fit/form/problem.ts";
import type { Form } from "../../forms/form.ts";
import { ilambRegions } from "../../grid/regions.ts";
import type { Feedback } from "../types.ts";

/** Regions holding less than this share of the validation burned area are not reported. */
const MIN_SHARE = 0.02;
const N_REGIONS = 3;
const N_MONTHS = 5;

type Residuals = NonNullable<Feedback["residuals"]>;

export function residualFeedback(
  problem: FitProblem,
  form: Form,
  params: ArrayLike<number>,
  validation: ScoreSummary,
): Residuals {
  const ds = problem.dataset;
  const nC = ds.nCell;
  const pred = problem.predict(form, params);
  const ref = ds.field(problem.target).data;
  const steps = ds.time.indicesOfYears(problem.validation);
  const boxes = problem.metric.regions.filter((r) => r !== "global");
  const labels = boxes.length ? boxes : ["global"];
  const regions = ilambRegions(ds.grid, labels);
  const areas = ds.cells.areas;
  const flat = ds.cells.flat;
  const nYears = Math.max(1, problem.validation.length);

  // Per region and calendar month: area-weighted burned area (m² per month, averaged over years).
  const mod = new Float64Array(regions.length * 12);
  const obs = new Float64Array(regions.length * 12);
  const regionArea = new Float64Array(regions.length);
  const members = regions.map((r) => {
    const m: number[] = [];
    for (let c = 0; c < nC; c++) if (r.mask[flat[c]]) m.push(c);
    return Int32Array.from(m);
  });
  members.forEach((m, k) => {
    for (const c of m) regionArea[k] += areas[c];
  });
  for (const t of steps) {
    const month = ds.time.months[t] - 1;
    const o = t * nC;
    members.forEach((m, k) => {
      let sm = 0;
      let so = 0;
      for (const c of m) {
        const r = ref[o + c];
        const p = pred[o + c];
        if (r === r && p === p) {
          sm += p * areas[c];
          so += r * areas[c];
        }
      }
      mod[k * 12 + month] += sm / nYears;
      obs[k * 12 + month] += so / nYears;
    });
  }
  let total = 0;
  const burned = regions.map((_, k) => {
    let s = 0;
    for (let m = 0; m < 12; m++) s += obs[k * 12 + m];
    total += s;
    return s;
  });
  const fiery = regions.map((_, k) => k).filter((k) => total > 0 && burned[k] / total >= MIN_SHARE);

  const worstRegions = fiery
    .map((k) => ({ label: regions[k].label, s: validation.regions[regions[k].label] }))
    .filter((x) => x.s && x.s.overall[validation.convention] !== null)
    .sort(
      (a, b) =>
        a.s!.overall[validation.convention]! - b.s!.overall[validation.convention]! ||
        a.label.localeCompare(b.label),
    )
    .slice(0, N_REGIONS)
    .map((x) => ({
      region: x.label,
      overall: x.s!.overall[validation.convention],
      bias: x.s!.bias,
      seasonal: x.s!.seasonal,
    }));

  const months: { region: string; month: number; model: number; reference: number; err: number }[] = [];
  for (const k of fiery) {
    for (let m = 0; m < 12; m++) {
      const a = regionArea[k];
      months.push({
        region: regions[k].label,
        month: m + 1,
        // mean burned fraction of the region in that month
        model: round(mod[k * 12 + m] / a),
        reference: round(obs[k * 12 + m] / a),
        err: Math.abs(mod[k * 12 + m] - obs[k * 12 + m]),
      });
    }
  }
  months.sort((a, b) => b.err - a.err || a.region.localeCompare(b.region) || a.month - b.month);
  const worstMonths = months
    .slice(0, N_MONTHS)
    .map(({ region, month, model, reference }) => ({ region, month, model, reference }));
  return { worstRegions, worstMonths };
}

/** Six significant digits: enough to read, and stable in JSON. */
function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : 0;
}
