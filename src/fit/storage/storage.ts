import type { Distribution } from "../space.ts";
import type { Attrs, Direction, FrozenTrial, Json, TrialState } from "../types.ts";

export interface StudyRecord {
  studyId: number;
  name: string;
  direction: Direction;
}

export interface ParamRecord {
  name: string;
  /** Internal representation (categoricals: index of the choice). */
  internal: number;
  distribution: Distribution;
}

export interface NewTrial {
  state: "RUNNING" | "WAITING";
  params?: ParamRecord[];
  userAttrs?: Attrs;
  systemAttrs?: Attrs;
}

/** Which trials to read: those created after a trial id, plus some named ones (an incremental sync). */
export interface TrialQuery {
  afterTrialId?: number;
  trialIds?: number[];
}

export type AttrKind = "user" | "system";

/** Raised when something writes to a trial that is already finished ("finished is final"). */
export class UpdateFinishedTrialError extends Error {
  constructor(trialId: number, state: TrialState) {
    super(`trial ${trialId} is already finished (${state}) and cannot be changed`);
    this.name = "UpdateFinishedTrialError";
  }
}

/**
 * Where studies and trials live. Every method is async so that a network database (PostgreSQL) is a
 * second implementation of this interface, not a rewrite. The rules every implementation keeps:
 * - trial numbers are allocated atomically per study (no duplicates across processes);
 * - a WAITING trial is claimed by exactly one caller;
 * - a finished trial is final: `finishTrial` on it returns false, other writes throw UpdateFinishedTrialError;
 * - `failStaleTrials` marks RUNNING trials whose owner is gone as FAIL and returns those it changed.
 */
export interface Storage {
  /** "memory", "sqlite", … */
  readonly kind: string;
  /** Who this process is, as recorded on the trials it runs: "host:pid:token". */
  readonly owner: string;

  createStudy(name: string, direction: Direction): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | undefined>;
  listStudies(): Promise<StudyRecord[]>;
  deleteStudy(studyId: number): Promise<void>;

  setStudyAttr(studyId: number, kind: AttrKind, key: string, value: Json): Promise<void>;
  /** Sets a study system attribute unless it exists; returns the stored value (first writer wins). */
  setStudySystemAttrIfAbsent(studyId: number, key: string, value: Json): Promise<Json>;
  getStudyAttrs(studyId: number, kind: AttrKind): Promise<Attrs>;

  createTrial(studyId: number, trial: NewTrial): Promise<FrozenTrial>;
  /** Atomically turns the oldest WAITING trial into RUNNING for this owner; undefined when none. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | undefined>;
  setTrialParams(trialId: number, params: ParamRecord[]): Promise<void>;
  setTrialAttr(trialId: number, kind: AttrKind, key: string, value: Json): Promise<void>;
  setIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  /** Finishes a RUNNING trial; false when it was already finished (e.g. failed as stale by another process). */
  finishTrial(
    trialId: number,
    state: "COMPLETE" | "PRUNED" | "FAIL",
    value: number | undefined,
    systemAttrs?: Attrs,
  ): Promise<boolean>;
  /** Records that this owner is still working on these trials. */
  heartbeat(trialIds: number[]): Promise<void>;
  failStaleTrials(studyId: number): Promise<FrozenTrial[]>;

  getTrials(studyId: number, query?: TrialQuery): Promise<FrozenTrial[]>;
  close(): Promise<void>;
}
