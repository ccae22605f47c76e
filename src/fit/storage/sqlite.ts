import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { KilnError } from "../../util/errors.ts";
import { SQLITE_DIALECT } from "./sql/dialect.ts";
import type { Row, SqlDriver, SqlExecutor, SqlValue } from "./sql/driver.ts";
import { SqlStorage, type SqlStorageOptions } from "./sql/sql-storage.ts";

/** Serialises write transactions of several connections to one file inside this process (see transaction). */
const fileLocks = new Map<string, Promise<unknown>>();

/** better-sqlite3 behind the async SqlDriver interface: WAL journal, busy timeout, cached statements. */
export class BetterSqliteDriver implements SqlDriver {
  readonly dialect = SQLITE_DIALECT;
  private db: Database.Database;
  private statements = new Map<string, Database.Statement>();
  private readonly key: string;

  constructor(file: string, opts: { busyTimeoutMs?: number } = {}) {
    this.key = file === ":memory:" ? `:memory:${Math.random()}` : path.resolve(file);
    try {
      if (file !== ":memory:") fs.mkdirSync(path.dirname(this.key), { recursive: true });
      this.db = new Database(file, { timeout: opts.busyTimeoutMs ?? 30000 });
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = ON");
    } catch (err) {
      throw new KilnError(`cannot open the SQLite study storage: ${(err as Error).message}`, {
        where: file,
        hint: "check the path and its permissions",
        cause: err,
      });
    }
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async all(sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.stmt(sql).all(...params) as Row[];
  }

  async run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.stmt(sql).run(...params).changes;
  }

  /**
   * BEGIN IMMEDIATE takes the file's write lock at once (other processes wait in SQLite's busy
   * handler). Connections of this same process wait on a JS lock instead: a synchronous busy wait
   * would block the event loop that has to finish the transaction holding the lock.
   */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const prev = fileLocks.get(this.key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chain = prev.then(() => mine);
    fileLocks.set(this.key, chain);
    await prev;
    try {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn(this);
        this.db.exec("COMMIT");
        return out;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    } finally {
      release();
      if (fileLocks.get(this.key) === chain) fileLocks.delete(this.key);
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}

/** A study storage in one SQLite file (one machine, any number of processes). */
export class SqliteStorage extends SqlStorage {
  readonly file: string;
  constructor(file: string, opts: SqlStorageOptions & { busyTimeoutMs?: number } = {}) {
    super(new BetterSqliteDriver(file, opts), opts);
    this.file = file;
  }
}
