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

/** System attribute keys the storages write when they take a trial back from a process. */
export const RERUN = {
  /** Why the trial was put back to WAITING the last time (its process died, or gave it back). */
  reason: "kiln:rerun_reason",
  /** true on a trial failed as stale after its re-runs were used up (not the objective's failure). */
  stale: "kiln:stale",
} as const;

/** What `recoverStaleTrials` did: trials put back to WAITING under their own number, and trials failed. */
export interface StaleRecovery {
  requeued: FrozenTrial[];
  failed: FrozenTrial[];
}

/** Raised when something writes to a trial that is already finished ("finished is final"). */
export class UpdateFinishedTrialError extends Error {
  constructor(trialId: number, state: TrialState) {
    super(`trial ${trialId} is already finished (${state}) and cannot be changed`);
    this.name = "UpdateFinishedTrialError";
  }
}

/**
 * Raised when a process writes to a trial it no longer holds: the trial was put back to WAITING (its
 * owner was judged gone) and may be running in another process now.
 */
export class TrialNotHeldError extends Error {
  constructor(trialId: number, state: TrialState) {
    super(`trial ${trialId} is no longer held by this process (${state}) and cannot be changed here`);
    this.name = "TrialNotHeldError";
  }
}

/**
 * Where studies and trials live. Every method is async so that a network database (PostgreSQL) is a
 * second implementation of this interface, not a rewrite. The rules every implementation keeps:
 * - trial numbers are allocated atomically per study (no duplicates across processes);
 * - a WAITING trial is claimed by exactly one caller;
 * - a finished trial is final: `finishTrial` on it returns false, other writes throw UpdateFinishedTrialError;
 * - only the holder of a RUNNING trial changes it: a trial put back to WAITING, or claimed by another
 *   owner since, refuses the old holder's writes (TrialNotHeldError) and its `finishTrial` (false);
 * - a trial put back to WAITING keeps its number, parameters and attributes (so that a sampler sees the
 *   re-run as the same trial); its intermediate values, which the re-run reports again, are cleared.
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
  /**
   * Atomically turns the oldest WAITING trial into RUNNING for this owner, setting `systemAttrs` on it
   * in the same transaction; undefined when none.
   */
  claimWaitingTrial(studyId: number, systemAttrs?: Attrs): Promise<FrozenTrial | undefined>;
  setTrialParams(trialId: number, params: ParamRecord[]): Promise<void>;
  setTrialAttr(trialId: number, kind: AttrKind, key: string, value: Json): Promise<void>;
  setIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  /** Finishes a RUNNING trial this owner holds; false when it is finished or not held (re-queued as stale). */
  finishTrial(
    trialId: number,
    state: "COMPLETE" | "PRUNED" | "FAIL",
    value: number | undefined,
    systemAttrs?: Attrs,
  ): Promise<boolean>;
  /** Records that this owner is still working on these trials. */
  heartbeat(trialIds: number[]): Promise<void>;
  /**
   * Takes back RUNNING trials whose owner is gone: each goes back to WAITING under its own number with
   * its parameters (SYS.retryCount counts how often), to be re-run first; one already re-run
   * `maxReruns` times is failed instead (RERUN.stale: not the objective's failure).
   */
  recoverStaleTrials(studyId: number, maxReruns: number): Promise<StaleRecovery>;
  /**
   * Puts RUNNING trials this owner holds back to WAITING (this process gives them up unfinished, e.g.
   * after a harness error); returns the ids it changed. Not counted as a re-run.
   */
  releaseTrials(trialIds: number[], reason: string): Promise<number[]>;

  getTrials(studyId: number, query?: TrialQuery): Promise<FrozenTrial[]>;
  close(): Promise<void>;
}
