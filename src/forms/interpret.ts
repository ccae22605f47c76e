/**
 * The plain interpreter: evaluates an expression tree over a whole series, one node at a time, with
 * Math.* and direct sums. It defines the language's semantics; the compiled kernel must agree with it
 * (tests check 1e-6 relative on many random forms), and non-finite diagnostics use it term by term.
 */
import type { Expr } from "./dsl/ast.ts";
import { resolveInputs, type KernelInputs, type ResolvedInput } from "./inputs.ts";

export type ParamLookup = (name: string) => number;

/** One value per cell-month (`t * nCell + c`). */
export type Series = Float64Array;

export interface SeriesContext {
  readonly nTime: number;
  readonly nCell: number;
  readonly inputs: ReadonlyMap<string, ResolvedInput>;
}

export function seriesContext(drivers: readonly string[], inputs: KernelInputs): SeriesContext {
  const resolved = resolveInputs(drivers, inputs);
  return { nTime: inputs.nTime, nCell: inputs.nCell, inputs: new Map(resolved.map((r) => [r.name, r])) };
}

/** Evaluate `e` at every cell-month. */
export function evalSeries(e: Expr, ctx: SeriesContext, param: ParamLookup): Series {
  const { nTime, nCell } = ctx;
  const n = nTime * nCell;
  const out = new Float64Array(n);
  switch (e.kind) {
    case "num":
      return out.fill(e.value);
    case "param":
      return out.fill(param(e.name));
    case "driver": {
      const r = ctx.inputs.get(e.name);
      if (!r) throw new Error(`interpreter: input '${e.name}' was not resolved`);
      for (let t = 0; t < nTime; t++) {
        for (let c = 0; c < nCell; c++) {
          const i = t * nCell + c;
          out[i] = r.layout === "cellTime" ? r.data[i] : r.layout === "cell" ? r.data[c] : r.data[t];
        }
      }
      return out;
    }
    case "neg": {
      const a = evalSeries(e.arg, ctx, param);
      for (let i = 0; i < n; i++) out[i] = -a[i];
      return out;
    }
    case "bin": {
      const a = evalSeries(e.left, ctx, param);
      const b = evalSeries(e.right, ctx, param);
      for (let i = 0; i < n; i++) out[i] = binary(e.op, a[i], b[i]);
      return out;
    }
    case "call":
      return evalCall(e.fn, e.args, ctx, param, out);
  }
}

export function binary(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    default:
      return Math.pow(a, b);
  }
}

/** The Ricker hump (x/x0)^a · exp(a(1 − x/x0)), 0 for x ≤ 0 when a > 0. */
export function hump(x: number, x0: number, a: number): number {
  const r = x / x0;
  return Math.pow(Math.max(r, 0), a) * Math.exp(a * (1 - r));
}

function evalCall(
  fn: string,
  args: readonly Expr[],
  ctx: SeriesContext,
  param: ParamLookup,
  out: Series,
): Series {
  const { nTime, nCell } = ctx;
  const n = nTime * nCell;
  const v = (k: number) => evalSeries(args[k], ctx, param);
  switch (fn) {
    case "exp":
    case "log":
    case "sqrt":
    case "abs":
    case "cos":
    case "sigmoid":
    case "step": {
      const a = v(0);
      for (let i = 0; i < n; i++) out[i] = unary(fn, a[i]);
      return out;
    }
    case "min":
    case "max": {
      const vals = args.map((_, k) => v(k));
      for (let i = 0; i < n; i++) {
        let m = vals[0][i];
        for (let k = 1; k < vals.length; k++)
          m = fn === "min" ? Math.min(m, vals[k][i]) : Math.max(m, vals[k][i]);
        out[i] = m;
      }
      return out;
    }
    case "clamp": {
      const x = v(0);
      const lo = args.length === 3 ? v(1) : null;
      const hi = args.length === 3 ? v(2) : null;
      for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i], lo ? lo[i] : 0), hi ? hi[i] : 1);
      return out;
    }
    case "hump": {
      const x = v(0);
      const x0 = v(1);
      const a = v(2);
      for (let i = 0; i < n; i++) out[i] = hump(x[i], x0[i], a[i]);
      return out;
    }
    case "lag":
    case "runmean":
    case "runmax":
    case "runmin": {
      const x = v(0);
      const k = (args[1] as { value: number }).value;
      for (let c = 0; c < nCell; c++) {
        for (let t = 0; t < nTime; t++) {
          const i = t * nCell + c;
          if (fn === "lag") {
            out[i] = x[Math.max(t - k, 0) * nCell + c];
            continue;
          }
          const t0 = Math.max(0, t - k + 1);
          let acc = fn === "runmean" ? 0 : x[t0 * nCell + c];
          for (let s = t0; s <= t; s++) {
            const xs = x[s * nCell + c];
            acc = fn === "runmean" ? acc + xs : fn === "runmax" ? Math.max(acc, xs) : Math.min(acc, xs);
          }
          out[i] = fn === "runmean" ? acc / (t - t0 + 1) : acc;
        }
      }
      return out;
    }
    case "accum":
    case "ewmean": {
      const x = v(0);
      const d = Math.exp(-1 / v(1)[0]);
      for (let c = 0; c < nCell; c++) {
        for (let t = 0; t < nTime; t++) {
          let num = 0;
          let den = 0;
          let w = 1;
          for (let j = 0; j <= t; j++) {
            num += w * x[(t - j) * nCell + c];
            den += w;
            w *= d;
          }
          out[t * nCell + c] = fn === "accum" ? num : num / den;
        }
      }
      return out;
    }
    default:
      throw new Error(`interpreter: unknown function '${fn}'`);
  }
}

export function unary(fn: string, x: number): number {
  switch (fn) {
    case "exp":
      return Math.exp(x);
    case "log":
      return Math.log(x);
    case "sqrt":
      return Math.sqrt(x);
    case "abs":
      return Math.abs(x);
    case "cos":
      return Math.cos(x);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "step":
      return x > 0 ? 1 : 0;
    default:
      throw new Error(`interpreter: unknown function '${fn}'`);
  }
}

/** How a form's combiner turns the global scale, the combiner's tau and the term values into burned area. */
export function combine(combiner: string, scale: number, tau: number, f: ArrayLike<number>): number {
  const m = f.length;
  switch (combiner) {
    case "product": {
      let p = scale;
      for (let k = 0; k < m; k++) p *= f[k];
      return p;
    }
    case "logit-sum": {
      let z = scale;
      for (let k = 0; k < m; k++) z *= f[k];
      return 1 / (1 + 1 / z);
    }
    case "min": {
      let lo = 1;
      if (m > 0) {
        lo = f[0];
        for (let k = 1; k < m; k++) lo = Math.min(lo, f[k]);
      }
      return scale * lo;
    }
    case "softmin": {
      if (m === 0) return scale;
      let lo = f[0];
      for (let k = 1; k < m; k++) lo = Math.min(lo, f[k]);
      let s = 0;
      for (let k = 0; k < m; k++) s += Math.exp(-(f[k] - lo) / tau);
      return scale * (lo - tau * Math.log(s / m));
    }
    default:
      throw new Error(`unknown combiner '${combiner}'`);
  }
}
