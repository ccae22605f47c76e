/** Monthly time axis on the noleap calendar, in days since 1850-01-01 as ILAMB writes it. */

export const NOLEAP_MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
export const REFERENCE_YEAR = 1850;
export const TIME_UNITS = "days since 1850-01-01 00:00:00";
export const TIME_CALENDAR = "noleap";

const MONTH_START = (() => {
  const s = new Int32Array(13);
  for (let m = 0; m < 12; m++) s[m + 1] = s[m] + NOLEAP_MONTH_DAYS[m];
  return s;
})();

/** Noleap day (since 1850-01-01) at which month `month` (1..12) of `year` starts. */
export function monthStartDay(year: number, month: number): number {
  return (year - REFERENCE_YEAR) * 365 + MONTH_START[month - 1];
}

export class TimeAxis {
  /** Calendar year of each step. */
  readonly years: Int32Array;
  /** Month of each step, 1..12. */
  readonly months: Int32Array;
  /** Bounds, [start0, end0, start1, end1, ...] in noleap days since 1850-01-01. */
  readonly bounds: Float64Array;
  /** Mid-points of the bounds. */
  readonly centres: Float64Array;

  constructor(years: ArrayLike<number>, months: ArrayLike<number>) {
    if (years.length !== months.length) throw new Error("TimeAxis: years and months differ in length");
    this.years = Int32Array.from(years);
    this.months = Int32Array.from(months);
    const n = this.years.length;
    this.bounds = new Float64Array(2 * n);
    this.centres = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const m = this.months[t];
      if (!(m >= 1 && m <= 12)) throw new Error(`TimeAxis: month ${m} at step ${t} is not in 1..12`);
      const s = monthStartDay(this.years[t], m);
      this.bounds[2 * t] = s;
      this.bounds[2 * t + 1] = s + NOLEAP_MONTH_DAYS[m - 1];
      this.centres[t] = s + 0.5 * NOLEAP_MONTH_DAYS[m - 1];
      if (t > 0 && !(this.centres[t] > this.centres[t - 1])) {
        throw new Error(
          `TimeAxis: step ${t} (${this.years[t]}-${m}) does not follow step ${t - 1} (${this.years[t - 1]}-${this.months[t - 1]}); months must increase`,
        );
      }
    }
  }

  /** `n` consecutive months starting at `year`-`month`. */
  static monthly(year: number, month: number, n: number): TimeAxis {
    const ys = new Int32Array(n);
    const ms = new Int32Array(n);
    for (let t = 0; t < n; t++) {
      const k = month - 1 + t;
      ys[t] = year + Math.floor(k / 12);
      ms[t] = (k % 12) + 1;
    }
    return new TimeAxis(ys, ms);
  }

  /** Every month of the years `first`..`last` inclusive. */
  static years(first: number, last: number): TimeAxis {
    if (last < first) throw new Error(`TimeAxis.years: last year ${last} is before first year ${first}`);
    return TimeAxis.monthly(first, 1, (last - first + 1) * 12);
  }

  get length(): number {
    return this.years.length;
  }

  year(t: number): number {
    return this.years[t];
  }

  month(t: number): number {
    return this.months[t];
  }

  /** Length of step t in days (noleap). */
  days(t: number): number {
    return NOLEAP_MONTH_DAYS[this.months[t] - 1];
  }

  /** Index of (year, month), or -1. */
  indexOf(year: number, month: number): number {
    for (let t = 0; t < this.length; t++) if (this.years[t] === year && this.months[t] === month) return t;
    return -1;
  }

  /** Distinct years in order. */
  yearList(): number[] {
    const out: number[] = [];
    for (let t = 0; t < this.length; t++) if (out[out.length - 1] !== this.years[t]) out.push(this.years[t]);
    return out;
  }

  /** True when every step is the month after the previous one. */
  isContiguous(): boolean {
    for (let t = 1; t < this.length; t++) {
      const prev = this.years[t - 1] * 12 + this.months[t - 1];
      if (this.years[t] * 12 + this.months[t] !== prev + 1) return false;
    }
    return true;
  }

  /** Indices of the steps whose year is in `years`. */
  indicesOfYears(years: Iterable<number>): Int32Array {
    const want = new Set(years);
    const idx: number[] = [];
    for (let t = 0; t < this.length; t++) if (want.has(this.years[t])) idx.push(t);
    return Int32Array.from(idx);
  }

  /** The axis restricted to the given step indices (increasing). */
  select(indices: ArrayLike<number>): TimeAxis {
    const ys = new Int32Array(indices.length);
    const ms = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      ys[k] = this.years[indices[k]];
      ms[k] = this.months[indices[k]];
    }
    return new TimeAxis(ys, ms);
  }

  /** "1997-01..2016-12 (240 months)". */
  describe(): string {
    if (this.length === 0) return "an empty time axis";
    const f = (t: number) => `${this.years[t]}-${String(this.months[t]).padStart(2, "0")}`;
    return `${f(0)}..${f(this.length - 1)} (${this.length} months${this.isContiguous() ? "" : ", with gaps"})`;
  }
}
