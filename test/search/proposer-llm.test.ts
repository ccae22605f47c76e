import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { checkFormObject } from "../../src/forms/index.ts";
import { MECHANISMS } from "../../src/mechanisms/index.ts";
import { createLlmClient } from "../../src/search/llm/index.ts";
import { createLlmProposer } from "../../src/search/proposers/llm/proposer.ts";
import type { Feedback, ProposalContext } from "../../src/search/types.ts";
import { KilnError } from "../../src/util/errors.ts";
import { startFakeLlmServer, type FakeLlmServer, type FakeStep } from "../helpers/fake-llm-server.ts";
import { WORLD_DRIVERS, baselineEntries, contextFor, libraryEntry, summary } from "./proposer-fixtures.ts";

const PROTOCOLS = ["openai", "anthropic"] as const;
type Protocol = (typeof PROTOCOLS)[number];

const servers: FakeLlmServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

const FRAME =
  "name: fire-test\nseed: 11\nsplit: { train: 1997-2008, validation: 2009-2012, holdout: 2013-2016 }\n";

function reply(form: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    hypothesis: "Fire is limited by productivity and accumulated dryness.",
    rationale: "The incumbent lacks a moisture term; c0005 shows fuel alone scores 0.55.",
    parent: "c0005",
    form,
    ...extra,
  });
}

const GOOD_FORM = {
  name: "gpp-dryness",
  combiner: "product",
  terms: [{ mechanism: "vdw_gpp_gate" }, { mechanism: "accumulated_dryness" }],
};
const GOOD = "Here is my proposal.\n\n```json\n" + reply(GOOD_FORM) + "\n```\n";
const OTHER_FORM = {
  name: "gpp-dryness-people",
  terms: [
    { mechanism: "vdw_gpp_gate" },
    { mechanism: "accumulated_dryness" },
    { mechanism: "popdens_suppression" },
  ],
};

const FEEDBACK: Feedback = {
  candidateId: "c0005",
  validation: summary(0.5512, {
    global: { bias: 0.7133, seasonal: 0.6021, spatial: 0.5544 },
    nhaf: { overall: 0.3127, bias: 0.6402, seasonal: 0.2719 },
  }),
  status: "keep",
  shapley: {
    players: ["vdw_gpp_gate", "pr_fuel_hump"],
    phi: [0.0847, 0.0031],
    share: [0.9647, 0.0353],
    indistinguishableFromZero: [false, true],
    interactions: [
      [0, -0.0213],
      [-0.0213, 0],
    ],
  },
  residuals: {
    worstRegions: [{ region: "nhaf", overall: 0.3127, bias: 0.6402, seasonal: 0.2719 }],
    worstMonths: [{ region: "nhaf", month: 12, model: 0.0123, reference: 0.0456 }],
  },
};

function context(drivers: readonly string[] = WORLD_DRIVERS): ProposalContext {
  const history = [...baselineEntries(), libraryEntry("c0005", ["vdw_gpp_gate", "pr_fuel_hump"], 0.5512)];
  return { ...contextFor(2, history, FEEDBACK, drivers), frameText: FRAME };
}

async function setup(
  protocol: Protocol,
  script: FakeStep[],
  extra: { maxRetries?: number; timeoutMs?: number } = {},
) {
  const s = await startFakeLlmServer({ protocol, script });
  servers.push(s);
  const llm = {
    provider: protocol,
    model: "fire-model",
    baseUrl: s.baseUrl,
    pricePerMTokIn: 2,
    pricePerMTokOut: 10,
    ...extra,
  };
  const client = createLlmClient(llm, { sleep: async () => {} });
  return { s, proposer: createLlmProposer({ llm, client, maxRepairs: 2 }) };
}

/** Every text the request carried (system prompt and messages), whatever the protocol. */
function requestText(body: { system?: unknown; messages: { content: string }[] }): string {
  return [typeof body.system === "string" ? body.system : "", ...body.messages.map((m) => m.content)].join(
    "\n",
  );
}

