/**
 * The redundancy-cluster rules of mechanisms.md §1.6 as soft constraints: members of a cluster co-vary,
 * so a form carries at most one term per slot (one fuel-amount and one fuel-structure term, one fast and
 * one slow moisture term, one net human response, one ignition term). The offline proposer breaks a rule
 * only in a move whose hypothesis says so.
 */
import { mechanismById } from "../../../mechanisms/library.ts";
import type { Mechanism } from "../../../mechanisms/types.ts";
import { slotOf, type Slot } from "./slots.ts";

export interface RuleViolation {
  /** The rule's slot, e.g. "moisture-slow". */
  readonly slot: Slot | "human-response";
  /** The §1.6 cluster it comes from, e.g. "MOIST-slow". */
  readonly cluster: string;
  readonly members: readonly string[];
  /** The rule in words, e.g. "one slow moisture term". */
  readonly rule: string;
  /** Why the members compete for one signal. */
  readonly why: string;
}

const RULES: Readonly<Record<Slot, { cluster: string; rule: string; why: string }>> = {
  fuel: {
    cluster: "FUEL",
    rule: "at most one fuel-amount term",
    why: "GPP ≈ 2·NPP, FAPAR ≈ GPP/(PAR·LUE) and biomass is NPP integrated over years",
  },
  "fuel-structure": {
    cluster: "FUEL",
    rule: "at most one fuel-structure term",
    why: "tree-cover measures all describe the same canopy",
  },
  "moisture-fast": {
    cluster: "MOIST-fast",
    rule: "one fast moisture term",
    why: "VPD, rain, EMC and humidity are all functions of (T, RH, P) on a daily-to-weekly scale",
  },
  "moisture-slow": {
    cluster: "MOIST-slow",
    rule: "one slow moisture term",
    why: "soil moisture, the Nesterov index and accumulated deficits all integrate P − E with memory",
  },
  temperature: { cluster: "MOIST-T", rule: "one temperature term", why: "they read the same temperature" },
  ignition: { cluster: "IGN", rule: "one ignition term", why: "both read the same lightning" },
  human: {
    cluster: "HUMAN",
    rule: "one net human response",
    why: "population, GDP and cropland are collinear, and ignition↑ with suppression↓ in the same population density is one non-identifiable hump",
  },
  spread: { cluster: "SPREAD", rule: "one spread term", why: "they read the same wind" },
};

/** Terms that make up the net human response: the HUMAN cluster plus ignition terms that read people. */
function humanResponse(m: Mechanism): boolean {
  return m.cluster === "HUMAN" || (m.cluster === "IGN" && m.drivers.some((d) => d.name === "popdens"));
}

export function ruleOf(slot: Slot): { cluster: string; rule: string; why: string } {
  return RULES[slot];
}

/** The §1.6 rules a set of library mechanisms breaks (empty when it keeps them all). */
export function clusterViolations(ids: readonly string[]): RuleViolation[] {
  const ms = ids.map((id) => mechanismById(id)).filter((m): m is Mechanism => m !== undefined);
  const bySlot = new Map<Slot, string[]>();
  for (const m of ms) {
    const s = slotOf(m);
    bySlot.set(s, [...(bySlot.get(s) ?? []), m.id]);
  }
  const out: RuleViolation[] = [];
  for (const [slot, members] of bySlot) {
    if (members.length > 1) out.push({ slot, ...RULES[slot], members: [...members].sort() });
  }
  const human = ms.filter(humanResponse).map((m) => m.id);
  if (human.length > 1 && !out.some((v) => v.slot === "human")) {
    out.push({ slot: "human-response", ...RULES.human, members: human.sort() });
  }
  return out;
}

/** The words a hypothesis uses when it breaks a rule on purpose; tests and the LLM prompt look for "§1.6". */
export function breakNote(v: RuleViolation): string {
  return `breaks the §1.6 ${v.cluster} rule (${v.rule}: ${v.members.join(", ")})`;
}
