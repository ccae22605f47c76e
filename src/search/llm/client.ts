import { performance } from "node:perf_hooks";
import { sendAnthropic } from "./anthropic.ts";
import { MAX_RETRY_AFTER_MS, backoffMs, realSleep, retryAfterMs } from "./backoff.ts";
import { displayUrl, resolveLlmConfig, type LlmConfig, type ResolvedLlmConfig } from "./config.ts";
import { LlmError, scrub } from "./errors.ts";
import { sendOpenAi } from "./openai.ts";
import {
  TransportFailureError,
  type ChatMessage,
  type SendOnce,
  type TokenUsage,
  type TransportFailure,
} from "./types.ts";

export interface LlmCompletion {
  text: string;
  usage: TokenUsage;
  /** From the config's prices (USD per million tokens); 0 when no price is configured. */
  costUsd: number;
  /** Wall time of the whole call, retries and backoff waits included. */
  latencyMs: number;
  /** HTTP attempts made (1 when the first one answered). */
  attempts: number;
  stopReason: string | null;
  truncated: boolean;
  model: string;
}

export interface LlmClient {
  readonly config: ResolvedLlmConfig;
  /** One chat exchange, retried on timeouts, connection errors, 429 and 5xx; throws an LlmError when it gives up. */
  complete(messages: readonly ChatMessage[]): Promise<LlmCompletion>;
  /** For logs: provider, model, URL and the NAME of the key's env var (never the key). */
  describe(): string;
}

export interface LlmClientOptions {
  /** Passed to the SDK (e.g. a recording or proxying fetch). */
  fetch?: typeof globalThis.fetch;
  /** Waits between retries; tests inject one that returns at once and records the waits. */
  sleep?: (ms: number) => Promise<void>;
}

const SENDERS: Record<ResolvedLlmConfig["provider"], SendOnce> = {
  openai: sendOpenAi,
  anthropic: sendAnthropic,
};

export function createLlmClient(cfg: LlmConfig, opts: LlmClientOptions = {}): LlmClient {
  const c = resolveLlmConfig(cfg);
  const sleep = opts.sleep ?? realSleep;
  const send = SENDERS[c.provider];
  const where = `${c.provider} ${c.model} at ${displayUrl(c.baseUrl)}`;

  return {
    config: c,
    describe: () =>
      `${where} (${c.apiKeyEnv ? `key from env var ${c.apiKeyEnv}` : "no key: local server"}, timeout ${
        c.timeoutMs
      } ms, up to ${c.maxRetries} retries)`,
    async complete(messages) {
      if (messages.length === 0) throw new LlmError("bad-request", "no messages to send", { where });
      const apiKey = readKey(c, where);
      const t0 = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await send({
            baseUrl: c.baseUrl,
            model: c.model,
            apiKey,
            maxTokens: c.maxTokens,
            temperature: c.temperature,
            timeoutMs: c.timeoutMs,
            fetch: opts.fetch,
            messages,
          });
          return {
            ...r,
            costUsd:
              (r.usage.inputTokens * c.pricePerMTokIn + r.usage.outputTokens * c.pricePerMTokOut) / 1e6,
            latencyMs: performance.now() - t0,
            attempts: attempt,
          };
        } catch (e) {
          const err = classify(e, c, where, apiKey);
          err.attempts = attempt;
          if (!err.retryable) throw err;
          if (attempt > c.maxRetries) throw exhausted(err, attempt, where);
          if (err.retryAfterMs !== undefined && err.retryAfterMs > MAX_RETRY_AFTER_MS) {
            const e2 = new LlmError(
              err.kind,
              `${err.detail}; the server asks to wait ${Math.round(err.retryAfterMs / 1000)} s before retrying, longer than Kiln waits (${MAX_RETRY_AFTER_MS / 1000} s)`,
              {
                where,
                status: err.status,
                hint: "try again later, or check the account's rate limits and quota",
              },
            );
            e2.attempts = attempt;
            throw e2;
          }
          await sleep(backoffMs(attempt, err.retryAfterMs));
        }
      }
    },
  };
}

/** The key from the named env var, read now. Unset is an error for a remote server, and fine for a local one. */
function readKey(c: ResolvedLlmConfig, where: string): string | undefined {
  if (!c.apiKeyEnv) return undefined;
  const v = process.env[c.apiKeyEnv];
  if (v !== undefined && v.trim() !== "") return v.trim();
  if (c.local) return undefined;
  throw new LlmError("no-key", `the environment variable ${c.apiKeyEnv} holding the API key is not set`, {
    where,
    hint: `export ${c.apiKeyEnv}=<your ${c.provider} key> before running, or name another variable in apiKeyEnv`,
  });
}

