import { KilnError } from "../../../util/errors.ts";
import { validateDistribution, type Distribution } from "../../space.ts";
import {
  SYS,
  type Attrs,
  type Direction,
  type FrozenTrial,
  type Json,
  type TrialState,
} from "../../types.ts";
import { buildFrozen, decodeValue, encodeValue } from "../frozen.ts";
import { makeOwner, ownerIsGone } from "../owner.ts";
import {
  RERUN,
  TrialNotHeldError,
  UpdateFinishedTrialError,
  type AttrKind,
  type NewTrial,
  type ParamRecord,
  type StaleRecovery,
  type Storage,
  type StudyRecord,
  type TrialQuery,
} from "../storage.ts";
import type { Row, SqlDriver, SqlExecutor } from "./driver.ts";
import { SCHEMA_VERSION, schemaStatements } from "./schema.ts";

export interface SqlStorageOptions {
  /**
   * A RUNNING trial whose owner ran on another host is failed when its heartbeat is older than this
   * (database clock). Off by default: on one host the owner's process id decides (see failStaleTrials).
   */
  staleAfterMs?: number;
}

const studyAttrTable = (k: AttrKind) => (k === "user" ? "study_user_attributes" : "study_system_attributes");
const trialAttrTable = (k: AttrKind) => (k === "user" ? "trial_user_attributes" : "trial_system_attributes");

/** A heartbeat row naming another owner than `?` (the trial with the outer statement's id). */
const OTHER_HOLDER =
  "SELECT 1 FROM trial_heartbeats h WHERE h.trial_id = trials.trial_id AND h.owner IS NOT NULL AND h.owner <> ?";

/**
 * The storage over any SQL database reachable through a SqlDriver. Statements are written once; the
 * driver's dialect supplies what differs. In-process calls are serialised (one connection).
 */
export class SqlStorage implements Storage {
  readonly kind: string;
  readonly owner = makeOwner();
  private queue: Promise<unknown> = Promise.resolve();
  private distCache = new Map<string, Distribution>();
  private ready: Promise<void>;

  constructor(
    private readonly driver: SqlDriver,
    private readonly opts: SqlStorageOptions = {},
  ) {
    this.kind = driver.dialect.name;
    this.ready = this.serial(() => this.init());
  }

  private get now(): string {
    return this.driver.dialect.nowMs;
  }

