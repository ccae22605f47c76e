/**
 * The moves of the offline search, each with a priority and its reasons: broad templates first, then
 * Shapley-guided pruning of the last candidate, residual-guided additions and swaps, and add / drop / swap /
 * combiner mutations of the incumbent and the Pareto members. The proposer takes the best-priority move that
 * is new (see proposer.ts); everything here is a pure function of its inputs.
 */
import type { Combiner } from "../../../forms/spec.ts";
import { mechanismById } from "../../../mechanisms/library.ts";
import type { Mechanism } from "../../../mechanisms/types.ts";
import type { Rng } from "../../../util/rng.ts";
import { fmtScore, type LibraryForm } from "../history.ts";
import { COMBINER_WHY, about, paramCount, paramsOf, parentPhrase, slotOrder } from "./describe.ts";
import { adjustment, type Evidence } from "./evidence.ts";
import type { Hint } from "./residuals.ts";
import { breakNote, clusterViolations, ruleOf } from "./rules.ts";
import { dropReason, type ShapleyReading } from "./shapley.ts";
import { BROAD_SLOTS, CORE_SLOTS, SLOT_INFO, SLOTS, slotOf, type Slot } from "./slots.ts";

export type MoveKind =
  "template" | "prune" | "drop" | "add" | "swap" | "combiner" | "cluster-break" | "restart";

export interface Move {
  readonly kind: MoveKind;
  /** Library ids in slot order. */
  readonly mechanisms: readonly string[];
  readonly combiner: Combiner;
  readonly parentId: string | null;
  readonly priority: number;
  readonly hypothesis: string;
  readonly rationale: string;
}

/** A parent for mutations, with how much less its mutations are preferred than the incumbent's. */
export interface Parent {
  readonly form: LibraryForm;
  readonly penalty: number;
  /** Weight of the residual hints for this parent's mutations: 1 for the last candidate, less for others. */
  readonly hintWeight: number;
}

export interface MoveInputs {
  readonly table: ReadonlyMap<Slot, readonly Mechanism[]>;
  readonly combiners: readonly Combiner[];
  readonly maxTerms: number;
  readonly parents: readonly Parent[];
  /** Library forms evaluated so far (by this or any proposer), best first. */
  readonly evaluated: readonly LibraryForm[];
  readonly evidence: Evidence;
  readonly hints: readonly Hint[];
  /** The candidate the hints were read from (the last one). */
  readonly hintSource: string | null;
  readonly shapley: ShapleyReading | null;
}

/** Base priorities: a broad start, then pruning, then residual-guided and plain mutations. */
const P = {
  broadFirst: 100,
  broadLater: 60,
  pruneMany: 96,
  pruneOne: 92,
  pruneShared: 80,
  shapleySwap: 58,
  broadSecond: 55,
  add: 50,
  core: 45,
  swap: 40,
  drop: 30,
  logitSum: 32,
  softmin: 24,
  min: 18,
  clusterBreak: 12,
  restart: 4,
} as const;

const COMBINER_PRIORITY: Readonly<Record<Combiner, number>> = {
  product: P.logitSum,
  "logit-sum": P.logitSum,
  softmin: P.softmin,
  min: P.min,
};

/** Slot adjustments for additions: a second fuel term is structure (secondary); monthly wind is weak (§1.5). */
const ADD_SLOT_ADJUST: Partial<Record<Slot, number>> = { "fuel-structure": -4, spread: -12 };

const BREAK_WHY: Partial<Record<Slot, string>> = {
  fuel: "monthly productivity (this season's phenology) and standing biomass or antecedent productivity (fuel built up over years) may carry different signals",
  "moisture-slow":
    "two drought indices with different memory (a soil bucket and an accumulated deficit) may both matter where dry seasons differ in length",
  "moisture-fast":
    "humidity-driven fuel dryness and rain suppression act on different days of the month and may both matter",
  human:
    "ignitions that rise with people and suppression that falls with them may need separate terms where the net response is a hump",
};

export function generateMoves(inp: MoveInputs, rng: Rng): Move[] {
  const moves: Move[] = [];
  moves.push(...templates(inp));
  if (inp.shapley) moves.push(...shapleyMoves(inp, inp.shapley));
  for (const p of inp.parents) moves.push(...mutations(inp, p));
  moves.push(...restarts(inp, rng));
  return moves;
}

