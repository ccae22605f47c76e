import type { SqlDialect } from "./dialect.ts";

export type SqlValue = number | string | null;
export type Row = Record<string, unknown>;

/** Runs statements written with `?` placeholders (the driver rewrites them for its database). */
export interface SqlExecutor {
  all(sql: string, params?: SqlValue[]): Promise<Row[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
}

/**
 * A connection to one SQL database. `transaction` runs its function as one write transaction and
 * retries it on lock contention (SQLite: BEGIN IMMEDIATE with a busy timeout; PostgreSQL: BEGIN with
 * row locks from the statements, retried on deadlock or serialization failure).
 */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
