/**
 * Residual-guided choices: where and how the last candidate fails (worst regions, the weakest score
 * component there, months of largest error) points at the slot to change. A poor seasonal cycle in the
 * worst regions suggests a moisture term; a poor bias, the fuel or human amount; a poor spatial pattern,
 * fuel structure or people; boreal regions at the bottom, ignition and temperature.
 */
import type { Feedback } from "../../types.ts";
import { fmtScore } from "../history.ts";
import type { Slot } from "./slots.ts";

export interface Hint {
  readonly slot: Slot;
  readonly bonus: number;
  readonly reason: string;
}

const BOREAL = new Set(["bona", "boas"]);
const CROPPED = new Set(["ceas", "seas", "euro", "tena"]);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface RegionRow {
  region: string;
  overall: number | null;
  bias: number | null;
  seasonal: number | null;
  spatial: number | null;
}

function mean(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** The worst regions with their components: from the feedback's residuals, else from the score vector. */
function worstRegions(fb: Feedback): RegionRow[] {
  const val = fb.validation;
  const regions = val?.regions ?? {};
  const rows = (fb.residuals?.worstRegions ?? []).map((w) => ({
    region: w.region,
    overall: w.overall,
    bias: w.bias ?? regions[w.region]?.bias ?? null,
    seasonal: w.seasonal ?? regions[w.region]?.seasonal ?? null,
    spatial: regions[w.region]?.spatial ?? null,
  }));
  if (rows.length || !val) return rows.slice(0, 3);
  return Object.entries(regions)
    .filter(([r]) => r !== val.region && r !== "global")
    .map(([region, s]) => ({
      region,
      overall: s.overall[val.convention],
      bias: s.bias,
      seasonal: s.seasonal,
      spatial: s.spatial,
    }))
    .filter((r) => r.overall !== null)
    .sort((a, b) => a.overall! - b.overall! || a.region.localeCompare(b.region))
    .slice(0, 3);
}

export function residualHints(fb: Feedback | null): Hint[] {
  if (!fb || fb.status === "crash" || !fb.validation) return [];
  const val = fb.validation;
  const head = val.regions[val.region] ?? val.regions.global;
  const worst = worstRegions(fb);
  const hints: Hint[] = [];
  if (!head || worst.length === 0) return hints;
  const names = (pick: (r: RegionRow) => number | null) =>
    worst.map((r) => `${r.region} ${fmtScore(pick(r))}`).join(", ");

  const gaps: { kind: "seasonal" | "bias" | "spatial"; gap: number; text: string }[] = [];
  const ws = mean(worst.map((r) => r.seasonal));
  if (ws !== null && head.seasonal !== null) {
    gaps.push({
      kind: "seasonal",
      gap: head.seasonal - ws,
      text: `the seasonal-cycle score in the worst regions (${names((r) => r.seasonal)}) averages ${fmtScore(ws)} against ${fmtScore(head.seasonal)} for ${val.region}`,
    });
  }
  const wb = mean(worst.map((r) => r.bias));
  if (wb !== null && head.bias !== null) {
    gaps.push({
      kind: "bias",
      gap: head.bias - wb,
      text: `the bias score in the worst regions (${names((r) => r.bias)}) averages ${fmtScore(wb)} against ${fmtScore(head.bias)} for ${val.region}`,
    });
  }
  const wp = mean(worst.map((r) => r.spatial));
  if (wp !== null && head.spatial !== null) {
    gaps.push({
      kind: "spatial",
      gap: head.spatial - wp,
      text: `the spatial-distribution score in the worst regions (${names((r) => r.spatial)}) averages ${fmtScore(wp)} against ${fmtScore(head.spatial)} for ${val.region}`,
    });
  }
  gaps.sort((a, b) => b.gap - a.gap);
  const main = gaps[0];
  if (main && main.gap > 0.05) {
    if (main.kind === "seasonal") {
      const why = `${main.text}: fire comes in the wrong months, which a moisture term sets`;
      hints.push({ slot: "moisture-fast", bonus: 15, reason: why });
      hints.push({ slot: "moisture-slow", bonus: 10, reason: why });
      hints.push({
        slot: "fuel",
        bonus: 6,
        reason: `${main.text}: monthly GPP is low in the burning month because it is dry, so a lagged fuel term keeps fuel and dryness apart (§1.6)`,
      });
    } else if (main.kind === "bias") {
      const why = `${main.text}: the amount burned is off, which fuel and people set`;
      hints.push({ slot: "fuel", bonus: 12, reason: why });
      hints.push({ slot: "human", bonus: 10, reason: why });
    } else {
      const why = `${main.text}: fire is in the wrong places, which fuel amount, fuel structure and people set`;
      hints.push({ slot: "fuel-structure", bonus: 12, reason: why });
      hints.push({ slot: "human", bonus: 8, reason: why });
      hints.push({ slot: "fuel", bonus: 6, reason: why });
    }
  }

  const months = fb.residuals?.worstMonths ?? [];
  if (months.length) {
    const over = months.filter((m) => m.model > m.reference);
    const list = (ms: typeof months) =>
      ms
        .slice(0, 3)
        .map(
          (m) =>
            `${m.region} ${MONTHS[(m.month - 1 + 12) % 12]} (model ${m.model.toPrecision(2)} vs ${m.reference.toPrecision(2)})`,
        )
        .join(", ");
    if (over.length * 2 > months.length) {
      hints.push({
        slot: "moisture-fast",
        bonus: 10,
        reason: `the model burns too much in ${list(over)}: a fast fuel-moisture limit would hold fire back in months when fine fuels are not yet dry`,
      });
    } else {
      const under = months.filter((m) => m.model <= m.reference);
      hints.push({
        slot: "fuel",
        bonus: 6,
        reason: `the model misses fire in ${list(under)}: fuel built up in the previous season may be missing`,
      });
      hints.push({
        slot: "ignition",
        bonus: 4,
        reason: `the model misses fire in ${list(under)}: ignitions may limit there`,
      });
    }
  }

  const boreal = worst.filter((r) => BOREAL.has(r.region)).map((r) => r.region);
  if (boreal.length) {
    const why = `${boreal.join(" and ")} ${boreal.length > 1 ? "are" : "is"} among the worst regions, and boreal fire is limited by ignitions and a short warm season`;
    hints.push({ slot: "ignition", bonus: 8, reason: why });
    hints.push({ slot: "temperature", bonus: 8, reason: why });
  }
  const cropped = worst.filter((r) => CROPPED.has(r.region)).map((r) => r.region);
  if (cropped.length) {
    hints.push({
      slot: "human",
      bonus: 6,
      reason: `${cropped.join(" and ")} ${cropped.length > 1 ? "are" : "is"} among the worst regions, where people and cropland shape fire (Andela et al. 2017)`,
    });
  }
  return hints;
}
