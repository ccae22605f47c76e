import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { createLlmClient, proposeWithRepair, type ParseResult } from "../../src/search/llm/index.ts";
import { startFakeLlmServer, type FakeLlmServer, type FakeStep } from "../helpers/fake-llm-server.ts";

const PROTOCOLS = ["openai", "anthropic"] as const;
type Protocol = (typeof PROTOCOLS)[number];

const servers: FakeLlmServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function setup(protocol: Protocol, script: FakeStep[], extra: { maxRetries?: number } = {}) {
  const s = await startFakeLlmServer({ protocol, script });
  servers.push(s);
  const client = createLlmClient(
    { provider: protocol, model: "m", baseUrl: s.baseUrl, pricePerMTokIn: 2, pricePerMTokOut: 10, ...extra },
    { sleep: async () => {} },
  );
  return { s, client };
}

/**
 * A deliberately tiny whitelisted form shape, standing in for the real form parser:
 * { "mechanisms": [ids from a fixed list], "combiner": "product" | "sum" } and nothing else.
 * It only reads JSON as data; anything outside the whitelist is an error message.
 */
interface TinyForm {
  mechanisms: string[];
  combiner: "product" | "sum";
}
const KNOWN = new Set(["fuel_gpp", "moisture_vpd", "ignition_lightning", "human_popdens"]);
function parseTinyForm(text: string): ParseResult<TinyForm> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    return { ok: false, error: "expected a JSON object" };
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== "mechanisms" && k !== "combiner") return { ok: false, error: `unknown field '${k}'` };
  }
  if (!Array.isArray(o.mechanisms) || o.mechanisms.length === 0) {
    return { ok: false, error: "mechanisms must be a non-empty list" };
  }
  for (const m of o.mechanisms) {
    if (typeof m !== "string" || !KNOWN.has(m))
      return { ok: false, error: `unknown mechanism '${String(m)}'` };
  }
  if (o.combiner !== "product" && o.combiner !== "sum") {
    return { ok: false, error: `unknown combiner '${String(o.combiner)}'` };
  }
  return { ok: true, value: { mechanisms: o.mechanisms as string[], combiner: o.combiner } };
}

const GOOD = '{"mechanisms": ["fuel_gpp", "moisture_vpd"], "combiner": "product"}';
const SYSTEM = "You propose burned-area forms as JSON.";
const USER = "Propose a form.";

/** The text of the messages of a recorded request, whatever the protocol. */
function turns(body: { messages: { role: string; content: string }[] }): { role: string; content: string }[] {
  return body.messages.filter((m) => m.role !== "system");
}

