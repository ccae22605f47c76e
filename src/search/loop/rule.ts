/**
 * The frame's comparison rule, used twice: during the search a candidate is kept when it beats the
 * incumbent on validation (Overall up by more than win.keepMargin); on the holdout the winner must beat a
 * baseline (Overall up by more than win.margin). Both times no compared component of the objective region
 * may be worse by more than win.tolerance.
 */
import type { ScoreSummary } from "../../bench/summary.ts";
import type { Frame } from "../frame/schema.ts";

export interface Comparison {
  readonly pass: boolean;
  readonly overallGain: number | null;
  readonly componentGain: Record<string, number | null>;
  readonly reason: string;
}

const f3 = (x: number): string => (x >= 0 ? "+" : "") + x.toFixed(4);

export function compareScores(
  cand: ScoreSummary,
  ref: ScoreSummary,
  frame: Frame,
  margin: number,
): Comparison {
  const region = frame.metric.region;
  const a = cand.regions[region];
  const b = ref.regions[region];
  const componentGain: Record<string, number | null> = {};
  const worse: string[] = [];
  for (const k of frame.metric.components) {
    const x = a?.[k] ?? null;
    const y = b?.[k] ?? null;
    componentGain[k] = x !== null && y !== null ? x - y : null;
    if (y !== null && (x === null || x < y - frame.win.tolerance)) {
      worse.push(x === null ? `${k} missing` : `${k} ${f3(x - y)}`);
    }
  }
  const overallGain = cand.overall !== null && ref.overall !== null ? cand.overall - ref.overall : null;
  if (overallGain === null) {
    return { pass: false, overallGain, componentGain, reason: "no Overall to compare" };
  }
  if (!(overallGain > margin)) {
    return {
      pass: false,
      overallGain,
      componentGain,
      reason: `Overall ${f3(overallGain)} is not above the margin ${margin}`,
    };
  }
  if (worse.length) {
    return {
      pass: false,
      overallGain,
      componentGain,
      reason: `Overall ${f3(overallGain)}, but worse than the tolerance ${frame.win.tolerance} on ${worse.join(", ")}`,
    };
  }
  return {
    pass: true,
    overallGain,
    componentGain,
    reason: `Overall ${f3(overallGain)}, no component worse than ${frame.win.tolerance}`,
  };
}

/** Keep or discard against the incumbent (none yet: keep anything with an Overall). */
export function keepRule(cand: ScoreSummary, incumbent: ScoreSummary | null, frame: Frame): Comparison {
  if (!incumbent) {
    return cand.overall === null
      ? { pass: false, overallGain: null, componentGain: {}, reason: "no Overall" }
      : { pass: true, overallGain: null, componentGain: {}, reason: "first scored candidate" };
  }
  return compareScores(cand, incumbent, frame, frame.win.keepMargin);
}
