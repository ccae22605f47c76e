/** The form objective for worker threads: `init` rebuilds the problem and compiles the form once per thread. */
import { checkFormObject } from "../../forms/check.ts";
import type { Params } from "../space.ts";
import { formObjective, type FormObjective } from "./objective.ts";
import { fromPlainProblem, type PlainProblem } from "./plain.ts";

export interface WorkerContext {
  readonly problem: PlainProblem;
  /** The form spec (plain JSON); checked again here, as in the parent. */
  readonly spec: unknown;
}

export function init(ctx: WorkerContext): FormObjective {
  return formObjective(fromPlainProblem(ctx.problem), checkFormObject(ctx.spec));
}

export function objective(params: Params, run: FormObjective) {
  return run(params);
}
