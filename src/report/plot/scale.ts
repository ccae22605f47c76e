import { KilnError } from "../../util/errors.ts";
import type { ColourKind } from "./colours.ts";

export interface ValueScaleOptions {
  kind: ColourKind;
  /** [low, high]; default: the robust range of the data (see `percentiles`), symmetric about `centre` if diverging. */
  range?: readonly [number, number];
  /** Diverging only: the value drawn in the middle colour (default 0). */
  centre?: number;
  /** Sequential only: log10 spacing, for fields spanning orders of magnitude (non-positive values fall below). */
  log?: boolean;
  /** Percentiles of the finite data (of its positive part for a log scale) for the default range (default [2, 98]). */
  percentiles?: readonly [number, number];
}

/** Maps a value to a position t along the colour bar: 0 at the low end, 1 at the high end. */
export interface ValueScale {
  readonly kind: ColourKind;
  readonly lo: number;
  readonly hi: number;
  /** The middle value of a diverging scale, else NaN. */
  readonly centre: number;
  readonly log: boolean;
  /** t for v: outside [0, 1] when v is out of range (cyclic scales wrap into [0, 1)), NaN for no data. */
  norm(v: number): number;
  /** Where v sits along the colour bar, as norm but without wrapping (so a cyclic range's two ends differ). */
  position(v: number): number;
}

export function valueScale(values: ArrayLike<number>, opts: ValueScaleOptions): ValueScale {
  const { kind, log = false } = opts;
  if (log && kind !== "sequential") {
    throw new KilnError(`a log colour scale needs a sequential scheme, not a ${kind} one`, {
      hint: "drop the log option, or use a sequential scheme",
    });
  }
  const centre = kind === "diverging" ? (opts.centre ?? 0) : NaN;
  if (kind === "diverging" && !Number.isFinite(centre)) {
    throw new KilnError(`the centre of a diverging colour scale must be a finite number, got ${centre}`);
  }
  const [lo, hi] = opts.range ? checkedRange(opts.range, log) : defaultRange(values, opts, centre);
  if (kind === "diverging" && !(lo < centre && centre < hi)) {
    throw new KilnError(`the diverging colour range [${lo}, ${hi}] does not contain its centre ${centre}`, {
      hint: "give a range with low < centre < high, or another centre",
    });
  }
  const lLo = log ? Math.log10(lo) : lo;
  const lSpan = (log ? Math.log10(hi) : hi) - lLo;
  let norm: (v: number) => number;
  if (kind === "diverging") {
    // Two slopes, so the centre always sits in the middle colour even for an asymmetric range.
    norm = (v) =>
      v < centre ? 0.5 * ((v - lo) / (centre - lo)) : 0.5 + 0.5 * ((v - centre) / (hi - centre));
  } else if (kind === "cyclic") {
    norm = (v) => {
      const t = (v - lo) / (hi - lo);
      return t - Math.floor(t);
    };
  } else if (log) {
    norm = (v) => (v > 0 ? (Math.log10(v) - lLo) / lSpan : v === v ? -Infinity : NaN);
  } else {
    norm = (v) => (v - lo) / (hi - lo);
  }
  const position = kind === "cyclic" ? (v: number) => (v - lo) / (hi - lo) : norm;
  return { kind, lo, hi, centre, log, norm, position };
}

function checkedRange(range: readonly [number, number], log: boolean): [number, number] {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new KilnError(`the colour range [${lo}, ${hi}] is not an increasing pair of finite numbers`, {
      hint: "give range as [low, high] with low < high",
    });
  }
  if (log && !(lo > 0)) {
    throw new KilnError(`a log colour scale needs a positive low end, got ${lo}`, {
      hint: "give a range with low > 0 (e.g. 1e-4), or drop the log option",
    });
  }
  return [lo, hi];
}

function defaultRange(values: ArrayLike<number>, opts: ValueScaleOptions, centre: number): [number, number] {
  const [pLo, pHi] = opts.percentiles ?? [2, 98];
  if (!(0 <= pLo && pLo < pHi && pHi <= 100)) {
    throw new KilnError(`percentiles [${pLo}, ${pHi}] must satisfy 0 ≤ low < high ≤ 100`);
  }
  const sorted = finiteSorted(values, opts.log === true);
  if (opts.log) {
    if (sorted.length === 0) return [1e-6, 1];
    const lo = percentile(sorted, pLo);
    const hi = percentile(sorted, pHi);
    return lo < hi ? [lo, hi] : [lo / 10, lo * 10];
  }
  if (sorted.length === 0) return opts.kind === "diverging" ? [centre - 1, centre + 1] : [0, 1];
  const lo = percentile(sorted, pLo);
  const hi = percentile(sorted, pHi);
  if (opts.kind === "diverging") {
    let h = Math.max(Math.abs(lo - centre), Math.abs(hi - centre));
    if (!(h > 0)) h = Math.abs(centre) > 0 ? 0.1 * Math.abs(centre) : 1;
    return [centre - h, centre + h];
  }
  if (lo < hi) return [lo, hi];
  const pad = lo === 0 ? 0.5 : 0.1 * Math.abs(lo);
  return [lo - pad, hi + pad];
}

/** The finite values (only the positive ones if `positive`), sorted ascending. */
function finiteSorted(values: ArrayLike<number>, positive: boolean): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isFinite(v) && (!positive || v > 0)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** The p-th percentile (0–100) of sorted values, linearly interpolated between ranks (numpy's default). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const r = (p / 100) * (n - 1);
  const k = Math.floor(r);
  if (k >= n - 1) return sorted[n - 1];
  return sorted[k] + (r - k) * (sorted[k + 1] - sorted[k]);
}
