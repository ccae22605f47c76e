import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { TransportFailureError, type ProviderReply, type SendArgs, type TransportFailure } from "./types.ts";

/**
 * One POST {baseUrl}/chat/completions through the official SDK, its own retries off (the client retries).
 * OpenAI's own API wants `max_completion_tokens` (reasoning models refuse `max_tokens`); Ollama, vLLM and
 * llama.cpp's server all read `max_tokens`.
 */
export async function sendOpenAi(a: SendArgs): Promise<ProviderReply> {
  const sdk = new OpenAI({
    baseURL: a.baseUrl,
    apiKey: a.apiKey ?? "unused",
    organization: null,
    project: null,
    // no key: send no Authorization header at all rather than a placeholder
    defaultHeaders: a.apiKey === undefined ? { Authorization: null } : undefined,
    maxRetries: 0,
    timeout: a.timeoutMs,
    logLevel: "off",
    ...(a.fetch ? { fetch: a.fetch } : {}),
  });
  const officialApi = new URL(a.baseUrl).hostname === "api.openai.com";
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: a.model,
    messages: a.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(officialApi ? { max_completion_tokens: a.maxTokens } : { max_tokens: a.maxTokens }),
    ...(a.temperature !== undefined ? { temperature: a.temperature } : {}),
  };
  let r: OpenAI.Chat.Completions.ChatCompletion;
  try {
    r = await sdk.chat.completions.create(body);
  } catch (e) {
    throw new TransportFailureError(openAiFailure(e));
  }
  const choice = Array.isArray(r?.choices) ? r.choices[0] : undefined;
  if (!choice || typeof choice.message !== "object" || choice.message === null) {
    throw new TransportFailureError({
      type: "bad-response",
      detail: "the chat-completions reply has no choices[0].message",
    });
  }
  const content = choice.message.content;
  return {
    text: typeof content === "string" ? content : "",
    usage: {
      inputTokens: count(r.usage?.prompt_tokens),
      outputTokens: count(r.usage?.completion_tokens),
    },
    stopReason: choice.finish_reason ?? null,
    truncated: choice.finish_reason === "length",
    model: typeof r.model === "string" ? r.model : a.model,
  };
}

function count(x: unknown): number {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : 0;
}

function openAiFailure(e: unknown): TransportFailure {
  if (e instanceof OpenAI.APIConnectionTimeoutError) return { type: "timeout" };
  if (e instanceof OpenAI.APIConnectionError) return { type: "connection", detail: causeText(e) };
  if (e instanceof OpenAI.APIError && typeof e.status === "number") {
    const body = e.error as { message?: unknown } | undefined;
    return {
      type: "http",
      status: e.status,
      header: (n) => e.headers?.get(n),
      message: typeof body?.message === "string" ? body.message : e.message,
      code: typeof e.code === "string" ? e.code : undefined,
    };
  }
  // A 200 whose body is not JSON makes the SDK throw a plain SyntaxError.
  return { type: "bad-response", detail: e instanceof Error ? e.message : String(e) };
}

function causeText(e: Error): string {
  const c = (e as { cause?: unknown }).cause;
  const code =
    (c as { code?: unknown } | undefined)?.code ?? (c as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" ? code : c instanceof Error ? c.message : e.message;
}