function classify(e: unknown, c: ResolvedLlmConfig, where: string, apiKey: string | undefined): LlmError {
  if (!(e instanceof TransportFailureError)) {
    const msg = e instanceof Error ? e.message : String(e);
    return new LlmError("bad-response", `unexpected failure: ${scrub(msg, [apiKey])}`, { where });
  }
  return fromFailure(e.failure, c, where, apiKey);
}

function fromFailure(
  f: TransportFailure,
  c: ResolvedLlmConfig,
  where: string,
  apiKey: string | undefined,
): LlmError {
  const clean = (s: string) => clip(scrub(s, [apiKey]));
  switch (f.type) {
    case "timeout":
      return new LlmError("timeout", `no answer within ${c.timeoutMs} ms`, {
        where,
        hint: "raise timeoutMs for a slow (e.g. local CPU) model",
      });
    case "connection":
      return new LlmError("connection", `could not connect (${clean(f.detail)})`, {
        where,
        hint: c.local
          ? "is the local server running and listening on that port?"
          : "check the network and baseUrl",
      });
    case "bad-response":
      return new LlmError(
        "bad-response",
        `the server's reply is not ${protocolName(c)} response: ${clean(f.detail)}`,
        {
          where,
          hint: `check that baseUrl points at ${protocolName(c)} endpoint`,
        },
      );
    case "http":
      return fromStatus(f.status, clean(f.message), f.code, f.header, c, where, apiKey !== undefined);
  }
}

function fromStatus(
  status: number,
  message: string,
  code: string | undefined,
  header: (name: string) => string | null | undefined,
  c: ResolvedLlmConfig,
  where: string,
  keySent: boolean,
): LlmError {
  const said = message ? `: ${message}` : "";
  if (status === 401) {
    return keySent
      ? new LlmError("auth", `the API key in env var ${c.apiKeyEnv} was refused (HTTP 401)${said}`, {
          where,
          status,
          hint: `check that ${c.apiKeyEnv} holds a valid ${c.provider} key for this server`,
        })
      : new LlmError("auth", `the server wants an API key (HTTP 401) and none was sent${said}`, {
          where,
          status,
          hint: "name the environment variable holding the key in apiKeyEnv",
        });
  }
  if (status === 403) {
    return new LlmError("permission", `access denied (HTTP 403)${said}`, {
      where,
      status,
      hint: `check that the key${c.apiKeyEnv ? ` in ${c.apiKeyEnv}` : ""} may use model ${c.model}`,
    });
  }
  if (status === 404) {
    return new LlmError("not-found", `model or endpoint not found (HTTP 404)${said}`, {
      where,
      status,
      hint:
        c.provider === "openai"
          ? "check the model name; OpenAI-compatible base URLs usually end in /v1 (e.g. http://localhost:11434/v1)"
          : "check the model name; Anthropic base URLs have no /v1 (e.g. https://api.anthropic.com)",
    });
  }
  if (status === 429) {
    if (code === "insufficient_quota") {
      return new LlmError("quota", `the account is out of quota (HTTP 429)${said}`, {
        where,
        status,
        hint: "add credit or raise the spending limit; waiting will not help",
      });
    }
    return new LlmError("rate-limit", `rate limited (HTTP 429)${said}`, {
      where,
      status,
      retryAfterMs: retryAfterMs(header),
    });
  }
  if (status === 408)
    return new LlmError("timeout", `the server timed out (HTTP 408)${said}`, { where, status });
  if (status >= 500) {
    return new LlmError("server", `server error (HTTP ${status})${said}`, {
      where,
      status,
      retryAfterMs: retryAfterMs(header),
    });
  }
  return new LlmError("bad-request", `request refused (HTTP ${status})${said}`, {
    where,
    status,
    hint:
      status === 413
        ? "the prompt is too large for this server"
        : "the server's message above says what it wants",
  });
}

function exhausted(err: LlmError, attempts: number, where: string): LlmError {
  if (attempts === 1) return err;
  const e = new LlmError(err.kind, `gave up after ${attempts} attempts; the last: ${err.detail}`, {
    where,
    status: err.status,
    hint: err.hint ?? "the server kept failing; try again later",
  });
  e.attempts = attempts;
  return e;
}

function protocolName(c: ResolvedLlmConfig): string {
  return c.provider === "openai" ? "an OpenAI chat-completions" : "an Anthropic Messages";
}

function clip(s: string, n = 400): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? one.slice(0, n) + "…" : one;
}
