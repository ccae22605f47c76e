/**
 * Export a form as a Fortran 90 module for land models (ED, CLM and JULES are Fortran):
 *   - the fitted parameters as named constants;
 *   - `burned_area(...)`, an elemental function of one cell-month's drivers; a temporal operator cannot be
 *     elemental, so each one is an extra argument (tmp1, tmp2, ...) that the host model supplies from its
 *     own history (running means, lags it already keeps) — the comments say what each one is;
 *   - `burned_area_series(nt, ...)`, a pure subroutine over one cell's monthly series that computes those
 *     temporal inputs exactly as Kiln does and calls `burned_area` for every month (what Kiln scored).
 */
import { renameParams, type Expr } from "../dsl/ast.ts";
import { inputUnits } from "../dsl/names.ts";
import { type ExportContext, TEMPORAL_NOTE, headerLines } from "./common.ts";
import { dslText, extractTemporal, printInfix } from "./infix.ts";

function f90Number(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`Fortran export: cannot write the non-finite number ${v}`);
  const s = Object.is(v, -0) ? "0" : String(Math.abs(v));
  const lit = `${/[.e]/.test(s) ? s : `${s}.0`}_dp`;
  return v < 0 ? `(-${lit})` : lit;
}

function f90Expr(e: Expr, param: (name: string) => string): string {
  return printInfix(e, {
    num: f90Number,
    param,
    driver: (name) => name,
    pow: (a, b) => `(${a}**${b})`,
    call(fn, args) {
      switch (fn) {
        case "exp":
        case "log":
        case "sqrt":
        case "abs":
        case "cos":
        case "min":
        case "max":
          return `${fn}(${args.join(", ")})`;
        case "clamp":
          return args.length === 1
            ? `min(max(${args[0]}, 0.0_dp), 1.0_dp)`
            : `min(max(${args[0]}, ${args[1]}), ${args[2]})`;
        default:
          return `kiln_${fn}(${args.join(", ")})`;
      }
    },
  });
}

/** Break a long statement at spaces into `&` continuation lines (free form allows 132 characters). */
export function wrapFortran(line: string, width = 100): string[] {
  const indent = /^\s*/.exec(line)![0];
  if (line.length <= width) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(" ", width - 2);
    if (cut <= indent.length + 4) cut = rest.indexOf(" ", width - 2);
    if (cut < 0) break;
    out.push(rest.slice(0, cut) + " &");
    rest = `${indent}    & ${rest.slice(cut + 1)}`;
  }
  out.push(rest);
  return out;
}

/** Word-wrap a comment line to at most `width` characters, continuing with `prefix`. */
export function wrapComment(line: string, prefix: string, width = 110): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(" ", width);
    if (cut <= prefix.length) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = prefix + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

