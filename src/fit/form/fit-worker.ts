/**
 * A worker thread that holds one FitProblem (rebuilt once from shared arrays) and runs whole fits on
 * request, each in its own study (SQLite when a path is given, so fits in several threads share a file).
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkFormObject } from "../../forms/check.ts";
import { KilnError } from "../../util/errors.ts";
import { SqliteStorage } from "../storage/sqlite.ts";
import { fitForm } from "./fit-form.ts";
import type { FitJob, FitReply } from "./fit-workers.ts";
import { fromPlainProblem, type PlainProblem } from "./plain.ts";

const port = parentPort!;
try {
  const problem = fromPlainProblem((workerData as { problem: PlainProblem }).problem);
  port.on("message", (job: FitJob) => {
    void (async () => {
      const storage = job.storagePath ? new SqliteStorage(job.storagePath) : undefined;
      let reply: FitReply;
      try {
        const base = checkFormObject(job.spec, job.source);
        const form = job.keep ? base.restrict(job.keep).form : base;
        const fit = await fitForm(problem, form, { ...job.opts, jobs: 1, storage });
        reply = { id: job.id, ok: true, fit };
      } catch (err) {
        reply = {
          id: job.id,
          ok: false,
          error:
            err instanceof KilnError
              ? err.message
              : err instanceof Error
                ? (err.stack ?? err.message)
                : String(err),
          harness: !(err instanceof KilnError),
        };
      } finally {
        await storage?.close();
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) });
}
