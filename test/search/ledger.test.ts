/** The ledger: append-only JSONL, the SQLite index and its rebuild, torn lines, views. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import type { ScoreSummary } from "../../src/bench/summary.ts";
import type { LedgerEntry } from "../../src/search/ledger/entries.ts";
import { LEDGER_FILE, LEDGER_INDEX_FILE, Ledger } from "../../src/search/ledger/ledger.ts";
import { analyseLedger, ledgerTsv, ledgerText, TSV_COLUMNS } from "../../src/search/ledger/view.ts";
import type { CandidateEntry } from "../../src/search/types.ts";
import { tmpDir, cleanup } from "./loop-world.ts";

function summary(overall: number, bias = 0.7): ScoreSummary {
  const o = { "ilamb-2.7": overall, "ilamb-2.5": overall, mean4: overall, ilamb3: overall, min: overall };
  return {
    convention: "ilamb-2.7",
    overall,
    region: "global",
    regions: { global: { bias, rmse: 0.5, seasonal: 0.8, spatial: 0.6, iav: null, overall: o } },
  };
}

function cand(
  id: string,
  overall: number | null,
  nParams: number,
  over: Partial<CandidateEntry> = {},
): CandidateEntry {
  return {
    kind: "candidate",
    id,
    parentId: null,
    origin: "proposer",
    proposer: "test",
    name: `form-${id}`,
    spec: { name: `form-${id}`, terms: [] },
    canonical: `canon ${id}`,
    hash: `hash-${id}`,
    mechanisms: ["vdw_gpp_gate", "accumulated_dryness"],
    nParams,
    hypothesis: `hypothesis\tof ${id}\nwith a newline`,
    rationale: "",
    fit: { sampler: "auto", trials: 10, seed: 1, configHash: "x", seconds: 1 },
    params: { scale: 0.1 },
    train: overall === null ? null : summary(overall + 0.01),
    validation: overall === null ? null : summary(overall),
    status: "discard",
    startedAt: "2030-01-01T00:00:00.000Z",
    seconds: 2,
    ...over,
  };
}

const start: LedgerEntry = {
  kind: "run-start",
  version: 1,
  time: "2030-01-01T00:00:00.000Z",
  name: "t",
  frameHash: "abc",
  seed: 3,
  dataset: { name: "d", fingerprint: "f", target: "burned_area", drivers: ["gpp"], cells: 2, months: 24 },
  split: { train: [2001], validation: [2002], holdout: [2003] },
  audit: { errors: 0, warnings: 0, infos: 0, findings: [] },
  proposer: "test",
};

function filled(dir: string): Ledger {
  const l = Ledger.open(dir);
  l.append(start);
  l.append(cand("c0001", 0.5, 3, { origin: "baseline", status: "keep" }));
  l.append(cand("c0002", 0.6, 6, { status: "keep", parentId: "c0001" }));
  l.append(
    cand("c0003", null, 0, { status: "crash", error: "terms[0].expr: unknown driver 'gppp'", hash: "" }),
  );
  l.append(cand("c0004", null, 6, { hash: "hash-c0002", repeatOf: "c0002", fit: null, params: null }));
  return l;
}

after(cleanup);

describe("ledger", () => {
  it("appends one JSON line per entry and indexes them in SQLite", () => {
    const dir = tmpDir();
    const l = filled(dir);
    l.close();
    const lines = fs.readFileSync(path.join(dir, LEDGER_FILE), "utf8").split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 5);
    assert.equal(JSON.parse(lines[2]).id, "c0002");
    const db = new Database(path.join(dir, LEDGER_INDEX_FILE), { readonly: true });
    const rows = db
      .prepare("SELECT id, status, val_overall, n_params, val_bias FROM candidates ORDER BY seq")
      .all();
    const kinds = db
      .prepare("SELECT kind FROM entries ORDER BY seq")
      .all()
      .map((r) => (r as { kind: string }).kind);
    db.close();
    assert.deepEqual(kinds, ["run-start", "candidate", "candidate", "candidate", "candidate"]);
    assert.deepEqual(rows[1], { id: "c0002", status: "keep", val_overall: 0.6, n_params: 6, val_bias: 0.7 });
    assert.equal((rows[2] as { val_overall: number | null }).val_overall, null);
    const again = Ledger.open(dir);
    assert.equal(again.index.rebuilt, false, "an index in step with the JSONL is reused");
    assert.equal(
      again.index.candidateByHash("hash-c0002"),
      "c0002",
      "the repeat is not an evaluated candidate",
    );
    assert.equal(again.index.candidateByHash("hash-c0003"), null);
    assert.equal(again.entries.length, 5);
    again.close();
  });

  it("rebuilds the index when it is missing, stale or not a database", () => {
    const dir = tmpDir();
    filled(dir).close();
    const idx = path.join(dir, LEDGER_INDEX_FILE);
    for (const f of [idx, `${idx}-wal`, `${idx}-shm`]) fs.rmSync(f, { force: true });
    let l = Ledger.open(dir);
    assert.equal(l.index.rebuilt, true);
    assert.equal(l.index.candidates().length, 4);
    l.close();

    // a line the index never saw (a kill between the JSONL append and the index insert)
    fs.appendFileSync(
      path.join(dir, LEDGER_FILE),
      JSON.stringify(cand("c0005", 0.65, 7, { status: "keep" })) + "\n",
    );
    l = Ledger.open(dir);
    assert.equal(l.index.rebuilt, true);
    assert.deepEqual(
      l.index.candidates().map((r) => r.id),
      ["c0001", "c0002", "c0003", "c0004", "c0005"],
    );
    l.close();

    for (const f of [`${idx}-wal`, `${idx}-shm`]) fs.rmSync(f, { force: true });
    fs.writeFileSync(idx, "this is not a database, just bytes ".repeat(200));
    l = Ledger.open(dir);
    assert.equal(l.index.rebuilt, true);
    assert.equal(l.index.candidates().length, 5);
    l.close();
  });

  it("drops a line cut short by a kill (but a reader leaves it alone) and refuses a corrupt complete line", () => {
    const dir = tmpDir();
    filled(dir).close();
    const file = path.join(dir, LEDGER_FILE);
    const good = fs.readFileSync(file);
    const torn = '{"kind":"candidate","id":"c0005","par';
    fs.appendFileSync(file, torn);
    const reader = Ledger.open(dir, { readOnly: true });
    assert.equal(reader.tornBytes, Buffer.byteLength(torn));
    assert.equal(reader.entries.length, 5);
    reader.close();
    assert.ok(fs.readFileSync(file).length > good.length, "a reader does not truncate");
    const writer = Ledger.open(dir);
    assert.equal(writer.entries.length, 5);
    assert.deepEqual(fs.readFileSync(file), good);
    writer.append(cand("c0005", 0.7, 5));
    writer.close();
    assert.equal(Ledger.open(dir, { readOnly: true }).entries.length, 6);

    fs.appendFileSync(file, "not json\n");
    assert.throws(() => Ledger.open(dir), /ledger line 7 is not JSON/);
  });

  it("shows a results.tsv-like view and an analysis", () => {
    const dir = tmpDir();
    const l = filled(dir);
    l.append(cand("c0005", 0.64, 4, { origin: "pruned", parentId: "c0002" }));
    const tsv = ledgerTsv(l.index.candidates()).split("\n");
    assert.equal(tsv[0], TSV_COLUMNS.join("\t"));
    assert.equal(tsv.length, 7); // header, 5 rows, final newline
    const row2 = tsv[2].split("\t");
    assert.equal(row2.length, TSV_COLUMNS.length);
    assert.deepEqual(row2.slice(0, 5), ["c0002", "c0001", "proposer", "keep", "0.6000"]);
    assert.equal(row2[11], "6");
    assert.equal(row2[12], "vdw_gpp_gate,accumulated_dryness");
    assert.equal(row2[13], "hypothesis of c0002 with a newline", "tabs and newlines cannot break a row");
    assert.match(tsv[3], /crash: terms\[0\]\.expr: unknown driver 'gppp'/);
    assert.match(tsv[4], /repeat of c0002/);

    const a = analyseLedger(l.entries);
    assert.equal(a.incumbent, "c0002");
    // c0002 (6 parameters, 0.60) is beaten by c0005 (4 parameters, 0.64)
    assert.deepEqual(
      a.pareto.map((p) => p.id),
      ["c0001", "c0005"],
    );
    assert.equal(a.winner, "c0005");
    assert.equal(a.tried.length, 1);
    assert.deepEqual(a.tried[0].ids, ["c0002", "c0005"]);
    const text = ledgerText(a);
    assert.match(text, /c0003 {2}.*crash: terms/);
    assert.match(text, /incumbent c0002 · winner c0005 · \(search not finished\)/);
    l.close();
  });
});