const HELPERS = `  elemental real(dp) function kiln_sigmoid(z)
    real(dp), intent(in) :: z
    kiln_sigmoid = 1.0_dp / (1.0_dp + exp(-z))
  end function kiln_sigmoid

  elemental real(dp) function kiln_hump(x, x0, a)
    real(dp), intent(in) :: x, x0, a
    real(dp) :: r
    r = x / x0
    kiln_hump = max(r, 0.0_dp)**a * exp(a * (1.0_dp - r))
  end function kiln_hump

  elemental real(dp) function kiln_step(x)
    real(dp), intent(in) :: x
    kiln_step = merge(1.0_dp, 0.0_dp, x > 0.0_dp)
  end function kiln_step

  pure subroutine kiln_lag(nt, x, k, y)
    integer, intent(in) :: nt, k
    real(dp), intent(in) :: x(nt)
    real(dp), intent(out) :: y(nt)
    integer :: t
    do t = 1, nt
      y(t) = x(max(t - k, 1))
    end do
  end subroutine kiln_lag

  pure subroutine kiln_runmean(nt, x, k, y)
    integer, intent(in) :: nt, k
    real(dp), intent(in) :: x(nt)
    real(dp), intent(out) :: y(nt)
    integer :: t, s, t0
    real(dp) :: acc
    do t = 1, nt
      t0 = max(1, t - k + 1)
      acc = 0.0_dp
      do s = t0, t
        acc = acc + x(s)
      end do
      y(t) = acc / real(t - t0 + 1, dp)
    end do
  end subroutine kiln_runmean

  pure subroutine kiln_runmax(nt, x, k, y)
    integer, intent(in) :: nt, k
    real(dp), intent(in) :: x(nt)
    real(dp), intent(out) :: y(nt)
    integer :: t
    do t = 1, nt
      y(t) = maxval(x(max(1, t - k + 1):t))
    end do
  end subroutine kiln_runmax

  pure subroutine kiln_runmin(nt, x, k, y)
    integer, intent(in) :: nt, k
    real(dp), intent(in) :: x(nt)
    real(dp), intent(out) :: y(nt)
    integer :: t
    do t = 1, nt
      y(t) = minval(x(max(1, t - k + 1):t))
    end do
  end subroutine kiln_runmin

  pure subroutine kiln_accum(nt, x, tau, y)
    integer, intent(in) :: nt
    real(dp), intent(in) :: x(nt), tau
    real(dp), intent(out) :: y(nt)
    real(dp) :: d
    integer :: t
    d = exp(-1.0_dp / tau)
    y(1) = x(1)
    do t = 2, nt
      y(t) = x(t) + d * y(t - 1)
    end do
  end subroutine kiln_accum

  pure subroutine kiln_ewmean(nt, x, tau, y)
    integer, intent(in) :: nt
    real(dp), intent(in) :: x(nt), tau
    real(dp), intent(out) :: y(nt)
    real(dp) :: d, num, den
    integer :: t
    d = exp(-1.0_dp / tau)
    num = 0.0_dp
    den = 0.0_dp
    do t = 1, nt
      den = 1.0_dp + d * den
      num = x(t) + d * num
      y(t) = num / den
    end do
  end subroutine kiln_ewmean`;

/** Fortran names of the parameter constants: k_<term>_<param> (lowercase), or k_p<j> when too long or clashing. */
function constantNames(ctx: ExportContext): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  ctx.form.params.forEach((p, j) => {
    let name = `k_${p.name.replace(/\./g, "_")}`.toLowerCase();
    if (name.length > 63 || used.has(name)) name = `k_p${j}`;
    used.add(name);
    out.set(p.name, name);
  });
  return out;
}

export function fortranModuleName(formName: string): string {
  return `kiln_${formName.replace(/[^A-Za-z0-9]/g, "_")}`.toLowerCase().slice(0, 63);
}

