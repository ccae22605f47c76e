import type { Dataset } from "../grid/dataset.ts";

/** Headline figures of a world's target: annual burned area (Mkm² yr⁻¹) and how much of it is zero. */
export interface BurnedSummary {
  readonly meanAnnualMkm2: number;
  readonly minAnnualMkm2: number;
  readonly maxAnnualMkm2: number;
  /** Share of cell-months with no burned area. */
  readonly zeroShare: number;
}

export function burnedSummary(ds: Dataset, target: string): BurnedSummary {
  const f = ds.field(target);
  const n = ds.nCell;
  const areas = ds.cells.areas;
  const byYear = new Map<number, number>();
  let zeros = 0;
  for (let t = 0; t < ds.nTime; t++) {
    let s = 0;
    for (let c = 0; c < n; c++) {
      const x = f.data[t * n + c];
      if (x === 0) zeros++;
      if (x > 0) s += x * areas[c];
    }
    const y = ds.time.years[t];
    byYear.set(y, (byYear.get(y) ?? 0) + s / 1e12);
  }
  const annual = [...byYear.values()];
  return {
    meanAnnualMkm2: annual.reduce((a, b) => a + b, 0) / Math.max(1, annual.length),
    minAnnualMkm2: Math.min(...annual),
    maxAnnualMkm2: Math.max(...annual),
    zeroShare: zeros / Math.max(1, n * ds.nTime),
  };
}
