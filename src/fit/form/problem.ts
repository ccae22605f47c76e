/**
 * A fitting problem: the search view of a dataset (never the holdout years), the target, the train and
 * validation years, and the metric. Everything that does not depend on the form is prepared once: the
 * ILAMB references of both parts and the kernel inputs.
 */
import { createHash } from "node:crypto";
import { aggregate, type Convention } from "../../bench/aggregate.ts";
import { prepareReference, referenceOf, type PreparedReference } from "../../bench/prepare.ts";
import { scoreModel } from "../../bench/score.ts";
import { summarize, type ScoreSummary } from "../../bench/summary.ts";
import type { RmseBasis, ScoreResult } from "../../bench/types.ts";
import type { Form } from "../../forms/form.ts";
import { inputsFromDataset, type KernelInputs } from "../../forms/inputs.ts";
import { compileKernel, type BoundKernel } from "../../forms/kernel.ts";
import type { Dataset } from "../../grid/dataset.ts";
import { ilambRegions } from "../../grid/regions.ts";
import { KilnError } from "../../util/errors.ts";

/** What "better" means for a fit: ILAMB components, the aggregation convention, where, and how. */
export interface MetricSpec {
  readonly convention: Convention;
  /** The region whose Overall is the objective (ILAMB: all overall scores come from `global`). */
  readonly region: string;
  /** Regions scored and reported. */
  readonly regions: readonly string[];
  readonly rmseBasis: RmseBasis;
  readonly massWeighting: boolean;
}

export const DEFAULT_METRIC: MetricSpec = {
  convention: "ilamb-2.7",
  region: "global",
  regions: [
    "global",
    "bona",
    "tena",
    "ceam",
    "nhsa",
    "shsa",
    "euro",
    "mide",
    "nhaf",
    "shaf",
    "boas",
    "ceas",
    "seas",
    "eqas",
    "aust",
  ],
  rmseBasis: "cycle",
  massWeighting: true,
};

export type Part = "train" | "validation";

export interface FitProblemInit {
  /** The search view: train and validation years only. */
  readonly dataset: Dataset;
  readonly target: string;
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly metric?: MetricSpec;
}

interface PartData {
  readonly prep: PreparedReference;
  /** Time indices of this part's months in the kernel's time axis. */
  readonly timeIndices: Int32Array;
  /** Months the kernel must run over for this part (causal operators: everything up to its last month). */
  readonly nTime: number;
}

export class FitProblem {
  readonly dataset: Dataset;
  readonly target: string;
  readonly train: readonly number[];
  readonly validation: readonly number[];
  readonly metric: MetricSpec;
  /** Drivers a form may read (every field but the target). */
  readonly drivers: readonly string[];
  /** Inputs over the whole search view, without the target. */
  readonly inputs: KernelInputs;
  /** A short hash of the data and settings, so cached fits are never reused on other data. */
  readonly fingerprint: string;
  private readonly parts: Record<Part, PartData>;

  private constructor(init: FitProblemInit) {
    const { dataset, target, train, validation } = init;
    this.metric = init.metric ?? DEFAULT_METRIC;
    if (!dataset.has(target)) {
      throw new KilnError(`the target '${target}' is not a field of the dataset`, {
        hint: `fields: ${dataset.names().join(", ")}`,
      });
    }
    const years = new Set(dataset.time.yearList());
    for (const y of [...train, ...validation]) {
      if (!years.has(y))
        throw new KilnError(`year ${y} is not in the search data (${dataset.time.describe()})`);
    }
    if (train.length === 0) throw new KilnError("a fit needs at least one training year");
    this.dataset = dataset;
    this.target = target;
    this.train = [...train].sort((a, b) => a - b);
    this.validation = [...validation].sort((a, b) => a - b);
    const drivers = dataset.without([target]);
    this.drivers = drivers.names();
    this.inputs = inputsFromDataset(drivers);
    const regions = ilambRegions(dataset.grid, this.metric.regions);
    const opts = {
      regions,
      rmseBasis: this.metric.rmseBasis,
      massWeighting: this.metric.massWeighting,
      iav: "component" as const,
      // Kiln holds burned area as a fraction; ILAMB scores the % files Kiln writes (quirk Q2 is unit-dependent).
      dataScale: 100,
    };
    const part = (ys: readonly number[]): PartData => {
      const timeIndices = dataset.time.indicesOfYears(ys);
      const ref = referenceOf(dataset.selectYears(ys), target);
      return {
        prep: prepareReference(ref, opts),
        timeIndices,
        nTime: timeIndices.length ? timeIndices[timeIndices.length - 1] + 1 : 0,
      };
    };
    this.parts = { train: part(this.train), validation: part(this.validation) };
    this.fingerprint = fingerprint(dataset, target, this.train, this.validation, this.metric);
  }

