/**
 * Child process for resume.test.ts: runs (or resumes) a search and, on request, kills itself with SIGKILL at
 * a chosen point, so that the crash lands where the test wants it:
 *   start                      run until the parent kills it
 *   after-candidate ID         right after candidate ID's ledger entry is written
 *   between-trials ID N        in candidate ID's fit, once N trials are finished (none running)
 *   mid-trial ID N             in candidate ID's fit, while trial N is being scored
 */
import { FitProblem } from "../../src/fit/form/problem.ts";
import { runSearch, type SearchEvent } from "../../src/search/loop.ts";

const [frame, runDir, mode, id, n] = process.argv.slice(2);
const die = (): never => {
  process.kill(process.pid, "SIGKILL");
  throw new Error("unreachable");
};

let current = "";
if (mode === "mid-trial") {
  const score = FitProblem.prototype.scorePrediction;
  let calls = 0;
  FitProblem.prototype.scorePrediction = function (this: FitProblem, ...args) {
    if (current === id && ++calls === Number(n)) die();
    return score.apply(this, args);
  };
}

const onEvent = (e: SearchEvent): void => {
  if (e.type === "candidate-start") current = e.id;
  if (mode === "after-candidate" && e.type === "candidate" && e.entry.id === id) die();
  if (mode === "between-trials" && e.type === "fit-progress" && e.id === id && e.done === Number(n)) die();
};

await runSearch(mode === "resume" ? undefined : frame, { runDir, resume: mode === "resume", onEvent });
