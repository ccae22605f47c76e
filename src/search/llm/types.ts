/** One chat message, the same for both providers. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What one successful HTTP exchange gave back, before cost and retry bookkeeping. */
export interface ProviderReply {
  text: string;
  usage: TokenUsage;
  /** The provider's own word: "stop"/"length" (OpenAI), "end_turn"/"max_tokens"/"refusal" (Anthropic). */
  stopReason: string | null;
  /** The reply hit maxTokens and is cut off. */
  truncated: boolean;
  /** The model the server says answered (may be a dated snapshot of the configured name). */
  model: string;
}

/** An HTTP failure reduced to what classification needs, independent of the SDK that raised it. */
export type TransportFailure =
  | { type: "timeout" }
  | { type: "connection"; detail: string }
  | {
      type: "http";
      status: number;
      header: (name: string) => string | null | undefined;
      message: string;
      code: string | undefined;
    }
  | { type: "bad-response"; detail: string };

/** Everything an adapter needs for one request. `apiKey` is undefined for a keyless local server. */
export interface SendArgs {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
  maxTokens: number;
  temperature: number | undefined;
  timeoutMs: number;
  fetch: typeof globalThis.fetch | undefined;
  messages: readonly ChatMessage[];
}

/** One HTTP attempt, no retries: resolves with the reply or rejects with a TransportFailure. */
export type SendOnce = (args: SendArgs) => Promise<ProviderReply>;

export class TransportFailureError extends Error {
  constructor(readonly failure: TransportFailure) {
    super(failure.type);
  }
}
