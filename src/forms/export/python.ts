/** Export a form as a Python module: one numpy function per term and `burned_area(...)`. */
import type { Expr } from "../dsl/ast.ts";
import { type ExportContext, TEMPORAL_NOTE, headerLines } from "./common.ts";
import { printInfix } from "./infix.ts";
import { pythonName } from "./names.ts";

function pyNumber(v: number): string {
  if (Number.isNaN(v)) return "np.nan";
  if (v === Infinity) return "np.inf";
  if (v === -Infinity) return "(-np.inf)";
  const s = String(v);
  const lit = /[.e]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${lit})` : lit;
}

function pyExpr(e: Expr): string {
  return printInfix(e, {
    num: pyNumber,
    param: pythonName,
    driver: (name) => name,
    pow: (a, b) => `np.power(${a}, ${b})`,
    call(fn, args, raw) {
      switch (fn) {
        case "exp":
        case "log":
        case "sqrt":
        case "abs":
        case "cos":
          return `np.${fn}(${args[0]})`;
        case "min":
        case "max":
          return args.reduce((acc, a) => `np.${fn === "min" ? "minimum" : "maximum"}(${acc}, ${a})`);
        case "clamp":
          return args.length === 1
            ? `_clamp(${args[0]}, 0.0, 1.0)`
            : `_clamp(${args[0]}, ${args[1]}, ${args[2]})`;
        case "lag":
        case "runmean":
        case "runmax":
        case "runmin":
          return `_${fn}(${args[0]}, ${(raw[1] as { value: number }).value})`;
        default:
          return `_${fn}(${args.join(", ")})`;
      }
    },
  });
}

const HELPERS = `def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _hump(x, x0, a):
    r = x / x0
    return np.power(np.maximum(r, 0.0), a) * np.exp(a * (1.0 - r))


def _clamp(x, lo, hi):
    return np.minimum(np.maximum(x, lo), hi)


def _step(x):
    return np.where(x > 0, 1.0, 0.0)


def _lag(x, k):
    return x[np.maximum(np.arange(x.shape[0]) - k, 0)]


def _window(x, k, reduce):
    out = np.empty(x.shape)
    for t in range(x.shape[0]):
        t0 = max(0, t - k + 1)
        out[t] = reduce(x[t0:t + 1])
    return out


def _runmean(x, k):
    return _window(x, k, lambda w: np.sum(w, axis=0) / w.shape[0])


def _runmax(x, k):
    return _window(x, k, lambda w: np.max(w, axis=0))


def _runmin(x, k):
    return _window(x, k, lambda w: np.min(w, axis=0))


def _accum(x, tau):
    d = np.exp(-1.0 / tau)
    out = np.empty(x.shape)
    out[0] = x[0]
    for t in range(1, x.shape[0]):
        out[t] = x[t] + d * out[t - 1]
    return out


def _ewmean(x, tau):
    d = np.exp(-1.0 / tau)
    out = np.empty(x.shape)
    num = np.zeros(x.shape[1:])
    den = 0.0
    for t in range(x.shape[0]):
        den = 1.0 + d * den
        num = x[t] + d * num
        out[t] = num / den
    return out
`;

function combineLines(combiner: string, m: number): string[] {
  const fs = Array.from({ length: m }, (_, k) => `f${k + 1}`);
  switch (combiner) {
    case "product":
      return [`return ${["scale", ...fs].join(" * ")}`];
    case "logit-sum":
      return [`z = ${["scale", ...fs].join(" * ")}`, `return 1.0 / (1.0 + 1.0 / z)`];
    case "min":
      return [`return scale * ${m === 1 ? "f1" : fs.reduce((a, b) => `np.minimum(${a}, ${b})`)}`];
    default:
      return [
        `lo = ${m === 1 ? "f1" : fs.reduce((a, b) => `np.minimum(${a}, ${b})`)}`,
        `se = ${fs.map((f) => `np.exp(-(${f} - lo) / tau)`).join(" + ")}`,
        `return scale * (lo - tau * np.log(se / ${m}.0))`,
      ];
  }
}

export function exportPython(ctx: ExportContext): string {
  const f = ctx.form;
  const out: string[] = [];
  out.push(
    '"""' +
      [
        ...headerLines(ctx),
        "",
        "Arrays hold time (months) on axis 0; static inputs broadcast (e.g. shape",
        "(ncell,) against (ntime, ncell)); pass month with shape (ntime, 1). " + TEMPORAL_NOTE,
      ].join("\n") +
      '\n"""',
  );
  out.push("import numpy as np", "");
  out.push("PARAMS = {");
  for (const p of f.params) {
    out.push(
      `    ${JSON.stringify(p.name)}: ${pyNumber(ctx.values[p.name])},${p.units || p.doc ? `  # ${p.units ? `[${p.units}] ` : ""}${p.doc ?? ""}` : ""}`,
    );
  }
  out.push("}", "", "");
  out.push(HELPERS, "");
  for (const t of f.terms) {
    out.push(`def term_${t.id}(${[...t.drivers, "p=PARAMS"].join(", ")}):`);
    out.push(
      `    """${t.id}${t.mechanism ? ` (library ${t.mechanism})` : ""}: ${t.exprText.replace(/\s+/g, " ").replace(/"""/g, "")}"""`,
    );
    for (const p of t.params)
      out.push(`    ${pythonName(p.local)} = np.float64(p[${JSON.stringify(p.name)}])`);
    out.push(`    return ${pyExpr(t.expr)}`, "", "");
  }
  const args = [...f.drivers, "p=PARAMS"];
  out.push(`def burned_area(${args.join(", ")}):`);
  out.push(`    """Burned fraction of the cell per month (same shape as the broadcast inputs)."""`);
  out.push(`    with np.errstate(all="ignore"):`);
  if (f.drivers.length) {
    const names = f.drivers.join(", ");
    out.push(
      `        ${names}${f.drivers.length === 1 ? "," : ""} = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (${names}${f.drivers.length === 1 ? "," : ""})))`,
    );
  }
  out.push(`        scale = np.float64(p["scale"])`);
  if (f.combiner === "softmin") out.push(`        tau = np.float64(p["tau"])`);
  f.terms.forEach((t, k) => out.push(`        f${k + 1} = term_${t.id}(${[...t.drivers, "p"].join(", ")})`));
  if (f.terms.length === 0)
    out.push(`        return scale * np.ones(np.broadcast(${f.drivers.join(", ") || "0.0"}).shape)`);
  else out.push(...combineLines(f.combiner, f.terms.length).map((l) => `        ${l}`));
  return out.join("\n") + "\n";
}
