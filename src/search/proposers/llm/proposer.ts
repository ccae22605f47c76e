/**
 * The LLM proposer: builds the prompt from the catalogue, the frame, the ledger and the last feedback, asks
 * for {hypothesis, rationale, parent, form}, and passes the reply through the gate in reply.ts, sending the
 * gate's error back as a repair prompt a bounded number of times. A transport failure that is the
 * configuration's fault (bad key, quota, unknown model) is thrown: the search stops on it. Any other failure
 * returns null and sets `lastFailure` with the tokens spent.
 */
import { createLlmClient, type LlmClient } from "../../llm/client.ts";
import type { LlmConfig } from "../../llm/config.ts";
import { defaultRepairPrompt, proposeWithRepair } from "../../llm/repair.ts";
import type { Proposal, ProposalContext, ProposalFailure, Proposer } from "../../types.ts";
import { SetKeyCache, TriedIndex } from "../novelty.ts";
import { buildPrompt } from "./prompt.ts";
import { REPAIR_REMINDER } from "./prompt-text.ts";
import { makeReplyParser } from "./reply.ts";

export interface LlmProposerOptions {
  readonly llm: LlmConfig;
  /** Repair prompts after an invalid reply (default 3). */
  readonly maxRepairs?: number;
  /** A ready client (tests inject one whose backoff does not sleep); built from `llm` otherwise. */
  readonly client?: LlmClient;
}

export const DEFAULT_MAX_REPAIRS = 3;

export interface LlmProposer extends Proposer {
  readonly lastFailure: ProposalFailure | null;
  /** The system and user messages of the last request (for logs and tests; never contains the key). */
  readonly lastPrompt: { system: string; user: string } | null;
}

export function createLlmProposer(opts: LlmProposerOptions): LlmProposer {
  const maxRepairs = opts.maxRepairs ?? DEFAULT_MAX_REPAIRS;
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0 || maxRepairs > 20) {
    throw new RangeError(`maxRepairs must be a whole number from 0 to 20, got ${String(maxRepairs)}`);
  }
  const client = opts.client ?? createLlmClient(opts.llm);
  const keys = new SetKeyCache();
  let lastFailure: ProposalFailure | null = null;
  let lastPrompt: { system: string; user: string } | null = null;

  return {
    name: `llm:${client.config.provider}/${client.config.model}`,
    get lastFailure() {
      return lastFailure;
    },
    get lastPrompt() {
      return lastPrompt;
    },
    async propose(ctx: ProposalContext): Promise<Proposal | null> {
      lastFailure = null;
      const prompt = buildPrompt(ctx, keys);
      lastPrompt = prompt;
      const res = await proposeWithRepair({
        client,
        system: prompt.system,
        user: prompt.user,
        parse: makeReplyParser(ctx, new TriedIndex(ctx.history, keys)),
        maxRepairs,
        repairPrompt: (f) => `${defaultRepairPrompt(f)}\n${REPAIR_REMINDER}`,
      });
      const usage = { ...res.usage, costUsd: res.costUsd };
      if (res.ok && res.value) {
        const v = res.value;
        return {
          spec: v.spec,
          hypothesis: v.hypothesis,
          rationale: v.rationale,
          parentId: v.parentId,
          usage,
        };
      }
      const f = res.failure;
      if (f?.kind === "transport" && f.error.fatal) throw f.error;
      lastFailure = {
        kind: f?.kind ?? "invalid-reply",
        message: f?.message ?? "no valid reply",
        usage,
        replies: res.attempts.length,
      };
      return null;
    },
  };
}