  static create(init: FitProblemInit): FitProblem {
    return new FitProblem(init);
  }

  hasValidation(): boolean {
    return this.validation.length > 0;
  }

  /** A kernel bound to the months a part needs (all of them for "all"). */
  bind(form: Form, part: Part | "all" = "all"): BoundKernel {
    const nTime = part === "all" ? this.dataset.nTime : this.parts[part].nTime;
    return compileKernel(form).bind(nTime === this.dataset.nTime ? this.inputs : this.prefix(nTime));
  }

  /** Predicted burned fraction over the whole search view. */
  predict(form: Form, params: ArrayLike<number>): Float32Array {
    const run = this.bind(form, "all");
    const out = new Float32Array(this.dataset.nTime * this.dataset.nCell);
    run.runChecked(params, out);
    return out;
  }

  /** Score a prediction made over (at least) the months the part needs. */
  scorePrediction(pred: Float32Array, part: Part): ScoreResult {
    const p = this.parts[part];
    if (p.timeIndices.length === 0) throw new KilnError(`there are no ${part} years to score`);
    return scoreModel(p.prep, pred, { modelTimeIndices: p.timeIndices });
  }

  /** The objective: Overall of the metric's region under its convention. */
  objective(result: ScoreResult): number {
    return aggregate(result, this.metric.convention, this.metric.region);
  }

  summary(result: ScoreResult): ScoreSummary {
    return summarize(result, this.metric.convention, this.metric.region);
  }

  /** Fit a form's parameters, then score them: the component vectors of a part. */
  score(form: Form, params: ArrayLike<number>, part: Part): ScoreSummary {
    return this.summary(this.scorePrediction(this.predict(form, params), part));
  }

  /** Kernel inputs restricted to the first nTime months (a view, no copy). */
  private prefix(nTime: number): KernelInputs {
    const nCell = this.inputs.nCell;
    const fields: Record<string, Float32Array | Float64Array> = {};
    for (const [k, v] of Object.entries(this.inputs.fields)) {
      fields[k] = v.length === nCell ? v : v.subarray(0, nTime * nCell);
    }
    return {
      nTime,
      nCell,
      fields,
      lat: this.inputs.lat,
      month: this.inputs.month ? Array.prototype.slice.call(this.inputs.month, 0, nTime) : undefined,
    };
  }
}

function fingerprint(
  ds: Dataset,
  target: string,
  train: readonly number[],
  validation: readonly number[],
  metric: MetricSpec,
): string {
  const h = createHash("sha256");
  h.update(
    JSON.stringify({ target, train, validation, metric, grid: ds.grid.describe(), time: ds.time.describe() }),
  );
  h.update(new Uint8Array(ds.cells.flat.buffer, ds.cells.flat.byteOffset, ds.cells.flat.byteLength));
  for (const name of ds.names().sort()) {
    const f = ds.field(name);
    h.update(name);
    h.update(new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength));
  }
  return h.digest("hex").slice(0, 16);
}
