import { TrialPruned, type TrialHandle } from "./trial.ts";

/** One fidelity of an objective: its resource (cells, years… used as the report step) and its score. */
export interface Fidelity {
  resource: number;
  score: () => number | Promise<number>;
}

/**
 * Multi-fidelity scoring: evaluates the stages cheapest first and reports each value at step = resource;
 * after each stage but the last, throws TrialPruned if the study's pruner (median or successive
 * halving) says so. Returns the last (full) stage's value. The objective decides what is cheap:
 * a sample of cells, a subset of years, a coarser grid.
 */
export async function scoreInStages(trial: TrialHandle, stages: Fidelity[]): Promise<number> {
  if (stages.length === 0) throw new Error("scoreInStages needs at least one stage");
  for (let k = 1; k < stages.length; k++)
    if (!(stages[k].resource > stages[k - 1].resource))
      throw new Error("scoreInStages: resources must increase from stage to stage");
  let value = NaN;
  for (let k = 0; k < stages.length; k++) {
    value = await stages[k].score();
    await trial.report(value, stages[k].resource);
    if (k === stages.length - 1) break;
    if (await trial.shouldPrune())
      throw new TrialPruned(`pruned after stage ${k + 1} (resource ${stages[k].resource})`);
  }
  return value;
}
