/**
 * Make a reference and a model read from files comparable, as ILAMB's `MakeComparable` does for two
 * fields on one grid: both are clipped to their overlapping months, and the cells kept are those valid in
 * either file (so the intersection/complement logic sees both masks). A different grid is an error.
 */
import { CellIndex } from "../grid/cells.ts";
import type { TimeAxis } from "../grid/time.ts";
import type { GriddedVariable } from "../io/types.ts";
import { KilnError } from "../util/errors.ts";

export interface ComparablePair {
  readonly cells: CellIndex;
  readonly time: TimeAxis;
  /** `ref[t * nCell + c]`, NaN = masked. */
  readonly ref: Float64Array;
  readonly model: Float64Array;
}

/** Step indices of `axis` whose (year, month) lies in [first, last] (months counted as year·12 + m − 1). */
function stepsIn(axis: TimeAxis, first: number, last: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < axis.length; t++) {
    const k = axis.years[t] * 12 + axis.months[t] - 1;
    if (k >= first && k <= last) out.push(t);
  }
  return out;
}

function monthKey(axis: TimeAxis, t: number): number {
  return axis.years[t] * 12 + axis.months[t] - 1;
}

/** The model must already be in the reference's unit. */
export function makeComparable(ref: GriddedVariable, model: GriddedVariable): ComparablePair {
  if (!ref.time) {
    throw new KilnError(`'${ref.name}' has no time axis`, {
      where: ref.path,
      hint: "the reference must be a monthly series",
    });
  }
  if (!model.time) {
    throw new KilnError(`'${model.name}' has no time axis`, {
      where: model.path,
      hint: "the model must be a monthly series",
    });
  }
  if (!ref.grid.sameAs(model.grid)) {
    throw new KilnError(
      `the model is on a different grid from the reference: model ${model.path} is on ${model.grid.describe()}; ` +
        `reference ${ref.path} is on ${ref.grid.describe()}`,
      { hint: "regrid the model onto the reference grid first (Kiln scores on a common grid only)" },
    );
  }
  const rt = ref.time;
  const mt = model.time;
  const first = Math.max(monthKey(rt, 0), monthKey(mt, 0));
  const last = Math.min(monthKey(rt, rt.length - 1), monthKey(mt, mt.length - 1));
  const ri = stepsIn(rt, first, last);
  const mi = stepsIn(mt, first, last);
  if (ri.length === 0 || mi.length === 0) {
    throw new KilnError(`the model (${mt.describe()}) and the reference (${rt.describe()}) share no month`, {
      where: model.path,
      hint: "score a model over the reference's period",
    });
  }
  if (ri.length !== mi.length || ri.some((t, k) => monthKey(rt, t) !== monthKey(mt, mi[k]))) {
    throw new KilnError(
      `after clipping to the common period the model has ${mi.length} months and the reference ${ri.length}; ` +
        `they must be the same months`,
      {
        where: `${model.path} vs ${ref.path}`,
        hint: "fill the missing months (with NaN) or trim both files",
      },
    );
  }
  const grid = ref.grid;
  const nG = grid.nCell;
  const valid = new Uint8Array(nG);
  for (const [v, steps] of [
    [ref, ri],
    [model, mi],
  ] as const) {
    for (const t of steps) {
      const o = t * nG;
      for (let g = 0; g < nG; g++) if (v.data[o + g] === v.data[o + g]) valid[g] = 1;
    }
  }
  const cells = CellIndex.fromMask(grid, valid);
  const nC = cells.length;
  const nT = ri.length;
  const r = new Float64Array(nT * nC);
  const m = new Float64Array(nT * nC);
  for (let k = 0; k < nT; k++) {
    const ro = ri[k] * nG;
    const mo = mi[k] * nG;
    for (let c = 0; c < nC; c++) {
      const g = cells.flat[c];
      r[k * nC + c] = ref.data[ro + g];
      m[k * nC + c] = model.data[mo + g];
    }
  }
  return { cells, time: rt.select(ri), ref: r, model: m };
}
