import { KilnError } from "../../util/errors.ts";
import {
  isFinished,
  type Attrs,
  type Direction,
  type FrozenTrial,
  type Json,
  type TrialState,
} from "../types.ts";
import { buildFrozen } from "./frozen.ts";
import { makeOwner } from "./owner.ts";
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
} from "./storage.ts";

interface TrialRow {
  trialId: number;
  studyId: number;
  number: number;
  state: TrialState;
  value: number | undefined;
  params: Map<string, ParamRecord>;
  intermediate: Map<number, number>;
  userAttrs: Attrs;
  systemAttrs: Attrs;
  start: number | undefined;
  complete: number | undefined;
}

interface StudyRow {
  record: StudyRecord;
  userAttrs: Attrs;
  systemAttrs: Attrs;
  trials: TrialRow[]; // by trial id
  nextNumber: number;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Studies in this process's memory: fast, lost with the process. One process, so nothing is ever stale. */
export class InMemoryStorage implements Storage {
  readonly kind = "memory";
  readonly owner = makeOwner();
  private studies = new Map<number, StudyRow>();
  private trials = new Map<number, TrialRow>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(name: string, direction: Direction): Promise<StudyRecord> {
    for (const s of this.studies.values())
      if (s.record.name === name)
        throw new KilnError(`study "${name}" already exists`, { hint: "load it, or pick another name" });
    const record = { studyId: this.nextStudyId++, name, direction };
    this.studies.set(record.studyId, { record, userAttrs: {}, systemAttrs: {}, trials: [], nextNumber: 0 });
    return { ...record };
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    for (const s of this.studies.values()) if (s.record.name === name) return { ...s.record };
    return undefined;
  }

  async listStudies(): Promise<StudyRecord[]> {
    return [...this.studies.values()].map((s) => ({ ...s.record }));
  }

  async deleteStudy(studyId: number): Promise<void> {
    const s = this.study(studyId);
    for (const t of s.trials) this.trials.delete(t.trialId);
    this.studies.delete(studyId);
  }

  async setStudyAttr(studyId: number, kind: AttrKind, key: string, value: Json): Promise<void> {
    const s = this.study(studyId);
    (kind === "user" ? s.userAttrs : s.systemAttrs)[key] = clone(value);
  }

  async setStudySystemAttrIfAbsent(studyId: number, key: string, value: Json): Promise<Json> {
    const s = this.study(studyId);
    if (!(key in s.systemAttrs)) s.systemAttrs[key] = clone(value);
    return clone(s.systemAttrs[key]);
  }

  async getStudyAttrs(studyId: number, kind: AttrKind): Promise<Attrs> {
    const s = this.study(studyId);
    return clone(kind === "user" ? s.userAttrs : s.systemAttrs);
  }

  async createTrial(studyId: number, t: NewTrial): Promise<FrozenTrial> {
    const s = this.study(studyId);
    const row: TrialRow = {
      trialId: this.nextTrialId++,
      studyId,
      number: s.nextNumber++,
      state: t.state,
      value: undefined,
      params: new Map((t.params ?? []).map((p) => [p.name, clone(p)])),
      intermediate: new Map(),
      userAttrs: clone(t.userAttrs ?? {}),
      systemAttrs: clone(t.systemAttrs ?? {}),
      start: t.state === "RUNNING" ? Date.now() : undefined,
      complete: undefined,
    };
    s.trials.push(row);
    this.trials.set(row.trialId, row);
    return this.freeze(row);
  }

  async claimWaitingTrial(studyId: number, systemAttrs: Attrs = {}): Promise<FrozenTrial | undefined> {
    const s = this.study(studyId);
    const row = s.trials.find((t) => t.state === "WAITING");
    if (!row) return undefined;
    row.state = "RUNNING";
    row.start = Date.now();
    Object.assign(row.systemAttrs, clone(systemAttrs));
    return this.freeze(row);
  }

  async setTrialParams(trialId: number, params: ParamRecord[]): Promise<void> {
    const row = this.updatable(trialId);
    for (const p of params) row.params.set(p.name, clone(p));
  }

  async setTrialAttr(trialId: number, kind: AttrKind, key: string, value: Json): Promise<void> {
    const row = this.updatable(trialId);
    (kind === "user" ? row.userAttrs : row.systemAttrs)[key] = clone(value);
  }

  async setIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.updatable(trialId).intermediate.set(step, value);
  }

  async finishTrial(
    trialId: number,
    state: "COMPLETE" | "PRUNED" | "FAIL",
    value: number | undefined,
    systemAttrs: Attrs = {},
  ): Promise<boolean> {
    const row = this.trial(trialId);
    if (row.state !== "RUNNING") return false;
    row.state = state;
    row.value = value;
    row.complete = Date.now();
    Object.assign(row.systemAttrs, clone(systemAttrs));
    return true;
  }

  async heartbeat(): Promise<void> {}

  /** One process: an owner here is never gone. */
  async recoverStaleTrials(): Promise<StaleRecovery> {
    return { requeued: [], failed: [] };
  }

  async releaseTrials(trialIds: number[], reason: string): Promise<number[]> {
    const out: number[] = [];
    for (const id of trialIds) {
      const row = this.trials.get(id);
      if (!row || row.state !== "RUNNING") continue;
      row.state = "WAITING";
      row.start = undefined;
      row.intermediate.clear();
      row.systemAttrs[RERUN.reason] = reason;
      out.push(id);
    }
    return out;
  }

  async getTrials(studyId: number, q: TrialQuery = {}): Promise<FrozenTrial[]> {
    const s = this.study(studyId);
    const after = q.afterTrialId ?? 0;
    const ids = new Set(q.trialIds ?? []);
    const out: FrozenTrial[] = [];
    let lo = 0;
    let hi = s.trials.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.trials[mid].trialId <= after) lo = mid + 1;
      else hi = mid;
    }
    for (const id of ids) {
      const row = this.trials.get(id);
      if (row && row.studyId === studyId && row.trialId <= after) out.push(this.freeze(row));
    }
    for (let k = lo; k < s.trials.length; k++) out.push(this.freeze(s.trials[k]));
    return out.sort((a, b) => a.trialId - b.trialId);
  }

  async close(): Promise<void> {}

  private study(studyId: number): StudyRow {
    const s = this.studies.get(studyId);
    if (!s) throw new KilnError(`no study with id ${studyId}`);
    return s;
  }

  private trial(trialId: number): TrialRow {
    const t = this.trials.get(trialId);
    if (!t) throw new KilnError(`no trial with id ${trialId}`);
    return t;
  }

  private updatable(trialId: number): TrialRow {
    const t = this.trial(trialId);
    if (isFinished(t.state)) throw new UpdateFinishedTrialError(trialId, t.state);
    if (t.state !== "RUNNING") throw new TrialNotHeldError(trialId, t.state);
    return t;
  }

  private freeze(row: TrialRow): FrozenTrial {
    return buildFrozen({
      trialId: row.trialId,
      number: row.number,
      state: row.state,
      value: row.value,
      params: [...row.params.values()],
      intermediate: [...row.intermediate].sort((a, b) => a[0] - b[0]),
      userAttrs: clone(row.userAttrs),
      systemAttrs: clone(row.systemAttrs),
      datetimeStart: row.start,
      datetimeComplete: row.complete,
    });
  }
}
