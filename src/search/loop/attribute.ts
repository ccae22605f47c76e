/**
 * The Shapley step on one candidate: the refit game over its mechanisms (src/ablate attributeForm, on
 * the validation and the training years), the pruning rule, and the reduced form as a new candidate
 * (origin "pruned"), fitted with the run's full budget from the candidate's own parameters. Entries are
 * written in that order (shapley, prune, candidate); a step cut short by a kill is completed on resume
 * from what the ledger holds (the coalition fits resume from the run's shapley.sqlite).
 */
import { checkFormObject } from "../../forms/check.ts";
import type { Form } from "../../forms/form.ts";
import { deriveSeed } from "../../util/rng.ts";
import type { LedgerEntry, PruneEntry, ShapleyEntry } from "../ledger/entries.ts";
import type { CandidateEntry } from "../types.ts";
import { evaluateCandidate, type EvalContext } from "./evaluate.ts";
import { evaluatedHash, nextCandidateId, type LoopState } from "./state.ts";

/** A form whose terms can each be switched off (an identity point), with at least two terms. */
export function shapleyEligible(form: Form): boolean {
  return form.terms.length >= 2 && form.terms.every((t) => t.identity !== null);
}

/** Is the candidate's Shapley step complete in the ledger? */
export function attributionDone(state: LoopState, id: string): boolean {
  const p = state.prune.get(id);
  return state.shapley.has(id) && p !== undefined && (p.reducedId === null || state.byId.has(p.reducedId));
}

export interface AttributeHooks {
  readonly state: () => LoopState;
  readonly write: (e: LedgerEntry) => void;
  readonly onProgress?: (id: string, done: number, total: number) => void;
}

/** The reduced form: the kept terms of `form` (players are its terms, in order), renamed. */
export function reducedSpec(form: Form, keptMask: number): { spec: unknown; form: Form; terms: number[] } {
  const terms = form.terms.map((_, i) => i).filter((i) => keptMask & (1 << i));
  const r = form.restrict(terms);
  const spec = JSON.parse(JSON.stringify({ ...r.form.spec, name: `${form.spec.name}-pruned` })) as unknown;
  return { spec, form: r.form, terms };
}

/** Run (or finish) the Shapley step for a candidate; returns false when its form cannot be attributed. */
export async function attributeCandidate(
  ctx: EvalContext,
  hooks: AttributeHooks,
  cand: CandidateEntry,
): Promise<boolean> {
  const form = checkFormObject(cand.spec, `candidate ${cand.id}`);
  if (!shapleyEligible(form) || !cand.params) return false;
  const vector = Float64Array.from(form.paramNames, (n) => cand.params![n]);
  let state = hooks.state();
  if (!state.shapley.has(cand.id) || !state.prune.has(cand.id)) {
    const started = ctx.clock();
    const fit = {
      sampler: ctx.frame.fit.sampler,
      trials: ctx.frame.budget.shapleyTrials,
      jobs: 1,
      seed: deriveSeed(ctx.frame.seed, `shapley:${form.hash}`),
    };
    const att = await ctx.deps.attributeForm(ctx.problem, form, {
      fit,
      storagePath: ctx.shapleyStore,
      concurrency: ctx.frame.fit.jobs,
      // the loop refits the reduced form itself, with the run's budget, as a candidate of its own
      refitReduced: false,
      onProgress: hooks.onProgress ? (e) => hooks.onProgress!(cand.id, e.done, e.total) : undefined,
    });
    if (!state.shapley.has(cand.id)) {
      const entry: ShapleyEntry = {
        kind: "shapley",
        time: new Date(ctx.clock()).toISOString(),
        candidateId: cand.id,
        hash: form.hash,
        players: att.players,
        validation: att.shapley.validation,
        train: att.shapley.train,
        fit: { sampler: fit.sampler, trials: fit.trials, seed: fit.seed },
        seconds: (ctx.clock() - started) / 1000,
      };
      hooks.write(entry);
    }
    state = hooks.state();
    const dropped = att.pruning.dropped;
    let spec: unknown = null;
    let start: number[] | null = null;
    let reducedId: string | null = null;
    let note = "the pruning rule keeps every mechanism";
    if (dropped.length && dropped.length < att.players.length) {
      const r = reducedSpec(form, att.pruning.keptMask);
      const restricted = form.restrict(r.terms);
      spec = r.spec;
      start = Array.from(restricted.project(vector));
      const existing = evaluatedHash(state, checkFormObject(spec, `reduced form of ${cand.id}`).hash);
      reducedId = existing ?? nextCandidateId(state);
      note =
        `drop ${dropped.join(", ")}` +
        (existing ? `: the reduced form was already evaluated as ${existing}` : "");
    } else if (dropped.length) {
      note = `the rule would drop every mechanism (${dropped.join(", ")}); nothing is pruned`;
    }
    const prune: PruneEntry = {
      kind: "prune",
      time: new Date(ctx.clock()).toISOString(),
      candidateId: cand.id,
      pruning: att.pruning,
      reducedId,
      reducedSpec: spec,
      reducedStart: start,
      note,
    };
    hooks.write(prune);
    state = hooks.state();
  }

  const prune = state.prune.get(cand.id)!;
  if (prune.reducedId !== null && !state.byId.has(prune.reducedId)) {
    const started = ctx.clock();
    const why = prune.pruning.decisions
      .filter((d) => d.drop)
      .map((d) => `${d.player}: ${d.reason}${d.partner ? `; redundant with ${d.partner}` : ""}`)
      .join("; ");
    const entry = await evaluateCandidate(ctx, {
      id: nextCandidateId(state),
      parentId: cand.id,
      origin: "pruned",
      proposer: "shapley-pruning",
      spec: prune.reducedSpec,
      hypothesis: `${cand.id} without ${prune.pruning.dropped.join(", ")} scores as well: the rest of the form covers for them`,
      rationale: why,
      started,
      incumbent: state.incumbent,
      evaluated: (h) => evaluatedHash(state, h),
      warmStart: prune.reducedStart ? [prune.reducedStart] : undefined,
    });
    hooks.write(entry);
  }
  return true;
}
