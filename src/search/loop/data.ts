/**
 * The search's data: load the dataset the frame names, check the split, cut the search view (train and
 * validation years, copied so that no holdout value stays reachable), audit it, and build the fit problem.
 * From here on the search holds only the view: the holdout is sealed (architecture.md, principle 2).
 */
import { auditDataset, formatFindings, type Finding } from "../../audit/index.ts";
import { FitProblem, type MetricSpec } from "../../fit/form/problem.ts";
import { Dataset } from "../../grid/dataset.ts";
import type { Field } from "../../grid/field.ts";
import { checkSplit } from "../../grid/split.ts";
import { loadDataset, type LoadedDataset } from "../../io/dataset-config.ts";
import { KilnError } from "../../util/errors.ts";
import type { LoadedFrame } from "../frame/load.ts";
import { datasetPath } from "../frame/resolve.ts";
import type { Frame } from "../frame/schema.ts";

/** The audit found errors: the run stops before any fit. */
export class AuditStop extends KilnError {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[], where: string) {
    super(`the input audit found errors; the search stops before any fit\n\n${formatFindings(findings)}`, {
      where,
      hint: "fix the inputs (or the dataset config) and run again; `kiln audit` shows the same findings",
    });
    this.name = "AuditStop";
    this.findings = findings;
  }
}

export interface SearchData {
  readonly problem: FitProblem;
  readonly datasetName: string;
  readonly target: string;
  readonly findings: readonly Finding[];
}

export function metricSpec(frame: Frame): MetricSpec {
  const m = frame.metric;
  return {
    convention: m.convention,
    region: m.region,
    regions: m.regions,
    rmseBasis: m.rmseBasis,
    massWeighting: m.massWeighting,
  };
}

export function searchYears(frame: Frame): number[] {
  return [...frame.split.train, ...frame.split.validation].sort((a, b) => a - b);
}

/** Load, check, cut and audit; throws AuditStop on audit errors. */
export async function loadSearchData(lf: LoadedFrame): Promise<SearchData> {
  const frame = lf.frame;
  let view: Dataset;
  let target: string;
  let datasetName: string;
  let sources: LoadedDataset["sources"];
  {
    // The full dataset lives only inside this block.
    const loaded = await loadDataset(datasetPath(lf));
    target = resolveTarget(lf, loaded);
    checkYears(lf, loaded.dataset);
    view = copyView(loaded.dataset.selectYears(searchYears(frame)));
    datasetName = loaded.name;
    sources = loaded.sources;
  }
  // The shift check compares the training years with the validation years here (the holdout is sealed);
  // its words are the audit's, which calls the later part "the holdout".
  const findings = auditDataset(
    { dataset: view, target, sources, name: datasetName },
    { target, split: { train: frame.split.train, holdout: frame.split.validation } },
  ).map((f) =>
    f.check === "shift"
      ? {
          ...f,
          message: f.message
            .replace("the holdout (", "the validation years (")
            .replace("of holdout values", "of validation values"),
        }
      : f,
  );
  if (findings.some((f) => f.severity === "error")) throw new AuditStop(findings, datasetPath(lf));
  const problem = FitProblem.create({
    dataset: view,
    target,
    train: frame.split.train,
    validation: frame.split.validation,
    metric: metricSpec(frame),
  });
  return { problem, datasetName, target, findings };
}

export function resolveTarget(lf: LoadedFrame, loaded: LoadedDataset): string {
  const target = lf.frame.target ?? loaded.target;
  if (!target) {
    throw new KilnError("no target: neither the frame nor the dataset config names one", {
      where: lf.source,
      hint: "add `target: burned_area` to the frame",
    });
  }
  if (!loaded.dataset.has(target)) {
    throw new KilnError(`the target '${target}' is not a field of the dataset`, {
      where: lf.source,
      hint: `the fields are: ${loaded.dataset.names().join(", ")}`,
    });
  }
  return target;
}

export function checkYears(lf: LoadedFrame, ds: Dataset): void {
  try {
    checkSplit(lf.frame.split, ds.time.yearList());
  } catch (e) {
    throw new KilnError(`split: ${(e as Error).message}`, {
      where: lf.source,
      hint: `the dataset holds ${ds.time.describe()}`,
    });
  }
}

/** A dataset whose fields own their values (a subarray view would keep the whole buffer reachable). */
function copyView(ds: Dataset): Dataset {
  const fields: Field[] = [...ds.fields.values()].map((f) => ({ ...f, data: f.data.slice() }));
  return new Dataset(ds.grid, ds.time, ds.cells, fields);
}
