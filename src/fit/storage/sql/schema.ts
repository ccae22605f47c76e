import type { SqlDialect } from "./dialect.ts";

/** Bump when the tables change; a storage refuses a file with a newer schema. */
export const SCHEMA_VERSION = 1;

/**
 * Optuna's RDB schema (studies, study_directions, *_attributes, trials, trial_params, trial_values,
 * trial_intermediate_values, trial_heartbeats, version_info), plus `studies.next_number` for atomic
 * trial numbering and `trial_heartbeats.owner` ("host:pid:token") for the stale-trial rule.
 */
export function schemaStatements(d: SqlDialect): string[] {
  const attrs = (table: string, parent: string) =>
    `CREATE TABLE IF NOT EXISTS ${table} (
      ${table}_id ${d.idColumn},
      ${parent}_id INTEGER NOT NULL REFERENCES ${parent === "study" ? "studies" : "trials"}(${parent}_id) ON DELETE CASCADE,
      key VARCHAR(512) NOT NULL,
      value_json TEXT NOT NULL,
      UNIQUE (${parent}_id, key))`;
  return [
    `CREATE TABLE IF NOT EXISTS version_info (
      version_info_id INTEGER PRIMARY KEY,
      schema_version INTEGER NOT NULL,
      library_version VARCHAR(256) NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS studies (
      study_id ${d.idColumn},
      study_name VARCHAR(512) NOT NULL UNIQUE,
      next_number INTEGER NOT NULL DEFAULT 0)`,
    `CREATE TABLE IF NOT EXISTS study_directions (
      study_direction_id ${d.idColumn},
      study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      direction VARCHAR(8) NOT NULL,
      UNIQUE (study_id, objective))`,
    attrs("study_user_attributes", "study"),
    attrs("study_system_attributes", "study"),
    `CREATE TABLE IF NOT EXISTS trials (
      trial_id ${d.idColumn},
      number INTEGER NOT NULL,
      study_id INTEGER NOT NULL REFERENCES studies(study_id) ON DELETE CASCADE,
      state VARCHAR(8) NOT NULL,
      datetime_start ${d.bigint},
      datetime_complete ${d.bigint})`,
    `CREATE INDEX IF NOT EXISTS ix_trials_study_id ON trials (study_id, trial_id)`,
    `CREATE INDEX IF NOT EXISTS ix_trials_state ON trials (study_id, state)`,
    `CREATE TABLE IF NOT EXISTS trial_params (
      param_id ${d.idColumn},
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      param_name VARCHAR(512) NOT NULL,
      param_value ${d.real} NOT NULL,
      distribution_json TEXT NOT NULL,
      UNIQUE (trial_id, param_name))`,
    `CREATE TABLE IF NOT EXISTS trial_values (
      trial_value_id ${d.idColumn},
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      objective INTEGER NOT NULL,
      value ${d.real},
      value_type VARCHAR(7) NOT NULL,
      UNIQUE (trial_id, objective))`,
    `CREATE TABLE IF NOT EXISTS trial_intermediate_values (
      trial_intermediate_value_id ${d.idColumn},
      trial_id INTEGER NOT NULL REFERENCES trials(trial_id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      intermediate_value ${d.real},
      intermediate_value_type VARCHAR(7) NOT NULL,
      UNIQUE (trial_id, step))`,
    attrs("trial_user_attributes", "trial"),
    attrs("trial_system_attributes", "trial"),
    `CREATE TABLE IF NOT EXISTS trial_heartbeats (
      trial_heartbeat_id ${d.idColumn},
      trial_id INTEGER NOT NULL UNIQUE REFERENCES trials(trial_id) ON DELETE CASCADE,
      heartbeat ${d.bigint} NOT NULL,
      owner VARCHAR(256))`,
  ];
}