  /** Runs fn after every earlier call of this storage finished (one connection, no interleaving). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private op<T>(fn: () => Promise<T>): Promise<T> {
    return this.ready.then(() => this.serial(fn));
  }

  private tx<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.op(() => this.driver.transaction(fn));
  }

  private async init(): Promise<void> {
    await this.driver.transaction(async (tx) => {
      for (const s of schemaStatements(this.driver.dialect)) await tx.run(s);
      const rows = await tx.all("SELECT schema_version FROM version_info");
      if (rows.length === 0)
        await tx.run(
          "INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, ?, ?)",
          [SCHEMA_VERSION, "kiln"],
        );
      else if (Number(rows[0].schema_version) > SCHEMA_VERSION)
        throw new KilnError(
          `the study storage has schema ${String(rows[0].schema_version)}, newer than this Kiln's`,
          {
            hint: "update Kiln, or use another storage file",
          },
        );
    });
  }

  async createStudy(name: string, direction: Direction): Promise<StudyRecord> {
    return this.tx(async (tx) => {
      const exists = await tx.all("SELECT study_id FROM studies WHERE study_name = ?", [name]);
      if (exists.length > 0)
        throw new KilnError(`study "${name}" already exists`, { hint: "load it, or pick another name" });
      const [row] = await tx.all(
        "INSERT INTO studies (study_name, next_number) VALUES (?, 0) RETURNING study_id",
        [name],
      );
      const studyId = Number(row.study_id);
      await tx.run("INSERT INTO study_directions (study_id, objective, direction) VALUES (?, 0, ?)", [
        studyId,
        direction,
      ]);
      return { studyId, name, direction };
    });
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    const rows = await this.op(() =>
      this.driver.all(
        `SELECT s.study_id, s.study_name, d.direction FROM studies s
         JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0 WHERE s.study_name = ?`,
        [name],
      ),
    );
    return rows.length === 0 ? undefined : toStudy(rows[0]);
  }

  async listStudies(): Promise<StudyRecord[]> {
    const rows = await this.op(() =>
      this.driver.all(
        `SELECT s.study_id, s.study_name, d.direction FROM studies s
         JOIN study_directions d ON d.study_id = s.study_id AND d.objective = 0 ORDER BY s.study_id`,
      ),
    );
    return rows.map(toStudy);
  }

  async deleteStudy(studyId: number): Promise<void> {
    await this.tx(async (tx) => {
      const sub = "(SELECT trial_id FROM trials WHERE study_id = ?)";
      for (const t of [
        "trial_params",
        "trial_values",
        "trial_intermediate_values",
        "trial_user_attributes",
        "trial_system_attributes",
        "trial_heartbeats",
      ])
        await tx.run(`DELETE FROM ${t} WHERE trial_id IN ${sub}`, [studyId]);
      for (const t of [
        "trials",
        "study_user_attributes",
        "study_system_attributes",
        "study_directions",
        "studies",
      ])
        await tx.run(`DELETE FROM ${t} WHERE study_id = ?`, [studyId]);
    });
  }

  async setStudyAttr(studyId: number, kind: AttrKind, key: string, value: Json): Promise<void> {
    await this.tx((tx) => upsertAttr(tx, studyAttrTable(kind), "study_id", studyId, key, value));
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: Json): Promise<Json> {
    return this.tx(async (tx) => {
      await tx.run(
        `INSERT INTO study_system_attributes (study_id, key, value_json) VALUES (?, ?, ?)
         ON CONFLICT (study_id, key) DO NOTHING`,
        [studyId, key, JSON.stringify(value)],
      );
      const [row] = await tx.all(
        "SELECT value_json FROM study_system_attributes WHERE study_id = ? AND key = ?",
        [studyId, key],
      );
      return JSON.parse(String(row.value_json)) as Json;
    });
  }

  async getStudyAttrs(studyId: number, kind: AttrKind): Promise<Attrs> {
    const rows = await this.op(() =>
      this.driver.all(`SELECT key, value_json FROM ${studyAttrTable(kind)} WHERE study_id = ?`, [studyId]),
    );
    const out: Attrs = {};
    for (const r of rows) out[String(r.key)] = JSON.parse(String(r.value_json)) as Json;
    return out;
  }

  async createTrial(studyId: number, t: NewTrial): Promise<FrozenTrial> {
    const trialId = await this.tx(async (tx) => {
      const [n] = await tx.all(
        "UPDATE studies SET next_number = next_number + 1 WHERE study_id = ? RETURNING next_number - 1 AS number",
        [studyId],
      );
      if (!n) throw new KilnError(`no study with id ${studyId}`);
      const start = t.state === "RUNNING" ? this.now : "NULL";
      const [row] = await tx.all(
        `INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, ?, ?, ${start}) RETURNING trial_id`,
        [Number(n.number), studyId, t.state],
      );
      const id = Number(row.trial_id);
      await insertParams(tx, id, t.params ?? []);
      for (const [k, v] of Object.entries(t.userAttrs ?? {}))
        await upsertAttr(tx, "trial_user_attributes", "trial_id", id, k, v);
      for (const [k, v] of Object.entries(t.systemAttrs ?? {}))
        await upsertAttr(tx, "trial_system_attributes", "trial_id", id, k, v);
      if (t.state === "RUNNING") await this.claimHeartbeat(tx, id);
      return id;
    });
    return this.readOne(studyId, trialId);
  }

  private async claimHeartbeat(tx: SqlExecutor, trialId: number): Promise<void> {
    await tx.run(
      `INSERT INTO trial_heartbeats (trial_id, heartbeat, owner) VALUES (?, ${this.now}, ?)
       ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat, owner = excluded.owner`,
      [trialId, this.owner],
    );
  }

  async claimWaitingTrial(studyId: number, systemAttrs: Attrs = {}): Promise<FrozenTrial | undefined> {
    const trialId = await this.tx(async (tx) => {
      for (;;) {
        const rows = await tx.all(
          `SELECT trial_id FROM trials WHERE study_id = ? AND state = 'WAITING'
           ORDER BY trial_id LIMIT 1 ${this.driver.dialect.skipLocked}`,
          [studyId],
        );
        if (rows.length === 0) return undefined;
        const id = Number(rows[0].trial_id);
        const changed = await tx.run(
          `UPDATE trials SET state = 'RUNNING', datetime_start = ${this.now} WHERE trial_id = ? AND state = 'WAITING'`,
          [id],
        );
        if (changed === 1) {
          await this.claimHeartbeat(tx, id);
          for (const [k, v] of Object.entries(systemAttrs))
            await upsertAttr(tx, "trial_system_attributes", "trial_id", id, k, v);
          return id;
        }
      }
    });
    return trialId === undefined ? undefined : this.readOne(studyId, trialId);
  }

  async setTrialParams(trialId: number, params: ParamRecord[]): Promise<void> {
    await this.tx(async (tx) => {
      await this.assertHeld(tx, trialId);
      await insertParams(tx, trialId, params);
    });
  }

  async setTrialAttr(trialId: number, kind: AttrKind, key: string, value: Json): Promise<void> {
    await this.tx(async (tx) => {
      await this.assertHeld(tx, trialId);
      await upsertAttr(tx, trialAttrTable(kind), "trial_id", trialId, key, value);
    });
  }

  async setIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.tx(async (tx) => {
      await this.assertHeld(tx, trialId);
      const e = encodeValue(value);
      await tx.run(
        `INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type)
         VALUES (?, ?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET
         intermediate_value = excluded.intermediate_value, intermediate_value_type = excluded.intermediate_value_type`,
        [trialId, step, e.value, e.type],
      );
    });
  }

  async finishTrial(
    trialId: number,
    state: "COMPLETE" | "PRUNED" | "FAIL",
    value: number | undefined,
    systemAttrs: Attrs = {},
  ): Promise<boolean> {
    return this.tx((tx) => this.finishIn(tx, trialId, state, value, systemAttrs, this.owner));
  }

  /** Finishes a RUNNING trial; with `holder`, only if no other owner holds it. */
  private async finishIn(
    tx: SqlExecutor,
    trialId: number,
    state: "COMPLETE" | "PRUNED" | "FAIL",
    value: number | undefined,
    systemAttrs: Attrs,
    holder?: string,
  ): Promise<boolean> {
    const changed = await tx.run(
      `UPDATE trials SET state = ?, datetime_complete = ${this.now} WHERE trial_id = ? AND state = 'RUNNING'` +
        (holder === undefined ? "" : ` AND NOT EXISTS (${OTHER_HOLDER})`),
      holder === undefined ? [state, trialId] : [state, trialId, holder],
    );
    if (changed !== 1) return false;
    if (value !== undefined) {
      const e = encodeValue(value);
      await tx.run(
        `INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, ?, ?)
         ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type`,
        [trialId, e.value, e.type],
      );
    }
    for (const [k, v] of Object.entries(systemAttrs))
      await upsertAttr(tx, "trial_system_attributes", "trial_id", trialId, k, v);
    return true;
  }

