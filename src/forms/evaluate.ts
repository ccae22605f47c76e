/** Reference evaluation of whole forms with the interpreter: per-term values and the combined output. */
import type { Form } from "./form.ts";
import type { KernelInputs } from "./inputs.ts";
import { combine, evalSeries, seriesContext, type Series } from "./interpret.ts";

/** Each term's value at every cell-month (interpreter). */
export function interpretTerms(form: Form, inputs: KernelInputs, params: ArrayLike<number>): Series[] {
  const ctx = seriesContext(form.drivers, inputs);
  return form.terms.map((t, k) => {
    const local = form.termParams(k, params);
    return evalSeries(t.expr, ctx, (name) => local[name]);
  });
}

/** The form's burned fraction at every cell-month (interpreter, float64). */
export function interpretForm(form: Form, inputs: KernelInputs, params: ArrayLike<number>): Series {
  const terms = interpretTerms(form, inputs, params);
  const n = inputs.nTime * inputs.nCell;
  const out = new Float64Array(n);
  const f = new Float64Array(terms.length);
  const scale = form.scaleOf(params);
  const tau = form.tauOf(params);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < terms.length; k++) f[k] = terms[k][i];
    out[i] = combine(form.combiner, scale, tau, f);
  }
  return out;
}
