import { KilnError } from "../../util/errors.ts";

/**
 * What went wrong talking to an LLM. `retryable` kinds are retried with backoff inside the client; an
 * LlmError that reaches the caller is final. `fatal` means the run's configuration is wrong (key, model,
 * URL, request shape): retrying later will not help, so a search should stop rather than record a crash.
 */
export type LlmErrorKind =
  | "no-key" // the env var holding the key is unset
  | "auth" // 401
  | "permission" // 403
  | "not-found" // 404: model or endpoint
  | "bad-request" // 400, 413, 422 and other 4xx
  | "quota" // 429 that says the account is out of credit: waiting does not help
  | "rate-limit" // 429
  | "server" // 5xx (Anthropic's 529 "overloaded" included)
  | "timeout" // no answer within timeoutMs, or 408
  | "connection" // refused, reset, DNS
  | "bad-response"; // a 200 whose body is not the protocol's shape

const RETRYABLE: ReadonlySet<LlmErrorKind> = new Set(["rate-limit", "server", "timeout", "connection"]);

export class LlmError extends KilnError {
  readonly kind: LlmErrorKind;
  /** The description alone, without the where/hint decoration of `message`. */
  readonly detail: string;
  readonly status: number | undefined;
  /** Server-requested wait (Retry-After / retry-after-ms), in ms. */
  readonly retryAfterMs: number | undefined;
  /** HTTP attempts made before giving up (set when the error leaves the retry loop). */
  attempts = 1;

  constructor(
    kind: LlmErrorKind,
    what: string,
    opts: { where?: string; hint?: string; status?: number; retryAfterMs?: number } = {},
  ) {
    super(what, { where: opts.where, hint: opts.hint });
    this.name = "LlmError";
    this.kind = kind;
    this.detail = what;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  get fatal(): boolean {
    return !this.retryable;
  }
}

/** Replace every occurrence of each secret in `text` (a secret shorter than 4 characters is left: it would blank out ordinary text). */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  return out;
}