export function exportFortran(ctx: ExportContext): string {
  const f = ctx.form;
  const consts = constantNames(ctx);
  const qualified = f.terms.map((t) => renameParams(t.expr, (name) => consts.get(`${t.id}.${name}`)!));
  const { temps, exprs } = extractTemporal(
    qualified,
    (e) => dslText(e),
    (e) => JSON.stringify(e, (k, v) => (k === "col" ? undefined : v)),
  );
  const drivers = [...f.drivers];
  const mod = fortranModuleName(f.name);
  const L: string[] = [];
  for (const l of [...headerLines(ctx), "", TEMPORAL_NOTE])
    L.push(...wrapComment(`! ${l}`.trimEnd(), "!     "));
  L.push(
    `module ${mod}`,
    "  implicit none",
    "  private",
    "  integer, parameter, public :: dp = kind(1.0d0)",
    "  public :: burned_area, burned_area_series",
    "",
  );
  L.push("  ! Fitted parameters");
  for (const p of f.params) {
    L.push(`  ! ${p.name}${p.units ? ` [${p.units}]` : ""}`);
    L.push(`  real(dp), parameter, public :: ${consts.get(p.name)} = ${f90Number(ctx.values[p.name])}`);
  }
  L.push("", "contains", "");
  const fnArgs = [...drivers, ...temps.map((t) => t.name)];
  L.push("  !> Burned fraction of the cell in one month.");
  for (const t of temps)
    L.push(...wrapComment(`  !> ${t.name} = ${t.text}  (see burned_area_series)`, "  !>     "));
  L.push(...wrapFortran(`  elemental function burned_area(${fnArgs.join(", ")}) result(ba)`));
  for (const d of drivers) L.push(`    real(dp), intent(in) :: ${d}  ! [${inputUnits(d)}]`);
  for (const t of temps) L.push(`    real(dp), intent(in) :: ${t.name}`);
  L.push("    real(dp) :: ba");
  if (exprs.length) L.push(`    real(dp) :: ${exprs.map((_, k) => `f${k + 1}`).join(", ")}`);
  if (f.combiner === "softmin" || f.combiner === "logit-sum") L.push("    real(dp) :: lo, se, z");
  exprs.forEach((e, k) => {
    L.push(`    ! ${f.terms[k].id}`);
    L.push(...wrapFortran(`    f${k + 1} = ${f90Expr(e, (n) => n)}`));
  });
  const fs = exprs.map((_, k) => `f${k + 1}`);
  const sc = consts.get("scale")!;
  switch (f.combiner) {
    case "product":
      L.push(`    ba = ${[sc, ...fs].join(" * ")}`);
      break;
    case "logit-sum":
      L.push(`    z = ${[sc, ...fs].join(" * ")}`, "    ba = 1.0_dp / (1.0_dp + 1.0_dp / z)");
      break;
    case "min":
      L.push(
        `    ba = ${sc} * ${fs.length === 0 ? "1.0_dp" : fs.length === 1 ? fs[0] : `min(${fs.join(", ")})`}`,
      );
      break;
    default: {
      const tau = consts.get("tau")!;
      if (fs.length === 0) L.push(`    ba = ${sc}`);
      else {
        L.push(`    lo = ${fs.length === 1 ? fs[0] : `min(${fs.join(", ")})`}`);
        L.push(...wrapFortran(`    se = ${fs.map((x) => `exp(-(${x} - lo) / ${tau})`).join(" + ")}`));
        L.push(`    ba = ${sc} * (lo - ${tau} * log(se / ${fs.length}.0_dp))`);
      }
    }
  }
  L.push("  end function burned_area", "");

  // The series subroutine: every driver as a series of nt months (repeat a static value), lat a scalar.
  const isScalar = (d: string) => d === "lat";
  L.push(
    "  !> One cell's monthly series (nt months, oldest first): the temporal inputs computed as Kiln does,",
  );
  L.push("  !> then burned_area for every month. Static drivers: pass the value repeated nt times.");
  L.push(...wrapFortran(`  pure subroutine burned_area_series(${["nt", ...drivers, "ba"].join(", ")})`));
  L.push("    integer, intent(in) :: nt");
  for (const d of drivers) {
    if (d === "month") L.push("    integer, intent(in) :: month(nt)  ! 1..12");
    else if (isScalar(d)) L.push(`    real(dp), intent(in) :: ${d}  ! [${inputUnits(d)}]`);
    else L.push(`    real(dp), intent(in) :: ${d}(nt)  ! [${inputUnits(d)}]`);
  }
  L.push("    real(dp), intent(out) :: ba(nt)");
  if (temps.length) L.push(`    real(dp) :: ${[...temps.map((t) => `${t.name}(nt)`), "arg(nt)"].join(", ")}`);
  if (drivers.includes("month")) L.push("    real(dp) :: rmonth(nt)", "    rmonth = real(month, dp)");
  const sub = (text: string) => (drivers.includes("month") ? text.replace(/\bmonth\b/g, "rmonth") : text);
  for (const t of temps) {
    L.push(...wrapFortran(sub(`    arg = ${f90Expr(t.arg, (n) => n)}`)));
    const second =
      t.fn === "accum" || t.fn === "ewmean"
        ? f90Expr(t.second, (n) => n)
        : String((t.second as { value: number }).value);
    L.push(`    call kiln_${t.fn}(nt, arg, ${second}, ${t.name})`);
  }
  L.push(...wrapFortran(sub(`    ba = burned_area(${fnArgs.join(", ")})`)));
  L.push("  end subroutine burned_area_series", "");
  L.push(HELPERS, "", `end module ${mod}`, "");
  return L.join("\n");
}
