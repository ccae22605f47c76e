/**
 * The fitting objective of a form: predict over the training months, score them with ILAMB, return the
 * frame's Overall (higher is better). The same code runs in-process and in worker threads.
 */
import type { Form } from "../../forms/form.ts";
import type { BoundKernel } from "../../forms/kernel.ts";
import { KilnError } from "../../util/errors.ts";
import type { Params } from "../space.ts";
import type { Attrs } from "../types.ts";
import type { FitProblem } from "./problem.ts";

export interface FormObjective {
  (params: Params): { value: number; attrs: Attrs };
}

/** A reusable objective: one bound kernel and one output buffer for every trial. */
export function formObjective(problem: FitProblem, form: Form): FormObjective {
  const run: BoundKernel = problem.bind(form, "train");
  const out = new Float32Array(run.nTime * run.nCell);
  const theta = new Float64Array(form.nParams);
  return (params) => {
    for (let k = 0; k < form.nParams; k++) {
      const v = params[form.paramNames[k]];
      if (typeof v !== "number") {
        throw new KilnError(`trial parameters lack '${form.paramNames[k]}'`, {
          hint: "the search space must be the form's",
        });
      }
      theta[k] = v;
    }
    const bad = run(theta, out);
    if (bad > 0) {
      const why = run.explainNonFinite(theta, out);
      throw new KilnError(why ? why.message : `${bad} predictions are not finite`);
    }
    const result = problem.scorePrediction(out, "train");
    const value = problem.objective(result);
    const g = result.regions.find((r) => r.region === problem.metric.region);
    const attrs: Attrs = g
      ? {
          bias: finite(g.components.bias),
          rmse: finite(g.components.rmse),
          seasonal: finite(g.components.seasonal),
          spatial: finite(g.components.spatial),
        }
      : {};
    return { value, attrs };
  };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
