/**
 * Residual fields for maps: the per-cell maps ILAMB writes (bias, bias score, RMSE score, phase shift,
 * both period means) and each region's mean seasonal cycle of reference and model.
 */
import type { CellIndex } from "../grid/cells.ts";
import { evaluateCells, type EvaluateOptions } from "./evaluate.ts";
import type { PreparedReference } from "./prepare.ts";
import type { Workspace } from "./workspace.ts";

export interface RegionCycles {
  readonly region: string;
  /** Area-mean climatology over the region's scored cells, 12 slots (first slot = first month kept). */
  readonly ref: Float64Array;
  readonly model: Float64Array;
}

/** Per-cell maps over `cells` (NaN where ILAMB masks the map). */
export interface ResidualFields {
  readonly cells: CellIndex;
  /** Model minus reference period mean, on the intersection I. */
  readonly bias: Float64Array;
  readonly biasScore: Float64Array;
  readonly rmseScore: Float64Array;
  /** Model peak minus reference peak in months (days / 30), wrapped to ±6.08. */
  readonly phaseShiftMonths: Float64Array;
  /** Reference period mean where the reference has data. */
  readonly refMean: Float64Array;
  /** Model period mean where the model has data. */
  readonly modelMean: Float64Array;
  readonly cycles: readonly RegionCycles[];
}

export function residualFields(
  prep: PreparedReference,
  model: Float32Array | Float64Array,
  opts: EvaluateOptions = {},
): ResidualFields {
  return residualsOf(prep, evaluateCells(prep, model, opts));
}

/** The residual fields of the model last evaluated into `ws` (copies: the workspace is reused). */
export function residualsOf(prep: PreparedReference, ws: Workspace): ResidualFields {
  const phase = Float64Array.from(ws.shiftDays, (d) => d / 30);
  const cycles: RegionCycles[] = prep.hasCycle
    ? prep.regions.map((r) => ({
        region: r.label,
        ref: regionCycle(prep.cycle, r.members, ws, prep),
        model: regionCycle(ws.cycle, r.members, ws, prep),
      }))
    : [];
  return {
    cells: prep.cells,
    bias: Float64Array.from(ws.bias),
    biasScore: Float64Array.from(ws.biasScore),
    rmseScore: Float64Array.from(ws.rmseScore),
    phaseShiftMonths: phase,
    refMean: Float64Array.from(prep.refMean),
    modelMean: Float64Array.from(ws.modelMean),
    cycles,
  };
}

/**
 * `cycle.integrateInSpace(region, mean=True)` on the cycles masked to I: each slot sums its unmasked cells,
 * divided by the area of every cell with at least one unmasked slot (ILAMB's measure).
 */
function regionCycle(
  cycle: Float64Array,
  members: Int32Array,
  ws: Workspace,
  prep: PreparedReference,
): Float64Array {
  const nC = prep.nCell;
  const out = new Float64Array(12);
  let den = 0;
  for (const c of members) {
    if (!ws.inter[c]) continue;
    let any = false;
    for (let k = 0; k < 12; k++) {
      const v = cycle[k * nC + c];
      if (v === v) {
        out[k] += v * prep.areas[c];
        any = true;
      }
    }
    if (any) den += prep.areas[c];
  }
  for (let k = 0; k < 12; k++) out[k] /= den;
  return out;
}
