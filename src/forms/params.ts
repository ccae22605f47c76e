/**
 * Parameter files: JSON `{ "<paramName>": value, ... }`, or any JSON object holding such a record under
 * `params` (the form export and fit outputs do).
 */
import { readFileSync } from "node:fs";
import { KilnError } from "../util/errors.ts";
import type { Form } from "./form.ts";
import { didYouMean } from "./suggest.ts";

export function paramsFromObject(raw: unknown, form: Form, source = "<params>"): Float64Array {
  const rec = pickRecord(raw);
  if (!rec) {
    throw new KilnError(
      `expected a JSON object of parameter values, e.g. {"scale": 0.01, "${form.paramNames[1] ?? "term.param"}": 1}`,
      {
        where: source,
      },
    );
  }
  const problems: string[] = [];
  for (const [k, v] of Object.entries(rec)) {
    if (!form.paramNames.includes(k))
      problems.push(`unknown parameter '${k}'${didYouMean(k, form.paramNames)}`);
    else if (typeof v !== "number" || !Number.isFinite(v))
      problems.push(`'${k}' must be a finite number, got ${JSON.stringify(v)}`);
  }
  const missing = form.paramNames.filter((n) => !(n in rec));
  if (missing.length) problems.push(`missing: ${missing.join(", ")}`);
  if (problems.length) {
    throw new KilnError(`the parameter values do not fit form '${form.name}':\n  ${problems.join("\n  ")}`, {
      where: source,
      hint: `the form's parameters are: ${form.paramNames.join(", ")} (\`kiln form check\` lists them)`,
    });
  }
  return Float64Array.from(form.paramNames, (n) => rec[n] as number);
}

function pickRecord(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.params === "object" && r.params !== null && !Array.isArray(r.params))
    return r.params as Record<string, unknown>;
  return r;
}

export function readParams(path: string, form: Form): Float64Array {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new KilnError(`cannot read the parameter file: ${(e as Error).message}`, {
      where: path,
      hint: 'a parameter file is JSON: {"scale": 0.01, "<term>.<param>": value, ...}',
    });
  }
  return paramsFromObject(raw, form, path);
}

/** Names of parameters whose value lies outside the form's bounds. */
export function outOfBounds(form: Form, p: ArrayLike<number>): string[] {
  return form.paramNames.filter((_, j) => !(p[j] >= form.lo[j] && p[j] <= form.hi[j]));
}
