/**
 * Fixtures for the proposer tests: ledger entries built from real checked forms (the stock baselines and
 * proposed specs), and a synthetic evaluator standing in for fit + benchmark + Shapley. The synthetic score
 * of a library form rewards the mechanisms of a hidden "truth" set (partial credit for another mechanism of
 * the same slot), charges every parameter, and penalises broken §1.6 rules; its Shapley values are computed
 * exactly from that value function over all coalitions, as src/ablate would from refits.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RegionSummary, ScoreSummary } from "../../src/bench/summary.ts";
import { checkFormObject, loadForm, type Form } from "../../src/forms/index.ts";
import { mechanismById } from "../../src/mechanisms/index.ts";
import { clusterViolations } from "../../src/search/proposers/offline/rules.ts";
import { slotOf } from "../../src/search/proposers/offline/slots.ts";
import type {
  CandidateEntry,
  Feedback,
  Proposal,
  ProposalContext,
  Proposer,
} from "../../src/search/types.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The built-in world's drivers (docs/world.md). */
export const WORLD_DRIVERS = [
  "pr",
  "tas",
  "tasmax",
  "rh",
  "vpd",
  "soilm",
  "dryness",
  "drydays",
  "gpp",
  "biomass",
  "treecover",
  "lightning",
  "popdens",
  "cropland",
] as const;

const CONVENTIONS = ["ilamb-2.7", "ilamb-2.5", "mean4", "ilamb3", "min"] as const;

export interface Components {
  bias: number;
  rmse: number;
  seasonal: number;
  spatial: number;
  iav: number;
}

/** A score vector with a global region and optional others (each convention's Overall set to `overall`). */
export function summary(
  overall: number,
  regions: Record<string, Partial<Components> & { overall?: number }> = {},
): ScoreSummary {
  const row = (o: number, c: Partial<Components>) => ({
    bias: c.bias ?? o,
    rmse: c.rmse ?? o,
    seasonal: c.seasonal ?? o,
    spatial: c.spatial ?? o,
    iav: c.iav ?? o,
    overall: Object.fromEntries(CONVENTIONS.map((k) => [k, o])) as Record<
      (typeof CONVENTIONS)[number],
      number
    >,
  });
  const all: Record<string, RegionSummary> = { global: row(overall, regions.global ?? {}) };
  for (const [r, c] of Object.entries(regions)) if (r !== "global") all[r] = row(c.overall ?? overall, c);
  return { convention: "ilamb-2.7", overall, region: "global", regions: all };
}

export function entryOf(
  id: string,
  form: Form,
  spec: unknown,
  opts: {
    origin?: CandidateEntry["origin"];
    parentId?: string | null;
    score?: number | null;
    status?: CandidateEntry["status"];
    hypothesis?: string;
    validation?: ScoreSummary;
  } = {},
): CandidateEntry {
  const score = opts.score ?? null;
  return {
    kind: "candidate",
    id,
    parentId: opts.parentId ?? null,
    origin: opts.origin ?? "proposer",
    proposer: opts.origin === "baseline" ? "baseline" : "offline",
    name: form.name,
    spec,
    canonical: form.canonical,
    hash: form.hash,
    mechanisms: form.terms.map((t) => t.mechanism ?? t.id),
    nParams: form.nParams,
    hypothesis: opts.hypothesis ?? "",
    rationale: "",
    fit: null,
    params: null,
    train: null,
    validation: opts.validation ?? (score === null ? null : summary(score)),
    status: opts.status ?? (score === null ? "crash" : "keep"),
    startedAt: "2026-01-01T00:00:00.000Z",
    seconds: 1,
  };
}

/** A library form spec with default bounds. */
export function librarySpec(name: string, ids: readonly string[], combiner = "product"): unknown {
  return { name, combiner, terms: ids.map((mechanism) => ({ mechanism })) };
}

export function libraryEntry(
  id: string,
  ids: readonly string[],
  score: number | null,
  opts: Parameters<typeof entryOf>[3] & { combiner?: string } = {},
): CandidateEntry {
  const spec = librarySpec(`f-${id}`, ids, opts.combiner ?? "product");
  return entryOf(id, checkFormObject(spec), spec, { ...opts, score });
}

/** The four stock baselines (examples/baselines), as the ledger always holds them. */
export function baselineEntries(scores: readonly number[] = [0.41, 0.38, 0.44, 0.4]): CandidateEntry[] {
  const files = ["b1-globfirm", "b2-simfire", "b3-clm-li", "b4-confire"];
  return files.map((f, k) => {
    const form = loadForm(path.join(ROOT, "examples/baselines", `${f}.form.yaml`));
    return entryOf(`c${String(k + 1).padStart(4, "0")}`, form, form.spec, {
      origin: "baseline",
      score: scores[k],
    });
  });
}

export function paretoOf(history: readonly CandidateEntry[]): CandidateEntry[] {
  const scored = history.filter((e) => e.status !== "crash" && e.validation?.overall != null);
  return scored.filter(
    (e) =>
      !scored.some(
        (o) =>
          o !== e &&
          o.validation!.overall! >= e.validation!.overall! &&
          o.nParams <= e.nParams &&
          (o.validation!.overall! > e.validation!.overall! || o.nParams < e.nParams),
      ),
  );
}

