import { Worker } from "node:worker_threads";
import { KilnError } from "../../util/errors.ts";
import type { Params } from "../space.ts";
import type { TrialHandle } from "../trial.ts";
import { errorText, moduleUrl, type ModuleObjective, type Outcome } from "./objective.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

/**
 * The pool could not run the objective for a reason that is not the objective's: its module does not
 * load, a worker thread cannot start (or dies starting), its init throws something other than a
 * KilnError, or no worker is left. Deliberately not a KilnError: the search loop records a KilnError
 * as the candidate's crash, but stops the run on this one (record nothing; resume after the fix).
 */
export class HarnessError extends Error {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "HarnessError";
  }
}

interface Job {
  id: number;
  number: number;
  params: Params;
  handle: TrialHandle;
  resolve: (o: Outcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  task: { id: number; handle: TrialHandle; resolve: (o: Outcome) => void } | undefined;
  dead: boolean;
}

const BOOT = new URL("./worker-boot.mjs", import.meta.url);
const ENTRY = new URL("./worker.ts", import.meta.url).href;

/**
 * N worker threads, each holding the objective module loaded once with the shared context. Trials are
 * handed to free workers; a worker's report / shouldPrune / setUserAttr calls are answered here by the
 * main-thread Trial. A worker that crashes fails its trial and is replaced. A pool that cannot start,
 * or loses its last worker and cannot replace it, rejects with a HarnessError (see there), or with the
 * KilnError the objective's own init threw.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Set when no worker is left and none can start: every run rejects with it. */
  private broken: Error | undefined;

  private constructor(private readonly spec: ModuleObjective) {}

  static async start(spec: ModuleObjective, n: number): Promise<WorkerPool> {
    const pool = new WorkerPool({ ...spec, module: moduleUrl(spec.module) });
    try {
      await Promise.all(Array.from({ length: n }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  private spawn(): Promise<Slot> {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, spec: this.spec } });
    const slot: Slot = { worker, task: undefined, dead: false };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on("message", (m: FromWorker) => {
        if (m.t === "ready") {
          ready = true;
          this.slots.push(slot);
          resolve(slot);
          this.dispatch();
        } else if (m.t === "init-error") {
          slot.dead = true;
          void worker.terminate();
          reject(
            m.objective
              ? new KilnError(`the objective could not start in a worker thread: ${m.message}`)
              : new HarnessError(`the objective could not start in a worker thread:\n${m.error}`),
          );
        } else this.onMessage(slot, m);
      });
      const die = (why: string) => {
        if (slot.dead && slot.task === undefined) return;
        slot.dead = true;
        if (!ready) {
          reject(new HarnessError(`a worker thread failed to start: ${why}`));
          return;
        }
        const task = slot.task;
        slot.task = undefined;
        task?.resolve({ kind: "fail", error: `the worker thread running this trial died: ${why}` });
        this.slots = this.slots.filter((s) => s !== slot);
        if (!this.closed)
          this.spawn().catch((err: Error) => {
            // a replacement that cannot start leaves the pool smaller; queued trials still run on the others
            if (this.size === 0) this.break(err);
          });
      };
      worker.on("error", (err) => die(errorText(err)));
      worker.on("exit", (code) => {
        if (!this.closed) die(`exit code ${code}`);
      });
    });
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const task = slot.task;
    if (m.t === "result") {
      if (task && task.id === m.id) {
        slot.task = undefined;
        task.resolve(m.outcome);
      }
      this.dispatch();
      return;
    }
    if (m.t === "ready" || m.t === "init-error") return;
    const reply = (value?: unknown, error?: string) =>
      slot.worker.postMessage({ t: "reply", req: m.req, value, error } as ToWorker);
    if (!task || task.id !== m.id) return reply(undefined, "no such trial");
    let work: Promise<unknown>;
    if (m.t === "report") work = task.handle.report(m.value, m.step);
    else if (m.t === "prune?") work = task.handle.shouldPrune();
    else work = task.handle.setUserAttr(m.key, m.value);
    work.then(
      (v) => reply(v),
      (err) => reply(undefined, (err as Error).message),
    );
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.dead || slot.task) continue;
      const job = this.queue.shift()!;
      slot.task = { id: job.id, handle: job.handle, resolve: job.resolve };
      slot.worker.postMessage({ t: "run", id: job.id, number: job.number, params: job.params } as ToWorker);
    }
  }

  private failQueue(why: string): void {
    for (const job of this.queue.splice(0)) job.resolve({ kind: "fail", error: why });
  }

  private break(cause: Error): void {
    this.broken =
      cause instanceof HarnessError || cause instanceof KilnError
        ? cause
        : new HarnessError(`no worker thread left: ${cause.message}`, { cause });
    for (const job of this.queue.splice(0)) job.reject(this.broken);
  }

  /**
   * Evaluates one trial's parameters on the next free worker. Rejects (the trial is not the objective's
   * failure) when the pool has no worker left and cannot start one.
   */
  run(handle: TrialHandle, params: Params): Promise<Outcome> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.resolve({ kind: "fail", error: "the worker pool is closed" });
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, number: handle.number, params, handle, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failQueue("the worker pool closed");
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}
