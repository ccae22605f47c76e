import type { CellIndex } from "../grid/cells.ts";
import { GFED_BOXES, boxRegion } from "../grid/regions.ts";

/** For each GFED box, which of the dataset's cells lie in it (boxes may overlap, as ILAMB's do). */
export interface CellRegions {
  readonly labels: readonly string[];
  /** masks[r][c] = 1 when cell c is in box r. */
  readonly masks: readonly Uint8Array[];
}

export function cellRegions(cells: CellIndex): CellRegions {
  const labels: string[] = [];
  const masks: Uint8Array[] = [];
  for (const box of GFED_BOXES) {
    const grid = boxRegion(cells.grid, box).mask;
    const m = new Uint8Array(cells.length);
    let any = false;
    for (let c = 0; c < cells.length; c++) {
      if (grid[cells.flat[c]]) {
        m[c] = 1;
        any = true;
      }
    }
    if (any) {
      labels.push(box.label);
      masks.push(m);
    }
  }
  return { labels, masks };
}

export interface RegionBreakdown {
  /** Regions holding at least `minShare` of the weight, largest first; ["global"] when none does. */
  readonly labels: string[];
  /** Share of the total weight in each region (all regions with any weight). */
  readonly shares: Record<string, number>;
}

/**
 * Where a per-cell weight (counts of bad values, burned area affected, ...) sits among the GFED boxes;
 * ["global"] when it touches nearly every cell.
 */
export function breakdown(
  regions: CellRegions,
  weight: ArrayLike<number>,
  minShare = 0.1,
  max = 5,
): RegionBreakdown {
  let total = 0;
  let touched = 0;
  for (let c = 0; c < weight.length; c++) {
    total += weight[c];
    if (weight[c] > 0) touched++;
  }
  const shares: Record<string, number> = {};
  if (!(total > 0)) return { labels: ["global"], shares };
  const list: [string, number][] = [];
  regions.masks.forEach((m, r) => {
    let s = 0;
    for (let c = 0; c < m.length; c++) if (m[c]) s += weight[c];
    if (s > 0) {
      shares[regions.labels[r]] = s / total;
      list.push([regions.labels[r], s / total]);
    }
  });
  list.sort((a, b) => b[1] - a[1]);
  if (touched >= 0.9 * weight.length && regions.labels.length >= 8) return { labels: ["global"], shares };
  const labels = list
    .filter(([, s]) => s >= minShare)
    .slice(0, max)
    .map(([l]) => l);
  return { labels: labels.length ? labels : ["global"], shares };
}

/** "nhaf 61%, shaf 30%". */
export function describeShares(labels: readonly string[], shares: Readonly<Record<string, number>>): string {
  return labels
    .filter((l) => shares[l] !== undefined)
    .map((l) => `${l} ${pct(shares[l])}`)
    .join(", ");
}

export function pct(x: number): string {
  if (x > 0 && x < 0.001) return "<0.1%";
  return `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
}
