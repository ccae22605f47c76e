import { fromInternal, type Distribution, type Params } from "../space.ts";
import type { Attrs, FrozenTrial, TrialState } from "../types.ts";
import type { ParamRecord } from "./storage.ts";

/** Builds the FrozenTrial record from its stored parts (shared by every storage). */
export function buildFrozen(parts: {
  trialId: number;
  number: number;
  state: TrialState;
  value: number | undefined;
  params: ParamRecord[];
  intermediate: [number, number][];
  userAttrs: Attrs;
  systemAttrs: Attrs;
  datetimeStart: number | null | undefined;
  datetimeComplete: number | null | undefined;
}): FrozenTrial {
  const params: Params = {};
  const internalParams: Record<string, number> = {};
  const distributions: Record<string, Distribution> = {};
  for (const p of parts.params) {
    params[p.name] = fromInternal(p.distribution, p.internal);
    internalParams[p.name] = p.internal;
    distributions[p.name] = p.distribution;
  }
  return {
    trialId: parts.trialId,
    number: parts.number,
    state: parts.state,
    value: parts.value,
    params,
    internalParams,
    distributions,
    intermediateValues: new Map(parts.intermediate),
    userAttrs: parts.userAttrs,
    systemAttrs: parts.systemAttrs,
    datetimeStart: parts.datetimeStart == null ? undefined : new Date(parts.datetimeStart),
    datetimeComplete: parts.datetimeComplete == null ? undefined : new Date(parts.datetimeComplete),
  };
}

/** Encoding of non-finite floats for columns that cannot hold them (Optuna's value_type). */
export type ValueType = "FINITE" | "INF_POS" | "INF_NEG" | "NAN";

export function encodeValue(v: number): { value: number | null; type: ValueType } {
  if (Number.isFinite(v)) return { value: v, type: "FINITE" };
  if (Number.isNaN(v)) return { value: null, type: "NAN" };
  return { value: null, type: v > 0 ? "INF_POS" : "INF_NEG" };
}

export function decodeValue(value: number | null, type: string): number {
  if (type === "INF_POS") return Infinity;
  if (type === "INF_NEG") return -Infinity;
  if (type === "NAN" || value === null) return NaN;
  return value;
}
