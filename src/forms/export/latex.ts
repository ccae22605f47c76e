/** Export a form as a LaTeX `aligned` block (KaTeX-compatible), with the fitted values beside each term. */
import type { Expr } from "../dsl/ast.ts";
import { type ExportContext, headerLines } from "./common.ts";
import { latexText } from "./names.ts";

const DRIVER_TEX: Record<string, string> = {
  tas: "T",
  tasmax: "T_{\\max}",
  pr: "P",
  rh: "\\mathrm{RH}",
  vpd: "\\mathrm{VPD}",
  gpp: "\\mathrm{GPP}",
  biomass: "B",
  dryness: "D",
  lightning: "L",
  popdens: "\\mathrm{PD}",
  cropland: "f_{\\mathrm{crop}}",
  treecover: "\\mathrm{TC}",
  totalcover: "f_{\\mathrm{veg}}",
  soilm: "\\theta",
  drydays: "f_{\\mathrm{dry}}",
  consecdry: "\\mathrm{CDD}",
  fapar: "\\mathrm{FAPAR}",
  gdp: "\\mathrm{GDP}",
  wind: "W",
  pasture: "f_{\\mathrm{past}}",
  lat: "\\lambda",
  month: "m",
};

const GREEK = new Set(
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega".split(
    " ",
  ),
);

function symbol(base: string): string {
  if (GREEK.has(base)) return `\\${base}`;
  return base.length === 1 ? base : `\\mathrm{${base}}`;
}

/** LaTeX for a parameter's local name: G0 → G_{0}, m_e → m_{e}, kappa → \kappa, RH_low → \mathrm{RH}_{\mathrm{low}}. */
export function paramTex(name: string): string {
  const us = name.indexOf("_");
  if (us > 0) {
    const sub = name.slice(us + 1).replace(/_/g, ",");
    return `${symbol(name.slice(0, us))}_{${/^\d+$/.test(sub) || sub.length === 1 ? sub : `\\mathrm{${sub}}`}}`;
  }
  const m = /^([A-Za-z]+?)(\d+)$/.exec(name);
  if (m) return `${symbol(m[1])}_{${m[2]}}`;
  return symbol(name);
}

export function texNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "\\mathrm{NaN}" : v > 0 ? "\\infty" : "-\\infty";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
  const [m, e] = v.toExponential(3).split("e");
  return `${Number(m)}\\times 10^{${Number(e)}}`;
}

const PREC = { add: 1, mul: 2, neg: 3, pow: 4, atom: 5 };

function tex(e: Expr): { s: string; p: number } {
  switch (e.kind) {
    case "num":
      return { s: e.label === "pi" ? "\\pi" : texNumber(e.value), p: e.value < 0 ? PREC.neg : PREC.atom };
    case "param":
      return { s: paramTex(e.name), p: PREC.atom };
    case "driver":
      return { s: DRIVER_TEX[e.name] ?? `\\mathrm{${latexText(e.name)}}`, p: PREC.atom };
    case "neg": {
      const a = tex(e.arg);
      return { s: `-${a.p <= PREC.neg ? paren(a.s) : a.s}`, p: PREC.neg };
    }
    case "bin": {
      const a = tex(e.left);
      const b = tex(e.right);
      switch (e.op) {
        case "+":
          return { s: `${a.s} + ${b.p === PREC.neg ? paren(b.s) : b.s}`, p: PREC.add };
        case "-":
          return { s: `${a.s} - ${b.p <= PREC.add || b.p === PREC.neg ? paren(b.s) : b.s}`, p: PREC.add };
        case "*": {
          const l = a.p < PREC.mul ? paren(a.s) : a.s;
          const r = b.p <= PREC.neg ? paren(b.s) : b.s;
          return { s: `${l}${/^[\d.]/.test(r) ? " \\cdot " : "\\,"}${r}`, p: PREC.mul };
        }
        case "/":
          return { s: `\\frac{${a.s}}{${b.s}}`, p: PREC.atom };
        default:
          return { s: `{${a.p < PREC.atom ? paren(a.s) : a.s}}^{${b.s}}`, p: PREC.pow };
      }
    }
    case "call":
      return {
        s: callTex(
          e.fn,
          e.args.map((x) => tex(x).s),
          e.args,
        ),
        p: PREC.atom,
      };
  }
}

