/**
 * Residual fields (bench's residualFields: bias, phase shift, RMSE score, period means and each region's
 * mean seasonal cycle) of the chosen forms over the validation years of the search view. The holdout years
 * are never loaded here: the only code that reads them is search/holdout.ts.
 */
import { prepareReference, referenceOf, type PreparedReference } from "../bench/prepare.ts";
import { residualFields, type ResidualFields } from "../bench/residuals.ts";
import type { FitProblem } from "../fit/form/problem.ts";
import { checkFormObject } from "../forms/check.ts";
import { ilambRegions } from "../grid/regions.ts";
import type { ReportRow } from "./roster.ts";

export interface ModelResiduals {
  readonly row: ReportRow;
  readonly fields: ResidualFields;
}

export interface ResidualView {
  /** The years the fields cover (the validation years; the training years when there are none). */
  readonly years: readonly number[];
  readonly part: "validation" | "train";
  readonly prep: PreparedReference;
  /** Unit of the period means and bias (burned area scored as % of the cell per month, as ILAMB does). */
  readonly units: string;
  readonly models: readonly ModelResiduals[];
}

/** The same ILAMB settings the search scored with (FitProblem's), over one part of the search view. */
export function preparePart(problem: FitProblem, ys: readonly number[]): PreparedReference {
  const ds = problem.dataset;
  return prepareReference(referenceOf(ds.selectYears(ys), problem.target), {
    regions: ilambRegions(ds.grid, problem.metric.regions),
    rmseBasis: problem.metric.rmseBasis,
    massWeighting: problem.metric.massWeighting,
    iav: "component",
    dataScale: 100,
  });
}

export function residualView(problem: FitProblem, rows: readonly ReportRow[]): ResidualView {
  const part = problem.validation.length ? "validation" : "train";
  const ys = part === "validation" ? problem.validation : problem.train;
  const prep = preparePart(problem, ys);
  const idx = problem.dataset.time.indicesOfYears(ys);
  const models: ModelResiduals[] = [];
  for (const row of rows) {
    if (!row.params) continue;
    const form = checkFormObject(row.spec, `${row.label} ${row.key}`);
    const vector = form.vectorFrom(row.params);
    const pred = problem.predict(form, vector);
    models.push({ row, fields: residualFields(prep, pred, { modelTimeIndices: idx }) });
  }
  return { years: [...ys], part, prep, units: "% of cell month⁻¹", models };
}
