import assert from "node:assert/strict";
import { test } from "node:test";
import { isLocalUrl, llmConfigSchema, parseLlmConfig, resolveLlmConfig } from "../../src/search/llm/index.ts";
import { KilnError } from "../../src/util/errors.ts";

test("a minimal config gets the provider's defaults", () => {
  const c = resolveLlmConfig(parseLlmConfig({ provider: "anthropic", model: "claude-sonnet-4-5" }));
  assert.equal(c.baseUrl, "https://api.anthropic.com");
  assert.equal(c.apiKeyEnv, "ANTHROPIC_API_KEY");
  assert.equal(c.local, false);
  assert.equal(c.maxTokens, 4096);
  assert.equal(c.maxRetries, 5);
  assert.equal(c.pricePerMTokIn, 0);
  const o = resolveLlmConfig({
    provider: "openai",
    model: "gpt-4o-mini",
    baseUrl: "http://localhost:11434/v1/",
  });
  assert.equal(o.baseUrl, "http://localhost:11434/v1", "a trailing slash is dropped");
  assert.equal(o.local, true);
  assert.equal(o.apiKeyEnv, undefined);
});

test("a key pasted into apiKeyEnv is refused without being echoed", () => {
  const secret = "sk-proj-PASTEDKEY-abc123";
  assert.throws(
    () => parseLlmConfig({ provider: "openai", model: "m", apiKeyEnv: secret }, "kiln.yaml proposer.llm"),
    (e: unknown) => {
      assert.ok(e instanceof KilnError);
      assert.match(e.message, /^kiln\.yaml proposer\.llm: /);
      assert.match(e.message, /apiKeyEnv must be the NAME of an environment variable/);
      assert.ok(!e.message.includes(secret));
      return true;
    },
  );
});

test("unknown fields (e.g. apiKey itself), bad URLs, and temperature for Anthropic are refused with the field named", () => {
  const bad = [
    [{ provider: "openai", model: "m", apiKey: "x" }, /"apiKey"[\s\S]*put it in an environment variable/],
    [{ provider: "openai", model: "m", baseUrl: "localhost:11434" }, /baseUrl: baseUrl must be an http/],
    [{ provider: "anthropic", model: "m", temperature: 0.2 }, /temperature: .*rejects temperature/],
    [{ provider: "gemini", model: "m" }, /provider/],
    [{ provider: "openai", model: "" }, /model/],
    [{ provider: "openai", model: "m", maxRetries: -1 }, /maxRetries/],
    [{ provider: "openai", model: "m", timeoutMs: 1.5 }, /timeoutMs/],
  ] as const;
  for (const [cfg, re] of bad) assert.throws(() => parseLlmConfig(cfg), re, JSON.stringify(cfg));
  assert.equal(llmConfigSchema.safeParse({ provider: "openai", model: "m", temperature: 0.2 }).success, true);
});

test("local URLs: loopback, private networks, .local names and one-label hosts; public hosts are remote", () => {
  for (const u of [
    "http://localhost:11434/v1",
    "http://127.0.0.1:8080/v1",
    "http://[::1]:8000/v1",
    "http://192.168.1.20:8000/v1",
    "http://10.0.0.5/v1",
    "http://172.20.0.2:8000/v1",
    "http://gpu-box.local:8000/v1",
    "http://ollama:11434/v1",
  ]) {
    assert.equal(isLocalUrl(u), true, u);
  }
  for (const u of [
    "https://api.openai.com/v1",
    "https://api.anthropic.com",
    "http://172.32.0.1/v1",
    "http://8.8.8.8/v1",
  ]) {
    assert.equal(isLocalUrl(u), false, u);
  }
});