  async heartbeat(trialIds: number[]): Promise<void> {
    if (trialIds.length === 0) return;
    await this.tx((tx) =>
      tx.run(
        `UPDATE trial_heartbeats SET heartbeat = ${this.now} WHERE owner = ? AND trial_id IN (${marks(trialIds.length)})`,
        [this.owner, ...trialIds],
      ),
    );
  }

  /**
   * The stale rule: a RUNNING trial is taken back when its owner ran on this host and that process no
   * longer exists (checked with signal 0), or — only if `staleAfterMs` is set — when its owner ran on
   * another host and its last heartbeat is older than `staleAfterMs` on the database clock. It goes
   * back to WAITING under its own number (see requeueIn), or FAIL once it was re-run `maxReruns` times.
   */
  async recoverStaleTrials(studyId: number, maxReruns: number): Promise<StaleRecovery> {
    const { requeued, failed } = await this.tx(async (tx) => {
      const rows = await tx.all(
        `SELECT t.trial_id, h.owner, h.heartbeat, ${this.now} AS now FROM trials t
         LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id
         WHERE t.study_id = ? AND t.state = 'RUNNING'`,
        [studyId],
      );
      const out = { requeued: [] as number[], failed: [] as number[] };
      for (const r of rows) {
        const owner = r.owner == null ? undefined : String(r.owner);
        const gone = ownerIsGone(owner);
        let reason: string | undefined;
        if (gone === true) reason = `stale: its process (${owner}) is gone`;
        else if (
          gone === undefined &&
          owner !== undefined &&
          this.opts.staleAfterMs !== undefined &&
          Number(r.now) - Number(r.heartbeat) > this.opts.staleAfterMs
        )
          reason = `stale: no heartbeat from ${owner} for ${Number(r.now) - Number(r.heartbeat)} ms`;
        if (reason === undefined) continue;
        const id = Number(r.trial_id);
        const [c] = await tx.all(
          "SELECT value_json FROM trial_system_attributes WHERE trial_id = ? AND key = ?",
          [id, SYS.retryCount],
        );
        const reruns = c ? Number(JSON.parse(String(c.value_json))) || 0 : 0;
        if (reruns < maxReruns) {
          if (await this.requeueIn(tx, id, reason, reruns + 1)) out.requeued.push(id);
        } else if (
          await this.finishIn(tx, id, "FAIL", undefined, {
            [SYS.failReason]: `${reason} (re-run ${reruns} times already)`,
            [RERUN.stale]: true,
          })
        )
          out.failed.push(id);
      }
      return out;
    });
    const read = (ids: number[]) =>
      ids.length === 0 ? [] : this.getTrials(studyId, { afterTrialId: Infinity, trialIds: ids });
    return { requeued: await read(requeued), failed: await read(failed) };
  }

