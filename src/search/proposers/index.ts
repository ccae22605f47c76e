/** Proposers: the offline structured search (default) and the LLM proposer, behind src/search/types.ts's Proposer. */
export { createOfflineProposer, OFFLINE_DEFAULTS, type OfflineProposerOptions } from "./offline/proposer.ts";
export { clusterViolations, type RuleViolation } from "./offline/rules.ts";
export { SLOTS, slotOf, type Slot } from "./offline/slots.ts";
export {
  createLlmProposer,
  DEFAULT_MAX_REPAIRS,
  type LlmProposer,
  type LlmProposerOptions,
} from "./llm/proposer.ts";
export { buildPrompt, type PromptMessages } from "./llm/prompt.ts";
export { makeReplyParser, type ParsedReply } from "./llm/reply.ts";
export { SetKeyCache, TriedIndex, formSetKey, setKey, termKey } from "./novelty.ts";
export { visibleHistory } from "./history.ts";
