/**
 * A fake LLM server on 127.0.0.1 that speaks the real wire protocols, for tests:
 *  - "openai":    POST /v1/chat/completions (base URL http://127.0.0.1:PORT/v1), replies
 *                 { choices: [{ message: { role, content }, finish_reason }], usage: { prompt_tokens, completion_tokens } }
 *  - "anthropic": POST /v1/messages (base URL http://127.0.0.1:PORT), needs the anthropic-version header,
 *                 takes the key as x-api-key or Authorization: Bearer, refuses temperature/top_p/top_k under
 *                 version 2026-10-21 as the real API does, replies
 *                 { type: "message", content: [{ type: "text", text }], stop_reason, usage: { input_tokens, output_tokens } }
 * Each request that passes the protocol and key checks consumes the next step of the script. Every request
 * is recorded (headers and body) so tests can assert what was sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeStep =
  /** A 200 with this reply text. */
  | string
  | { reply: string; inputTokens?: number; outputTokens?: number; stop?: "end" | "length"; model?: string }
  /** An error status with the provider's error body; retryAfter (seconds, or an HTTP date) sets Retry-After. */
  | { status: number; retryAfter?: number | string; message?: string; code?: string }
  /** Wait, then answer with `then` (default: a reply "late reply"): a client with a shorter timeout has gone. */
  | { delayMs: number; then?: FakeStep }
  /** A body that is not the protocol's shape (e.g. an HTML error page with status 200). */
  | { rawBody: string; status?: number; contentType?: string }
  /** Drop the connection without answering. */
  | { hangup: true };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined if it was not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  raw: string;
}

export interface FakeLlmServer {
  /** What to put in LlmConfig.baseUrl for this protocol. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Script steps not yet consumed. */
  remaining(): number;
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  protocol: "openai" | "anthropic";
  script: FakeStep[];
  /** When set, requests must carry this key; a wrong or missing one gets a 401 that echoes what was sent
   *  (as a careless proxy might), so tests can check that the client scrubs it. */
  apiKey?: string;
}

