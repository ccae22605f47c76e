/**
 * Aggregation conventions: the ways of folding one region's component scores into one Overall number.
 * All are computed; the caller picks one. They can rank models differently (origin.md, third lesson).
 */
import { KilnError } from "../util/errors.ts";
import { SCALAR, type RegionResult, type ScoreResult } from "./types.ts";

export const CONVENTIONS = ["ilamb-2.7", "ilamb-2.5", "mean4", "ilamb3", "min"] as const;
export type Convention = (typeof CONVENTIONS)[number];

export const CONVENTION_HELP: Readonly<Record<Convention, string>> = {
  "ilamb-2.7": "ILAMB 2.6–2.7: (Bias + 2·RMSE + Seasonal + Spatial) / 5",
  "ilamb-2.5": "ILAMB ≤ 2.5: IAV included, (Bias + 2·RMSE + Seasonal + Spatial + IAV) / 6",
  mean4: "equal weights: (Bias + RMSE + Seasonal + Spatial) / 4",
  ilamb3:
    "ilamb3-style: equal-weight mean with the linear seasonal score 1 − |shift months|/6 and a proper Pearson spatial correlation",
  min: "the worst of Bias, RMSE, Seasonal, Spatial",
};

export function isConvention(name: string): name is Convention {
  return (CONVENTIONS as readonly string[]).includes(name);
}

export function parseConvention(name: string): Convention {
  if (!isConvention(name)) {
    throw new KilnError(`unknown aggregation convention '${name}'`, {
      hint: `use one of: ${CONVENTIONS.join(", ")}`,
    });
  }
  return name;
}

/**
 * One region's Overall under a convention. A component ILAMB skipped (no cycle under 12 months, no RMSE
 * for one step) is left out as ILAMB leaves it out; a NaN component makes the result NaN, as in ILAMB.
 */
export function aggregateRegion(r: RegionResult, convention: Convention): number {
  const s = r.scalars;
  const c = r.components;
  const has = (name: string) => name in s;
  const parts: [number, number][] = []; // [weight, score]
  const add = (present: boolean, w: number, v: number) => {
    if (present) parts.push([w, v]);
  };
  switch (convention) {
    case "ilamb-2.7":
    case "ilamb-2.5":
      add(true, 1, c.bias);
      add(has(SCALAR.rmseScore), 2, c.rmse);
      add(has(SCALAR.seasonalScore), 1, c.seasonal);
      add(true, 1, c.spatial);
      if (convention === "ilamb-2.5") add(true, 1, c.iav);
      break;
    case "mean4":
      add(true, 1, c.bias);
      add(has(SCALAR.rmseScore), 1, c.rmse);
      add(has(SCALAR.seasonalScore), 1, c.seasonal);
      add(true, 1, c.spatial);
      break;
    case "ilamb3":
      add(true, 1, c.bias);
      add(has(SCALAR.rmseScore), 1, c.rmse);
      add(has(SCALAR.seasonalScore), 1, c.seasonalLinear);
      add(true, 1, c.spatialPearson);
      break;
    case "min": {
      const four: [boolean, number][] = [
        [true, c.bias],
        [has(SCALAR.rmseScore), c.rmse],
        [has(SCALAR.seasonalScore), c.seasonal],
        [true, c.spatial],
      ];
      let m = Infinity;
      for (const [present, v] of four) if (present) m = Math.min(m, v);
      return m;
    }
  }
  let num = 0;
  let den = 0;
  for (const [w, v] of parts) {
    num += w * v;
    den += w;
  }
  return num / den;
}

/** The Overall of `region` (default global) under `convention` (default ILAMB 2.7's). */
export function aggregate(
  result: ScoreResult,
  convention: Convention = "ilamb-2.7",
  region = "global",
): number {
  return aggregateRegion(regionOf(result, region), convention);
}

/** Every convention for one region. */
export function allConventions(result: ScoreResult, region = "global"): Record<Convention, number> {
  const r = regionOf(result, region);
  const out = {} as Record<Convention, number>;
  for (const k of CONVENTIONS) out[k] = aggregateRegion(r, k);
  return out;
}

export function regionOf(result: ScoreResult, region: string): RegionResult {
  const r = result.regions.find((x) => x.region === region);
  if (!r) {
    throw new KilnError(`region '${region}' was not scored`, {
      hint: `scored regions: ${result.regions.map((x) => x.region).join(", ")}`,
    });
  }
  return r;
}