export function bestOf(history: readonly CandidateEntry[]): CandidateEntry | null {
  let best: CandidateEntry | null = null;
  for (const e of history) {
    const s = e.validation?.overall;
    if (e.status === "crash" || s == null) continue;
    if (!best || s > best.validation!.overall!) best = e;
  }
  return best;
}

export function contextFor(
  n: number,
  history: readonly CandidateEntry[],
  feedback: Feedback | null,
  drivers: readonly string[] = WORLD_DRIVERS,
): ProposalContext {
  return {
    n,
    seed: 0,
    frameText: "name: test-frame\n",
    drivers,
    history: [...history],
    incumbent: bestOf(history),
    pareto: paretoOf(history),
    feedback,
  };
}

/** The synthetic benchmark: a hidden set of mechanisms, each worth `weight` of Overall. */
export class SyntheticWorld {
  readonly base = 0.4;
  constructor(readonly truth: Readonly<Record<string, number>>) {}

  value(ids: readonly string[], combiner = "product"): number {
    let v = this.base;
    const slots = new Set(ids.map((id) => slotOf(mechanismById(id)!)));
    for (const [t, w] of Object.entries(this.truth)) {
      if (ids.includes(t)) v += w;
      else if (slots.has(slotOf(mechanismById(t)!))) v += 0.4 * w;
    }
    let params = 1;
    for (const id of ids) params += mechanismById(id)!.params.length;
    v -= 0.002 * params + 0.015 * clusterViolations(ids).length;
    v += { product: 0, "logit-sum": -0.002, softmin: -0.01, min: -0.03 }[combiner] ?? 0;
    return Math.round(v * 1e6) / 1e6;
  }

  /** Exact Shapley values and pairwise Shapley interaction indices of the form's mechanisms. */
  shapley(ids: readonly string[], combiner: string): NonNullable<Feedback["shapley"]> {
    const n = ids.length;
    const v = (mask: number) =>
      this.value(
        ids.filter((_, i) => mask & (1 << i)),
        combiner,
      );
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    const pop = (m: number) => m.toString(2).replace(/0/g, "").length;
    const phi = new Array<number>(n).fill(0);
    const inter = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let mask = 0; mask < 1 << n; mask++) {
      const s = pop(mask);
      for (let i = 0; i < n; i++) {
        if (mask & (1 << i)) continue;
        phi[i] += ((fact(s) * fact(n - s - 1)) / fact(n)) * (v(mask | (1 << i)) - v(mask));
        for (let j = i + 1; j < n; j++) {
          if (mask & (1 << j)) continue;
          const w = (fact(s) * fact(n - s - 2)) / fact(n - 1);
          const d = v(mask | (1 << i) | (1 << j)) - v(mask | (1 << i)) - v(mask | (1 << j)) + v(mask);
          inter[i][j] += w * d;
          inter[j][i] += w * d;
        }
      }
    }
    const total = v((1 << n) - 1) - v(0);
    return {
      players: [...ids],
      phi,
      share: phi.map((p) => (total === 0 ? 0 : p / total)),
      indistinguishableFromZero: phi.map((p) => Math.abs(p) < 0.003),
      interactions: inter,
    };
  }
}

export interface SearchRun {
  history: CandidateEntry[];
  proposals: Proposal[];
  /** Context handed to the proposer at each step. */
  contexts: ProposalContext[];
}

/**
 * Propose → "evaluate" → feed back, `budget` times (fewer if the proposer runs dry). Shapley is computed
 * for candidates that improve on the best so far, as the default frame policy does.
 */
export async function runSearch(
  proposer: Proposer,
  world: SyntheticWorld,
  budget: number,
  opts: { drivers?: readonly string[]; start?: CandidateEntry[] } = {},
): Promise<SearchRun> {
  const history = opts.start ? [...opts.start] : baselineEntries();
  const proposals: Proposal[] = [];
  const contexts: ProposalContext[] = [];
  let feedback: Feedback | null = null;
  for (let n = 1; n <= budget; n++) {
    const ctx = contextFor(n, history, feedback, opts.drivers);
    contexts.push(ctx);
    const p = await proposer.propose(ctx);
    if (!p) break;
    proposals.push(p);
    const form = checkFormObject(p.spec);
    const ids = form.terms.map((t) => t.mechanism!);
    const score = world.value(ids, form.combiner);
    const best = bestOf(history)?.validation?.overall ?? -Infinity;
    const id = `c${String(history.length + 1).padStart(4, "0")}`;
    history.push(entryOf(id, form, p.spec, { parentId: p.parentId, score, hypothesis: p.hypothesis }));
    feedback = {
      candidateId: id,
      validation: summary(score),
      status: "keep",
      ...(score > best && ids.length > 1 ? { shapley: world.shapley(ids, form.combiner) } : {}),
    };
  }
  return { history, proposals, contexts };
}

/** Library ids of a proposal's spec, sorted. */
export function idsOf(p: Proposal): string[] {
  return ((p.spec as { terms: { mechanism: string }[] }).terms ?? []).map((t) => t.mechanism).sort();
}

export function setKeyOf(p: Proposal): string {
  return `${(p.spec as { combiner?: string }).combiner ?? "product"}: ${idsOf(p).join(" + ")}`;
}
