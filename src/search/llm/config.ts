import { z } from "zod";
import { KilnError } from "../../util/errors.ts";

/** The providers Kiln speaks: OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp) and Anthropic Messages. */
export const LLM_PROVIDERS = ["openai", "anthropic"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export const DEFAULT_BASE_URL: Record<LlmProvider, string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
};
export const DEFAULT_KEY_ENV: Record<LlmProvider, string> = {
  openai: "OPENAI_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
};
export const LLM_DEFAULTS = {
  maxTokens: 4096,
  timeoutMs: 300_000,
  maxRetries: 5,
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The LLM part of a frame. The key itself never appears here: `apiKeyEnv` names the environment variable
 * that holds it, read at call time.
 */
export const llmConfigSchema = z
  .strictObject({
    provider: z.enum(LLM_PROVIDERS),
    model: z
      .string()
      .trim()
      .min(1, "model must name the model, e.g. gpt-4o-mini, llama3.1:8b, claude-sonnet-4-5"),
    baseUrl: z
      .string()
      .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
        message: "baseUrl must be an http:// or https:// URL, e.g. http://localhost:11434/v1",
      })
      .optional(),
    // The message never repeats the value: a user who pasted the key here must not see it echoed into logs.
    apiKeyEnv: z
      .string()
      .refine((s) => ENV_NAME.test(s), {
        message:
          "apiKeyEnv must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not the key itself",
      })
      .optional(),
    maxTokens: z.number().int().positive().optional(),
    temperature: z.number().min(0).max(2).optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxRetries: z.number().int().min(0).max(20).optional(),
    pricePerMTokIn: z.number().nonnegative().optional(),
    pricePerMTokOut: z.number().nonnegative().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.provider === "anthropic" && c.temperature !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["temperature"],
        message:
          "Anthropic API version 2026-10-21 (sent by @anthropic-ai/sdk 1.x) rejects temperature with HTTP 400; remove it",
      });
    }
  });

export type LlmConfig = z.infer<typeof llmConfigSchema>;

/** Validate a raw LLM config (e.g. the proposer block of a frame); errors name the field and the place. */
export function parseLlmConfig(raw: unknown, where = "LLM config"): LlmConfig {
  const r = llmConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(top)"}: ${i.message}`);
  const keys = r.error.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys : []));
  if (keys.some((k) => /^api[_-]?key$|^key$|token|secret/i.test(k))) {
    lines.push(
      "the key itself never goes in a config: put it in an environment variable and name that in apiKeyEnv",
    );
  }
  throw new KilnError(`invalid LLM config:\n  ${lines.join("\n  ")}`, {
    where,
    hint: "see docs/llm.md for provider, model, baseUrl and apiKeyEnv examples",
  });
}

/** A config with every default filled in, and what Kiln decided about the key. */
export interface ResolvedLlmConfig {
  provider: LlmProvider;
  model: string;
  baseUrl: string;
  /** The env var to read the key from, or undefined for a local server when none was named. */
  apiKeyEnv: string | undefined;
  /** True when the base URL points at this machine or a private network (Ollama, vLLM, llama.cpp). */
  local: boolean;
  maxTokens: number;
  temperature: number | undefined;
  timeoutMs: number;
  maxRetries: number;
  pricePerMTokIn: number;
  pricePerMTokOut: number;
}

export function resolveLlmConfig(cfg: LlmConfig): ResolvedLlmConfig {
  const c = parseLlmConfig(cfg);
  const baseUrl = (c.baseUrl ?? DEFAULT_BASE_URL[c.provider]).replace(/\/+$/, "");
  const local = isLocalUrl(baseUrl);
  return {
    provider: c.provider,
    model: c.model,
    baseUrl,
    // A local server gets a key only when one is named: the cloud key in OPENAI_API_KEY must not be
    // sent to whatever listens on a LAN box.
    apiKeyEnv: c.apiKeyEnv ?? (local ? undefined : DEFAULT_KEY_ENV[c.provider]),
    local,
    maxTokens: c.maxTokens ?? LLM_DEFAULTS.maxTokens,
    temperature: c.temperature,
    timeoutMs: c.timeoutMs ?? LLM_DEFAULTS.timeoutMs,
    maxRetries: c.maxRetries ?? LLM_DEFAULTS.maxRetries,
    pricePerMTokIn: c.pricePerMTokIn ?? 0,
    pricePerMTokOut: c.pricePerMTokOut ?? 0,
  };
}

/** Loopback, private IPv4 ranges, `.local`/`.internal`/`.localhost` names and one-label hosts (docker service names). */
export function isLocalUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1" || host === "0.0.0.0") return true;
  if (/\.(local|internal|localhost)$/.test(host)) return true;
  const v4 = host.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
  }
  if (host.includes(":")) return /^f[cd]/.test(host) || host.startsWith("fe80");
  return !host.includes(".");
}

/** URL for messages: no userinfo, no query (either could carry a credential). */
export function displayUrl(url: string): string {
  const u = new URL(url);
  u.username = "";
  u.password = "";
  u.search = "";
  return u.toString().replace(/\/+$/, "");
}
