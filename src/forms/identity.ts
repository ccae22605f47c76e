/**
 * Identity points: parameter values at which a term is one constant for every input, so that dropping the
 * term equals fixing it there (the constant goes into the scale). Checked numerically on probe inputs that
 * span each driver's physical range, including its extremes and zero.
 */
import { driverInfo } from "../grid/drivers.ts";
import { Rng } from "../util/rng.ts";
import type { Expr } from "./dsl/ast.ts";
import type { KernelInputs, NumArray } from "./inputs.ts";
import { evalSeries, seriesContext } from "./interpret.ts";
import type { ParamSpec } from "./form.ts";

const PROBE_TIME = 30;
const PROBE_CELLS = 16;

/** Deterministic probe inputs for the given drivers: extremes, zero, uniform and log-uniform values. */
export function probeInputs(drivers: readonly string[]): KernelInputs {
  const n = PROBE_TIME * PROBE_CELLS;
  const fields: Record<string, NumArray> = {};
  const rng = new Rng(20240617);
  for (const d of drivers) {
    if (d === "lat" || d === "month") continue;
    const info = driverInfo(d);
    const lo = info ? info.min : -1;
    const hi = info ? info.max : 1;
    const special = [lo, hi, Math.min(Math.max(0, lo), hi), Math.min(Math.max(1, lo), hi)];
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (i < special.length * 2) a[i] = special[i % special.length];
      else if (u < 0.5 || lo < 0) a[i] = rng.uniform(lo, hi);
      else a[i] = Math.exp(rng.uniform(Math.log(Math.max(lo, 1e-3 * (hi - lo) + 1e-9)), Math.log(hi)));
    }
    fields[d] = a;
  }
  const lat = Float64Array.from({ length: PROBE_CELLS }, (_, c) => -89 + (178 * c) / (PROBE_CELLS - 1));
  const month = Int32Array.from({ length: PROBE_TIME }, (_, t) => (t % 12) + 1);
  return { nTime: PROBE_TIME, nCell: PROBE_CELLS, fields, lat, month };
}

/** The constant a term takes at these parameter values, or null when it is not constant (or not finite). */
export function constantValue(
  expr: Expr,
  drivers: readonly string[],
  params: readonly ParamSpec[],
  values: ArrayLike<number>,
): number | null {
  const inputs = probeInputs(drivers);
  const ctx = seriesContext(drivers, inputs);
  const byName = new Map(params.map((p, j) => [p.local, values[j]]));
  const v = evalSeries(expr, ctx, (name) => byName.get(name) ?? NaN);
  const v0 = v[0];
  if (!Number.isFinite(v0)) return null;
  const tol = 1e-12 * Math.max(1, Math.abs(v0));
  for (let i = 1; i < v.length; i++) if (!(Math.abs(v[i] - v0) <= tol)) return null;
  return v0;
}

/**
 * Search one parameter at a time (others at their defaults) for a value in its bounds that makes the term
 * constant: 0, the lower bound, the upper bound, then 1; then all parameters that can be 0 at 0 together.
 * Returns the full local vector, or null.
 */
export function findIdentity(
  expr: Expr,
  drivers: readonly string[],
  params: readonly ParamSpec[],
): { values: Float64Array; value: number } | null {
  if (drivers.length === 0) return null;
  for (let j = 0; j < params.length; j++) {
    const p = params[j];
    const candidates = [0, p.lo, p.hi, 1].filter(
      (x, k, all) => x >= p.lo && x <= p.hi && all.indexOf(x) === k,
    );
    for (const x of candidates) {
      const values = Float64Array.from(params, (q) => q.default);
      values[j] = x;
      const c = constantValue(expr, drivers, params, values);
      if (c !== null) return { values, value: c };
    }
  }
  // Then every parameter whose range holds 0 at 0 together (e.g. all coefficients of a linear mix).
  const zeroable = params.map((p) => p.lo <= 0 && p.hi >= 0);
  if (zeroable.filter(Boolean).length > 1) {
    const values = Float64Array.from(params, (q, j) => (zeroable[j] ? 0 : q.default));
    const c = constantValue(expr, drivers, params, values);
    if (c !== null) return { values, value: c };
  }
  return null;
}
