/**
 * Whole fits in parallel: N worker threads, each holding the problem once (the dataset is shared, not
 * copied), each running one fit at a time. Used where many small fits are needed (Shapley coalitions), so
 * that the two cores work on two fits instead of paying a thread pool's start-up per fit.
 */
import { Worker } from "node:worker_threads";
import type { Form } from "../../forms/form.ts";
import { KilnError } from "../../util/errors.ts";
import { HarnessError } from "../parallel/pool.ts";
import type { FitConfig, FitOptions, FormFit } from "./fit-form.ts";
import { toPlainProblem } from "./plain.ts";
import type { FitProblem } from "./problem.ts";

export interface FitJob {
  readonly id: number;
  readonly spec: unknown;
  readonly source: string;
  /** Fit the spec restricted to these terms (a restricted form may have no spec of its own: no terms). */
  readonly keep?: readonly number[];
  readonly opts: FitConfig & Pick<FitOptions, "studyName" | "warmStart" | "tryDefaults">;
  readonly storagePath?: string;
}

export type FitReply =
  | { id: number; ok: true; fit: FormFit }
  /** harness: the failure is not the form's own (a bug, a broken worker): callers stop rather than record it. */
  | { id: number; ok: false; error: string; harness: boolean };

const BOOT = new URL("../parallel/worker-boot.mjs", import.meta.url);
const ENTRY = new URL("./fit-worker.ts", import.meta.url).href;

export class FitWorkers {
  private readonly idle: Worker[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, { resolve: (r: FitReply) => void }>();
  private nextId = 1;

  private constructor(private readonly workers: Worker[]) {
    this.idle.push(...workers);
    for (const w of workers) {
      w.on("message", (m: FitReply) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        p.resolve(m);
        this.release(w);
      });
    }
  }

  static async start(problem: FitProblem, n: number): Promise<FitWorkers> {
    const plain = toPlainProblem(problem);
    const workers = await Promise.all(
      Array.from(
        { length: Math.max(1, n) },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const w = new Worker(BOOT, { workerData: { entry: ENTRY, problem: plain } });
            w.once("message", (m: { ready: boolean; error?: string }) =>
              m.ready ? resolve(w) : reject(new HarnessError(`a fit worker could not start: ${m.error}`)),
            );
            w.once("error", (e) => reject(new HarnessError(`a fit worker failed: ${e.message}`)));
          }),
      ),
    );
    return new FitWorkers(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Fit a form, or a form restricted to some of its terms, on the next free worker (waits for one). */
  async fit(
    target: Form | { readonly base: Form; readonly keep: readonly number[] },
    opts: FitConfig & Pick<FitOptions, "studyName" | "warmStart" | "tryDefaults">,
    storagePath?: string,
  ): Promise<FormFit> {
    const form = "base" in target ? target.base : target;
    const w = await this.acquire();
    const id = this.nextId++;
    const reply = await new Promise<FitReply>((resolve) => {
      this.pending.set(id, { resolve });
      const job: FitJob = {
        id,
        spec: form.spec,
        source: form.name,
        keep: "base" in target ? [...target.keep] : undefined,
        opts: { ...opts, warmStart: opts.warmStart?.map((v) => Float64Array.from(v)) },
        storagePath,
      };
      w.postMessage(job);
    });
    if (!reply.ok) {
      const what = `fitting a form of '${form.name}' failed: ${reply.error}`;
      throw reply.harness ? new HarnessError(what) : new KilnError(what);
    }
    return reply.fit;
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(() => resolve(this.idle.pop()!)));
  }

  private release(w: Worker): void {
    this.idle.push(w);
    this.waiting.shift()?.();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
