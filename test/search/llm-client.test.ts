import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { createLlmClient, LlmError, type LlmConfig } from "../../src/search/llm/index.ts";
import { startFakeLlmServer, type FakeLlmServer, type FakeStep } from "../helpers/fake-llm-server.ts";

const PROTOCOLS = ["openai", "anthropic"] as const;
type Protocol = (typeof PROTOCOLS)[number];

const servers: FakeLlmServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function serve(protocol: Protocol, script: FakeStep[], apiKey?: string): Promise<FakeLlmServer> {
  const s = await startFakeLlmServer({ protocol, script, apiKey });
  servers.push(s);
  return s;
}

/** A sleep that returns at once and records what it was asked to wait. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

let envSeq = 0;
/** A fresh env var holding `key`, so tests never share one. */
function keyEnv(key: string): string {
  const name = `KILN_TEST_LLM_KEY_${process.pid}_${envSeq++}`;
  process.env[name] = key;
  return name;
}

const HELLO = [
  { role: "system" as const, content: "You propose burned-area model forms." },
  { role: "user" as const, content: "Propose one form." },
];

for (const protocol of PROTOCOLS) {
  describe(`LLM client over ${protocol}`, () => {
    test("a good reply comes back with text, usage, cost, and the request carries model, key and protocol headers", async () => {
      const s = await serve(
        protocol,
        [{ reply: "a form", inputTokens: 1200, outputTokens: 300 }],
        "sk-good-key-1",
      );
      const cfg: LlmConfig = {
        provider: protocol,
        model: "model-under-test",
        baseUrl: s.baseUrl,
        apiKeyEnv: keyEnv("sk-good-key-1"),
        maxTokens: 777,
        pricePerMTokIn: 3,
        pricePerMTokOut: 15,
      };
      const r = await createLlmClient(cfg).complete(HELLO);
      assert.equal(r.text, "a form");
      assert.deepEqual(r.usage, { inputTokens: 1200, outputTokens: 300 });
      assert.ok(Math.abs(r.costUsd - (1200 * 3 + 300 * 15) / 1e6) < 1e-12);
      assert.equal(r.attempts, 1);
      assert.equal(r.truncated, false);
      assert.equal(r.model, "model-under-test");
      assert.ok(r.latencyMs >= 0);

      assert.equal(s.requests.length, 1);
      const req = s.requests[0];
      assert.equal(req.body.model, "model-under-test");
      if (protocol === "openai") {
        assert.equal(req.path, "/v1/chat/completions");
        assert.equal(req.headers.authorization, "Bearer sk-good-key-1");
        assert.equal(req.body.max_tokens, 777);
        assert.deepEqual(req.body.messages, HELLO);
        assert.equal("temperature" in req.body, false, "temperature is sent only when configured");
      } else {
        assert.equal(req.path, "/v1/messages");
        assert.equal(req.headers["anthropic-version"], "2026-10-21");
        assert.equal(req.headers.authorization, "Bearer sk-good-key-1");
        assert.equal(req.body.max_tokens, 777);
        assert.equal(req.body.system, HELLO[0].content, "the system prompt goes to the top-level field");
        assert.deepEqual(req.body.messages, [{ role: "user", content: "Propose one form." }]);
      }
    });

    test("429 with Retry-After: the wait asked for is honoured, then success", async () => {
      const s = await serve(protocol, [{ status: 429, retryAfter: 7 }, "ok after 429"]);
      const { sleep, waits } = recordingSleep();
      const r = await createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl },
        { sleep },
      ).complete(HELLO);
      assert.equal(r.text, "ok after 429");
      assert.equal(r.attempts, 2);
      assert.deepEqual(waits, [7000]);
      assert.equal(s.requests.length, 2);
    });

    test("429 without Retry-After and 5xx back off exponentially, then success", async () => {
      const s = await serve(protocol, [{ status: 500 }, { status: 503 }, { status: 429 }, "ok at last"]);
      const { sleep, waits } = recordingSleep();
      const r = await createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl },
        { sleep },
      ).complete(HELLO);
      assert.equal(r.text, "ok at last");
      assert.equal(r.attempts, 4);
      assert.deepEqual(waits, [1000, 2000, 4000]);
    });

    test("a server slower than timeoutMs is abandoned and the call retried", async () => {
      const s = await serve(protocol, [{ delayMs: 5000, then: "too late" }, "on time"]);
      const { sleep, waits } = recordingSleep();
      const client = createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl, timeoutMs: 150 },
        { sleep },
      );
      const t0 = Date.now();
      const r = await client.complete(HELLO);
      assert.equal(r.text, "on time");
      assert.equal(r.attempts, 2);
      assert.deepEqual(waits, [1000]);
      assert.ok(Date.now() - t0 < 4000, "the client did not wait for the slow answer");
    });

    test("a dropped connection is retried", async () => {
      const s = await serve(protocol, [{ hangup: true }, "after hangup"]);
      const { sleep } = recordingSleep();
      const r = await createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl },
        { sleep },
      ).complete(HELLO);
      assert.equal(r.text, "after hangup");
      assert.equal(r.attempts, 2);
    });

    test("401 fails at once, naming the env var whose key was refused", async () => {
      const s = await serve(protocol, ["never reached"], "sk-the-right-one");
      const env = keyEnv("sk-a-wrong-key-42");
      const { sleep, waits } = recordingSleep();
      const client = createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl, apiKeyEnv: env },
        { sleep },
      );
      await assert.rejects(client.complete(HELLO), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "auth");
        assert.equal(e.status, 401);
        assert.equal(e.fatal, true);
        assert.match(e.message, new RegExp(`API key in env var ${env} was refused \\(HTTP 401\\)`));
        assert.ok(!e.message.includes("sk-a-wrong-key-42"), "the key the server echoed is scrubbed");
        return true;
      });
      assert.equal(s.requests.length, 1, "no retry on 401");
      assert.deepEqual(waits, []);
    });

    test("other 4xx fail at once with the server's message and a hint", async () => {
      const s = await serve(protocol, [{ status: 404, message: "model 'nope' not found" }]);
      const { sleep, waits } = recordingSleep();
      const client = createLlmClient({ provider: protocol, model: "nope", baseUrl: s.baseUrl }, { sleep });
      await assert.rejects(client.complete(HELLO), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "not-found");
        assert.match(e.message, /model 'nope' not found/);
        assert.match(e.message, protocol === "openai" ? /end in \/v1/ : /have no \/v1/);
        return true;
      });
      assert.equal(s.requests.length, 1);
      assert.deepEqual(waits, []);
    });

    test("retries are bounded: after maxRetries the last failure is reported with the attempt count", async () => {
      const s = await serve(protocol, [{ status: 500 }, { status: 502 }, { status: 500 }, "unreached"]);
      const { sleep, waits } = recordingSleep();
      const client = createLlmClient(
        { provider: protocol, model: "m", baseUrl: s.baseUrl, maxRetries: 2 },
        { sleep },
      );
      await assert.rejects(client.complete(HELLO), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "server");
        assert.equal(e.attempts, 3);
        assert.match(e.message, /gave up after 3 attempts/);
        return true;
      });
      assert.equal(s.requests.length, 3);
      assert.deepEqual(waits, [1000, 2000]);
      assert.equal(s.remaining(), 1);
    });

    test("a Retry-After longer than Kiln waits fails at once and says so", async () => {
      const s = await serve(protocol, [{ status: 429, retryAfter: 3600 }, "unreached"]);
      const { sleep, waits } = recordingSleep();
      const client = createLlmClient({ provider: protocol, model: "m", baseUrl: s.baseUrl }, { sleep });
      await assert.rejects(client.complete(HELLO), /asks to wait 3600 s/);
      assert.deepEqual(waits, []);
    });

    test("a 200 that is not the protocol's JSON is a clear bad-response error, not retried", async () => {
      const s = await serve(protocol, [{ rawBody: "<html>proxy login</html>" }, "unreached"]);
      const { sleep } = recordingSleep();
      const client = createLlmClient({ provider: protocol, model: "m", baseUrl: s.baseUrl }, { sleep });
      await assert.rejects(client.complete(HELLO), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "bad-response");
        assert.match(e.message, /baseUrl/);
        return true;
      });
      assert.equal(s.requests.length, 1);
    });

    test("a reply cut at max tokens is flagged as truncated", async () => {
      const s = await serve(protocol, [{ reply: "{ partial", stop: "length" }]);
      const r = await createLlmClient({ provider: protocol, model: "m", baseUrl: s.baseUrl }).complete(HELLO);
      assert.equal(r.truncated, true);
      assert.equal(r.stopReason, protocol === "openai" ? "length" : "max_tokens");
    });

    test("a local server needs no key: none is named, no Authorization header goes out", async () => {
      const s = await serve(protocol, ["keyless"]);
      const r = await createLlmClient({ provider: protocol, model: "m", baseUrl: s.baseUrl }).complete(HELLO);
      assert.equal(r.text, "keyless");
      assert.equal(s.requests[0].headers.authorization, undefined);
      assert.equal(s.requests[0].headers["x-api-key"], undefined);
    });

    test("a remote provider with its key env var unset fails before any request, naming the variable", async () => {
      const name = `KILN_TEST_UNSET_${process.pid}`;
      delete process.env[name];
      const client = createLlmClient({
        provider: protocol,
        model: "m",
        baseUrl: "https://llm.example.invalid/v1",
        apiKeyEnv: name,
      });
      await assert.rejects(client.complete(HELLO), (e: unknown) => {
        assert.ok(e instanceof LlmError);
        assert.equal(e.kind, "no-key");
        assert.match(e.message, new RegExp(`environment variable ${name} holding the API key is not set`));
        return true;
      });
    });
  });
}

