/**
 * Everything that differs between SQL databases, in one place. The storage's statements are written
 * once with `?` placeholders in the common subset of SQLite and PostgreSQL (INSERT … ON CONFLICT,
 * UPDATE … RETURNING); a dialect supplies column types, the database clock, row-lock suffixes and the
 * placeholder style.
 */
export interface SqlDialect {
  readonly name: "sqlite" | "postgres";
  /** Auto-increment primary key column. */
  readonly idColumn: string;
  /** Double-precision float column type. */
  readonly real: string;
  /** 64-bit integer (milliseconds since the epoch). */
  readonly bigint: string;
  /** Expression for "now" on the database clock, in integer milliseconds since 1970. */
  readonly nowMs: string;
  /** Suffix that lets concurrent claimers skip rows another transaction holds ("" when the transaction is exclusive). */
  readonly skipLocked: string;
  /** Rewrites `?` placeholders into the driver's style. */
  placeholders(sql: string): string;
}

export const SQLITE_DIALECT: SqlDialect = {
  name: "sqlite",
  idColumn: "INTEGER PRIMARY KEY AUTOINCREMENT",
  real: "REAL",
  bigint: "INTEGER",
  nowMs: "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)",
  // BEGIN IMMEDIATE already serialises writers on one SQLite file
  skipLocked: "",
  placeholders: (sql) => sql,
};

/** For a PostgreSQL driver (not shipped yet: the schema and statements are ready for it). */
export const POSTGRES_DIALECT: SqlDialect = {
  name: "postgres",
  idColumn: "BIGSERIAL PRIMARY KEY",
  real: "DOUBLE PRECISION",
  bigint: "BIGINT",
  nowMs: "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
  skipLocked: "FOR UPDATE SKIP LOCKED",
  placeholders: (sql) => {
    let k = 0;
    return sql.replace(/\?/g, () => `$${++k}`);
  },
};
