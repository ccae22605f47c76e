import { parentPort, workerData } from "node:worker_threads";
import type { Params } from "../space.ts";
import type { TrialHandle } from "../trial.ts";
import { KilnError } from "../../util/errors.ts";
import type { Json } from "../types.ts";
import { errorText, evaluate, loadModuleObjective, type ModuleObjective } from "./objective.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

/** Worker thread: loads the objective once, then evaluates trials the pool sends, one at a time. */
const port = parentPort!;
const spec = workerData.spec as ModuleObjective;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextReq = 1;

function post(m: FromWorker): void {
  port.postMessage(m);
}

type Request = Extract<FromWorker, { req: number }>;
type Unsent<T> = T extends Request ? Omit<T, "req"> : never;

function request(m: Unsent<Request>): Promise<unknown> {
  const req = nextReq++;
  return new Promise((resolve, reject) => {
    pending.set(req, { resolve, reject });
    post({ ...m, req } as FromWorker);
  });
}

let inInit = false;
try {
  const { fn, context } = await loadModuleObjective(spec, () => (inInit = true));
  port.on("message", (m: ToWorker) => {
    if (m.t === "reply") {
      const p = pending.get(m.req);
      pending.delete(m.req);
      if (!p) return;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.value);
      return;
    }
    const id = m.id;
    const handle: TrialHandle = {
      number: m.number,
      params: m.params as Params,
      report: async (value: number, step: number) => {
        await request({ t: "report", id, value, step });
      },
      shouldPrune: async () => (await request({ t: "prune?", id })) === true,
      setUserAttr: async (key: string, value: Json) => {
        await request({ t: "attr", id, key, value });
      },
    };
    void evaluate(() => fn(m.params, context, handle)).then((outcome) => post({ t: "result", id, outcome }));
  });
  post({ t: "ready" });
} catch (err) {
  // a KilnError from the objective's own init (e.g. a form whose kernel cannot bind) is the objective's
  // failure; a module that does not load, or an init that throws anything else, is the harness's
  post({
    t: "init-error",
    error: errorText(err),
    message: err instanceof Error ? err.message : String(err),
    objective: inInit && err instanceof KilnError,
  });
}
