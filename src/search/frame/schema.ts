/**
 * The frame (`kiln.yaml`): what "better" means, pinned before a search starts (origin.md: "pin down what
 * better means before you start"). The schema fills every default, so the pinned hash covers them too.
 */
import { z } from "zod";
import { CONVENTIONS } from "../../bench/aggregate.ts";
import { COMBINERS, MAX_TERMS } from "../../forms/spec.ts";
import { ILAMB_REGION_LABELS } from "../../grid/regions.ts";
import { parseYears } from "../../grid/split.ts";
import { llmConfigSchema } from "../llm/config.ts";

export const COMPONENTS = ["bias", "rmse", "seasonal", "spatial", "iav"] as const;
export type Component = (typeof COMPONENTS)[number];

export const SHAPLEY_POLICIES = ["none", "winner", "improving"] as const;
export type ShapleyPolicy = (typeof SHAPLEY_POLICIES)[number];

export const SAMPLERS = ["auto", "tpe", "cmaes", "qmc", "random"] as const;

/** The stock baselines of mechanisms.md §2.1, by short name (files in examples/baselines). */
export const STOCK_BASELINES = ["b1", "b2", "b3", "b4"] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

const years = z
  .union([z.string(), z.number().int(), z.array(z.number().int()).min(1)])
  .transform((v, ctx) => {
    try {
      if (typeof v === "number") return [v];
      if (Array.isArray(v)) return [...new Set(v)].sort((a, b) => a - b);
      const list = parseYears(v);
      if (list.length === 0) throw new Error("no years given");
      return list;
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return z.NEVER;
    }
  });

/** "90m", "2h", "1h30m", "45s", or a number of minutes → seconds. */
export function parseDuration(v: string | number): number {
  if (typeof v === "number") {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`a duration must be positive, got ${v}`);
    return v * 60;
  }
  const text = v.trim();
  const re = /(\d+(?:\.\d+)?)\s*(min|h|m|s)(?![a-z])/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const n = Number(m[1]);
    total += m[2] === "h" ? n * 3600 : m[2] === "s" ? n : n * 60;
    pos = re.lastIndex;
    while (text[pos] === " ") pos++;
    re.lastIndex = pos;
  }
  if (pos !== text.length || !(total > 0)) {
    throw new Error(
      `cannot read the duration '${v}': write e.g. 90m, 2h, 1h30m, 45s, or a number of minutes`,
    );
  }
  return total;
}

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDuration(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

const metricSchema = z.strictObject({
  /** The component vector compared by the win rule (Overall is always kept beside it). */
  components: z
    .array(z.enum(COMPONENTS))
    .min(1)
    .transform((c) => [...new Set(c)])
    .default(["bias", "rmse", "seasonal", "spatial"]),
  /** How components fold into Overall (bench/aggregate.ts). */
  convention: z.enum(CONVENTIONS).default("ilamb-2.7"),
  /** The region whose Overall is the objective. */
  region: z.enum(ILAMB_REGION_LABELS as [string, ...string[]]).default("global"),
  /** Regions scored and reported: "all" (global and the 14 GFED boxes) or a list. */
  regions: z
    .union([z.literal("all"), z.array(z.enum(ILAMB_REGION_LABELS as [string, ...string[]])).min(1)])
    .transform((r) => (r === "all" ? [...ILAMB_REGION_LABELS] : [...new Set(r)]))
    .default([...ILAMB_REGION_LABELS]),
  massWeighting: z.boolean().default(true),
  rmseBasis: z.enum(["cycle", "series"]).default("cycle"),
});

/** A baseline: a stock name (b1..b4), a form file relative to the frame, or an inline form spec. */
const baselineItem = z.union([
  z.enum(STOCK_BASELINES),
  z.string().min(1),
  z.record(z.string(), z.unknown()).refine((o) => "terms" in o, {
    message: "an inline baseline is a form spec with name and terms (docs/forms.md)",
  }),
]);

const winSchema = z.strictObject({
  /** Holdout: the winner must beat every evaluable baseline, or the one named here. */
  against: z.string().min(1).default("every"),
  /** Holdout Overall must exceed the baseline's by more than this. */
  margin: z.number().min(0).max(1).default(0.01),
  /** No component of metric.components may be worse than the reference's by more than this. */
  tolerance: z.number().min(0).max(1).default(0.02),
  /** During the search: a candidate is kept when it beats the incumbent's validation Overall by more than this. */
  keepMargin: z.number().min(0).max(1).default(0),
  /** Default winner among the Pareto front: PySR's "best" rule, or the most accurate. */
  pick: z.enum(["best", "accuracy"]).default("best"),
  /** PySR's "best": the best score among forms whose loss (1 − Overall) is within this factor of the least. */
  lossFactor: z.number().min(1).default(1.5),
  /** PySR's "best": a form enters the Pareto front only when it beats every simpler form by more than this. */
  minGain: z.number().min(0).max(1).default(0.002),
});

const budgetSchema = z.strictObject({
  /** Forms proposed (crashes and repeats count); baselines and pruned forms do not. */
  forms: z.number().int().min(0).default(30),
  trialsPerForm: z.number().int().min(1).default(200),
  shapley: z.enum(SHAPLEY_POLICIES).default("winner"),
  /** Trials per coalition refit in the Shapley game. */
  shapleyTrials: z.number().int().min(1).default(100),
  /** Search time across sessions, e.g. "2h" or minutes; unset: no limit. */
  wallTime: duration.optional(),
});

const proposerSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("offline"),
    /** Combiners to try (the first is the templates'); default product, logit-sum, softmin, min. */
    combiners: z.array(z.enum(COMBINERS)).min(1).optional(),
    /** Most terms in a proposed form (default 6). */
    maxTerms: z.number().int().min(1).max(MAX_TERMS).optional(),
  }),
  z.strictObject({
    kind: z.literal("llm"),
    llm: llmConfigSchema,
    /** Repair prompts after an invalid reply. */
    maxRepairs: z.number().int().min(0).max(10).optional(),
  }),
]);

