/**
 * Reference forms added to a finished run (origin "truth": e.g. the built-in world's truth refit under
 * the same budget, for the demo's comparison). They are fitted and scored like any candidate and recorded
 * in the ledger, but the proposer never sees them and they never become incumbent or winner.
 */
import path from "node:path";
import { openStorage } from "../../fit/storage/open.ts";
import { RUN_FILES, studyUrl } from "../run/dir.ts";
import { openRun, type Clock } from "../run/open.ts";
import { loadPinnedFrame } from "../run/pin.ts";
import type { CandidateEntry } from "../types.ts";
import { loadSearchData } from "./data.ts";
import { DEFAULT_DEPS, type SearchDeps } from "./deps.ts";
import { evaluateCandidate } from "./evaluate.ts";
import { deriveState, nextCandidateId } from "./state.ts";
import { checkFormObject } from "../../forms/check.ts";
import { KilnError } from "../../util/errors.ts";

export interface ReferenceForm {
  readonly spec: unknown;
  readonly hypothesis: string;
  readonly rationale?: string;
}

export async function addReferenceForms(
  runDir: string,
  forms: readonly ReferenceForm[],
  opts: { clock?: Clock; deps?: SearchDeps } = {},
): Promise<CandidateEntry[]> {
  const clock = opts.clock ?? Date.now;
  const dir = path.resolve(runDir);
  const lf = loadPinnedFrame(dir);
  const data = await loadSearchData(lf);
  const run = openRun(lf, { runDir: dir, resume: true, clock });
  const storage = openStorage(studyUrl(dir));
  try {
    const start = run.ledger.entries.find((e) => e.kind === "run-start");
    if (!start || start.dataset.fingerprint !== data.problem.fingerprint) {
      throw new KilnError("reference forms go into a started run whose data are unchanged", { where: dir });
    }
    const deps = opts.deps ?? DEFAULT_DEPS;
    const out: CandidateEntry[] = [];
    for (const r of forms) {
      const s = deriveState(run.ledger.entries);
      const hash = checkFormObject(r.spec, "reference form").hash;
      const had = s.all.find((c) => c.origin === "truth" && c.hash === hash && c.status !== "crash");
      if (had) {
        out.push(had);
        continue;
      }
      const entry = await evaluateCandidate(
        {
          frame: lf.frame,
          problem: data.problem,
          storage,
          shapleyStore: path.join(dir, RUN_FILES.shapley),
          deps,
          clock,
        },
        {
          id: nextCandidateId(s),
          parentId: null,
          origin: "truth",
          proposer: "reference",
          spec: r.spec,
          hypothesis: r.hypothesis,
          rationale: r.rationale ?? "a reference form, fitted under the run's budget; not part of the search",
          started: clock(),
          incumbent: s.incumbent,
          // a reference is fitted even when the search found the same form, so both rows stand on their own
          evaluated: () => null,
        },
      );
      run.ledger.append(entry);
      out.push(entry);
    }
    return out;
  } finally {
    await storage.close();
    run.close();
  }
}