function hintFor(inp: MoveInputs, slot: Slot, parent: Parent): { bonus: number; reasons: string[] } {
  if (parent.hintWeight <= 0) return { bonus: 0, reasons: [] };
  const hs = inp.hints.filter((h) => h.slot === slot);
  const bonus = Math.round(parent.hintWeight * hs.reduce((s, h) => s + h.bonus, 0));
  const from =
    parent.hintWeight < 1 && inp.hintSource ? ` (seen in ${inp.hintSource}, the last candidate)` : "";
  return { bonus, reasons: hs.map((h) => h.reason + from) };
}

/** "a", "a and b", "a, b and c". */
function listText(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

function sentence(parts: readonly string[]): string {
  return parts
    .filter((s) => s.trim() !== "")
    .map((s) => {
      const t = s.trim();
      // Identifiers (vdw_gpp_gate, c0007) keep their case.
      const first = t.split(/[\s:,(]/)[0];
      const cap = /[_\d]/.test(first) ? t : t[0].toUpperCase() + t.slice(1);
      return /[.!?]$/.test(cap) ? cap : cap + ".";
    })
    .join(" ");
}

// ---------------------------------------------------------------------------------------------- templates

/** One mechanism per slot, the `choice`-th of each slot's list when it keeps the §1.6 rules, else the next. */
function fill(inp: MoveInputs, slots: readonly Slot[], choice: number): string[] {
  const out: string[] = [];
  for (const s of slots) {
    if (out.length >= inp.maxTerms) break;
    const list = inp.table.get(s) ?? [];
    const order = list.map((_, k) => list[(Math.min(choice, list.length - 1) + k) % list.length]);
    const ok = order.find((m) => clusterViolations([...out, m.id]).length === 0);
    if (ok) out.push(ok.id);
  }
  return out;
}

function templates(inp: MoveInputs): Move[] {
  const combiner = inp.combiners[0];
  const a = fill(inp, BROAD_SLOTS, 0);
  const b = fill(inp, BROAD_SLOTS, 1);
  const out: Move[] = [];
  if (a.length === 0) return out;
  const listSlots = (ids: readonly string[]) =>
    slotOrder(ids)
      .map((id) => `${SLOT_INFO[slotOf(mechanismById(id)!)].label} (${id})`)
      .join(", ");
  const priors = (ids: readonly string[]) =>
    slotOrder(ids)
      .map((id) => `${id}: ${about(id)}`)
      .join("; ");
  out.push({
    kind: "template",
    mechanisms: slotOrder(a),
    combiner,
    parentId: null,
    // The broad start leads only on an empty ledger; once forms are scored, their feedback leads.
    priority: inp.evaluated.length === 0 ? P.broadFirst : P.broadLater,
    hypothesis: `Burned area is limited multiplicatively by one control per regime: ${listSlots(a)}.`,
    rationale: sentence([
      `A broad first form, as in the multiplicative global fire models (CLM, SPITFIRE, INFERNO, ConFire): for each control, the best-supported library mechanism that this dataset's drivers allow — ${priors(a)}`,
      `One term per §1.6 cluster, so no two terms compete for one signal; ${paramCount(a, combiner)} parameters at library bounds`,
      `Shapley on this form will show which controls carry weight, and the next steps prune the rest`,
    ]),
  });
  const changed = b.filter((id) => !a.includes(id));
  if (changed.length >= 2) {
    const swaps = slotOrder(changed).map((id) => {
      const s = slotOf(mechanismById(id)!);
      const old = a.find((x) => slotOf(mechanismById(x)!) === s);
      return `${old ?? "nothing"} → ${id}`;
    });
    out.push({
      kind: "template",
      mechanisms: slotOrder(b),
      combiner,
      parentId: null,
      priority: P.broadSecond,
      hypothesis: `The alternative mechanism in each slot describes fire better: ${swaps.join(", ")}.`,
      rationale: sentence([
        `A contrasting broad form with each slot's second-best-supported mechanism (${priors(changed)})`,
        `Comparing it with the first broad form tells early whether the first choices matter, before refining one slot at a time`,
      ]),
    });
  }
  // The lean core of the best broad form evaluated so far (else of the first).
  const best = inp.evaluated.find((f) => sameSet(f.mechanisms, a) || sameSet(f.mechanisms, b));
  const base = best ? [...best.mechanisms] : a;
  const core = base.filter((id) => CORE_SLOTS.includes(slotOf(mechanismById(id)!)));
  if (core.length >= 2 && core.length < base.length) {
    out.push({
      kind: "template",
      mechanisms: slotOrder(core),
      combiner,
      parentId: best ? best.entry.id : null,
      priority: P.core,
      hypothesis: `The controls nearly every fire model shares suffice: ${listSlots(core)}; fast moisture and ignitions add parameters without signal.`,
      rationale: sentence([
        `A lean form (${paramCount(core, combiner)} parameters) for the parsimony end of the Pareto front${best ? `, the core of ${parentPhrase(best)}` : ""}`,
        `PySR's best rule prefers it if it loses little against the broad forms`,
      ]),
    });
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

// ------------------------------------------------------------------------------------------------ shapley

function shapleyMoves(inp: MoveInputs, sh: ShapleyReading): Move[] {
  const form = inp.evaluated.find((f) => f.entry.id === sh.candidate.id);
  if (!form) return [];
  const S = form.mechanisms;
  const out: Move[] = [];
  const weak = sh.weak.filter((w) => w.mechanism !== null && S.includes(w.mechanism));
  const drop = (ids: readonly string[], priority: number, reasons: string[]): Move => {
    const kept = S.filter((m) => !ids.includes(m));
    const saved = paramCount(S, form.combiner) - paramCount(kept, form.combiner);
    return {
      kind: "prune",
      mechanisms: slotOrder(kept),
      combiner: form.combiner,
      parentId: form.entry.id,
      priority,
      hypothesis: `${listText(ids)} ${ids.length > 1 ? "are" : "is"} redundant in ${form.entry.id}: the form without ${ids.length > 1 ? "them" : "it"} keeps its score with ${saved} fewer parameters.`,
      rationale: sentence([...reasons, `Shapley-guided pruning of ${parentPhrase(form)}`]),
    };
  };
  if (weak.length >= 2 && weak.length < S.length) {
    out.push(
      drop(
        weak.map((w) => w.mechanism!),
        P.pruneMany,
        weak.map((w) => `drop ${w.mechanism}: ${dropReason(w)}`),
      ),
    );
  }
  for (const w of weak) {
    if (S.length < 2) break;
    out.push(
      drop([w.mechanism!], P.pruneOne - 20 * Math.max(0, w.share), [`drop ${w.mechanism}: ${dropReason(w)}`]),
    );
    // A weak mechanism may be the wrong choice for a slot that matters: try the slot's next candidate.
    const m = mechanismById(w.mechanism!)!;
    const alt = (inp.table.get(slotOf(m)) ?? []).find((x) => !S.includes(x.id));
    if (alt) {
      const next = slotOrder([...S.filter((x) => x !== m.id), alt.id]);
      out.push({
        kind: "swap",
        mechanisms: next,
        combiner: form.combiner,
        parentId: form.entry.id,
        priority: P.shapleySwap,
        hypothesis: `${m.id} is the wrong ${SLOT_INFO[slotOf(m)].label} mechanism for ${form.entry.id}, not the wrong control: ${alt.id} carries it better.`,
        rationale: sentence([
          `${m.id} does little in ${form.entry.id}: ${dropReason(w)}`,
          `Before giving up the ${SLOT_INFO[slotOf(m)].label} control, try ${alt.id}: ${about(alt.id)}`,
        ]),
      });
    }
  }
  // A mechanism whose work is mostly shared with a partner (interaction beyond half its φ).
  for (const p of sh.players) {
    if (p.mechanism === null || !S.includes(p.mechanism) || weak.includes(p) || S.length < 2) continue;
    if (p.interaction === null || !(p.phi > 0) || -p.interaction < 0.5 * p.phi) continue;
    const partner = sh.players.find((q) => q.player === p.partner);
    if (partner && partner.phi < p.phi) continue; // the weaker of the pair goes
    out.push(
      drop([p.mechanism], P.pruneShared, [
        `drop ${p.mechanism}: its interaction with ${p.partner} (${p.interaction.toFixed(3)}) is more than half its φ (${p.phi.toFixed(3)}), so the two carry largely one signal and ${p.partner} carries more of it`,
      ]),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- mutations

function mutations(inp: MoveInputs, parent: Parent): Move[] {
  const f = parent.form;
  const S = f.mechanisms;
  const present = new Map<Slot, string[]>();
  for (const id of S) {
    const s = slotOf(mechanismById(id)!);
    present.set(s, [...(present.get(s) ?? []), id]);
  }
  const out: Move[] = [];
  const base = (k: number) => k - parent.penalty;

  // Add a control from a slot the parent does not represent.
  if (S.length < inp.maxTerms) {
    for (const slot of SLOTS) {
      if (present.has(slot)) continue;
      (inp.table.get(slot) ?? []).slice(0, 2).forEach((m, rank) => {
        const h = hintFor(inp, slot, parent);
        const ev = adjustment(inp.evidence.added.get(m.id), inp.evidence.dropped.get(m.id));
        const crash = inp.evidence.crashedWith.has(m.id) ? -20 : 0;
        out.push({
          kind: "add",
          mechanisms: slotOrder([...S, m.id]),
          combiner: f.combiner,
          parentId: f.entry.id,
          priority: base(P.add) - 5 * rank + (ADD_SLOT_ADJUST[slot] ?? 0) + h.bonus + ev.value + crash,
          hypothesis: `Adding ${m.id} to ${f.entry.id} captures ${SLOT_INFO[slot].controls}, which no term of ${f.entry.id} describes.`,
          rationale: sentence([
            `${parentPhrase(f)} has no ${SLOT_INFO[slot].label} term`,
            `${m.id}: ${about(m.id)}; it adds ${paramsOf(m.id)} parameter${paramsOf(m.id) === 1 ? "" : "s"}`,
            ...h.reasons,
            ev.note,
          ]),
        });
      });
    }
  }

  // Drop one term: a parsimony probe.
  if (S.length > 1) {
    for (const id of S) {
      const ev = adjustment(inp.evidence.dropped.get(id), inp.evidence.added.get(id));
      out.push({
        kind: "drop",
        mechanisms: slotOrder(S.filter((x) => x !== id)),
        combiner: f.combiner,
        parentId: f.entry.id,
        priority: base(P.drop) + (S.length >= 5 ? 5 : 0) + ev.value,
        hypothesis: `${id} does no real work in ${f.entry.id}: without it the form scores as well with ${paramsOf(id)} fewer parameters.`,
        rationale: sentence([
          `A parsimony probe on ${parentPhrase(f)}: if the score holds, PySR's best rule prefers the smaller form`,
          ev.note,
        ]),
      });
    }
  }

  // Swap a term for another member of its slot.
  for (const id of S) {
    const m = mechanismById(id)!;
    const slot = slotOf(m);
    const h = hintFor(inp, slot, parent);
    (inp.table.get(slot) ?? [])
      .filter((x) => !S.includes(x.id))
      .forEach((alt, rank) => {
        const ev = adjustment(inp.evidence.swappedIn.get(alt.id), inp.evidence.swappedOut.get(alt.id));
        const crash = inp.evidence.crashedWith.has(alt.id) ? -20 : 0;
        const notes: string[] = [];
        let special = 0;
        const hasMoisture = S.some((x) => {
          const s = slotOf(mechanismById(x)!);
          return s === "moisture-slow" || s === "moisture-fast";
        });
        if (id === "vdw_gpp_gate" && alt.id === "antecedent_fuel_buildup" && hasMoisture) {
          special = 6;
          notes.push(
            "§1.6 (PROD × MOIST): in the burning month GPP is low because it is dry, so a monthly GPP gate partly encodes dryness; lagged GPP keeps fuel and dryness separable",
          );
        }
        out.push({
          kind: "swap",
          mechanisms: slotOrder([...S.filter((x) => x !== id), alt.id]),
          combiner: f.combiner,
          parentId: f.entry.id,
          priority: base(P.swap) - 3 * rank + special + Math.round(0.7 * h.bonus) + ev.value + crash,
          hypothesis: `${alt.id} describes the ${SLOT_INFO[slot].label} control better than ${id} in ${f.entry.id}.`,
          rationale: sentence([
            `${alt.id}: ${about(alt.id)}. It replaces ${id} (${about(id)}) in ${parentPhrase(f)}, keeping one ${ruleOf(slot).cluster} term`,
            ...notes,
            ...h.reasons,
            ev.note,
          ]),
        });
      });
  }

  // Change the combiner (once there is something to compare against).
  if (inp.evaluated.length >= 2) {
    for (const c of inp.combiners) {
      if (c === f.combiner) continue;
      const ev = adjustment(inp.evidence.combiner.get(c));
      out.push({
        kind: "combiner",
        mechanisms: slotOrder(S),
        combiner: c,
        parentId: f.entry.id,
        priority: base(COMBINER_PRIORITY[c]) + ev.value,
        hypothesis: `The controls of ${f.entry.id} combine as ${c} rather than ${f.combiner}.`,
        rationale: sentence([`${c}: ${COMBINER_WHY[c]}`, `Same mechanisms as ${parentPhrase(f)}`, ev.note]),
      });
    }
  }

  // Break a §1.6 rule on purpose, with the hypothesis that says why (only from a rule-respecting parent).
  if (inp.evaluated.length >= 4 && S.length < inp.maxTerms && clusterViolations(S).length === 0) {
    for (const [slot, ids] of present) {
      const why = BREAK_WHY[slot];
      if (!why || ids.length !== 1) continue;
      const alt = (inp.table.get(slot) ?? []).find((x) => !S.includes(x.id));
      if (!alt) continue;
      const next = [...S, alt.id];
      const v = clusterViolations(next)[0];
      if (!v) continue;
      const h = hintFor(inp, slot, parent);
      out.push({
        kind: "cluster-break",
        mechanisms: slotOrder(next),
        combiner: f.combiner,
        parentId: f.entry.id,
        priority: base(P.clusterBreak) + Math.round(0.5 * h.bonus),
        hypothesis: `${alt.id} and ${ids[0]} carry different signals although both are ${SLOT_INFO[slot].label} terms; this ${breakNote(v)} on purpose: ${why}.`,
        rationale: sentence([
          `${alt.id}: ${about(alt.id)}, added to ${parentPhrase(f)}`,
          `The §1.6 rule exists because ${v.why}; if the two are redundant here, Shapley will show a negative interaction and the next step drops one`,
          ...h.reasons,
        ]),
      });
    }
  }
  return out;
}

// ----------------------------------------------------------------------------------------------- restarts

/** Rule-respecting random fills of the broad slots: the fallback once the neighbourhoods are exhausted. */
function restarts(inp: MoveInputs, rng: Rng): Move[] {
  const out: Move[] = [];
  const combiner = inp.combiners[0];
  for (let k = 0; k < 24; k++) {
    const ids: string[] = [];
    for (const s of BROAD_SLOTS) {
      const list = inp.table.get(s) ?? [];
      if (list.length && rng.next() < 0.7) ids.push(rng.pick(list).id);
    }
    const set = ids.slice(0, inp.maxTerms);
    if (set.length < 2 || clusterViolations(set).length) continue;
    out.push({
      kind: "restart",
      mechanisms: slotOrder(set),
      combiner,
      parentId: null,
      priority: P.restart + rng.next(),
      hypothesis: `An untried combination of controls may do better than the refined ones: ${slotOrder(set).join(", ")}.`,
      rationale: sentence([
        `The neighbourhoods of the incumbent and the Pareto members are exhausted, so this restarts from a new rule-respecting template (one mechanism per slot, ${paramCount(set, combiner)} parameters): ${slotOrder(
          set,
        )
          .map((id) => `${id}: ${about(id)}`)
          .join("; ")}`,
        inp.evaluated.length
          ? `The best so far is ${inp.evaluated[0].entry.id} at ${fmtScore(inp.evaluated[0].score)}`
          : "",
      ]),
    });
  }
  return out;
}