function paren(s: string): string {
  return `\\left(${s}\\right)`;
}

function callTex(fn: string, a: string[], raw: readonly Expr[]): string {
  switch (fn) {
    case "exp":
      return `\\exp${paren(a[0])}`;
    case "log":
      return `\\ln${paren(a[0])}`;
    case "sqrt":
      return `\\sqrt{${a[0]}}`;
    case "abs":
      return `\\left|${a[0]}\\right|`;
    case "cos":
      return `\\cos${paren(a[0])}`;
    case "min":
    case "max":
      return `\\${fn}${paren(a.join(", "))}`;
    case "clamp":
      return a.length === 1
        ? `\\mathrm{clamp}${paren(a[0])}`
        : `\\mathrm{clamp}_{[${a[1]},\\,${a[2]}]}${paren(a[0])}`;
    case "sigmoid":
      return `\\sigma${paren(a[0])}`;
    case "hump":
      return `{\\left(\\frac{${a[0]}}{${a[1]}}\\right)}^{${a[2]}} \\exp${paren(`${a[2]}\\left(1 - \\frac{${a[0]}}{${a[1]}}\\right)`)}`;
    case "step":
      return `\\left[${a[0]} > 0\\right]`;
    case "lag":
      return `\\operatorname{lag}_{${(raw[1] as { value: number }).value}}\\left[${a[0]}\\right]`;
    case "runmean":
    case "runmax":
    case "runmin":
      return `\\operatorname{${fn.slice(3)}}_{${(raw[1] as { value: number }).value}}\\left[${a[0]}\\right]`;
    default:
      return `\\operatorname{${fn === "accum" ? "acc" : "ewm"}}_{${a[1]}}\\left[${a[0]}\\right]`;
  }
}

export function exprTex(e: Expr): string {
  return tex(e).s;
}

/** The aligned block only (what KaTeX renders). */
export function latexBody(ctx: ExportContext): string {
  const f = ctx.form;
  const fs = f.terms.map((_, k) => `f_{${k + 1}}`);
  let ba: string;
  switch (f.combiner) {
    case "product":
      ba = `s\\,${fs.join("\\,")}`;
      break;
    case "logit-sum":
      ba = `\\frac{z}{1 + z},\\quad z = s\\,${fs.join("\\,")}`;
      break;
    case "min":
      ba = `s\\,\\min\\left(${fs.join(", ") || "1"}\\right)`;
      break;
    default:
      ba = `s\\,\\operatorname{softmin}_{\\tau}\\left(${fs.join(", ")}\\right)`;
  }
  const globals = f.params
    .slice(0, f.nGlobal)
    .map((p) => `${p.name === "scale" ? "s" : "\\tau"} = ${texNumber(ctx.values[p.name])}`)
    .join(",\\; ");
  const rows = [`\\mathrm{BA} &= ${ba} && ${globals}`];
  f.terms.forEach((t, k) => {
    const vals = t.params.map((p) => `${paramTex(p.local)} = ${texNumber(ctx.values[p.name])}`).join(",\\; ");
    rows.push(
      `f_{${k + 1}} &= ${exprTex(t.expr)} && \\text{${latexText(t.id)}}${vals ? `:\\; ${vals}` : ""}`,
    );
  });
  return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
}

export function exportLatex(ctx: ExportContext): string {
  const notes = [
    "Notation: sigma(z) = 1/(1+e^-z); clamp limits to [0,1]; [x > 0] is 1 where x > 0;",
    "lag_k[x] is x k months earlier; mean_k, max_k, min_k run over the trailing k months;",
    "acc_tau[x](t) = x(t) + e^(-1/tau) acc(t-1); ewm_tau is the exponentially weighted mean.",
  ];
  const head = [...headerLines(ctx), "", ...notes].map((l) => `% ${l}`.trimEnd());
  return `${head.join("\n")}\n\\[\n${latexBody(ctx)}\n\\]\n`;
}
