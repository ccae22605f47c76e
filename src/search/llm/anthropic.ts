import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming, MessageParam } from "@anthropic-ai/sdk/resources/messages";
import {
  TransportFailureError,
  type ChatMessage,
  type ProviderReply,
  type SendArgs,
  type TransportFailure,
} from "./types.ts";

/**
 * One POST {baseUrl}/v1/messages through the official SDK (API version 2026-10-21: the key goes out as
 * `Authorization: Bearer`, and temperature is not accepted, so the config refuses it), SDK retries off.
 */
export async function sendAnthropic(a: SendArgs): Promise<ProviderReply> {
  const sdk = new Anthropic({
    baseURL: a.baseUrl,
    // Passing a key (even a placeholder) keeps the SDK from its default credential chain, which reads
    // profiles from disk and can write a token cache.
    apiKey: a.apiKey ?? "unused",
    defaultHeaders: a.apiKey === undefined ? { Authorization: null } : undefined,
    maxRetries: 0,
    timeout: a.timeoutMs,
    logLevel: "off",
    openTelemetry: false,
    ...(a.fetch ? { fetch: a.fetch } : {}),
  });
  const { system, messages } = toAnthropicTurns(a.messages);
  const body: MessageCreateParamsNonStreaming = {
    model: a.model,
    max_tokens: a.maxTokens,
    messages,
    ...(system ? { system } : {}),
  };
  let r: Anthropic.Message;
  try {
    r = await sdk.messages.create(body);
  } catch (e) {
    throw new TransportFailureError(anthropicFailure(e));
  }
  if (!Array.isArray(r?.content)) {
    throw new TransportFailureError({
      type: "bad-response",
      detail: "the Messages reply has no content array",
    });
  }
  let text = "";
  for (const block of r.content) if (block.type === "text") text += block.text;
  const u = r.usage;
  return {
    text,
    usage: {
      // cache writes and reads are input tokens too (priced differently; Kiln uses one input price)
      inputTokens:
        count(u?.input_tokens) + count(u?.cache_creation_input_tokens) + count(u?.cache_read_input_tokens),
      outputTokens: count(u?.output_tokens),
    },
    stopReason: r.stop_reason ?? null,
    truncated: r.stop_reason === "max_tokens",
    model: typeof r.model === "string" ? r.model : a.model,
  };
}

/**
 * System messages go to the top-level `system` field; the rest must alternate user/assistant starting with
 * user, with non-empty content, so consecutive turns of one role are joined and an empty turn gets a marker.
 */
export function toAnthropicTurns(msgs: readonly ChatMessage[]): { system: string; messages: MessageParam[] } {
  const system = msgs
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const turns: { role: "user" | "assistant"; content: string }[] = [];
  for (const m of msgs) {
    if (m.role === "system") continue;
    const content = m.content.trim() === "" ? "(empty)" : m.content;
    const last = turns[turns.length - 1];
    if (last && last.role === m.role) last.content += "\n\n" + content;
    else turns.push({ role: m.role, content });
  }
  if (turns.length === 0 || turns[0].role !== "user") turns.unshift({ role: "user", content: "(continue)" });
  return { system, messages: turns };
}

function count(x: unknown): number {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : 0;
}

function anthropicFailure(e: unknown): TransportFailure {
  if (e instanceof Anthropic.APIConnectionTimeoutError) return { type: "timeout" };
  if (e instanceof Anthropic.APIConnectionError) {
    const c = (e as { cause?: { code?: unknown; cause?: { code?: unknown }; message?: unknown } }).cause;
    const code = c?.code ?? c?.cause?.code;
    return { type: "connection", detail: typeof code === "string" ? code : String(c?.message ?? e.message) };
  }
  if (e instanceof Anthropic.APIError && typeof e.status === "number") {
    return {
      type: "http",
      status: e.status,
      header: (n) => e.headers?.get(n),
      message: e.apiMessage ?? e.message,
      code: e.errorCode ?? e.type ?? undefined,
    };
  }
  return { type: "bad-response", detail: e instanceof Error ? e.message : String(e) };
}
