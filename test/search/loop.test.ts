/**
 * The search loop on a tiny built-in world (10°, 2001–2006) with the real fit, the real refit game and
 * the real offline proposer: the audit stops a buggy world; a seed gives the same ledger; proposals that
 * are invalid, read a missing driver or repeat a form are recorded as such.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AuditStop, runSearch } from "../../src/search/loop.ts";
import { startFakeLlmServer } from "../helpers/fake-llm-server.ts";
import type { LedgerEntry } from "../../src/search/ledger/entries.ts";
import type {
  CandidateEntry,
  Proposal,
  ProposalContext,
  ProposalFailure,
  Proposer,
} from "../../src/search/types.ts";
import {
  ledgerLines,
  normalisedLedger,
  stepClock,
  tinyFrame,
  tinyWorld,
  tmpDir,
  writeFrame,
  cleanup,
} from "./loop-world.ts";

const TWO_TERMS = {
  name: "gate-and-dryness",
  terms: [{ mechanism: "vdw_gpp_gate" }, { mechanism: "accumulated_dryness" }],
};

const FAIL = Symbol("invalid reply");
const DOWN = Symbol("transport failure");

/** A proposer that plays a fixed list (FAIL / DOWN: null with that failure), recording what it was shown. */
function scripted(list: unknown[]): Proposer & { seen: ProposalContext[] } {
  const seen: ProposalContext[] = [];
  let lastFailure: ProposalFailure | null = null;
  return {
    name: "scripted",
    seen,
    get lastFailure() {
      return lastFailure;
    },
    async propose(ctx) {
      seen.push(ctx);
      const spec = list[ctx.n - 1];
      lastFailure = null;
      if (spec === FAIL || spec === DOWN) {
        lastFailure = {
          kind: spec === FAIL ? "invalid-reply" : "transport",
          message: spec === FAIL ? "3 replies, none a valid form" : "connection refused",
          usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.01 },
          replies: spec === FAIL ? 3 : 0,
        };
        return null;
      }
      if (spec === undefined) return null;
      return {
        spec,
        hypothesis: `step ${ctx.n}`,
        rationale: "scripted",
        parentId: ctx.incumbent?.id ?? null,
      } satisfies Proposal;
    },
  };
}

after(cleanup);

