/**
 * The sealed holdout: poisoning the holdout years with NaN leaves the whole search byte-identical; the
 * search view holds no holdout value; the holdout is opened once, recorded, and a second opening returns
 * the stored result; a run whose holdout was opened cannot continue its search.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadDataset } from "../../src/io/dataset-config.ts";
import { writeDataset } from "../../src/io/write.ts";
import { loadFrame } from "../../src/search/frame.ts";
import { openHoldout } from "../../src/search/holdout.ts";
import type { HoldoutEntry } from "../../src/search/ledger/entries.ts";
import { loadSearchData } from "../../src/search/loop/data.ts";
import { runSearch } from "../../src/search/loop.ts";
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

const HOLDOUT = 2006;

/** A copy of the dataset whose holdout year is NaN in the target and every monthly driver. */
async function poisonedCopy(configPath: string, dir: string): Promise<string> {
  const loaded = await loadDataset(configPath);
  const ds = loaded.dataset;
  const steps = ds.time.indicesOfYears([HOLDOUT]);
  const fields = [...ds.fields.values()].map((f) => {
    if (f.isStatic) return f;
    const data = f.data.slice();
    for (const t of steps) data.fill(NaN, t * ds.nCell, (t + 1) * ds.nCell);
    return { ...f, data };
  });
  return writeDataset(ds.withFields(fields), dir, {
    name: loaded.name,
    target: loaded.target,
    attributes: loaded.config.attributes,
  });
}

after(cleanup);

describe("sealed holdout", () => {
  let clean: string;
  let poisoned: string;
  const frameBody = tinyFrame({
    baselines: ["b1", "b2"],
    budget: { forms: 2, trialsPerForm: 10, shapley: "winner", shapleyTrials: 6 },
    proposer: { kind: "offline", maxTerms: 3 },
  });

  before(async () => {
    clean = tmpDir();
    poisoned = tmpDir();
    const config = await tinyWorld(path.join(clean, "data"));
    const poisonedConfig = await poisonedCopy(config, path.join(poisoned, "data"));
    writeFrame(clean, frameBody);
    writeFrame(poisoned, frameBody);
    // the poison is really there, and only in the holdout year
    const p = (await loadDataset(poisonedConfig)).dataset;
    const c = (await loadDataset(config)).dataset;
    const hold = p.time.indicesOfYears([HOLDOUT]);
    for (const name of ["burned_area", "gpp", "dryness"]) {
      const pf = p.field(name).data;
      const cf = c.field(name).data;
      for (const t of hold) for (let k = 0; k < p.nCell; k++) assert.ok(Number.isNaN(pf[t * p.nCell + k]));
      const first = hold[0] * p.nCell;
      assert.deepEqual(pf.subarray(0, first), cf.subarray(0, first));
    }
  });

  it("cuts a search view without the holdout years and keeps no reference to their values", async () => {
    const data = await loadSearchData(loadFrame(path.join(clean, "kiln.yaml")));
    const ds = data.problem.dataset;
    assert.deepEqual(ds.time.yearList(), [2001, 2002, 2003, 2004, 2005]);
    for (const f of ds.fields.values()) {
      assert.equal(
        f.data.buffer.byteLength,
        f.data.byteLength,
        `${f.name} owns its values (no hidden holdout bytes)`,
      );
    }
  });

  it("writes a byte-identical ledger when the holdout values are NaN", async () => {
    const a = await runSearch(path.join(clean, "kiln.yaml"), {
      runDir: path.join(clean, "run"),
      clock: stepClock(),
    });
    const b = await runSearch(path.join(poisoned, "kiln.yaml"), {
      runDir: path.join(poisoned, "run"),
      clock: stepClock(),
    });
    const la = ledgerLines(a.runDir);
    const lb = ledgerLines(b.runDir);
    assert.ok(
      la.some((l) => l.includes('"kind":"shapley"')),
      "the winner's Shapley step ran",
    );
    assert.equal(lb[0], la[0], "run-start (frame hash, data fingerprint, audit) is the same bytes");
    // the refit game's elapsed milliseconds are its own wall clock; every other byte must match
    assert.deepEqual(normalisedLedger(b.runDir, ["elapsedMs"]), normalisedLedger(a.runDir, ["elapsedMs"]));
  });

  it("opens the holdout once, records it, and returns the stored result after", async () => {
    const runDir = path.join(clean, "run");
    const first = await openHoldout(runDir, { clock: stepClock(Date.UTC(2031, 0, 1)) });
    assert.equal(first.alreadyOpened, false);
    const e = first.entry;
    assert.deepEqual(e.years, [HOLDOUT]);
    assert.equal(e.time, "2031-01-01T00:00:01.000Z");
    assert.ok(e.winnerId);
    assert.equal(e.scores[0].id, e.winnerId, "the winner comes first");
    const baselines = e.scores.filter((s) => s.origin === "baseline");
    assert.equal(baselines.length, 2);
    for (const s of [e.scores[0], ...baselines]) {
      assert.equal(typeof s.holdout?.overall, "number", `${s.id} scored on the holdout`);
    }
    assert.equal(
      e.verdicts.filter((v) => v.candidateId === e.winnerId).length,
      2,
      "the winner against each baseline",
    );
    assert.equal(
      e.win,
      e.verdicts.filter((v) => v.candidateId === e.winnerId).every((v) => v.pass),
    );

    const second = await openHoldout(runDir, { candidates: ["c0001"] });
    assert.equal(second.alreadyOpened, true);
    assert.match(second.message, /opened once, at 2031-01-01T00:00:01.000Z.*never re-scored/);
    assert.match(second.message, /other candidates cannot be scored on it now/);
    assert.deepEqual(second.entry, e);
    const holdouts = ledgerLines(runDir)
      .map((l) => JSON.parse(l) as { kind: string })
      .filter((x): x is HoldoutEntry => x.kind === "holdout");
    assert.equal(holdouts.length, 1);

    await assert.rejects(
      runSearch(undefined, { runDir, resume: true }),
      /the holdout of this run was opened at 2031-01-01T00:00:01.000Z; its search cannot continue/,
    );
  });

  it("shows the poison only when the holdout is opened", async () => {
    const opened = await openHoldout(path.join(poisoned, "run"), { clock: stepClock() });
    const winner = opened.entry.scores[0];
    assert.equal(winner.id, opened.entry.winnerId);
    assert.equal(winner.holdout?.overall ?? null, null, "NaN holdout data give no holdout score");
    assert.ok(
      opened.entry.audit.findings.some((f) => f.check === "nonfinite"),
      "the audit of the full data saw the NaN",
    );
  });
});
