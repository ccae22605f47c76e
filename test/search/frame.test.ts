/** The frame: validation errors with key and line, defaults and the canonical hash, pinning and amending. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { KilnError } from "../../src/util/errors.ts";
import { frameFromObject, loadFrame, parseDuration, parseFrameText } from "../../src/search/frame.ts";
import { Ledger } from "../../src/search/ledger/ledger.ts";
import type { RunStartEntry } from "../../src/search/ledger/entries.ts";
import { openRun } from "../../src/search/run/open.ts";
import { stepClock, tmpDir, cleanup } from "./loop-world.ts";

const GOOD = `# a frame
name: demo
dataset: data/dataset.yaml
split:
  train: 1997-2008
  validation: 2009-2012
  holdout: 2013-2016
budget:
  forms: 20
  wallTime: 1h30m
seed: 4
`;

function errorOf(text: string): KilnError {
  try {
    parseFrameText(text, "/x/kiln.yaml");
  } catch (e) {
    assert.ok(e instanceof KilnError, `expected a KilnError, got ${String(e)}`);
    return e;
  }
  assert.fail("the frame was accepted");
}

after(cleanup);

describe("frame validation", () => {
  it("fills every default and reads years and durations", () => {
    const lf = parseFrameText(GOOD, "/x/kiln.yaml");
    const f = lf.frame;
    assert.deepEqual(f.split.train, [1997, 1998, 1999, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008]);
    assert.deepEqual(f.split.holdout, [2013, 2014, 2015, 2016]);
    assert.equal(f.budget.wallTime, 5400);
    assert.equal(f.budget.trialsPerForm, 200);
    assert.equal(f.budget.shapley, "winner");
    assert.deepEqual(f.baselines, ["b1", "b2", "b3", "b4"]);
    assert.deepEqual(f.proposer, { kind: "offline" });
    assert.equal(f.metric.convention, "ilamb-2.7");
    assert.equal(f.metric.regions.length, 15);
    assert.equal(f.win.pick, "best");
    assert.equal(lf.dir, "/x");
    assert.equal(lf.name, "demo");
  });

  it("hashes the meaning, not the text: comments and key order do not count, values do", () => {
    const a = parseFrameText(GOOD, "/x/kiln.yaml");
    const reordered = `seed: 4
budget: { wallTime: 90m, forms: 20 }
split: { holdout: 2013-2016, validation: [2009, 2010, 2011, 2012], train: 1997-2008 }
dataset: data/dataset.yaml
name: demo
`;
    const b = parseFrameText(reordered, "/y/kiln.yaml");
    assert.equal(b.hash, a.hash);
    const c = parseFrameText(GOOD.replace("forms: 20", "forms: 21"), "/x/kiln.yaml");
    assert.notEqual(c.hash, a.hash);
    // a default written out is the same frame
    const d = parseFrameText(GOOD + "fit: { sampler: auto }\n", "/x/kiln.yaml");
    assert.equal(d.hash, a.hash);
  });

  it("names the key and the line of each problem", () => {
    const e = errorOf(GOOD.replace("  forms: 20", "  formz: 20"));
    assert.match(e.message, /budget\.formz \(line 9:3\): unknown key formz/);
    assert.match(e.message, /kiln\.yaml:9:3/);
    const neg = errorOf(GOOD.replace("forms: 20", "forms: -2"));
    assert.match(neg.message, /budget\.forms \(line 9:3\)/);
  });

  it("refuses overlapping splits, a holdout inside the search years, and gaps", () => {
    assert.match(
      errorOf(GOOD.replace("holdout: 2013-2016", "holdout: 2008-2010")).message,
      /year 2008 is in both train and holdout/,
    );
    const inside = errorOf(
      GOOD.replace("validation: 2009-2012", "validation: 2013-2016").replace(
        "holdout: 2013-2016",
        "holdout: 2009-2012",
      ),
    );
    assert.match(inside.message, /lie inside the search years/);
    const gap = errorOf(
      GOOD.replace("validation: 2009-2012", "validation: 2010-2012").replace(
        "holdout: 2013-2016",
        "holdout: 2013",
      ),
    );
    assert.match(gap.message, /must be consecutive/);
  });

  it("reports a missing key, a bad duration, a YAML error and an unknown baseline in win.against", () => {
    assert.match(errorOf("dataset: d.yaml\n").message, /split: required/);
    assert.match(
      errorOf(GOOD.replace("1h30m", "soon")).message,
      /budget\.wallTime.*cannot read the duration 'soon'/,
    );
    assert.match(errorOf("dataset: [a\n").message, /YAML syntax error/);
    assert.match(
      errorOf(GOOD + "win: { against: b9 }\n").message,
      /win\.against is 'every' or the name of a baseline/,
    );
    assert.match(
      errorOf(GOOD + "metric: { regions: [nhaf] }\n").message,
      /must include the objective region 'global'/,
    );
  });

  it("never echoes an API key pasted into the frame, and points at apiKeyEnv", () => {
    const secret = "sk-live-do-not-print-1234567890";
    const e = errorOf(
      GOOD + `proposer:\n  kind: llm\n  llm: { provider: openai, model: gpt-4o-mini, apiKey: ${secret} }\n`,
    );
    assert.ok(!e.message.includes(secret));
    assert.match(e.message, /proposer\.llm\.apiKey.*apiKeyEnv/);
    const ok = parseFrameText(
      GOOD + "proposer:\n  kind: llm\n  llm: { provider: openai, model: m, apiKeyEnv: MY_KEY }\n",
      "/x/k.yaml",
    );
    assert.equal(ok.frame.proposer.kind, "llm");
  });

  it("reads durations", () => {
    assert.equal(parseDuration("2h"), 7200);
    assert.equal(parseDuration("1h 30m"), 5400);
    assert.equal(parseDuration("45s"), 45);
    assert.equal(parseDuration(10), 600);
    assert.throws(() => parseDuration("10 minutes"), /cannot read the duration/);
  });

  it("loads a file and says so when it is missing", () => {
    const dir = tmpDir();
    assert.throws(() => loadFrame(path.join(dir, "nope.yaml")), /frame not found/);
    fs.writeFileSync(path.join(dir, "kiln.yaml"), GOOD);
    assert.equal(loadFrame(path.join(dir, "kiln.yaml")).dir, dir);
  });
});

describe("pinning and amending", () => {
  const frameAt = (dir: string, text = GOOD) => {
    fs.writeFileSync(path.join(dir, "kiln.yaml"), text);
    return loadFrame(path.join(dir, "kiln.yaml"));
  };
  const runStart = (hash: string): RunStartEntry => ({
    kind: "run-start",
    version: 1,
    time: "2030-01-01T00:00:00.000Z",
    name: "demo",
    frameHash: hash,
    seed: 4,
    dataset: { name: "d", fingerprint: "f", target: "burned_area", drivers: ["tas"], cells: 1, months: 12 },
    split: { train: [1997], validation: [1998], holdout: [1999] },
    audit: { errors: 0, warnings: 0, infos: 0, findings: [] },
    proposer: "offline",
  });

  it("pins a copy and the hash, refuses a second start, resumes the same frame", () => {
    const dir = tmpDir();
    const lf = frameAt(dir);
    const runDir = path.join(dir, "run");
    const clock = stepClock();
    const a = openRun(lf, { runDir, clock });
    assert.equal(a.fresh, true);
    a.close();
    assert.equal(fs.readFileSync(path.join(runDir, "frame.yaml"), "utf8"), GOOD);
    const pin = JSON.parse(fs.readFileSync(path.join(runDir, "pin.json"), "utf8")) as {
      hash: string;
      dir: string;
    };
    assert.equal(pin.hash, lf.hash);
    assert.equal(pin.dir, dir);
    assert.throws(() => openRun(lf, { runDir, clock }), /a run already exists in this folder/);
    const b = openRun(lf, { runDir, resume: true, clock });
    assert.equal(b.frame.hash, lf.hash);
    b.close();
    assert.throws(
      () => openRun(lf, { runDir: path.join(dir, "none"), resume: true, clock }),
      /no run to resume/,
    );
  });

  it("refuses a changed frame unless amended, records the amendment, and keeps the old copy", () => {
    const dir = tmpDir();
    const runDir = path.join(dir, "run");
    const clock = stepClock();
    const lf = frameAt(dir);
    const r = openRun(lf, { runDir, clock });
    r.ledger.append(runStart(lf.hash));
    r.close();

    const changed = frameAt(dir, GOOD.replace("forms: 20", "forms: 40"));
    assert.throws(
      () => openRun(changed, { runDir, resume: true, clock }),
      (e: Error) => {
        assert.match(e.message, /differs from the one pinned.*changed: budget.*refused/s);
        assert.match(e.message, /--amend/);
        return true;
      },
    );
    const split = frameAt(dir, GOOD.replace("holdout: 2013-2016", "holdout: 2013-2015"));
    assert.throws(() => openRun(split, { runDir, resume: true, amend: "try", clock }), /cannot change split/);

    const amended = openRun(changed, {
      runDir,
      resume: true,
      amend: "more forms: the front is still moving",
      clock,
    });
    assert.ok(amended.amended);
    amended.close();
    const ledger = Ledger.open(runDir, { readOnly: true });
    const entry = ledger.entries[ledger.entries.length - 1];
    ledger.close();
    assert.equal(entry.kind, "amend");
    if (entry.kind !== "amend") return;
    assert.equal(entry.oldHash, lf.hash);
    assert.equal(entry.newHash, changed.hash);
    assert.equal(entry.reason, "more forms: the front is still moving");
    assert.deepEqual(entry.changed, ["budget"]);
    assert.match(entry.time, /^2030-01-01T/);
    assert.equal(fs.readFileSync(path.join(runDir, `frame.${lf.hash.slice(0, 12)}.yaml`), "utf8"), GOOD);
    assert.match(fs.readFileSync(path.join(runDir, "frame.yaml"), "utf8"), /forms: 40/);
    // the amended frame is now the pinned one: resuming with it needs no amendment, the old one does
    openRun(changed, { runDir, resume: true, clock }).close();
    assert.throws(() => openRun(lf, { runDir, resume: true, clock }), /refused/);
  });

  it("resumes with the pinned frame when none is given, resolving paths where it was pinned", () => {
    const dir = tmpDir();
    const runDir = path.join(dir, "run");
    const clock = stepClock();
    const lf = frameFromObject(
      { dataset: "data/d.yaml", split: { train: 2001, validation: 2002, holdout: 2003 } },
      dir,
    );
    openRun(lf, { runDir, clock }).close();
    const again = openRun(undefined, { runDir, resume: true, clock });
    assert.equal(again.frame.hash, lf.hash);
    assert.equal(again.frame.dir, dir);
    again.close();
  });

  it("refuses a run locked by another live process and takes over a dead one's lock", () => {
    const dir = tmpDir();
    const runDir = path.join(dir, "run");
    const clock = stepClock();
    const lf = frameAt(dir);
    openRun(lf, { runDir, clock }).close();
    const lock = path.join(runDir, "lock");
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    assert.throws(
      () => openRun(lf, { runDir, resume: true, clock }),
      /another kiln process \(pid \d+\) is working on this run/,
    );
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    const r = openRun(lf, { runDir, resume: true, clock });
    r.close();
    assert.equal(fs.existsSync(lock), false);
  });
});
