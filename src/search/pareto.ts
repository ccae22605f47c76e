/**
 * The Pareto front of validation Overall against parameter count, and PySR's rules for picking one form
 * from it (Cranmer 2023; mechanisms.md §3.4). Loss is 1 − Overall (Overall is at most 1, higher better).
 *
 * PySR's score of front member i (fewest parameters first) is −Δlog(loss)/Δcomplexity against member
 * i − 1 (0 for the first). "best" takes the highest score among members whose loss is at most
 * `lossFactor` (1.5) × the least loss; "accuracy" takes the least loss.
 *
 * PySR's first member scores 0 because it is a constant; here the simplest form is a real candidate, so
 * any gain at all would make a larger form outscore it. `minGain` keeps a form off the front unless it
 * beats every simpler member by more than that (a gain inside the refit noise does not buy parameters).
 */
import type { CandidateEntry } from "./types.ts";

export interface FrontPoint<T> {
  readonly item: T;
  readonly complexity: number;
  readonly overall: number;
  readonly loss: number;
  /** PySR's score against the previous (simpler) member. */
  readonly score: number;
}

/**
 * Members that no other item beats: the best Overall at each parameter count that is better than every
 * simpler member's by more than `minGain` (0: any gain). Ties keep the earliest item. Items without a
 * finite Overall are left out.
 */
export function paretoFront<T>(
  items: readonly T[],
  measure: (t: T) => { complexity: number; overall: number | null },
  minGain = 0,
): FrontPoint<T>[] {
  const pts = items
    .map((item, order) => ({ item, order, ...measure(item) }))
    .filter((p): p is typeof p & { overall: number } => p.overall !== null && Number.isFinite(p.overall))
    .sort((a, b) => a.complexity - b.complexity || b.overall - a.overall || a.order - b.order);
  const front: FrontPoint<T>[] = [];
  let best = -Infinity;
  for (const p of pts) {
    if (!(p.overall > best + minGain)) continue;
    best = p.overall;
    const loss = 1 - p.overall;
    const prev = front[front.length - 1];
    let score = 0;
    if (prev) {
      const dc = Math.max(1, p.complexity - prev.complexity);
      score = loss <= 0 || prev.loss <= 0 ? Infinity : Math.max(0, -Math.log(loss / prev.loss) / dc);
    }
    front.push({ item: p.item, complexity: p.complexity, overall: p.overall, loss, score });
  }
  return front;
}

/** PySR's model_selection="best": the top score among members with loss ≤ lossFactor × least loss. */
export function pickBest<T>(front: readonly FrontPoint<T>[], lossFactor = 1.5): FrontPoint<T> | null {
  if (front.length === 0) return null;
  const minLoss = Math.min(...front.map((p) => p.loss));
  let pick: FrontPoint<T> | null = null;
  for (const p of front) {
    if (p.loss > lossFactor * minLoss) continue;
    if (!pick || p.score > pick.score) pick = p;
  }
  return pick;
}

/** PySR's model_selection="accuracy": the least loss (the most complex member of the front). */
export function pickAccuracy<T>(front: readonly FrontPoint<T>[]): FrontPoint<T> | null {
  return front.length ? front[front.length - 1] : null;
}

/** The front of ledger candidates by validation Overall and parameter count (crashes and repeats left out). */
export function candidateFront(
  candidates: readonly CandidateEntry[],
  minGain = 0,
): FrontPoint<CandidateEntry>[] {
  return paretoFront(
    candidates.filter((c) => c.status !== "crash" && !c.repeatOf),
    (c) => ({ complexity: c.nParams, overall: c.validation?.overall ?? null }),
    minGain,
  );
}

/** The default winner among non-baseline candidates, by the frame's pick rule. */
export function pickWinner(
  candidates: readonly CandidateEntry[],
  rule: "best" | "accuracy",
  lossFactor = 1.5,
  minGain = 0,
): CandidateEntry | null {
  const mine = candidates.filter((c) => c.origin === "proposer" || c.origin === "pruned");
  const p =
    rule === "best"
      ? pickBest(candidateFront(mine, minGain), lossFactor)
      : pickAccuracy(candidateFront(mine));
  return p?.item ?? null;
}
