/** Words for proposals: how a mechanism, a set and a parent are named in hypotheses and rationales. */
import { mechanismById } from "../../../mechanisms/library.ts";
import type { Combiner } from "../../../forms/spec.ts";
import { fmtScore, type LibraryForm } from "../history.ts";
import { PRIOR, SLOT_INFO, SLOTS, shortCite, slotOf } from "./slots.ts";

/** Why a fire modeller would consider the mechanism (its prior), or its name and citation. */
export function about(id: string): string {
  const m = mechanismById(id);
  if (!m) return id;
  return PRIOR[id] ?? `${m.name.toLowerCase()} (${shortCite(m)})`;
}

export function slotLabel(id: string): string {
  const m = mechanismById(id);
  return m ? SLOT_INFO[slotOf(m)].label : "custom";
}

/** Parameters of a library form: the global scale (and tau for softmin) plus each mechanism's. */
export function paramCount(ids: readonly string[], combiner: Combiner): number {
  let n = combiner === "softmin" ? 2 : 1;
  for (const id of ids) n += mechanismById(id)?.params.length ?? 0;
  return n;
}

export function paramsOf(id: string): number {
  return mechanismById(id)?.params.length ?? 0;
}

/** Terms in slot order (fuel first, spread last), then by id: the order a modeller writes them. */
export function slotOrder(ids: readonly string[]): string[] {
  const rank = (id: string) => {
    const m = mechanismById(id);
    return m ? SLOTS.indexOf(slotOf(m)) : SLOTS.length;
  };
  return [...ids].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function parentPhrase(p: LibraryForm): string {
  const n = paramCount(p.mechanisms, p.combiner);
  return `${p.entry.id} (validation Overall ${fmtScore(p.score)}, ${n} parameters, ${p.combiner} of ${slotOrder(p.mechanisms).join(", ")})`;
}

export const COMBINER_WHY: Readonly<Record<Combiner, string>> = {
  product:
    "the multiplicative limitation of GlobFIRM, CLM, INFERNO and ConFire: each control scales burned area on its own",
  "logit-sum":
    "the logit-additive GLM form (Bistinas et al. 2014) saturates jointly rather than factor by factor; it differs from the product where burned fraction is high, as in savannas",
  softmin:
    "a soft Liebig minimum: the most limiting control decides, with a fitted temperature τ between the minimum and the mean (refits dropping a term do not nest exactly)",
  min: "Liebig's law taken literally: only the most limiting control counts (refits dropping a term do not nest)",
};
