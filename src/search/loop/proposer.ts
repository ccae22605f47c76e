/** The proposer a frame names: the offline structured search (default) or an LLM. */
import type { Frame } from "../frame/schema.ts";
import { createLlmProposer, createOfflineProposer } from "../proposers/index.ts";
import type { Proposer } from "../types.ts";

export function proposerFor(frame: Frame): Proposer {
  const p = frame.proposer;
  if (p.kind === "offline") {
    return createOfflineProposer({ seed: frame.seed, combiners: p.combiners, maxTerms: p.maxTerms });
  }
  return createLlmProposer({ llm: p.llm, maxRepairs: p.maxRepairs });
}
