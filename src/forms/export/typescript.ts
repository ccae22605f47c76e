/** Export a form as a self-contained TypeScript module: `burnedArea(inputs, params?)`. */
import type { Expr } from "../dsl/ast.ts";
import { type ExportContext, TEMPORAL_NOTE, headerLines } from "./common.ts";
import { renameParams } from "../dsl/ast.ts";
import { extractTemporal, printInfix } from "./infix.ts";

function tsNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "(-Infinity)";
  const s = Object.is(v, -0) ? "-0" : String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

function tsExpr(e: Expr, param: (name: string) => string, temps: ReadonlySet<string>): string {
  return printInfix(e, {
    num: tsNumber,
    param,
    driver(name) {
      if (temps.has(name)) return `${name}[i]`;
      if (name === "lat") return "inp.lat![c]";
      if (name === "month") return "inp.month![t]";
      return `$at(inp.${name}, i, c)`;
    },
    pow: (a, b) => `Math.pow(${a}, ${b})`,
    call(fn, args) {
      switch (fn) {
        case "exp":
        case "log":
        case "sqrt":
        case "abs":
        case "cos":
        case "min":
        case "max":
          return `Math.${fn}(${args.join(", ")})`;
        case "clamp":
          return args.length === 1 ? `$clamp(${args[0]}, 0, 1)` : `$clamp(${args.join(", ")})`;
        default:
          return `$${fn}(${args.join(", ")})`;
      }
    },
  });
}

const HELPERS = `function $at(a: ArrayLike<number>, i: number, c: number): number {
  return a.length === $n ? a[i] : a[c];
}
let $n = 0;

function $sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function $hump(x: number, x0: number, a: number): number {
  const r = x / x0;
  return Math.pow(Math.max(r, 0), a) * Math.exp(a * (1 - r));
}

function $clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

function $step(x: number): number {
  return x > 0 ? 1 : 0;
}

/** Apply a temporal operator along each cell's series (time-major, t * nCell + c). */
function $temporal(fn: string, x: Float64Array, nTime: number, nCell: number, second: number): Float64Array {
  const out = new Float64Array(x.length);
  const d = Math.exp(-1 / second);
  for (let c = 0; c < nCell; c++) {
    let acc = 0;
    let den = 0;
    for (let t = 0; t < nTime; t++) {
      const i = t * nCell + c;
      if (fn === "lag") out[i] = x[Math.max(t - second, 0) * nCell + c];
      else if (fn === "accum" || fn === "ewmean") {
        acc = x[i] + d * acc;
        den = 1 + d * den;
        out[i] = fn === "accum" ? acc : acc / den;
      } else {
        const t0 = Math.max(0, t - second + 1);
        let v = fn === "runmean" ? 0 : x[t0 * nCell + c];
        for (let s = t0; s <= t; s++) {
          const xs = x[s * nCell + c];
          v = fn === "runmean" ? v + xs : fn === "runmax" ? Math.max(v, xs) : Math.min(v, xs);
        }
        out[i] = fn === "runmean" ? v / (t - t0 + 1) : v;
      }
    }
  }
  return out;
}`;

export function exportTypeScript(ctx: ExportContext): string {
  const f = ctx.form;
  // Parameters are qualified by their term (<term>__<param>) so identical temporaries share only when equal.
  const { temps, exprs } = extractTemporal(
    f.terms.map((t) => renameParams(t.expr, (name) => `${t.id}__${name}`)),
    () => "",
    (e) => JSON.stringify(e, (k, v) => (k === "col" ? undefined : v)),
  );
  const out: string[] = [];
  out.push(
    "/**",
    ...[
      ...headerLines(ctx),
      "",
      "Arrays are time-major (t * nCell + c); a static input has nCell values.",
      TEMPORAL_NOTE,
    ].map((l) => ` * ${l}`.trimEnd()),
    " */",
    "",
  );
  out.push("export const PARAMS: Readonly<Record<string, number>> = {");
  for (const p of f.params) out.push(`  ${JSON.stringify(p.name)}: ${tsNumber(ctx.values[p.name])},`);
  out.push("};", "");
  out.push("export interface Inputs {", "  readonly nTime: number;", "  readonly nCell: number;");
  for (const d of f.drivers) {
    if (d === "lat")
      out.push("  /** Cell-centre latitude, one per cell. */", "  readonly lat: ArrayLike<number>;");
    else if (d === "month")
      out.push("  /** Calendar month 1..12, one per time step. */", "  readonly month: ArrayLike<number>;");
    else out.push(`  readonly ${d}: ArrayLike<number>;`);
  }
  out.push("}", "");
  out.push("/** Burned fraction of the cell per month, time-major. */");
  out.push(
    "export function burnedArea(inp: Inputs, p: Readonly<Record<string, number>> = PARAMS): Float64Array {",
  );
  out.push("  const { nTime, nCell } = inp;", "  const n = nTime * nCell;", "  $n = n;");
  // Term-qualified parameter locals: <term>__<param>.
  f.terms.forEach((t) => {
    for (const q of t.params) out.push(`  const ${t.id}__${q.local} = p[${JSON.stringify(q.name)}];`);
  });
  out.push(`  const scale = p["scale"];`);
  if (f.combiner === "softmin") out.push(`  const tau = p["tau"];`);
  const tempNames = new Set(temps.map((t) => t.name));
  const param = (name: string) => name;
  for (const tmp of temps) {
    const second =
      tmp.second.kind === "num" ? tsNumber(tmp.second.value) : tsExpr(tmp.second, param, tempNames);
    out.push(`  const ${tmp.name}_arg = new Float64Array(n);`);
    out.push(
      `  for (let t = 0, i = 0; t < nTime; t++) for (let c = 0; c < nCell; c++, i++) ${tmp.name}_arg[i] = ${tsExpr(tmp.arg, param, tempNames)};`,
    );
    out.push(
      `  const ${tmp.name} = $temporal(${JSON.stringify(tmp.fn)}, ${tmp.name}_arg, nTime, nCell, ${second});`,
    );
  }
  out.push("  const out = new Float64Array(n);");
  out.push("  for (let t = 0, i = 0; t < nTime; t++) {");
  out.push("    for (let c = 0; c < nCell; c++, i++) {");
  exprs.forEach((e, k) => out.push(`      const f${k + 1} = ${tsExpr(e, param, tempNames)};`));
  out.push(...combineTs(f.combiner, exprs.length).map((l) => `      ${l}`));
  out.push("    }", "  }", "  return out;", "}", "", HELPERS, "");
  return out.join("\n");
}

function combineTs(combiner: string, m: number): string[] {
  const fs = Array.from({ length: m }, (_, k) => `f${k + 1}`);
  switch (combiner) {
    case "product":
      return [`out[i] = ${["scale", ...fs].join(" * ")};`];
    case "logit-sum":
      return [`const z = ${["scale", ...fs].join(" * ")};`, `out[i] = 1 / (1 + 1 / z);`];
    case "min":
      return [`out[i] = scale * ${m === 0 ? "1" : `Math.min(${fs.join(", ")})`};`];
    default:
      if (m === 0) return [`out[i] = scale;`];
      return [
        `const lo = Math.min(${fs.join(", ")});`,
        `const se = ${fs.map((x) => `Math.exp(-(${x} - lo) / tau)`).join(" + ")};`,
        `out[i] = scale * (lo - tau * Math.log(se / ${m}));`,
      ];
  }
}