describe("search loop", () => {
  let dir: string;
  before(async () => {
    dir = tmpDir();
    await tinyWorld(path.join(dir, "data"));
  });

  it("stops at the audit on the dryness-bug world, printing the error, before writing anything", async () => {
    const bug = tmpDir();
    await tinyWorld(path.join(bug, "data"), "dryness-bug");
    const frame = writeFrame(bug, tinyFrame());
    const runDir = path.join(bug, "run");
    await assert.rejects(runSearch(frame, { runDir }), (e: Error) => {
      assert.ok(e instanceof AuditStop);
      assert.ok(
        e.findings.some(
          (f) => f.severity === "error" && f.check === "burned-coverage" && f.variable === "dryness",
        ),
      );
      assert.match(e.message, /the input audit found errors; the search stops before any fit/);
      assert.match(e.message, /dryness/);
      return true;
    });
    assert.equal(fs.existsSync(runDir), false, "no run folder, no ledger");
  });

  it("gives the same ledger for the same frame and seed (Shapley on improving candidates)", async () => {
    const frame = writeFrame(
      dir,
      tinyFrame({
        baselines: ["b1"],
        budget: { forms: 3, trialsPerForm: 12, shapley: "improving", shapleyTrials: 6 },
        proposer: { kind: "offline", maxTerms: 3 },
      }),
      "det.yaml",
    );
    const a = await runSearch(frame, { runDir: path.join(dir, "det-a"), clock: stepClock() });
    const b = await runSearch(frame, { runDir: path.join(dir, "det-b"), clock: stepClock() });
    // Only the Shapley engine's own elapsed milliseconds are real time; everything else is the same bytes.
    assert.deepEqual(normalisedLedger(b.runDir, ["elapsedMs"]), normalisedLedger(a.runDir, ["elapsedMs"]));

    const entries = ledgerLines(a.runDir).map((l) => JSON.parse(l) as LedgerEntry);
    assert.equal(entries[0].kind, "run-start");
    const cands = entries.filter((e) => e.kind === "candidate") as CandidateEntry[];
    assert.deepEqual(
      cands.map((c) => c.id),
      cands.map((_, i) => `c${String(i + 1).padStart(4, "0")}`),
    );
    assert.equal(cands[0].origin, "baseline");
    assert.equal(cands.filter((c) => c.origin === "proposer").length, 3);
    const kept = cands.filter((c) => c.origin === "proposer" && c.status === "keep");
    assert.ok(kept.length > 0, "a proposed form beats the weak GlobFIRM baseline");
    for (const k of kept) {
      assert.ok(
        entries.some((e) => e.kind === "shapley" && e.candidateId === k.id),
        `Shapley for ${k.id}`,
      );
      assert.ok(
        entries.some((e) => e.kind === "prune" && e.candidateId === k.id),
        `pruning for ${k.id}`,
      );
    }
    for (const c of cands.filter((x) => x.status !== "crash")) {
      assert.ok(c.validation && c.train && c.params && c.fit, `${c.id} is fitted and scored`);
      assert.equal(c.fit.trials, 12);
      assert.ok(c.residuals && c.residuals.worstRegions.length > 0, `${c.id} has residual feedback`);
    }
    const end = entries[entries.length - 1];
    assert.equal(end.kind, "run-end");
    if (end.kind !== "run-end") return;
    assert.equal(end.reason, "forms");
    assert.equal(a.winnerId, end.winnerId);
  });

  it("records invalid proposals, missing drivers and repeats, and feeds back what happened", async () => {
    const frame = writeFrame(
      dir,
      tinyFrame({ baselines: ["b2"], budget: { forms: 10, trialsPerForm: 8, shapley: "none" } }),
      "script.yaml",
    );
    const p = scripted([
      TWO_TERMS,
      { name: "typo", terms: [{ name: "fuel", expr: "gppp / 4" }] },
      { name: "windy", terms: [{ mechanism: "wind_spread" }, { mechanism: "vdw_gpp_gate" }] },
      // the same model written the other way round: one canonical hash
      { name: "again", terms: [{ mechanism: "accumulated_dryness" }, { mechanism: "vdw_gpp_gate" }] },
      FAIL,
    ]);
    const out = await runSearch(frame, { runDir: path.join(dir, "script"), proposer: p, clock: stepClock() });
    assert.equal(out.reason, "proposer-exhausted");
    const cands = ledgerLines(out.runDir)
      .map((l) => JSON.parse(l) as CandidateEntry)
      .filter((e) => e.kind === "candidate");
    const [base, good, typo, windy, again, failed] = cands;
    assert.equal(base.origin, "baseline");
    assert.ok(good.validation && good.params && good.fit);
    assert.equal(typo.status, "crash");
    assert.match(typo.error!, /unknown driver 'gppp'.*did you mean 'gpp'/);
    assert.equal(typo.fit, null);
    assert.equal(windy.status, "crash");
    assert.match(windy.error!, /reads wind, which the dataset does not have/);
    assert.equal(again.status, "discard");
    assert.equal(again.repeatOf, good.id);
    assert.equal(again.fit, null, "a repeat is not refit");
    assert.equal(again.hash, good.hash);
    assert.equal(failed.status, "crash");
    assert.match(failed.error!, /no valid proposal \(3 replies\): 3 replies, none a valid form/);
    assert.deepEqual(failed.tokens, { inputTokens: 1200, outputTokens: 300, costUsd: 0.01 });

    // what the proposer was shown, call by call
    assert.deepEqual(
      p.seen.map((c) => c.n),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      p.seen.map((c) => c.history.length),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal(p.seen[0].feedback, null);
    assert.equal(p.seen[0].incumbent?.id, base.id);
    assert.equal(p.seen[1].feedback?.candidateId, good.id);
    assert.deepEqual(p.seen[1].feedback?.validation, good.validation);
    assert.ok(p.seen[1].feedback?.residuals?.worstMonths?.length);
    assert.equal(p.seen[2].feedback?.status, "crash");
    assert.match(p.seen[2].feedback!.error!, /gppp/);
    assert.ok(!p.seen[0].drivers.includes("burned_area"), "the target is not a driver");
    assert.match(p.seen[0].frameText, /name: tiny/);
    assert.ok(p.seen[4].pareto.every((c) => c.status !== "crash"));
  });

  it("stops the session, unfinished, when the proposer is unavailable, and resumes from there", async () => {
    const frame = writeFrame(
      dir,
      tinyFrame({ baselines: ["b2"], budget: { forms: 2, trialsPerForm: 8, shapley: "none" } }),
      "down.yaml",
    );
    const runDir = path.join(dir, "down");
    const first = await runSearch(frame, {
      runDir,
      proposer: scripted([TWO_TERMS, DOWN]),
      clock: stepClock(),
    });
    assert.equal(first.reason, "proposer-unavailable");
    assert.equal(first.end, null);
    const kinds = ledgerLines(runDir).map((l) => (JSON.parse(l) as LedgerEntry).kind);
    assert.deepEqual(
      kinds,
      ["run-start", "candidate", "candidate"],
      "no entry for the failed call, no run-end",
    );
    const next = {
      name: "next",
      terms: [{ mechanism: "vdw_gpp_gate" }, { mechanism: "archibald_temp_sigmoid" }],
    };
    const back = scripted([TWO_TERMS, next]);
    const second = await runSearch(undefined, { runDir, resume: true, proposer: back, clock: stepClock() });
    assert.equal(second.reason, "forms");
    assert.deepEqual(
      back.seen.map((c) => c.n),
      [2],
      "the resumed run asks for form 2",
    );
  });

  it("runs the frame's LLM proposer (OpenAI-compatible, 127.0.0.1) and records its tokens", async () => {
    const reply = (form: unknown, why: string) =>
      JSON.stringify({ hypothesis: why, rationale: "a test reply", parent: null, form });
    const server = await startFakeLlmServer({
      protocol: "openai",
      script: [
        {
          reply: reply(TWO_TERMS, "GPP gating and dryness carry the fire season"),
          inputTokens: 5000,
          outputTokens: 200,
        },
        "this is not a form",
        {
          reply: reply(
            { name: "warm", terms: [{ mechanism: "vdw_gpp_gate" }, { mechanism: "archibald_temp_sigmoid" }] },
            "warmth limits fire",
          ),
          inputTokens: 6000,
          outputTokens: 250,
        },
      ],
    });
    try {
      const frame = writeFrame(
        dir,
        tinyFrame({
          baselines: ["b2"],
          budget: { forms: 2, trialsPerForm: 8, shapley: "none" },
          proposer: {
            kind: "llm",
            llm: {
              provider: "openai",
              model: "test-model",
              baseUrl: server.baseUrl,
              pricePerMTokIn: 1,
              pricePerMTokOut: 2,
            },
            maxRepairs: 1,
          },
        }),
        "llm.yaml",
      );
      const out = await runSearch(frame, { runDir: path.join(dir, "llm"), clock: stepClock() });
      assert.equal(out.reason, "forms");
      const cands = ledgerLines(out.runDir)
        .map((l) => JSON.parse(l) as CandidateEntry)
        .filter((e) => e.kind === "candidate" && e.origin === "proposer");
      assert.deepEqual(
        cands.map((c) => c.proposer),
        ["llm:openai/test-model", "llm:openai/test-model"],
      );
      assert.equal(cands[0].hypothesis, "GPP gating and dryness carry the fire season");
      assert.deepEqual(cands[0].mechanisms, ["vdw_gpp_gate", "accumulated_dryness"]);
      assert.equal(cands[0].tokens?.inputTokens, 5000);
      assert.ok(
        cands[1].tokens && cands[1].tokens.inputTokens > 6000,
        "the repaired exchange's tokens add up",
      );
      assert.ok(cands[1].tokens.costUsd > 0);
      assert.equal(server.remaining(), 0);
    } finally {
      await server.close();
    }
  });

  it("stops a proposer that only repeats itself", async () => {
    const frame = writeFrame(
      dir,
      tinyFrame({ baselines: ["b2"], budget: { forms: 20, trialsPerForm: 8, shapley: "none" } }),
      "stuck.yaml",
    );
    const p: Proposer = {
      name: "stuck",
      async propose() {
        return { spec: TWO_TERMS, hypothesis: "the same again", rationale: "", parentId: null };
      },
    };
    const out = await runSearch(frame, { runDir: path.join(dir, "stuck"), proposer: p, clock: stepClock() });
    assert.equal(out.reason, "proposer-stuck");
    assert.equal(out.end?.forms, 6, "one evaluated form, then five repeats");
  });
});