test("the default key variable is the provider's usual one for its cloud API", () => {
  assert.equal(createLlmClient({ provider: "openai", model: "m" }).config.apiKeyEnv, "OPENAI_API_KEY");
  assert.equal(createLlmClient({ provider: "anthropic", model: "m" }).config.apiKeyEnv, "ANTHROPIC_API_KEY");
  // ... and a local server is not sent the cloud key unless asked to
  const local = createLlmClient({ provider: "openai", model: "m", baseUrl: "http://localhost:11434/v1" });
  assert.equal(local.config.apiKeyEnv, undefined);
  assert.doesNotMatch(local.describe(), /OPENAI_API_KEY/);
});

test("openai: temperature is passed when configured; the key is read at call time, not at creation", async () => {
  const s = await serve("openai", ["one", "two"], "sk-rotated-2");
  const env = keyEnv("sk-initial-1");
  const client = createLlmClient({
    provider: "openai",
    model: "m",
    baseUrl: s.baseUrl,
    apiKeyEnv: env,
    temperature: 0.3,
  });
  process.env[env] = "sk-rotated-2";
  const r = await client.complete(HELLO);
  assert.equal(r.text, "one");
  assert.equal(s.requests[0].body.temperature, 0.3);
  assert.equal(s.requests[0].headers.authorization, "Bearer sk-rotated-2");
});

