/**
 * `kiln world --truth FILE`: a truth parameter file (the built-in truth with other values), or a truth
 * written as a form — a form file (its parameter defaults are the truth), or a file with `form:` (a path
 * or an inline spec), optional `params:`, `heterogeneity:` and `noise:`.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { checkFormObject, compileKernel, inputsFromDataset, loadForm, type Form } from "../forms/index.ts";
import { KilnError } from "../util/errors.ts";
import {
  DEFAULT_TRUTH,
  TruthParamsSchema,
  readTruthFile,
  type TruthModel,
  type TruthParams,
} from "../world/index.ts";

export interface TruthChoice {
  readonly truth: TruthParams;
  readonly truthModel?: TruthModel;
}

export function readTruthChoice(file: string): TruthChoice {
  let raw: unknown;
  try {
    raw = parseYaml(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new KilnError(`cannot read the truth file: ${(e as Error).message}`, {
      where: file,
      hint: "pass a parameter file (examples/world/truth.yaml) or a form file (examples/world/truth.form.yaml)",
    });
  }
  if (!raw || typeof raw !== "object")
    throw new KilnError("the truth file is not a mapping", { where: file });
  const obj = raw as Record<string, unknown>;
  if (!("terms" in obj) && !("form" in obj)) return { truth: readTruthFile(file) };

  let form: Form;
  if ("terms" in obj) form = loadForm(file);
  else if (typeof obj.form === "string") form = loadForm(path.resolve(path.dirname(file), obj.form));
  else form = checkFormObject(obj.form, `${file}: form`);
  const values = Float64Array.from(form.defaults);
  for (const [k, v] of Object.entries((obj.params as Record<string, unknown> | undefined) ?? {})) {
    const j = form.indexOf(k);
    if (j < 0) {
      throw new KilnError(`params: '${k}' is not a parameter of the form`, {
        where: file,
        hint: `its parameters: ${form.paramNames.join(", ")}`,
      });
    }
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new KilnError(`params: '${k}' must be a number`, { where: file });
    values[j] = v;
  }
  const noiseParts = TruthParamsSchema.pick({ heterogeneity: true, noise: true }).partial().safeParse({
    heterogeneity: obj.heterogeneity,
    noise: obj.noise,
  });
  if (!noiseParts.success) {
    const first = noiseParts.error.issues[0];
    throw new KilnError(`invalid '${first.path.join(".")}': ${first.message}`, { where: file });
  }
  const truth: TruthParams = {
    ...DEFAULT_TRUTH,
    heterogeneity: noiseParts.data.heterogeneity ?? DEFAULT_TRUTH.heterogeneity,
    noise: noiseParts.data.noise ?? DEFAULT_TRUTH.noise,
  };
  const params: Record<string, number> = {};
  form.paramNames.forEach((n, k) => (params[n] = values[k]));
  const truthModel: TruthModel = {
    form: form.spec,
    params,
    formula: form.canonical,
    drivers: form.drivers,
    mean(drivers) {
      const out = new Float32Array(drivers.nTime * drivers.nCell);
      compileKernel(form).bind(inputsFromDataset(drivers)).runChecked(values, out);
      return out;
    },
  };
  return { truth, truthModel };
}