  async releaseTrials(trialIds: number[], reason: string): Promise<number[]> {
    if (trialIds.length === 0) return [];
    return this.tx(async (tx) => {
      const held = await tx.all(
        `SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id
         WHERE t.state = 'RUNNING' AND h.owner = ? AND t.trial_id IN (${marks(trialIds.length)})`,
        [this.owner, ...trialIds],
      );
      const out: number[] = [];
      for (const r of held)
        if (await this.requeueIn(tx, Number(r.trial_id), reason, undefined)) out.push(Number(r.trial_id));
      return out;
    });
  }

  /**
   * RUNNING → WAITING under the same number. Parameters and attributes stay (a sampler's tags on the
   * trial, its relative sample, an enqueued trial's fixed parameters), so the re-run is the same trial;
   * intermediate values go (the re-run reports them again, and a pruner must not see later steps
   * early); the holder goes. `reruns`, when given, is stored as SYS.retryCount.
   */
  private async requeueIn(
    tx: SqlExecutor,
    trialId: number,
    reason: string,
    reruns: number | undefined,
  ): Promise<boolean> {
    const changed = await tx.run(
      "UPDATE trials SET state = 'WAITING', datetime_start = NULL WHERE trial_id = ? AND state = 'RUNNING'",
      [trialId],
    );
    if (changed !== 1) return false;
    await tx.run("DELETE FROM trial_intermediate_values WHERE trial_id = ?", [trialId]);
    await tx.run("DELETE FROM trial_heartbeats WHERE trial_id = ?", [trialId]);
    await upsertAttr(tx, "trial_system_attributes", "trial_id", trialId, RERUN.reason, reason);
    if (reruns !== undefined)
      await upsertAttr(tx, "trial_system_attributes", "trial_id", trialId, SYS.retryCount, reruns);
    return true;
  }

  /** Writes to a trial are allowed while it is RUNNING and held by no other owner. */
  private async assertHeld(tx: SqlExecutor, trialId: number): Promise<void> {
    const rows = await tx.all(
      "SELECT t.state, h.owner FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id WHERE t.trial_id = ?",
      [trialId],
    );
    if (rows.length === 0) throw new KilnError(`no trial with id ${trialId}`);
    const state = String(rows[0].state) as TrialState;
    if (state !== "RUNNING" && state !== "WAITING") throw new UpdateFinishedTrialError(trialId, state);
    const owner = rows[0].owner;
    if (state === "WAITING" || (owner != null && String(owner) !== this.owner))
      throw new TrialNotHeldError(trialId, state);
  }

  async getTrials(studyId: number, q: TrialQuery = {}): Promise<FrozenTrial[]> {
    return this.op(() => this.read(this.driver, studyId, q));
  }

  private async readOne(studyId: number, trialId: number): Promise<FrozenTrial> {
    const [t] = await this.getTrials(studyId, { afterTrialId: Infinity, trialIds: [trialId] });
    return t;
  }