/** The last user message of a request: the repair prompt for every request after the first. */
function lastUser(body: { messages: { role: string; content: string }[] }): string {
  return body.messages.filter((m) => m.role === "user").at(-1)!.content;
}

for (const protocol of PROTOCOLS) {
  describe(`LLM proposer over ${protocol}`, () => {
    test("a good reply becomes a proposal whose spec checks; tokens and cost are recorded", async () => {
      const { s, proposer } = await setup(protocol, [{ reply: GOOD, inputTokens: 1000, outputTokens: 200 }]);
      const p = await proposer.propose(context());
      assert.ok(p);
      const form = checkFormObject(p.spec);
      assert.deepEqual(
        form.terms.map((t) => t.mechanism),
        ["vdw_gpp_gate", "accumulated_dryness"],
      );
      assert.equal(p.hypothesis, "Fire is limited by productivity and accumulated dryness.");
      assert.match(p.rationale, /lacks a moisture term/);
      assert.equal(p.parentId, "c0005");
      assert.deepEqual(p.usage, {
        inputTokens: 1000,
        outputTokens: 200,
        costUsd: (1000 * 2 + 200 * 10) / 1e6,
      });
      assert.equal(s.requests.length, 1);
      assert.equal(proposer.lastFailure, null);
      assert.equal(proposer.name, `llm:${protocol}/fire-model`);
    });

    test("the prompt carries the catalogue, the frame, the drivers, the tried sets and the feedback", async () => {
      const { s, proposer } = await setup(protocol, [GOOD]);
      await proposer.propose(context());
      const text = requestText(s.requests[0].body);
      for (const m of MECHANISMS) {
        if (["simfire_fapar_power", "gdp_suppression", "wind_spread"].includes(m.id)) continue;
        assert.ok(text.includes(`| ${m.id} | ${m.catalogue} |`), `catalogue row for ${m.id}`);
      }
      assert.match(text, /Not usable here \(a driver is missing\): simfire_fapar_power \(needs fapar\)/);
      assert.ok(text.includes(FRAME.trimEnd()), "frame text");
      assert.match(text, /- dryness \(1\): accumulated-dryness index/);
      assert.match(text, /Mechanism sets already tried/);
      assert.ok(text.includes("- product: pr_fuel_hump + vdw_gpp_gate  (c0005, Overall 0.551)"), "tried set");
      assert.match(text, /- product: fuel \+ season \(custom terms\) {2}\(c0001, Overall 0\.410\)/);
      // Feedback numbers: components per region, Shapley values, shares, interactions, worst regions and months.
      assert.match(text, /\| nhaf \| 0\.313 \| 0\.640 \| 0\.313 \| 0\.272 \|/);
      assert.match(text, /\| pr_fuel_hump \| 0\.0031 \| 4% \| yes \|/);
      assert.match(text, /vdw_gpp_gate × pr_fuel_hump −0\.021/);
      assert.match(text, /nhaf Dec \(model 0\.0123, reference 0\.0456\)/);
      assert.match(text, /Propose candidate #2/);
      assert.match(text, /§1\.6/);
    });

    test("malformed JSON gets a repair prompt carrying the parser's error, then a good reply is accepted", async () => {
      const bad = '{"hypothesis": "dryness", "rationale": "x", "form": {"name": "a", "terms": [}';
      let parserError = "";
      try {
        JSON.parse(bad);
      } catch (e) {
        parserError = (e as Error).message;
      }
      const { s, proposer } = await setup(protocol, [bad, GOOD]);
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.equal(s.requests.length, 2);
      const repair = lastUser(s.requests[1].body);
      assert.ok(repair.includes(`the reply is not valid JSON: ${parserError}`), repair);
      assert.match(repair, /Answer with the whole JSON object again/);
      // The rejected reply stays in the conversation as the assistant's turn.
      assert.ok(
        s.requests[1].body.messages.some(
          (m: { role: string; content: string }) => m.role === "assistant" && m.content === bad,
        ),
      );
      assert.ok(p.usage!.inputTokens > 0 && p.usage!.outputTokens > 0);
    });

    test("an unknown driver gets a repair prompt with the checker's suggestion", async () => {
      const typo = reply({
        name: "typo",
        terms: [
          {
            name: "fuel",
            expr: "hump(gppp, G0, a)",
            params: { G0: { lo: 0.5, hi: 8 }, a: { lo: 0, hi: 8 } },
          },
          { mechanism: "accumulated_dryness" },
        ],
      });
      const { s, proposer } = await setup(protocol, [typo, GOOD]);
      const p = await proposer.propose(context());
      assert.ok(p);
      const repair = lastUser(s.requests[1].body);
      assert.match(repair, /form\.terms\[0\]\.expr: col 6: unknown driver 'gppp', did you mean 'gpp'\?/);
    });

    test("a driver Kiln knows but this dataset lacks gets a repair prompt naming it", async () => {
      const windy = reply({
        name: "windy",
        terms: [{ mechanism: "vdw_gpp_gate" }, { mechanism: "wind_spread" }],
      });
      const { s, proposer } = await setup(protocol, [windy, GOOD]);
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.match(
        lastUser(s.requests[1].body),
        /form term 'wind_spread' \(mechanism wind_spread\) reads 'wind', which this dataset does not have/,
      );
    });

    test("an already-tried mechanism set gets a repair prompt saying so", async () => {
      // Same mechanisms as c0005 with other bounds: a new hash, but the same mechanism set.
      const repeat = reply({
        name: "again",
        terms: [
          { mechanism: "pr_fuel_hump" },
          { mechanism: "vdw_gpp_gate", params: { G0: { lo: 1, hi: 6 } } },
        ],
      });
      const { s, proposer } = await setup(protocol, [repeat, reply(OTHER_FORM)]);
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.equal((p.spec as { name: string }).name, "gpp-dryness-people");
      assert.match(lastUser(s.requests[1].body), /already tried/);
      assert.match(
        lastUser(s.requests[1].body),
        /this mechanism set was already tried: product: pr_fuel_hump \+ vdw_gpp_gate is ledger entry c0005 \(validation Overall 0\.551, keep\)/,
      );
    });

    test("hostile text in a term is rejected by the grammar and never executed", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kiln-"));
      const sentinel = path.join(dir, "pwned");
      const g = globalThis as { __kilnPwned?: unknown };
      const hostile = reply(
        {
          name: "hostile",
          terms: [
            { name: "a", expr: "process.exit(1)" },
            { name: "b", expr: "constructor.constructor('return process')().exit(1)" },
            { name: "c", expr: `require('fs').writeFileSync('${sentinel}', 'x')` },
            { name: "d", expr: "globalThis.__kilnPwned = 1" },
            { mechanism: "vdw_gpp_gate" },
          ],
        },
        {
          hypothesis: "${process.exit(1)}",
          rationale: "`require('child_process').execSync('touch " + sentinel + "')`",
        },
      );
      const { s, proposer } = await setup(protocol, [hostile, GOOD]);
      const exitCodeBefore = process.exitCode;
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.equal((p.spec as { name: string }).name, "gpp-dryness");
      const repair = lastUser(s.requests[1].body);
      assert.match(repair, /form\.terms\[0\]\.expr: col 8: unexpected character '\.'/);
      assert.match(repair, /form\.terms\[1\]\.expr: .*unexpected character/);
      assert.match(repair, /form\.terms\[2\]\.expr: .*unexpected character '''/);
      assert.match(repair, /form\.terms\[3\]\.expr: /);
      // Still running, and nothing the reply asked for happened.
      assert.equal(process.exitCode, exitCodeBefore);
      assert.equal(fs.existsSync(sentinel), false);
      assert.equal(g.__kilnPwned, undefined);
      fs.rmSync(dir, { recursive: true });
    });

    test("a 429 then success: retried, proposal accepted", async () => {
      const { s, proposer } = await setup(protocol, [{ status: 429, retryAfter: 0 }, GOOD]);
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.equal(s.requests.length, 2);
    });

    test("a timeout then success: retried, proposal accepted", async () => {
      const { s, proposer } = await setup(protocol, [{ delayMs: 3000, then: GOOD }, GOOD], {
        timeoutMs: 300,
      });
      const p = await proposer.propose(context());
      assert.ok(p);
      assert.equal(s.requests.length, 2);
    });

    test("no valid reply within the repairs: null, with the failure and the tokens recorded", async () => {
      const { s, proposer } = await setup(protocol, ["no idea", "still no idea", '{"form": 3}']);
      const p = await proposer.propose(context());
      assert.equal(p, null);
      assert.equal(s.requests.length, 3);
      const f = proposer.lastFailure;
      assert.ok(f);
      assert.equal(f.kind, "invalid-reply");
      assert.equal(f.replies, 3);
      assert.ok(f.usage.inputTokens > 0);
      assert.match(f.message, /no valid reply after 3 tries/);
    });

    test("a transport that keeps failing (5xx): null with a transport failure, the search goes on", async () => {
      const { proposer } = await setup(protocol, [{ status: 503 }, { status: 503 }], { maxRetries: 1 });
      assert.equal(await proposer.propose(context()), null);
      assert.equal(proposer.lastFailure?.kind, "transport");
      assert.equal(proposer.lastFailure?.replies, 0);
    });
  });
}

describe("LLM proposer: configuration failures stop the search", () => {
  test("a refused key is thrown as a KilnError that does not contain the key", async () => {
    const s = await startFakeLlmServer({ protocol: "openai", script: [GOOD], apiKey: "right-key-1234" });
    servers.push(s);
    process.env.KILN_PROPOSER_TEST_KEY = "wrong-key-5678";
    try {
      const proposer = createLlmProposer({
        llm: { provider: "openai", model: "m", baseUrl: s.baseUrl, apiKeyEnv: "KILN_PROPOSER_TEST_KEY" },
      });
      await assert.rejects(proposer.propose(context()), (e: unknown) => {
        assert.ok(e instanceof KilnError);
        assert.match(e.message, /refused \(HTTP 401\)/);
        assert.ok(!e.message.includes("wrong-key-5678"));
        return true;
      });
    } finally {
      delete process.env.KILN_PROPOSER_TEST_KEY;
    }
  });

  test("an unset key for a remote server is thrown before anything is sent", async () => {
    delete process.env.KILN_PROPOSER_UNSET_KEY;
    const proposer = createLlmProposer({
      llm: {
        provider: "anthropic",
        model: "m",
        baseUrl: "https://api.example.com",
        apiKeyEnv: "KILN_PROPOSER_UNSET_KEY",
      },
    });
    await assert.rejects(proposer.propose(context()), /KILN_PROPOSER_UNSET_KEY/);
  });
});

describe("LLM proposer: an exact repeat", () => {
  test("the same form written differently (renamed term) is refused by its canonical hash", async () => {
    const s = await startFakeLlmServer({
      protocol: "openai",
      script: [
        reply({
          name: "renamed",
          terms: [{ mechanism: "pr_fuel_hump" }, { mechanism: "vdw_gpp_gate", name: "gate" }],
        }),
        GOOD,
      ],
    });
    servers.push(s);
    const llm = { provider: "openai" as const, model: "m", baseUrl: s.baseUrl };
    const proposer = createLlmProposer({ llm, client: createLlmClient(llm, { sleep: async () => {} }) });
    assert.ok(await proposer.propose(context()));
    assert.match(
      lastUser(s.requests[1].body),
      /this exact form \(same canonical hash\) was already tried as ledger entry c0005/,
    );
  });
});
