import type { Params } from "../space.ts";
import type { Json } from "../types.ts";
import type { Outcome } from "./objective.ts";

/** Messages between the pool (main thread) and a worker. `id` names a trial run, `req` a request in it. */
export type ToWorker =
  | { t: "run"; id: number; number: number; params: Params }
  | { t: "reply"; req: number; value?: unknown; error?: string };

export type FromWorker =
  | { t: "ready" }
  /** `objective`: the objective's own init threw a KilnError (its failure, not the harness's). */
  | { t: "init-error"; error: string; message: string; objective: boolean }
  | { t: "result"; id: number; outcome: Outcome }
  | { t: "report"; id: number; req: number; value: number; step: number }
  | { t: "prune?"; id: number; req: number }
  | { t: "attr"; id: number; req: number; key: string; value: Json };
