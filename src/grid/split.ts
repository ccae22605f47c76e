import type { Dataset } from "./dataset.ts";

/** Which calendar years are used to fit, to choose between forms, and to prove the winner. */
export interface YearSplit {
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly holdout: readonly number[];
}

/** Parse "1997-2006" or "1997-2000,2003" into a sorted list of years. */
export function parseYears(text: string): number[] {
  const out = new Set<number>();
  for (const part of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d{4})(?:\s*(?:-|\.\.)\s*(\d{4}))?$/.exec(part);
    if (!m) throw new Error(`cannot read years '${part}': write 1997-2006 or 1997,1999 or a mix`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (b < a) throw new Error(`year range '${part}' runs backwards: write ${b}-${a}`);
    for (let y = a; y <= b; y++) out.add(y);
  }
  return [...out].sort((x, y) => x - y);
}

/** Check that the split's years are disjoint and present in the dataset; errors say which years clash. */
export function checkSplit(split: YearSplit, available: readonly number[]): void {
  const have = new Set(available);
  const seen = new Map<number, string>();
  for (const part of ["train", "validation", "holdout"] as const) {
    for (const y of split[part]) {
      if (!have.has(y)) {
        throw new Error(
          `${part} year ${y} is not in the data (years ${available[0]}..${available[available.length - 1]})`,
        );
      }
      const prev = seen.get(y);
      if (prev)
        throw new Error(
          `year ${y} is in both ${prev} and ${part}: each year belongs to one part of the split`,
        );
      seen.set(y, part);
    }
  }
  if (split.train.length === 0) throw new Error("the split has no training years");
}

/** Train, validation and holdout views of a dataset. */
export interface SplitViews {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly holdout: Dataset;
  /** Train and validation years together: everything the search may see. */
  readonly search: Dataset;
}

export function splitDataset(ds: Dataset, split: YearSplit): SplitViews {
  checkSplit(split, ds.time.yearList());
  return {
    train: ds.selectYears(split.train),
    validation: ds.selectYears(split.validation),
    holdout: ds.selectYears(split.holdout),
    search: ds.selectYears([...split.train, ...split.validation].sort((a, b) => a - b)),
  };
}

/** A split from consecutive blocks: the first years train, then validation, the last years holdout. */
export function blockSplit(years: readonly number[], nValidation: number, nHoldout: number): YearSplit {
  const n = years.length;
  if (nValidation + nHoldout >= n) {
    throw new Error(`cannot keep ${nValidation} validation and ${nHoldout} holdout years out of ${n}`);
  }
  return {
    train: years.slice(0, n - nValidation - nHoldout),
    validation: years.slice(n - nValidation - nHoldout, n - nHoldout),
    holdout: years.slice(n - nHoldout),
  };
}
