export * from "./problem.ts";
export * from "./fit-form.ts";
export { formObjective } from "./objective.ts";
export { toPlainProblem, fromPlainProblem, type PlainProblem } from "./plain.ts";
export { FitWorkers } from "./fit-workers.ts";
