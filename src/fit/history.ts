import { distributionsEqual, isSingle, type Distribution, type SearchSpace } from "./space.ts";
import { RERUN } from "./storage/storage.ts";
import { SYS, failReason, isBetter, type Direction, type FrozenTrial } from "./types.ts";

export const STATE_COMPLETE = 0;
export const STATE_PRUNED = 1;
export const STATE_FAIL = 2;

interface SortedRows {
  order: Int32Array;
  orderLength: number;
  /** Rows [0, orderRows) have been placed. */
  orderRows: number;
  orderVersion: number;
}

/** One parameter's observations: internal values by row (NaN where a trial lacks it). */
export interface ParamColumn extends SortedRows {
  readonly name: string;
  /** The first distribution seen for this name. */
  readonly distribution: Distribution;
  /** True once a trial used another distribution under this name: readers must check values. */
  mixed: boolean;
  data: Float64Array;
}

/**
 * The study's finished trials as an incrementally appended column store, rows sorted by trial number
 * (so samplers read typed arrays instead of walking trial objects), plus the trials still RUNNING or
 * WAITING. Finished trials never change, so each is added once; an incremental sync only reads trials
 * newer than `maxTrialId` and the unfinished ones.
 */
export class TrialHistory {
  /** Number of finished rows. */
  size = 0;
  numbers = new Int32Array(64);
  states = new Uint8Array(64);
  /** Objective values (PRUNED: last intermediate value or NaN; FAIL: NaN). */
  values = new Float64Array(64);
  /** Last reported step (−1 when none) and its value. */
  lastStep = new Float64Array(64);
  lastValue = new Float64Array(64);
  /** Finished trials in row order. */
  finished: FrozenTrial[] = [];
  /** RUNNING trials by trial id (this process's and others'). */
  running = new Map<number, FrozenTrial>();
  waiting = new Map<number, FrozenTrial>();
  nComplete = 0;
  nPruned = 0;
  nFail = 0;
  /** FAIL trials whose process died (see isStaleFailure): counted in nFail, not in a trial budget. */
  nStale = 0;
  maxTrialId = 0;
  best: FrozenTrial | undefined;
  private cols = new Map<string, ParamColumn>();
  /** Bumped when a row is inserted before existing ones (row indices shift). */
  layoutVersion = 0;
  private seen = new Set<number>();
  private inter: SearchSpace | undefined;

  constructor(readonly direction: Direction) {}

  column(name: string): ParamColumn | undefined {
    return this.cols.get(name);
  }

  /**
   * Rows that hold parameter `name`, sorted by value (ties in row order). Rows appended since the last
   * call are inserted (a binary search and a short move each); only an out-of-order insertion of a
   * finished trial (parallel runs) forces a full re-sort. This saves TPE a sort per dimension per trial.
   */
  sortedRows(name: string): { order: Int32Array; length: number } | undefined {
    const col = this.cols.get(name);
    if (!col) return undefined;
    const data = col.data;
    return this.maintain(
      col,
      (r) => data[r],
      (r) => data[r] === data[r],
    );
  }

  /** COMPLETE rows sorted by value in the study's direction (best first, ties in row order); incremental. */
  sortedCompleteRows(): { order: Int32Array; length: number } {
    const values = this.values;
    const states = this.states;
    const sign = this.direction === "minimize" ? 1 : -1;
    return this.maintain(
      this.lossOrder,
      (r) => sign * values[r],
      (r) => states[r] === STATE_COMPLETE,
    );
  }

  private lossOrder: SortedRows = {
    order: new Int32Array(0),
    orderLength: 0,
    orderRows: 0,
    orderVersion: -1,
  };

