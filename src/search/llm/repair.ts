import type { LlmClient } from "./client.ts";
import { LlmError } from "./errors.ts";
import { extractSpec, stripThinking, type Extracted } from "./extract.ts";
import type { ChatMessage, TokenUsage } from "./types.ts";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ProposeArgs<T> {
  client: LlmClient;
  system: string;
  user: string;
  /** Gets only the extracted spec text. It is the gate: whatever it rejects is sent back as a repair prompt. */
  parse: (spec: string) => ParseResult<T>;
  /** Repair prompts after the first reply (0: one reply, no repair). */
  maxRepairs: number;
  /** Override the wording of the repair prompt (the default names the error and asks for the whole spec again). */
  repairPrompt?: (failure: { error: string; truncated: boolean }) => string;
}

/** One LLM reply and what became of it. */
export interface ProposeAttempt {
  reply: string;
  extracted: Extracted;
  /** The parser's error (or "the reply was empty"); absent on the accepted reply. */
  error?: string;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  /** HTTP attempts behind this reply (retries included). */
  httpAttempts: number;
  truncated: boolean;
  model: string;
}

export type ProposeFailure =
  | { kind: "invalid-reply"; message: string }
  /** The transport gave up; `error.fatal` says whether the configuration is at fault (stop the run). */
  | { kind: "transport"; message: string; error: LlmError };

export interface ProposeResult<T> {
  ok: boolean;
  value?: T;
  attempts: ProposeAttempt[];
  /** Summed over every reply, the rejected ones included. */
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  failure?: ProposeFailure;
}

const MAX_ERROR_CHARS = 2000;

/**
 * Ask, parse, and on a rejected reply send the parser's error back (the rejected reply stays in the
 * conversation as the assistant's turn) up to `maxRepairs` times. Never throws for a bad reply or a
 * transport failure: it returns a structured failure with everything spent so far, for the ledger.
 */
export async function proposeWithRepair<T>(args: ProposeArgs<T>): Promise<ProposeResult<T>> {
  const { client, parse, maxRepairs } = args;
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0)
    throw new RangeError("maxRepairs must be an integer ≥ 0");
  const repairPrompt = args.repairPrompt ?? defaultRepairPrompt;
  const messages: ChatMessage[] = [
    { role: "system", content: args.system },
    { role: "user", content: args.user },
  ];
  const res: ProposeResult<T> = {
    ok: false,
    attempts: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    latencyMs: 0,
  };

  for (let round = 0; round <= maxRepairs; round++) {
    let reply;
    try {
      reply = await client.complete(messages);
    } catch (e) {
      if (!(e instanceof LlmError)) throw e;
      res.failure = { kind: "transport", message: e.message, error: e };
      return res;
    }
    res.usage.inputTokens += reply.usage.inputTokens;
    res.usage.outputTokens += reply.usage.outputTokens;
    res.costUsd += reply.costUsd;
    res.latencyMs += reply.latencyMs;

    const extracted = extractSpec(reply.text);
    const verdict: ParseResult<T> =
      extracted.text === "" ? { ok: false, error: "the reply was empty" } : safeParse(parse, extracted.text);
    const attempt: ProposeAttempt = {
      reply: reply.text,
      extracted,
      usage: reply.usage,
      costUsd: reply.costUsd,
      latencyMs: reply.latencyMs,
      httpAttempts: reply.attempts,
      truncated: reply.truncated,
      model: reply.model,
    };
    res.attempts.push(attempt);
    if (verdict.ok) {
      res.ok = true;
      res.value = verdict.value;
      return res;
    }
    attempt.error = clip(verdict.error);
    messages.push({ role: "assistant", content: stripThinking(reply.text).trim() });
    messages.push({
      role: "user",
      content: repairPrompt({ error: attempt.error, truncated: reply.truncated }),
    });
  }
  const last = res.attempts.at(-1)?.error ?? "";
  res.failure = {
    kind: "invalid-reply",
    message: `no valid reply after ${res.attempts.length} ${res.attempts.length === 1 ? "try" : "tries"} (${maxRepairs} repair${maxRepairs === 1 ? "" : "s"}); the last error: ${last}`,
  };
  return res;
}

/** A parser that throws (e.g. a YAML syntax error) is a rejected reply like any other. */
function safeParse<T>(parse: (s: string) => ParseResult<T>, text: string): ParseResult<T> {
  try {
    const r = parse(text);
    if (r && (r.ok === true || (r.ok === false && typeof r.error === "string"))) return r;
    return { ok: false, error: "the parser returned no verdict" };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export function defaultRepairPrompt({ error, truncated }: { error: string; truncated: boolean }): string {
  return [
    "Your previous reply could not be used. The parser said:",
    "",
    error,
    "",
    truncated
      ? "Your reply was also cut off at the token limit: answer more briefly."
      : "Fix exactly this problem and keep everything else that was valid.",
    "Reply again with the complete corrected answer in the format the first message asked for, and nothing else.",
  ].join("\n");
}

function clip(s: string): string {
  return s.length > MAX_ERROR_CHARS ? s.slice(0, MAX_ERROR_CHARS) + " …(error truncated)" : s;
}
