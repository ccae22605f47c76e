/**
 * The offline proposer: a structured search over library forms that needs no network. Every call rebuilds
 * its state from (seed, context.history, context.feedback) alone, so a resumed run proposes exactly what an
 * uninterrupted run would have. See docs/proposers.md.
 */
import { checkFormObject } from "../../../forms/check.ts";
import { COMBINERS, MAX_TERMS, type Combiner, type FormSpec } from "../../../forms/spec.ts";
import { mechanismById } from "../../../mechanisms/library.ts";
import { KilnError } from "../../../util/errors.ts";
import { Rng, deriveSeed } from "../../../util/rng.ts";
import type { CandidateEntry, Proposal, ProposalContext, Proposer } from "../../types.ts";
import { libraryFormOf, visibleHistory, type LibraryForm } from "../history.ts";
import { SetKeyCache, TriedIndex, setKey } from "../novelty.ts";
import { gatherEvidence } from "./evidence.ts";
import { generateMoves, type Move, type Parent } from "./moves.ts";
import { residualHints } from "./residuals.ts";
import { clusterViolations } from "./rules.ts";
import { readShapley } from "./shapley.ts";
import { slotTable, usable } from "./slots.ts";

export interface OfflineProposerOptions {
  readonly seed: number;
  /** Restrict the drivers the proposer may use (intersected with the dataset's, `ctx.drivers`). */
  readonly drivers?: readonly string[];
  /** Combiners to try; the first is the one templates use. Default: product, logit-sum, softmin, min. */
  readonly combiners?: readonly Combiner[];
  /** Most terms in a proposed form. Default 6 (one per broad slot). */
  readonly maxTerms?: number;
}

export const OFFLINE_DEFAULTS = {
  combiners: ["product", "logit-sum", "softmin", "min"] as readonly Combiner[],
  maxTerms: 6,
} as const;

/** Priorities are jittered by up to this much, so that the seed orders moves of similar merit. */
const JITTER = 6;

export function createOfflineProposer(opts: OfflineProposerOptions): Proposer {
  const o = checkOptions(opts);
  const cache = new SetKeyCache();
  return {
    name: "offline",
    async propose(ctx: ProposalContext): Promise<Proposal | null> {
      return proposeOffline(ctx, o, cache);
    },
  };
}

interface Options {
  seed: number;
  drivers: readonly string[] | undefined;
  combiners: readonly Combiner[];
  maxTerms: number;
}

function checkOptions(opts: OfflineProposerOptions): Options {
  const where = "offline proposer options";
  if (!Number.isInteger(opts.seed)) {
    throw new KilnError(`seed must be an integer, got ${String(opts.seed)}`, { where });
  }
  const combiners = opts.combiners ?? OFFLINE_DEFAULTS.combiners;
  if (combiners.length === 0) throw new KilnError("combiners is empty", { where, hint: "name at least one" });
  for (const c of combiners) {
    if (!(COMBINERS as readonly string[]).includes(c)) {
      throw new KilnError(`unknown combiner '${String(c)}'`, { where, hint: `use ${COMBINERS.join(", ")}` });
    }
  }
  const maxTerms = opts.maxTerms ?? OFFLINE_DEFAULTS.maxTerms;
  if (!Number.isInteger(maxTerms) || maxTerms < 1 || maxTerms > MAX_TERMS) {
    throw new KilnError(`maxTerms must be a whole number from 1 to ${MAX_TERMS}, got ${String(maxTerms)}`, {
      where,
    });
  }
  return { seed: opts.seed, drivers: opts.drivers, combiners: [...new Set(combiners)], maxTerms };
}

