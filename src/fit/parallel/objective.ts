import path from "node:path";
import { pathToFileURL } from "node:url";
import { KilnError } from "../../util/errors.ts";
import type { Params } from "../space.ts";
import type { ObjectiveResult, TrialHandle } from "../trial.ts";
import type { Attrs } from "../types.ts";

/**
 * An objective that can run in worker threads: a module and the name of its export
 * `(params, context, trial) => number | { value, attrs }` (sync or async). `initName`, if given, names
 * an export called once per thread with the shared context; what it returns is passed as `context`
 * instead (compile a kernel, build a reference once per worker). `context` is posted to every worker
 * once: typed arrays backed by SharedArrayBuffers are shared, not copied (see shareArrays).
 */
export interface ModuleObjective {
  module: string | URL;
  exportName?: string;
  initName?: string;
  context?: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context's type is the module's business
export type ModuleObjectiveFn = (params: Params, context: any, trial: TrialHandle) => unknown;

export type Outcome =
  | { kind: "value"; value: number; attrs?: Attrs }
  | { kind: "pruned"; message?: string }
  | { kind: "fail"; error: string };

export function isModuleObjective(o: unknown): o is ModuleObjective {
  return typeof o === "object" && o !== null && "module" in o;
}

export function moduleUrl(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^(file|data|node):/.test(m)) return m;
  return pathToFileURL(path.resolve(m)).href;
}

/** Loads the module and runs its init; `onInit` is called as the init starts (errors after it are the init's). */
export async function loadModuleObjective(
  spec: ModuleObjective,
  onInit?: () => void,
): Promise<{ fn: ModuleObjectiveFn; context: unknown }> {
  const url = moduleUrl(spec.module);
  const name = spec.exportName ?? "objective";
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    throw new KilnError(`cannot load the objective module: ${(err as Error).message}`, {
      where: url,
      cause: err,
    });
  }
  const fn = mod[name];
  if (typeof fn !== "function")
    throw new KilnError(`the objective module has no function export "${name}"`, {
      where: url,
      hint: `export function ${name}(params, context, trial) { … }`,
    });
  let context = spec.context;
  if (spec.initName) {
    const init = mod[spec.initName];
    if (typeof init !== "function")
      throw new KilnError(`the objective module has no function export "${spec.initName}"`, { where: url });
    onInit?.();
    context = await (init as (c: unknown) => unknown)(context);
  }
  return { fn: fn as ModuleObjectiveFn, context };
}

/** The text kept on a FAIL trial. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  return text.length > 4000 ? text.slice(0, 4000) + " …" : text;
}

/** What the objective returned, as an outcome (anything but a number or {value, attrs} fails the trial). */
export function toOutcome(r: unknown): Outcome {
  const result = r as ObjectiveResult;
  if (typeof result === "number") return { kind: "value", value: result };
  if (typeof result === "object" && result !== null && typeof result.value === "number")
    return { kind: "value", value: result.value, attrs: result.attrs };
  return {
    kind: "fail",
    error: `the objective returned ${JSON.stringify(r) ?? String(r)}, not a number or { value, attrs }`,
  };
}

export function thrownOutcome(err: unknown): Outcome {
  if (err instanceof Error && err.name === "TrialPruned") return { kind: "pruned", message: err.message };
  return { kind: "fail", error: errorText(err) };
}

export async function evaluate(run: () => unknown): Promise<Outcome> {
  try {
    return toOutcome(await run());
  } catch (err) {
    return thrownOutcome(err);
  }
}