  private async read(db: SqlExecutor, studyId: number, q: TrialQuery): Promise<FrozenTrial[]> {
    const after =
      q.afterTrialId === undefined
        ? 0
        : q.afterTrialId === Infinity
          ? Number.MAX_SAFE_INTEGER
          : q.afterTrialId;
    const ids = [...new Set(q.trialIds ?? [])].filter((id) => id <= after);
    // two index range/lookups instead of one OR (which would scan the study): trials created after
    // `after`, plus the named ones; child rows are read the same way and kept for the trials found
    const cols = "trial_id, number, state, datetime_start, datetime_complete";
    let trials: Row[] = [];
    if (after < Number.MAX_SAFE_INTEGER)
      trials = trials.concat(
        await db.all(`SELECT ${cols} FROM trials WHERE study_id = ? AND trial_id > ? ORDER BY trial_id`, [
          studyId,
          after,
        ]),
      );
    for (let k = 0; k < ids.length; k += 500) {
      const chunk = ids.slice(k, k + 500);
      trials = trials.concat(
        await db.all(
          `SELECT ${cols} FROM trials WHERE study_id = ? AND trial_id IN (${marks(chunk.length)})`,
          [studyId, ...chunk],
        ),
      );
    }
    if (trials.length === 0) return [];
    trials.sort((a, b) => Number(a.trial_id) - Number(b.trial_id));
    const found = new Set(trials.map((r) => Number(r.trial_id)));
    const group = async <T>(sql: string, map: (r: Row) => T): Promise<Map<number, T[]>> => {
      let rows: Row[] = [];
      // this study's trials only: a storage shared by many studies (e.g. Shapley refits) holds far more rows
      if (after < Number.MAX_SAFE_INTEGER)
        rows = rows.concat(
          await db.all(
            `${sql} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ? AND trial_id > ?)`,
            [studyId, after],
          ),
        );
      for (let k = 0; k < ids.length; k += 500) {
        const chunk = ids.slice(k, k + 500);
        rows = rows.concat(await db.all(`${sql} WHERE trial_id IN (${marks(chunk.length)})`, chunk));
      }
      const out = new Map<number, T[]>();
      for (const r of rows) {
        const id = Number(r.trial_id);
        if (!found.has(id)) continue;
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push(map(r));
      }
      return out;
    };
    const params = await group(
      "SELECT trial_id, param_name, param_value, distribution_json FROM trial_params",
      (r) => ({
        name: String(r.param_name),
        internal: Number(r.param_value),
        distribution: this.parseDistribution(String(r.distribution_json)),
      }),
    );
    const values = await group("SELECT trial_id, value, value_type FROM trial_values", (r) =>
      decodeValue(r.value as number | null, String(r.value_type)),
    );
    const inter = await group(
      "SELECT trial_id, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values",
      (r) =>
        [
          Number(r.step),
          decodeValue(r.intermediate_value as number | null, String(r.intermediate_value_type)),
        ] as [number, number],
    );
    const attr = (r: Row) => [String(r.key), JSON.parse(String(r.value_json)) as Json] as [string, Json];
    const uattrs = await group("SELECT trial_id, key, value_json FROM trial_user_attributes", attr);
    const sattrs = await group("SELECT trial_id, key, value_json FROM trial_system_attributes", attr);
    return trials.map((r) => {
      const id = Number(r.trial_id);
      const state = String(r.state) as TrialState;
      const inters = (inter.get(id) ?? []).sort((a, b) => a[0] - b[0]);
      let value = values.get(id)?.[0];
      if (value === undefined && state === "PRUNED" && inters.length > 0)
        value = inters[inters.length - 1][1];
      return buildFrozen({
        trialId: id,
        number: Number(r.number),
        state,
        value,
        params: params.get(id) ?? [],
        intermediate: inters,
        userAttrs: Object.fromEntries(uattrs.get(id) ?? []),
        systemAttrs: Object.fromEntries(sattrs.get(id) ?? []),
        datetimeStart: r.datetime_start == null ? null : Number(r.datetime_start),
        datetimeComplete: r.datetime_complete == null ? null : Number(r.datetime_complete),
      });
    });
  }

  private parseDistribution(json: string): Distribution {
    let d = this.distCache.get(json);
    if (!d) {
      d = validateDistribution("(stored)", JSON.parse(json) as Distribution);
      this.distCache.set(json, d);
    }
    return d;
  }

  async close(): Promise<void> {
    await this.serial(() => this.driver.close());
  }
}

function marks(n: number): string {
  return new Array(n).fill("?").join(", ");
}

function toStudy(r: Row): StudyRecord {
  return {
    studyId: Number(r.study_id),
    name: String(r.study_name),
    direction: String(r.direction) as Direction,
  };
}

async function upsertAttr(
  tx: SqlExecutor,
  table: string,
  idColumn: string,
  id: number,
  key: string,
  value: Json,
): Promise<void> {
  await tx.run(
    `INSERT INTO ${table} (${idColumn}, key, value_json) VALUES (?, ?, ?)
     ON CONFLICT (${idColumn}, key) DO UPDATE SET value_json = excluded.value_json`,
    [id, key, JSON.stringify(value)],
  );
}

async function insertParams(tx: SqlExecutor, trialId: number, params: ParamRecord[]): Promise<void> {
  for (const p of params)
    await tx.run(
      `INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)
       ON CONFLICT (trial_id, param_name) DO UPDATE SET
       param_value = excluded.param_value, distribution_json = excluded.distribution_json`,
      [trialId, p.name, p.internal, JSON.stringify(p.distribution)],
    );
}
