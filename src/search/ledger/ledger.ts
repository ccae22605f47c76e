/**
 * A run's ledger: the append-only JSONL (the truth) and its SQLite index, kept in step. Only the evaluator
 * (the loop, the holdout opening) appends.
 */
import path from "node:path";
import type { CandidateEntry } from "../types.ts";
import type { LedgerEntry } from "./entries.ts";
import { LedgerIndex } from "./index-db.ts";
import { JsonlAppender, readLedgerFile } from "./jsonl.ts";

export const LEDGER_FILE = "ledger.jsonl";
export const LEDGER_INDEX_FILE = "ledger.sqlite";

export interface OpenLedgerOptions {
  /** Only read: never truncate a torn line (a writer may be in the middle of it) and never append. */
  readOnly?: boolean;
}

export class Ledger {
  readonly file: string;
  readonly index: LedgerIndex;
  /** Bytes of a partial last line found on open (cut off unless read-only). */
  readonly tornBytes: number;
  private readonly list: LedgerEntry[];
  private readonly appender: JsonlAppender | null;

  private constructor(
    file: string,
    index: LedgerIndex,
    list: LedgerEntry[],
    appender: JsonlAppender | null,
    torn: number,
  ) {
    this.file = file;
    this.index = index;
    this.list = list;
    this.appender = appender;
    this.tornBytes = torn;
  }

  static open(runDir: string, opts: OpenLedgerOptions = {}): Ledger {
    const file = path.join(runDir, LEDGER_FILE);
    const read = readLedgerFile(file);
    const appender = opts.readOnly ? null : new JsonlAppender(file, read);
    const index = LedgerIndex.open(path.join(runDir, LEDGER_INDEX_FILE), read);
    return new Ledger(file, index, read.entries, appender, read.tornBytes);
  }

  get entries(): readonly LedgerEntry[] {
    return this.list;
  }

  /** Append an entry: the JSONL line (fsync'd), then the index. */
  append(entry: LedgerEntry): void {
    if (!this.appender) throw new Error("this ledger was opened read-only");
    const state = this.appender.append(entry);
    this.list.push(entry);
    this.index.add(this.list.length, entry, state);
  }

  candidates(): CandidateEntry[] {
    return this.list.filter((e): e is CandidateEntry => e.kind === "candidate");
  }

  close(): void {
    this.appender?.close();
    this.index.close();
  }
}
