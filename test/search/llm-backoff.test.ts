import assert from "node:assert/strict";
import { test } from "node:test";
import { BACKOFF_CAP_MS, backoffMs, retryAfterMs } from "../../src/search/llm/backoff.ts";

const headers = (h: Record<string, string>) => (name: string) => h[name];

test("Retry-After in seconds, as an HTTP date, and retry-after-ms (which wins)", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterMs(headers({ "retry-after": "12" }), now), 12_000);
  assert.equal(retryAfterMs(headers({ "retry-after": "0.5" }), now), 500);
  assert.equal(retryAfterMs(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now), 30_000);
  assert.equal(retryAfterMs(headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now), 0);
  assert.equal(retryAfterMs(headers({ "retry-after-ms": "250", "retry-after": "9" }), now), 250);
  assert.equal(retryAfterMs(headers({ "retry-after": "soon" }), now), undefined);
  assert.equal(retryAfterMs(headers({}), now), undefined);
});

test("backoff doubles from 1 s up to the cap; a server's wait replaces it", () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((k) => backoffMs(k)),
    [1000, 2000, 4000, 8000],
  );
  assert.equal(backoffMs(30), BACKOFF_CAP_MS);
  assert.equal(backoffMs(3, 1500), 1500);
});
