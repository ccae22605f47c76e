/**
 * The ledger's SQLite index (better-sqlite3): one row per entry, one per candidate with its headline
 * numbers, one per Shapley value, for queries (novelty by hash, tables, external tools such as `sqlite3`).
 * The JSONL file is the truth; the index records the size and sha256 of the JSONL it reflects and is
 * rebuilt from it whenever they disagree (missing, stale, or from another schema version).
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import type { CandidateEntry } from "../types.ts";
import { entryTime, type LedgerEntry } from "./entries.ts";
import type { ReadLedger } from "./jsonl.ts";

const SCHEMA_VERSION = "1";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, time TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS candidates (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, parent_id TEXT, origin TEXT NOT NULL, proposer TEXT,
  name TEXT, status TEXT NOT NULL, hash TEXT, n_params INTEGER, mechanisms TEXT, hypothesis TEXT,
  val_overall REAL, val_bias REAL, val_rmse REAL, val_seasonal REAL, val_spatial REAL, val_iav REAL,
  train_overall REAL, seconds REAL, error TEXT, repeat_of TEXT);
CREATE INDEX IF NOT EXISTS candidates_hash ON candidates(hash);
CREATE TABLE IF NOT EXISTS shapley (
  candidate_id TEXT NOT NULL, part TEXT NOT NULL, player TEXT NOT NULL, phi REAL, share REAL,
  zero INTEGER, PRIMARY KEY (candidate_id, part, player));
`;

export interface CandidateRow {
  id: string;
  seq: number;
  parent_id: string | null;
  origin: string;
  proposer: string | null;
  name: string | null;
  status: string;
  hash: string | null;
  n_params: number | null;
  mechanisms: string | null;
  hypothesis: string | null;
  val_overall: number | null;
  val_bias: number | null;
  val_rmse: number | null;
  val_seasonal: number | null;
  val_spatial: number | null;
  val_iav: number | null;
  train_overall: number | null;
  seconds: number | null;
  error: string | null;
  repeat_of: string | null;
}

function connect(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 30000");
    db.exec(SCHEMA);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export class LedgerIndex {
  readonly file: string;
  /** True when this open rebuilt the index from the JSONL. */
  readonly rebuilt: boolean;
  private db: Database.Database;

  private constructor(file: string, db: Database.Database, rebuilt: boolean) {
    this.file = file;
    this.db = db;
    this.rebuilt = rebuilt;
  }

  /** Open (creating if needed) and bring the index in line with the JSONL content `read`. */
  static open(file: string, read: ReadLedger): LedgerIndex {
    let db: Database.Database;
    try {
      db = connect(file);
    } catch (e) {
      // Not a database, or a damaged one: it is only an index, so start it again from the JSONL.
      const code = (e as { code?: string }).code ?? "";
      if (!/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw e;
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      db = connect(file);
    }
    const meta = (k: string) =>
      (db.prepare("SELECT value FROM meta WHERE key = ?").get(k) as { value: string } | undefined)?.value;
    const fresh =
      meta("schema") === SCHEMA_VERSION &&
      meta("bytes") === String(read.bytes) &&
      meta("sha256") === read.sha256;
    const index = new LedgerIndex(file, db, !fresh);
    if (!fresh) index.rebuild(read);
    return index;
  }

  private rebuild(read: ReadLedger): void {
    const tx = this.db.transaction(() => {
      this.db.exec("DELETE FROM entries; DELETE FROM candidates; DELETE FROM shapley; DELETE FROM meta;");
      read.entries.forEach((e, k) => this.insert(k + 1, e));
      this.setMeta(read.bytes, read.sha256);
    });
    tx();
  }

  /** Index entry number `seq` (1-based line number) and record the JSONL state it brings the index to. */
  add(seq: number, entry: LedgerEntry, state: { bytes: number; sha256: string }): void {
    const tx = this.db.transaction(() => {
      this.insert(seq, entry);
      this.setMeta(state.bytes, state.sha256);
    });
    tx();
  }

  private setMeta(bytes: number, sha256: string): void {
    const put = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    put.run("schema", SCHEMA_VERSION);
    put.run("bytes", String(bytes));
    put.run("sha256", sha256);
  }

  private insert(seq: number, e: LedgerEntry): void {
    this.db
      .prepare("INSERT OR REPLACE INTO entries (seq, kind, time, json) VALUES (?, ?, ?, ?)")
      .run(seq, e.kind, entryTime(e), JSON.stringify(e));
    if (e.kind === "candidate") this.insertCandidate(seq, e);
    if (e.kind === "shapley") {
      const put = this.db.prepare(
        "INSERT OR REPLACE INTO shapley (candidate_id, part, player, phi, share, zero) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const part of ["validation", "train"] as const) {
        const r = e[part];
        r.players.forEach((p, i) =>
          put.run(e.candidateId, part, p, r.phi[i], r.share[i], r.flags.indistinguishableFromZero[i] ? 1 : 0),
        );
      }
    }
  }

  private insertCandidate(seq: number, c: CandidateEntry): void {
    const v = c.validation;
    const head = v ? v.regions[v.region] : undefined;
    this.db
      .prepare(
        `INSERT OR REPLACE INTO candidates (id, seq, parent_id, origin, proposer, name, status, hash, n_params,
           mechanisms, hypothesis, val_overall, val_bias, val_rmse, val_seasonal, val_spatial, val_iav,
           train_overall, seconds, error, repeat_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.id,
        seq,
        c.parentId,
        c.origin,
        c.proposer,
        c.name,
        c.status,
        c.hash || null,
        c.nParams,
        c.mechanisms.join(","),
        c.hypothesis,
        v?.overall ?? null,
        head?.bias ?? null,
        head?.rmse ?? null,
        head?.seasonal ?? null,
        head?.spatial ?? null,
        head?.iav ?? null,
        c.train?.overall ?? null,
        c.seconds,
        c.error ?? null,
        c.repeatOf ?? null,
      );
  }

  /** The first evaluated (not repeated, not crashed) candidate with this canonical hash. */
  candidateByHash(hash: string): string | null {
    const row = this.db
      .prepare(
        "SELECT id FROM candidates WHERE hash = ? AND status != 'crash' AND repeat_of IS NULL ORDER BY seq LIMIT 1",
      )
      .get(hash) as { id: string } | undefined;
    return row?.id ?? null;
  }

  candidates(): CandidateRow[] {
    return this.db.prepare("SELECT * FROM candidates ORDER BY seq").all() as CandidateRow[];
  }

  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM entries").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
