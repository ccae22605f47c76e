/**
 * A FitProblem as plain data whose arrays live in shared memory, so that worker threads rebuild it
 * without copying the dataset (the arrays are shared; only the prepared references are rebuilt).
 */
import { CellIndex } from "../../grid/cells.ts";
import { Dataset } from "../../grid/dataset.ts";
import type { Field } from "../../grid/field.ts";
import { Grid } from "../../grid/grid.ts";
import { TimeAxis } from "../../grid/time.ts";
import { toShared } from "../parallel/shared.ts";
import { FitProblem, type MetricSpec } from "./problem.ts";

export interface PlainProblem {
  readonly latBounds: Float64Array;
  readonly lonBounds: Float64Array;
  readonly cells: Int32Array;
  readonly years: Int32Array;
  readonly months: Int32Array;
  readonly fields: { name: string; units: string; isStatic: boolean; data: Float32Array }[];
  readonly target: string;
  readonly train: number[];
  readonly validation: number[];
  readonly metric: MetricSpec;
}

export function toPlainProblem(p: FitProblem): PlainProblem {
  const ds = p.dataset;
  return {
    latBounds: toShared(ds.grid.latBounds),
    lonBounds: toShared(ds.grid.lonBounds),
    cells: toShared(ds.cells.flat),
    years: toShared(ds.time.years),
    months: toShared(ds.time.months),
    fields: [...ds.fields.values()].map((f) => ({
      name: f.name,
      units: f.units,
      isStatic: f.isStatic,
      data: toShared(f.data),
    })),
    target: p.target,
    train: [...p.train],
    validation: [...p.validation],
    metric: p.metric,
  };
}

export function fromPlainProblem(x: PlainProblem): FitProblem {
  const grid = new Grid(x.latBounds, x.lonBounds);
  const fields: Field[] = x.fields.map((f) => ({
    name: f.name,
    units: f.units,
    isStatic: f.isStatic,
    data: f.data,
  }));
  const dataset = new Dataset(grid, new TimeAxis(x.years, x.months), new CellIndex(grid, x.cells), fields);
  return FitProblem.create({
    dataset,
    target: x.target,
    train: x.train,
    validation: x.validation,
    metric: x.metric,
  });
}
