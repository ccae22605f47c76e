/** Backoff between retries: exponential from BASE, capped; a server's Retry-After wins when it gives one. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;
/** A server asking for a longer wait than this is not waited for: the call fails and says so. */
export const MAX_RETRY_AFTER_MS = 300_000;

/** Wait before retry number `retry` (1 for the first retry). No jitter: one client per run, and runs stay reproducible. */
export function backoffMs(retry: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
}

/**
 * The server's requested wait in ms, from `retry-after-ms` (OpenAI and Anthropic send it) or `retry-after`
 * (seconds, or an HTTP date per RFC 9110). Undefined when absent or unreadable.
 */
export function retryAfterMs(
  get: (name: string) => string | null | undefined,
  now = Date.now(),
): number | undefined {
  const ms = get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const ra = get("retry-after");
  if (ra == null || ra.trim() === "") return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return secs >= 0 ? secs * 1000 : undefined;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