for (const protocol of PROTOCOLS) {
  describe(`proposeWithRepair over ${protocol}`, () => {
    test("a good reply wrapped in prose and a ```json fence is accepted at once", async () => {
      const { s, client } = await setup(protocol, [
        {
          reply: `Hypothesis: fuel and dryness.\n\n\`\`\`json\n${GOOD}\n\`\`\`\nThat is all.`,
          inputTokens: 50,
          outputTokens: 20,
        },
      ]);
      const r = await proposeWithRepair({
        client,
        system: SYSTEM,
        user: USER,
        parse: parseTinyForm,
        maxRepairs: 2,
      });
      assert.equal(r.ok, true);
      assert.deepEqual(r.value, { mechanisms: ["fuel_gpp", "moisture_vpd"], combiner: "product" });
      assert.equal(r.attempts.length, 1);
      assert.equal(r.attempts[0].extracted.how, "fence");
      assert.equal(r.attempts[0].error, undefined);
      assert.equal(r.failure, undefined);
      assert.equal(s.requests.length, 1);
    });

    test("a malformed reply gets a repair prompt carrying the parser's error and the previous reply; the fix is accepted", async () => {
      const bad = '```json\n{"mechanisms": ["fuel_gpp", "soil_moisture"], "combiner": "product"}\n```';
      const { s, client } = await setup(protocol, [
        { reply: bad, inputTokens: 100, outputTokens: 30 },
        { reply: GOOD, inputTokens: 180, outputTokens: 25 },
      ]);
      const r = await proposeWithRepair({
        client,
        system: SYSTEM,
        user: USER,
        parse: parseTinyForm,
        maxRepairs: 2,
      });
      assert.equal(r.ok, true);
      assert.equal(r.attempts.length, 2);
      assert.equal(r.attempts[0].error, "unknown mechanism 'soil_moisture'");
      assert.equal(r.attempts[1].error, undefined);
      assert.equal(s.requests.length, 2);

      const second = turns(s.requests[1].body);
      assert.equal(second.length, 3);
      assert.deepEqual(
        second.map((m) => m.role),
        ["user", "assistant", "user"],
      );
      assert.equal(second[0].content, USER);
      assert.equal(second[1].content, bad, "the rejected reply is sent back as the assistant's turn");
      assert.match(second[2].content, /unknown mechanism 'soil_moisture'/);

      // tokens and cost summed over both replies
      assert.deepEqual(r.usage, { inputTokens: 280, outputTokens: 55 });
      const cost = (280 * 2 + 55 * 10) / 1e6;
      assert.ok(Math.abs(r.costUsd - cost) < 1e-12, `${r.costUsd} vs ${cost}`);
      assert.ok(Math.abs(r.attempts[0].costUsd - (100 * 2 + 30 * 10) / 1e6) < 1e-12);
    });

    test("hostile replies that smuggle code come back as parse errors and are never executed", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
      const marker = path.join(dir, "pwned");
      const g = globalThis as { __kilnPwned?: unknown };
      const hostile = [
        `\`\`\`json\n{"mechanisms": ["fuel_gpp", "process.exit(1)"], "combiner": "product"}\n\`\`\``,
        `{"mechanisms": ["fuel_gpp"], "combiner": "require('child_process').execSync('touch ${marker}')"}`,
        `\`\`\`json\n{"mechanisms": ["fuel_gpp"], "combiner": "sum", "term": "globalThis.__kilnPwned = true"}\n\`\`\``,
        `(() => { require('fs').writeFileSync('${marker}', 'x'); globalThis.__kilnPwned = 1 })()`,
      ];
      const { client } = await setup(protocol, hostile);
      const r = await proposeWithRepair({
        client,
        system: SYSTEM,
        user: USER,
        parse: parseTinyForm,
        maxRepairs: 3,
      });
      assert.equal(r.ok, false);
      assert.equal(r.value, undefined);
      assert.equal(r.failure?.kind, "invalid-reply");
      assert.deepEqual(
        r.attempts.map((a) => a.error?.replace(/: .*/, "")),
        [
          "unknown mechanism 'process.exit(1)'",
          "unknown combiner 'require('child_process').execSync('touch " + marker + "')'",
          "unknown field 'term'",
          "not JSON",
        ],
      );
      assert.equal(fs.existsSync(marker), false, "nothing from the reply ran");
      assert.equal(g.__kilnPwned, undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("when the repairs run out the result is a structured failure with everything spent", async () => {
      const { s, client } = await setup(protocol, [
        { reply: "I think fire depends on fuel.", inputTokens: 10, outputTokens: 7 },
        { reply: '{"mechanisms": []}', inputTokens: 20, outputTokens: 5 },
        { reply: "", inputTokens: 30, outputTokens: 1 },
        "never asked",
      ]);
      const r = await proposeWithRepair({
        client,
        system: SYSTEM,
        user: USER,
        parse: parseTinyForm,
        maxRepairs: 2,
      });
      assert.equal(r.ok, false);
      assert.equal(r.attempts.length, 3);
      assert.equal(s.requests.length, 3);
      assert.equal(s.remaining(), 1);
      assert.match(r.attempts[0].error ?? "", /^not JSON: /);
      assert.equal(r.attempts[1].error, "mechanisms must be a non-empty list");
      assert.equal(r.attempts[2].error, "the reply was empty");
      assert.equal(r.failure?.kind, "invalid-reply");
      assert.match(
        r.failure!.message,
        /no valid reply after 3 tries \(2 repairs\); the last error: the reply was empty/,
      );
      assert.deepEqual(r.usage, { inputTokens: 60, outputTokens: 13 });
      // the third request carries both earlier exchanges
      assert.equal(turns(s.requests[2].body).length, 5);
    });

    test("a transport failure mid-repair is a structured failure that keeps the tokens already spent", async () => {
      const { client } = await setup(protocol, [
        { reply: "nonsense", inputTokens: 40, outputTokens: 9 },
        { status: 401 },
      ]);
      const r = await proposeWithRepair({
        client,
        system: SYSTEM,
        user: USER,
        parse: parseTinyForm,
        maxRepairs: 3,
      });
      assert.equal(r.ok, false);
      assert.equal(r.failure?.kind, "transport");
      assert.ok(r.failure?.kind === "transport" && r.failure.error.fatal && r.failure.error.kind === "auth");
      assert.deepEqual(r.usage, { inputTokens: 40, outputTokens: 9 });
      assert.equal(r.attempts.length, 1);
    });
  });
}

test("a parser that throws is treated as a rejected reply, and a truncated reply is told to be brief", async () => {
  const { s, client } = await setup("openai", [{ reply: '{"mechanisms": ["fuel_', stop: "length" }, GOOD]);
  const parse = (t: string): ParseResult<unknown> => ({ ok: true, value: JSON.parse(t) });
  const r = await proposeWithRepair({ client, system: SYSTEM, user: USER, parse, maxRepairs: 1 });
  assert.equal(r.ok, true);
  assert.equal(r.attempts[0].truncated, true);
  assert.match(r.attempts[0].error ?? "", /JSON/);
  const repair = turns(s.requests[1].body)[2].content;
  assert.match(repair, /cut off at the token limit/);
});

test("maxRepairs 0 asks once", async () => {
  const { s, client } = await setup("anthropic", ["not json", GOOD]);
  const r = await proposeWithRepair({
    client,
    system: SYSTEM,
    user: USER,
    parse: parseTinyForm,
    maxRepairs: 0,
  });
  assert.equal(r.ok, false);
  assert.equal(s.requests.length, 1);
});

test("reasoning preambles are dropped before extraction and from the turn sent back", async () => {
  const reply = `<think>maybe {"mechanisms": ["x"]} ... no</think>\n{"mechanisms": ["fuel_gpp"], "combiner": "sum", "extra": 1}`;
  const { s, client } = await setup("openai", [reply, GOOD]);
  const r = await proposeWithRepair({
    client,
    system: SYSTEM,
    user: USER,
    parse: parseTinyForm,
    maxRepairs: 1,
  });
  assert.equal(r.ok, true);
  assert.equal(r.attempts[0].error, "unknown field 'extra'");
  assert.doesNotMatch(turns(s.requests[1].body)[1].content, /<think>/);
});
