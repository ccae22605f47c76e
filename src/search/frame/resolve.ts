/** The frame's references made concrete: the dataset config's path and the baseline form specs. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseFormObject, readFormText } from "../../forms/spec.ts";
import { KilnError } from "../../util/errors.ts";
import type { LoadedFrame } from "./load.ts";
import { STOCK_BASELINES, baselineName, type BaselineItem } from "./schema.ts";

/** Where the stock baseline files live (examples/baselines in the repository). */
export const STOCK_BASELINE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../examples/baselines",
);

export interface BaselineSpec {
  /** Short name (b1, a file's stem, an inline form's name). */
  readonly name: string;
  /** The raw form spec object (checked by the evaluator like any proposal). */
  readonly spec: unknown;
  /** A description for the ledger's hypothesis column. */
  readonly source: string;
}

export function datasetPath(lf: LoadedFrame): string {
  return path.resolve(lf.dir, lf.frame.dataset);
}

export function resolveBaselines(lf: LoadedFrame): BaselineSpec[] {
  return lf.frame.baselines.map((b, i) => resolveBaseline(b, i, lf.dir));
}

function resolveBaseline(b: BaselineItem, index: number, dir: string): BaselineSpec {
  const name = baselineName(b);
  if (typeof b !== "string") {
    return { name, spec: b, source: `inline baseline ${index + 1} of the frame` };
  }
  let file: string;
  const stock = (STOCK_BASELINES as readonly string[]).includes(b);
  if (stock) {
    const hit = fs
      .readdirSync(STOCK_BASELINE_DIR)
      .find((f) => f.startsWith(`${b}-`) && f.endsWith(".form.yaml"));
    if (!hit) {
      throw new KilnError(`the stock baseline ${b} is missing from ${STOCK_BASELINE_DIR}`, {
        where: `frame baselines[${index}]`,
      });
    }
    file = path.join(STOCK_BASELINE_DIR, hit);
  } else {
    file = path.resolve(dir, b);
    if (!fs.existsSync(file)) {
      throw new KilnError(`baseline form file not found: ${file}`, {
        where: `frame baselines[${index}]`,
        hint: "baseline paths are relative to the frame's folder; or use b1..b4 for the stock baselines",
      });
    }
  }
  const spec = parseFormObject(readFormText(file), file);
  return {
    name,
    spec,
    source: stock ? `stock baseline ${path.basename(file)} (mechanisms.md §2.1)` : `baseline form ${b}`,
  };
}