const fitSchema = z.strictObject({
  sampler: z.enum(SAMPLERS).default("auto"),
  jobs: z.number().int().min(1).max(64).default(1),
});

export const frameSchema = z
  .strictObject({
    name: z.string().regex(NAME, "name: letters, digits, _ . - (e.g. world-demo)").optional(),
    description: z.string().optional(),
    /** The dataset config (docs/io.md), relative to the frame's folder. */
    dataset: z.string().min(1),
    /** The field forms predict; default: the dataset config's target. */
    target: z.string().regex(FIELD).optional(),
    split: z.strictObject({ train: years, validation: years, holdout: years }),
    metric: metricSchema.default(metricSchema.parse({})),
    baselines: z
      .union([z.literal("stock"), z.array(baselineItem).min(1)])
      .transform((b) => (b === "stock" ? [...STOCK_BASELINES] : b))
      .default([...STOCK_BASELINES]),
    win: winSchema.default(winSchema.parse({})),
    budget: budgetSchema.default(budgetSchema.parse({})),
    proposer: proposerSchema.default({ kind: "offline" }),
    fit: fitSchema.default(fitSchema.parse({})),
    seed: z.number().int().min(0).max(0x7fffffff).default(1),
  })
  .superRefine((f, ctx) => {
    const seen = new Map<number, string>();
    for (const part of ["train", "validation", "holdout"] as const) {
      for (const y of f.split[part]) {
        const prev = seen.get(y);
        if (prev) {
          ctx.addIssue({
            code: "custom",
            path: ["split", part],
            message: `year ${y} is in both ${prev} and ${part}: each year belongs to one part of the split`,
          });
        }
        seen.set(y, part);
      }
    }
    // The search view is one series: temporal operators (lag, runmean, ...) run along it, so the holdout
    // may sit before or after the search years but not inside them.
    const search = [...f.split.train, ...f.split.validation].sort((a, b) => a - b);
    const inside = f.split.holdout.filter((y) => y > search[0] && y < search[search.length - 1]);
    if (inside.length) {
      ctx.addIssue({
        code: "custom",
        path: ["split", "holdout"],
        message: `holdout years ${inside.join(", ")} lie inside the search years ${search[0]}–${search[search.length - 1]}; put the holdout before or after them`,
      });
    } else if (search[search.length - 1] - search[0] + 1 !== search.length) {
      ctx.addIssue({
        code: "custom",
        path: ["split"],
        message: `train and validation years must be consecutive together (they form one series; ${search.join(", ")} has gaps)`,
      });
    }
    if (!f.metric.regions.includes(f.metric.region)) {
      ctx.addIssue({
        code: "custom",
        path: ["metric", "regions"],
        message: `metric.regions must include the objective region '${f.metric.region}'`,
      });
    }
    if (f.win.against !== "every" && !f.baselines.some((b) => baselineName(b) === f.win.against)) {
      ctx.addIssue({
        code: "custom",
        path: ["win", "against"],
        message: `win.against is 'every' or the name of a baseline (${f.baselines.map(baselineName).join(", ")}); got '${f.win.against}'`,
      });
    }
  });

export type Frame = z.output<typeof frameSchema>;
export type FrameInput = z.input<typeof frameSchema>;
export type BaselineItem = Frame["baselines"][number];

/** The short name a baseline goes by in `win.against` and the ledger (b1, a file's stem, an inline name). */
export function baselineName(b: BaselineItem): string {
  if (typeof b === "string") {
    if ((STOCK_BASELINES as readonly string[]).includes(b)) return b;
    const base = b.split(/[\\/]/).pop() ?? b;
    return base.replace(/\.form\.(ya?ml|json)$|\.(ya?ml|json)$/, "");
  }
  return typeof b.name === "string" ? b.name : "inline";
}
