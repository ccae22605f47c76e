import type { Dataset } from "../grid/dataset.ts";
import type { YearSplit } from "../grid/split.ts";

export type Severity = "error" | "warning" | "info";

export type CheckId =
  | "target"
  | "nonfinite"
  | "fill-value"
  | "range"
  | "units-attribute"
  | "constant"
  | "burned-coverage"
  | "time-axis"
  | "near-duplicate"
  | "shift";

/** One thing the audit found: how bad, which check, which variable, where, the numbers, in words. */
export interface Finding {
  readonly severity: Severity;
  readonly check: CheckId;
  /** The variable concerned (null for the time axis). */
  readonly variable: string | null;
  /** The other variable of a pair (near-duplicate drivers). */
  readonly with?: string;
  /** ILAMB region labels (GFED boxes, or "global"), the most affected first. */
  readonly regions: readonly string[];
  /** The figures behind the finding (shares are fractions 0..1). */
  readonly numbers: Readonly<Record<string, number>>;
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
}

/** Where a field came from, as src/io's loader records it (LoadedDataset.sources). */
export interface SourceLike {
  readonly file: string;
  readonly variable: string;
  readonly fileUnits: string | undefined;
  readonly declaredUnits: string;
  readonly scale: number;
  readonly internalUnits: string;
}

/** What the audit reads: src/io's LoadedDataset fits, and so does a bare dataset with a target. */
export interface AuditInput {
  readonly dataset: Dataset;
  readonly target?: string | undefined;
  readonly sources?: Readonly<Record<string, SourceLike>>;
  readonly name?: string;
}

export interface AuditOptions {
  /** The target's name; default: the input's target. */
  readonly target?: string;
  /** Train and holdout years for the shift check; default: the last 20% of the years are the holdout. */
  readonly split?: Pick<YearSplit, "train" | "holdout">;
  /** Checks to skip, by id. */
  readonly skip?: readonly CheckId[];
}

export interface AuditSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export function summarise(findings: readonly Finding[]): AuditSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}
