export {
  DEFAULT_BASE_URL,
  DEFAULT_KEY_ENV,
  LLM_DEFAULTS,
  LLM_PROVIDERS,
  isLocalUrl,
  llmConfigSchema,
  parseLlmConfig,
  resolveLlmConfig,
  type LlmConfig,
  type LlmProvider,
  type ResolvedLlmConfig,
} from "./config.ts";
export { createLlmClient, type LlmClient, type LlmClientOptions, type LlmCompletion } from "./client.ts";
export { LlmError, type LlmErrorKind } from "./errors.ts";
export { extractSpec, type Extracted } from "./extract.ts";
export {
  defaultRepairPrompt,
  proposeWithRepair,
  type ParseResult,
  type ProposeArgs,
  type ProposeAttempt,
  type ProposeFailure,
  type ProposeResult,
} from "./repair.ts";
export type { ChatMessage, TokenUsage } from "./types.ts";
