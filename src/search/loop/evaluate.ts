/**
 * Evaluating one candidate: validate the spec (checkFormObject), check its drivers, skip a repeat of an
 * evaluated hash, fit on the training years, score on validation, decide keep or discard against the
 * incumbent, and find where its residuals are largest. Whatever happens becomes one ledger entry.
 */
import type { FitProblem } from "../../fit/form/problem.ts";
import type { Storage } from "../../fit/storage/storage.ts";
import { checkFormObject } from "../../forms/check.ts";
import type { Form } from "../../forms/form.ts";
import { PSEUDO_DRIVERS } from "../../forms/dsl/names.ts";
import { KilnError } from "../../util/errors.ts";
import { deriveSeed } from "../../util/rng.ts";
import type { Frame } from "../frame/schema.ts";
import type { Clock } from "../run/open.ts";
import type { CandidateEntry, CandidateOrigin, TokenUsage } from "../types.ts";
import type { SearchDeps } from "./deps.ts";
import { residualFeedback } from "./residuals.ts";
import { keepRule } from "./rule.ts";

export interface EvalContext {
  readonly frame: Frame;
  readonly problem: FitProblem;
  readonly storage: Storage;
  /** SQLite file of the Shapley refit games (coalition fits and values; resumable). */
  readonly shapleyStore: string;
  readonly deps: SearchDeps;
  readonly clock: Clock;
  readonly onFitProgress?: (id: string, done: number, total: number, best: number) => void;
}

export interface CandidateInput {
  readonly id: string;
  readonly parentId: string | null;
  readonly origin: CandidateOrigin;
  readonly proposer: string;
  readonly spec: unknown;
  readonly hypothesis: string;
  readonly rationale: string;
  /** Clock reading when the candidate's work began (before the proposal, for proposed forms). */
  readonly started: number;
  readonly tokens?: TokenUsage;
  readonly incumbent: CandidateEntry | null;
  /** The id of an evaluated candidate with this hash, if any. */
  readonly evaluated: (hash: string) => string | null;
  readonly warmStart?: readonly ArrayLike<number>[];
}

/** The fit seed of a form in a run: fixed by the run's seed and the form's hash, not by evaluation order. */
export function fitSeed(frame: Frame, hash: string): number {
  return deriveSeed(frame.seed, `fit:${hash}`);
}

/** What every candidate entry records of its proposal, evaluated or not. */
function entryBase(c: CandidateInput) {
  return {
    kind: "candidate" as const,
    id: c.id,
    parentId: c.parentId,
    origin: c.origin,
    proposer: c.proposer,
    hypothesis: c.hypothesis,
    rationale: c.rationale,
    startedAt: new Date(c.started).toISOString(),
    ...(c.tokens ? { tokens: c.tokens } : {}),
  };
}

export async function evaluateCandidate(ctx: EvalContext, c: CandidateInput): Promise<CandidateEntry> {
  const base = entryBase(c);
  const seconds = () => (ctx.clock() - c.started) / 1000;
  let spec: unknown;
  try {
    spec = JSON.parse(JSON.stringify(c.spec ?? null)) as unknown;
  } catch (e) {
    return crash(base, null, `the proposal is not plain data: ${(e as Error).message}`, seconds());
  }

  let form: Form;
  try {
    form = checkFormObject(spec, `candidate ${c.id}`);
  } catch (e) {
    return crash(base, spec, (e as Error).message, seconds());
  }
  const have = new Set([...ctx.problem.drivers, ...PSEUDO_DRIVERS.keys()]);
  const missing = form.drivers.filter((d) => !have.has(d));
  if (missing.length) {
    return crash(
      base,
      spec,
      `the form reads ${missing.join(", ")}, which the dataset does not have (it has: ${ctx.problem.drivers.join(", ")})`,
      seconds(),
      form,
    );
  }
  const described = describe(form);
  const seen = c.evaluated(form.hash);
  if (seen) {
    return {
      ...base,
      ...described,
      spec,
      fit: null,
      params: null,
      train: null,
      validation: null,
      status: "discard",
      repeatOf: seen,
      note: `same canonical form as ${seen}: not refit`,
      seconds: seconds(),
    };
  }

  const cfg = {
    sampler: ctx.frame.fit.sampler,
    trials: ctx.frame.budget.trialsPerForm,
    jobs: ctx.frame.fit.jobs,
    seed: fitSeed(ctx.frame, form.hash),
  };
  const fitStart = ctx.clock();
  let fit;
  try {
    fit = await ctx.deps.fitForm(ctx.problem, form, {
      ...cfg,
      storage: ctx.storage,
      studyName: `${c.id}-${form.hash.slice(0, 12)}`,
      warmStart: c.warmStart,
      onProgress: ctx.onFitProgress ? (d, t, b) => ctx.onFitProgress!(c.id, d, t, b) : undefined,
    });
  } catch (e) {
    // A KilnError is the candidate's failure (e.g. every trial failed): a crash entry. Anything else is a
    // bug in the harness: stop the run unrecorded, so that a resume after the fix evaluates the form.
    if (!(e instanceof KilnError)) throw e;
    return crash(base, spec, `the fit failed: ${(e as Error).message}`, seconds(), form);
  }
  const fitSeconds = (ctx.clock() - fitStart) / 1000;
  const validation = fit.validation;
  const keep = validation ? keepRule(validation, c.incumbent?.validation ?? null, ctx.frame) : null;
  let residuals: CandidateEntry["residuals"];
  if (validation) {
    try {
      residuals = residualFeedback(ctx.problem, form, fit.vector, validation);
    } catch {
      residuals = undefined; // feedback only; a prediction failure here is already reflected in the scores
    }
  }
  return {
    ...base,
    ...described,
    spec,
    fit: {
      sampler: cfg.sampler,
      trials: cfg.trials,
      seed: cfg.seed,
      configHash: fit.configHash,
      seconds: fitSeconds,
    },
    params: fit.params,
    train: fit.train,
    validation,
    status: keep?.pass ? "keep" : "discard",
    note: keep ? `${keep.pass ? "keep" : "discard"}: ${keep.reason}` : "no validation score",
    ...(residuals ? { residuals } : {}),
    seconds: seconds(),
  };
}

function describe(form: Form) {
  return {
    name: form.name,
    canonical: form.canonical,
    hash: form.hash,
    mechanisms: form.terms.map((t) => t.mechanism ?? t.id),
    nParams: form.nParams,
  };
}

/** The entry of a proposal that never arrived (e.g. an LLM without a valid reply within its repairs). */
export function failedProposal(c: CandidateInput, error: string, now: number): CandidateEntry {
  return crash(entryBase(c), null, error, (now - c.started) / 1000);
}

function crash(
  base: Omit<
    CandidateEntry,
    | "name"
    | "spec"
    | "canonical"
    | "hash"
    | "mechanisms"
    | "nParams"
    | "fit"
    | "params"
    | "train"
    | "validation"
    | "status"
    | "seconds"
  >,
  spec: unknown,
  error: string,
  seconds: number,
  form?: Form,
): CandidateEntry {
  const name =
    form?.name ??
    (spec && typeof spec === "object" && typeof (spec as { name?: unknown }).name === "string"
      ? (spec as { name: string }).name
      : "(invalid)");
  return {
    ...base,
    name,
    spec,
    canonical: form?.canonical ?? "",
    hash: form?.hash ?? "",
    mechanisms: form ? form.terms.map((t) => t.mechanism ?? t.id) : [],
    nParams: form?.nParams ?? 0,
    fit: null,
    params: null,
    train: null,
    validation: null,
    status: "crash",
    error,
    seconds,
  };
}
