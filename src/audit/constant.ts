import type { Dataset } from "../grid/dataset.ts";
import type { Field } from "../grid/field.ts";
import { fmt } from "./stats.ts";
import type { CellRegions } from "./regions.ts";
import { pct } from "./regions.ts";
import type { Finding } from "./types.ts";
import { isFillLike } from "./values.ts";

/** Burned area of each cell over all months (Σ fraction × cell area, m²), the weight of the coverage checks. */
export function burnedByCell(ds: Dataset, target: Field): Float64Array {
  const n = ds.nCell;
  const out = new Float64Array(n);
  const d = target.data;
  const nT = target.isStatic ? 1 : ds.nTime;
  for (let t = 0; t < nT; t++) {
    for (let c = 0; c < n; c++) {
      const x = d[t * n + c];
      if (x > 0 && !isFillLike(x)) out[c] += x;
    }
  }
  for (let c = 0; c < n; c++) out[c] *= ds.cells.areas[c];
  return out;
}

/**
 * Constant or all-zero fields (the whole field, or within a GFED box while it varies elsewhere). A constant
 * target is an error; a constant driver carries no information (warning); a driver constant over one
 * region is a warning when that region burns (at least 5% of the burned area), otherwise info.
 */
export function checkConstant(
  ds: Dataset,
  f: Field,
  regions: CellRegions,
  isTarget: boolean,
  burned: Float64Array | undefined,
): Finding[] {
  const n = ds.nCell;
  const nT = f.isStatic ? 1 : ds.nTime;
  const cMin = new Float64Array(n).fill(Infinity);
  const cMax = new Float64Array(n).fill(-Infinity);
  for (let t = 0; t < nT; t++) {
    for (let c = 0; c < n; c++) {
      const x = f.data[t * n + c];
      if (x !== x || isFillLike(x)) continue;
      if (x < cMin[c]) cMin[c] = x;
      if (x > cMax[c]) cMax[c] = x;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < n; c++) {
    lo = Math.min(lo, cMin[c]);
    hi = Math.max(hi, cMax[c]);
  }
  if (lo === Infinity) return []; // nothing finite: reported by the value checks
  if (lo === hi) {
    const zero = lo === 0;
    return [
      {
        severity: isTarget ? "error" : "warning",
        check: "constant",
        variable: f.name,
        regions: ["global"],
        numbers: { value: lo },
        message: isTarget
          ? `the target ${f.name} is ${zero ? "zero" : `${fmt(lo)}`} everywhere: there is nothing to fit`
          : `${f.name} is ${zero ? "zero" : `the constant ${fmt(lo)}`} everywhere: it carries no information`,
        hint: isTarget
          ? "check the target's file and variable"
          : `drop ${f.name} or check its file and variable`,
      },
    ];
  }
  if (isTarget) return []; // a region without fire is normal
  let totalBurned = 0;
  if (burned) for (const b of burned) totalBurned += b;
  const out: Finding[] = [];
  regions.masks.forEach((m, r) => {
    let rLo = Infinity;
    let rHi = -Infinity;
    let cellsIn = 0;
    let rBurned = 0;
    for (let c = 0; c < n; c++) {
      if (!m[c]) continue;
      cellsIn++;
      rLo = Math.min(rLo, cMin[c]);
      rHi = Math.max(rHi, cMax[c]);
      if (burned) rBurned += burned[c];
    }
    if (cellsIn < 3 || rLo === Infinity || rLo !== rHi) return;
    const share = totalBurned > 0 ? rBurned / totalBurned : 0;
    const label = regions.labels[r];
    out.push({
      severity: share >= 0.05 ? "warning" : "info",
      check: "constant",
      variable: f.name,
      regions: [label],
      numbers: { value: rLo, cells: cellsIn, burnedShare: share },
      message:
        `${f.name} is ${rLo === 0 ? "zero" : `the constant ${fmt(rLo)}`} in all ${cellsIn} cells of ${label} ` +
        `in every month, though it varies elsewhere` +
        (burned ? ` (${label} holds ${pct(share)} of the burned area)` : ""),
      hint: `check how ${f.name} was made for ${label}`,
    });
  });
  return out;
}