  private maintain(
    o: SortedRows,
    key: (row: number) => number,
    include: (row: number) => boolean,
  ): { order: Int32Array; length: number } {
    if (o.order.length < this.size) {
      const grown = new Int32Array(Math.max(this.size, o.order.length * 2, 64));
      grown.set(o.order.subarray(0, o.orderLength));
      o.order = grown;
    }
    const order = o.order;
    if (o.orderVersion !== this.layoutVersion) {
      const rows: number[] = [];
      for (let r = 0; r < this.size; r++) if (include(r)) rows.push(r);
      rows.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        return ka < kb ? -1 : ka > kb ? 1 : a - b;
      });
      order.set(rows);
      o.orderLength = rows.length;
      o.orderRows = this.size;
      o.orderVersion = this.layoutVersion;
      return { order, length: o.orderLength };
    }
    for (let r = o.orderRows; r < this.size; r++) {
      if (!include(r)) continue;
      const v = key(r);
      let lo = 0;
      let hi = o.orderLength;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (key(order[mid]) <= v) lo = mid + 1;
        else hi = mid;
      }
      order.copyWithin(lo + 1, lo, o.orderLength);
      order[lo] = r;
      o.orderLength++;
    }
    o.orderRows = this.size;
    return { order, length: o.orderLength };
  }

  /** Search space shared by every COMPLETE and PRUNED trial (identical distributions), single values dropped. */
  intersection(): SearchSpace {
    const out: SearchSpace = {};
    if (this.inter) for (const [k, d] of Object.entries(this.inter)) if (!isSingle(d)) out[k] = d;
    return out;
  }

  /** Adds or updates trials read from storage. */
  apply(trials: FrozenTrial[]): void {
    for (const t of trials) {
      if (t.trialId > this.maxTrialId) this.maxTrialId = t.trialId;
      if (t.state === "RUNNING") {
        this.waiting.delete(t.trialId);
        this.running.set(t.trialId, t);
      } else if (t.state === "WAITING") {
        // a trial taken back from a dead process, to be re-run under its number
        this.running.delete(t.trialId);
        this.waiting.set(t.trialId, t);
      } else this.addFinished(t);
    }
  }

  /** Finished trials that count toward a trial budget: COMPLETE, PRUNED, and FAILs of the objective. */
  get nFinished(): number {
    return this.size - this.nStale;
  }

  /** Ids of trials that may still change (to re-read on the next sync). */
  unfinishedIds(): number[] {
    return [...this.running.keys(), ...this.waiting.keys()];
  }

  private addFinished(t: FrozenTrial): void {
    this.running.delete(t.trialId);
    this.waiting.delete(t.trialId);
    if (this.seen.has(t.trialId)) return;
    this.seen.add(t.trialId);
    this.grow(this.size + 1);
    // insertion point keeps rows sorted by number (trials mostly finish in order: a short walk from the end)
    let row = this.size;
    while (row > 0 && this.numbers[row - 1] > t.number) row--;
    if (row < this.size) this.shiftFrom(row);
    this.size++;
    this.numbers[row] = t.number;
    const code = t.state === "COMPLETE" ? STATE_COMPLETE : t.state === "PRUNED" ? STATE_PRUNED : STATE_FAIL;
    this.states[row] = code;
    this.values[row] = t.value ?? NaN;
    let step = -1;
    let last = NaN;
    for (const [s, v] of t.intermediateValues)
      if (s > step) {
        step = s;
        last = v;
      }
    this.lastStep[row] = step;
    this.lastValue[row] = last;
    this.finished.splice(row, 0, t);
    for (const col of this.cols.values()) col.data[row] = NaN;
    for (const [name, v] of Object.entries(t.internalParams)) {
      let col = this.cols.get(name);
      const dist = t.distributions[name];
      if (!col) {
        col = {
          name,
          distribution: dist,
          mixed: false,
          data: new Float64Array(this.numbers.length).fill(NaN),
          order: new Int32Array(0),
          orderLength: 0,
          orderRows: 0,
          orderVersion: -1,
        };
        this.cols.set(name, col);
      } else if (!distributionsEqual(col.distribution, dist)) col.mixed = true;
      col.data[row] = v;
    }
    if (code === STATE_COMPLETE) {
      this.nComplete++;
      if (Number.isFinite(t.value) || t.value === Infinity || t.value === -Infinity)
        if (!this.best || isBetter(this.direction, t.value as number, this.best.value as number))
          this.best = t;
    } else if (code === STATE_PRUNED) this.nPruned++;
    else {
      this.nFail++;
      if (isStaleFailure(t)) this.nStale++;
    }
    if (code !== STATE_FAIL) this.intersect(t.distributions);
  }

  private intersect(dists: Record<string, Distribution>): void {
    if (!this.inter) {
      this.inter = { ...dists };
      return;
    }
    for (const [k, d] of Object.entries(this.inter))
      if (!dists[k] || !distributionsEqual(d, dists[k])) delete this.inter[k];
  }

  private grow(n: number): void {
    if (n <= this.numbers.length) return;
    const cap = Math.max(n, this.numbers.length * 2);
    const re = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (c: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.numbers = re(this.numbers, (c) => new Int32Array(c));
    this.states = re(this.states, (c) => new Uint8Array(c));
    this.values = re(this.values, (c) => new Float64Array(c));
    this.lastStep = re(this.lastStep, (c) => new Float64Array(c));
    this.lastValue = re(this.lastValue, (c) => new Float64Array(c));
    for (const col of this.cols.values()) {
      const b = new Float64Array(cap).fill(NaN);
      b.set(col.data.subarray(0, this.size));
      col.data = b;
    }
  }

  private shiftFrom(row: number): void {
    this.layoutVersion++;
    const n = this.size;
    this.numbers.copyWithin(row + 1, row, n);
    this.states.copyWithin(row + 1, row, n);
    this.values.copyWithin(row + 1, row, n);
    this.lastStep.copyWithin(row + 1, row, n);
    this.lastValue.copyWithin(row + 1, row, n);
    for (const col of this.cols.values()) col.data.copyWithin(row + 1, row, n);
  }

  /** Internal parameter values of a RUNNING trial, including relative ones not yet suggested. */
  static runningParams(t: FrozenTrial): Record<string, number> {
    const rel = t.systemAttrs[SYS.relativeParams];
    if (rel && typeof rel === "object" && !Array.isArray(rel))
      return { ...(rel as Record<string, number>), ...t.internalParams };
    return t.internalParams;
  }
}

/**
 * A FAIL that is not the objective's: its process died (a trial failed as stale once its re-runs were
 * used up, or by a Kiln before re-runs kept trial numbers, whose fail reason starts "stale:").
 */
export function isStaleFailure(t: FrozenTrial): boolean {
  return t.state === "FAIL" && (t.systemAttrs[RERUN.stale] === true || /^stale:/.test(failReason(t) ?? ""));
}