export async function startFakeLlmServer(opts: FakeLlmServerOptions): Promise<FakeLlmServer> {
  const script = [...opts.script];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let served = 0;
  let nextId = 1;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, raw });
      handle(req, res, body);
    });
  });

  const p = opts.protocol;

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
    const wrong = protocolError(p, req, body);
    if (wrong) return sendError(res, wrong.status, wrong.message);
    if (opts.apiKey !== undefined) {
      const sent = presentedKey(p, req);
      if (sent !== opts.apiKey) {
        return sendError(res, 401, sent ? `Incorrect API key provided: ${sent}` : "No API key provided");
      }
    }
    const step = script.shift();
    if (step === undefined) {
      return sendError(res, 418, `fake server: script exhausted after ${served} answers`);
    }
    served++;
    play(step, res, body);
  }

  function play(step: FakeStep, res: http.ServerResponse, body: unknown): void {
    if (typeof step === "string") return sendReply(res, { reply: step }, body);
    if ("reply" in step) return sendReply(res, step, body);
    if ("delayMs" in step) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) play(step.then ?? "late reply", res, body);
      }, step.delayMs);
      timers.add(t);
      return;
    }
    if ("rawBody" in step) {
      res.writeHead(step.status ?? 200, { "content-type": step.contentType ?? "text/html" });
      res.end(step.rawBody);
      return;
    }
    if ("hangup" in step) {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    if (step.retryAfter !== undefined) headers["retry-after"] = String(step.retryAfter);
    sendError(res, step.status, step.message ?? defaultMessage(step.status), step.code, headers);
  }

  function sendReply(
    res: http.ServerResponse,
    s: {
      reply: string;
      inputTokens?: number;
      outputTokens?: number;
      stop?: "end" | "length";
      model?: string;
    },
    body: unknown,
  ): void {
    const b = body as { model?: string; messages?: { content?: unknown }[]; system?: unknown };
    const promptChars =
      (typeof b.system === "string" ? b.system.length : 0) +
      (b.messages ?? []).reduce((n, m) => n + (typeof m.content === "string" ? m.content.length : 0), 0);
    const inTok = s.inputTokens ?? Math.max(1, Math.ceil(promptChars / 4));
    const outTok = s.outputTokens ?? Math.max(1, Math.ceil(s.reply.length / 4));
    const model = s.model ?? b.model ?? "fake-model";
    const id = nextId++;
    const payload =
      p === "openai"
        ? {
            id: `chatcmpl-fake${id}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model,
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: s.reply, refusal: null },
                logprobs: null,
                finish_reason: s.stop === "length" ? "length" : "stop",
              },
            ],
            usage: { prompt_tokens: inTok, completion_tokens: outTok, total_tokens: inTok + outTok },
            system_fingerprint: null,
          }
        : {
            id: `msg_fake${id}`,
            type: "message",
            role: "assistant",
            model,
            content: [{ type: "text", text: s.reply, citations: null }],
            stop_reason: s.stop === "length" ? "max_tokens" : "end_turn",
            stop_sequence: null,
            usage: {
              input_tokens: inTok,
              output_tokens: outTok,
              cache_creation_input_tokens: 0,
              cache_read_input_tokens: 0,
              service_tier: "standard",
            },
          };
    res.writeHead(200, { "content-type": "application/json", ...requestIdHeader(p, id) });
    res.end(JSON.stringify(payload));
  }

  function sendError(
    res: http.ServerResponse,
    status: number,
    message: string,
    code?: string,
    extra: Record<string, string> = {},
  ): void {
    const id = nextId++;
    const payload =
      p === "openai"
        ? { error: { message, type: openAiErrorType(status), param: null, code: code ?? null } }
        : {
            type: "error",
            error: { type: code ?? anthropicErrorType(status), message },
            request_id: `req_fake${id}`,
          };
    res.writeHead(status, { "content-type": "application/json", ...requestIdHeader(p, id), ...extra });
    res.end(JSON.stringify(payload));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: p === "openai" ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`,
    port,
    requests,
    remaining: () => script.length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The protocol's own request checks, as the real services make them. */
function protocolError(
  p: "openai" | "anthropic",
  req: http.IncomingMessage,
  body: unknown,
): { status: number; message: string } | undefined {
  const path = (req.url ?? "").split("?")[0];
  const want = p === "openai" ? "/v1/chat/completions" : "/v1/messages";
  if (req.method !== "POST" || path !== want)
    return { status: 404, message: `no route ${req.method} ${path}` };
  if (typeof body !== "object" || body === null) return { status: 400, message: "the body is not JSON" };
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string" || b.model === "") return { status: 400, message: "model: field required" };
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    return { status: 400, message: "messages: at least one message is required" };
  }
  for (const m of b.messages as { role?: unknown; content?: unknown }[]) {
    if (typeof m.role !== "string") return { status: 400, message: "messages: each message needs a role" };
    if (typeof m.content !== "string" || (p === "anthropic" && m.content.trim() === "")) {
      return { status: 400, message: "messages: all messages must have non-empty content" };
    }
  }
  if (p === "anthropic") {
    const version = req.headers["anthropic-version"];
    if (!version) return { status: 400, message: "anthropic-version: header is required" };
    if (typeof b.max_tokens !== "number") return { status: 400, message: "max_tokens: field required" };
    if (version === "2026-10-21") {
      for (const k of ["temperature", "top_p", "top_k"]) {
        if (k in b) return { status: 400, message: `${k}: not supported in API version 2026-10-21` };
      }
    }
  }
  return undefined;
}

function presentedKey(p: "openai" | "anthropic", req: http.IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const bearer = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
  if (p === "openai") return bearer;
  const x = req.headers["x-api-key"];
  return typeof x === "string" ? x : bearer;
}

function requestIdHeader(p: "openai" | "anthropic", id: number): Record<string, string> {
  return p === "openai" ? { "x-request-id": `req_fake${id}` } : { "request-id": `req_fake${id}` };
}

function openAiErrorType(status: number): string {
  if (status === 429) return "requests";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

function defaultMessage(status: number): string {
  if (status === 429) return "Rate limit reached for requests";
  if (status === 401) return "invalid x-api-key";
  if (status >= 500) return "The server had an error while processing your request";
  return `error ${status}`;
}