test("openai: a 429 that says the quota is exhausted is not retried", async () => {
  const s = await serve("openai", [
    { status: 429, code: "insufficient_quota", message: "You exceeded your current quota" },
    "unreached",
  ]);
  const { sleep, waits } = recordingSleep();
  const client = createLlmClient({ provider: "openai", model: "m", baseUrl: s.baseUrl }, { sleep });
  await assert.rejects(client.complete(HELLO), (e: unknown) => e instanceof LlmError && e.kind === "quota");
  assert.deepEqual(waits, []);
});

test("anthropic: Anthropic's 529 overloaded is retried", async () => {
  const s = await serve("anthropic", [{ status: 529 }, "fine"]);
  const { sleep, waits } = recordingSleep();
  const r = await createLlmClient(
    { provider: "anthropic", model: "m", baseUrl: s.baseUrl },
    { sleep },
  ).complete(HELLO);
  assert.equal(r.text, "fine");
  assert.deepEqual(waits, [1000]);
});

test("a refused connection is retried, then reported with a hint for a local server", async () => {
  const s = await serve("openai", []);
  const url = s.baseUrl;
  await s.close();
  const { sleep, waits } = recordingSleep();
  const client = createLlmClient({ provider: "openai", model: "m", baseUrl: url, maxRetries: 1 }, { sleep });
  await assert.rejects(client.complete(HELLO), (e: unknown) => {
    assert.ok(e instanceof LlmError);
    assert.equal(e.kind, "connection");
    assert.match(e.message, /is the local server running/);
    return true;
  });
  assert.deepEqual(waits, [1000]);
});

test("openai: OpenAI's own API gets max_completion_tokens (reasoning models refuse max_tokens); an injected fetch is used", async () => {
  const s = await serve("openai", ["from the official host"], "sk-official");
  const seen: string[] = [];
  // route https://api.openai.com/v1/... to the fake server, keeping the request as the SDK built it
  const fetchVia: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    seen.push(url);
    return fetch(url.replace("https://api.openai.com/v1", s.baseUrl), init);
  };
  const client = createLlmClient(
    { provider: "openai", model: "gpt-5-mini", apiKeyEnv: keyEnv("sk-official"), maxTokens: 900 },
    { fetch: fetchVia },
  );
  const r = await client.complete(HELLO);
  assert.equal(r.text, "from the official host");
  assert.deepEqual(seen, ["https://api.openai.com/v1/chat/completions"]);
  assert.equal(s.requests[0].body.max_completion_tokens, 900);
  assert.equal("max_tokens" in s.requests[0].body, false);
});