function proposeOffline(ctx: ProposalContext, o: Options, cache: SetKeyCache): Proposal | null {
  const history = visibleHistory(ctx.history);
  const drivers = new Set(ctx.drivers.filter((d) => !o.drivers || o.drivers.includes(d)));
  const table = slotTable(drivers);

  const forms = history.map(libraryFormOf).filter((f): f is LibraryForm => f !== null);
  const evaluated = forms
    .filter((f) => f.score !== null)
    .sort((a, b) => b.score! - a.score! || a.entry.id.localeCompare(b.entry.id));
  const parents = chooseParents(ctx, evaluated);

  const moves = generateMoves(
    {
      table,
      combiners: o.combiners,
      maxTerms: o.maxTerms,
      parents,
      evaluated,
      evidence: gatherEvidence(history),
      hints: residualHints(ctx.feedback),
      hintSource: ctx.feedback?.candidateId ?? null,
      shapley: readShapley(ctx.feedback, history),
    },
    new Rng(deriveSeed(o.seed, `restart|${digest(ctx, history)}`)),
  );

  const rng = new Rng(deriveSeed(o.seed, `order|${digest(ctx, history)}`));
  const ranked = moves
    .map((m) => ({ m, key: setKey(m.combiner, m.mechanisms), p: m.priority + JITTER * rng.next() }))
    .sort((a, b) => b.p - a.p || a.key.localeCompare(b.key));

  const tried = new TriedIndex(history, cache);
  const seen = new Set<string>();
  for (const { m, key } of ranked) {
    if (seen.has(key) || tried.hasSet(key)) continue;
    seen.add(key);
    if (m.mechanisms.length === 0 || m.mechanisms.length > o.maxTerms) continue;
    if (!m.mechanisms.every((id) => usable(mechanismById(id)!, drivers))) continue;
    // Only a move whose hypothesis says so may break a §1.6 rule.
    if (m.kind !== "cluster-break" && clusterViolations(m.mechanisms).length) continue;
    const spec = specOf(m, ctx.n);
    let form;
    try {
      form = checkFormObject(spec, `offline proposal ${ctx.n}`);
    } catch {
      continue;
    }
    if (tried.triedBy(form)) continue;
    return { spec, hypothesis: m.hypothesis, rationale: m.rationale, parentId: m.parentId };
  }
  return null;
}

/**
 * Parents for mutations: the incumbent (if it is a library form; else the best library form), the Pareto
 * members, the last candidate and the next-best forms, each less preferred the further its score is below
 * the incumbent's. Residual hints belong to the last candidate; the incumbent gets them at half weight
 * when it is another form.
 */
function chooseParents(ctx: ProposalContext, evaluated: readonly LibraryForm[]): Parent[] {
  const byId = new Map(evaluated.map((f) => [f.entry.id, f]));
  const inc = (ctx.incumbent && byId.get(ctx.incumbent.id)) ?? evaluated[0];
  if (!inc) return [];
  const last = ctx.feedback?.candidateId;
  const gap = (f: LibraryForm) => Math.min(20, Math.round(200 * Math.max(0, inc.score! - f.score!)));
  const out: Parent[] = [];
  const add = (f: LibraryForm | undefined, penalty: number) => {
    if (!f || out.some((p) => p.form.entry.id === f.entry.id)) return;
    out.push({ form: f, penalty, hintWeight: f.entry.id === last ? 1 : f === inc ? 0.5 : 0 });
  };
  add(inc, 0);
  ctx.pareto
    .map((e) => byId.get(e.id))
    .filter((f): f is LibraryForm => f !== undefined)
    .sort((a, b) => b.score! - a.score! || a.entry.id.localeCompare(b.entry.id))
    .forEach((f) => add(f, 4 + gap(f)));
  if (last) add(byId.get(last), 3 + gap(byId.get(last) ?? inc));
  evaluated.slice(0, 3).forEach((f, k) => add(f, 8 + 2 * k + gap(f)));
  return out;
}

/** What the proposal depends on, for its random streams: the candidate number, the history and the feedback. */
function digest(ctx: ProposalContext, history: readonly CandidateEntry[]): string {
  const h = history.map((e) => `${e.id}:${e.hash}:${e.status}`).join(",");
  return `${ctx.n}|${h}|${ctx.feedback?.candidateId ?? ""}`;
}

function specOf(m: Move, n: number): FormSpec {
  return {
    name: `offline-${n}-${m.kind}`,
    description: m.hypothesis.length > 2000 ? m.hypothesis.slice(0, 1997) + "…" : m.hypothesis,
    combiner: m.combiner,
    terms: m.mechanisms.map((mechanism) => ({ mechanism })),
  };
}
