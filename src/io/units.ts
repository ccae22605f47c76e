/**
 * Unit parsing and conversion to Kiln's internal units (src/grid/drivers.ts).
 *
 * A unit string in the udunits/CF style ("kg m-2 s-1", "kg.m-2.s-1", "kg/m2/s", "1.157e-11 m-2.s-1",
 * "gC m-2 day-1", "%", "degC") is parsed into a numeric factor and exponents of base dimensions. Two
 * units convert when their dimensions agree, with two named exceptions:
 * - water equivalence: a mass per area of water and a depth of water are the same thing (1 kg m-2 = 1 mm),
 *   so "kg m-2 s-1" converts to "mm day-1";
 * - months: a month is a time unit of variable length. A conversion that changes the power of "month"
 *   (e.g. "km-2 day-1" to "km-2 month-1") depends on the month's length in days, which the caller passes
 *   (Kiln's calendar is noleap, so January has 31 days and February 28).
 * Words that count things (flashes, persons, capita, fires) and the carbon marker C (gC, kgC, "g C") are
 * dimensionless labels. Temperatures carry an offset only when the unit is a lone temperature (K, degC,
 * degF); inside a compound unit ("K day-1") they are differences.
 */
import { KilnError } from "../util/errors.ts";

/** Base dimensions: length (m), mass (kg), time (s), temperature (K), currency ($), month (variable). */
const L = 0;
const M = 1;
const T = 2;
const TEMP = 3;
const CUR = 4;
const MON = 5;
const NDIM = 6;
const DIM_NAMES = ["m", "kg", "s", "K", "$", "month"];

type Dims = number[];

/** A parsed unit: value_in_base = factor × value × (86400·monthDays)^dims[MON] (+ offset for lone temperatures). */
export interface ParsedUnit {
  readonly text: string;
  readonly factor: number;
  readonly dims: readonly number[];
  /** Kelvin at zero of this unit, when the unit is a lone temperature (degC: 273.15); else 0. */
  readonly offset: number;
  readonly loneTemperature: boolean;
}

/**
 * y = scale · x · monthDays^monthPower + offset. monthPower is non-zero only when the conversion changes
 * the power of "month" (per day → per month: +1).
 */
export interface Conversion {
  readonly from: string;
  readonly to: string;
  readonly scale: number;
  readonly offset: number;
  readonly monthPower: number;
}

interface UnitDef {
  factor: number;
  dims: Dims;
  /** Whether SI prefixes apply (km, hPa, mg). */
  prefixable?: boolean;
  /** Offset in kelvin of a lone temperature. */
  offset?: number;
  temperature?: boolean;
}

const dims = (spec: Partial<Record<number, number>> = {}): Dims => {
  const d = new Array<number>(NDIM).fill(0);
  for (const [k, v] of Object.entries(spec)) d[Number(k)] = v ?? 0;
  return d;
};

const DAY = 86400;
const YEAR = 365 * DAY; // Kiln's calendar is noleap

const UNITS = new Map<string, UnitDef>();
function def(names: string[], u: UnitDef): void {
  for (const n of names) UNITS.set(n, u);
}
def(["1", "fraction", "frac", "unitless", "dimensionless"], { factor: 1, dims: dims() });
def(["%", "percent", "pct"], { factor: 0.01, dims: dims() });
// counted things and the carbon marker: dimensionless labels
def(
  [
    "flash",
    "flashes",
    "stroke",
    "strokes",
    "strike",
    "strikes",
    "person",
    "persons",
    "people",
    "inhabitant",
    "inhabitants",
    "capita",
    "count",
    "counts",
    "fire",
    "fires",
    "C",
  ],
  { factor: 1, dims: dims() },
);
def(["m", "metre", "meter", "metres", "meters"], { factor: 1, dims: dims({ [L]: 1 }), prefixable: true });
def(["g", "gram", "grams"], { factor: 1e-3, dims: dims({ [M]: 1 }), prefixable: true });
def(["t", "tonne", "tonnes"], { factor: 1e3, dims: dims({ [M]: 1 }), prefixable: true });
def(["s", "sec", "second", "seconds"], { factor: 1, dims: dims({ [T]: 1 }), prefixable: true });
def(["min", "minute", "minutes"], { factor: 60, dims: dims({ [T]: 1 }) });
def(["h", "hr", "hour", "hours"], { factor: 3600, dims: dims({ [T]: 1 }) });
def(["d", "day", "days"], { factor: DAY, dims: dims({ [T]: 1 }) });
def(["yr", "year", "years", "a"], { factor: YEAR, dims: dims({ [T]: 1 }) });
def(["month", "months", "mon", "mo"], { factor: 1, dims: dims({ [MON]: 1 }) });
def(["K", "kelvin"], { factor: 1, dims: dims({ [TEMP]: 1 }), temperature: true, offset: 0 });
def(
  [
    "degC",
    "deg_C",
    "degreeC",
    "degreesC",
    "degree_C",
    "degrees_C",
    "degree_Celsius",
    "degrees_Celsius",
    "celsius",
    "Celsius",
    "°C",
  ],
  { factor: 1, dims: dims({ [TEMP]: 1 }), temperature: true, offset: 273.15 },
);
def(["degF", "deg_F", "degree_F", "degrees_F", "degree_Fahrenheit", "degrees_Fahrenheit", "°F"], {
  factor: 5 / 9,
  dims: dims({ [TEMP]: 1 }),
  temperature: true,
  offset: 459.67 * (5 / 9),
});
def(["Pa", "pascal"], { factor: 1, dims: dims({ [M]: 1, [L]: -1, [T]: -2 }), prefixable: true });
def(["bar"], { factor: 1e5, dims: dims({ [M]: 1, [L]: -1, [T]: -2 }), prefixable: true });
def(["atm"], { factor: 101325, dims: dims({ [M]: 1, [L]: -1, [T]: -2 }) });
def(["ha", "hectare", "hectares"], { factor: 1e4, dims: dims({ [L]: 2 }) });
def(["L", "l", "litre", "liter", "litres", "liters"], {
  factor: 1e-3,
  dims: dims({ [L]: 3 }),
  prefixable: true,
});
def(["W", "watt", "watts"], { factor: 1, dims: dims({ [M]: 1, [L]: 2, [T]: -3 }), prefixable: true });
def(["J", "joule", "joules"], { factor: 1, dims: dims({ [M]: 1, [L]: 2, [T]: -2 }), prefixable: true });
def(["N", "newton", "newtons"], { factor: 1, dims: dims({ [M]: 1, [L]: 1, [T]: -2 }), prefixable: true });
def(["$", "USD", "dollar", "dollars"], { factor: 1, dims: dims({ [CUR]: 1 }), prefixable: true });

const PREFIXES: ReadonlyArray<[string, number]> = [
  ["da", 1e1],
  ["h", 1e2],
  ["k", 1e3],
  ["M", 1e6],
  ["G", 1e9],
  ["T", 1e12],
  ["P", 1e15],
  ["d", 1e-1],
  ["c", 1e-2],
  ["m", 1e-3],
  ["u", 1e-6],
  ["µ", 1e-6],
  ["μ", 1e-6],
  ["n", 1e-9],
];

/** Look a unit symbol up: exact name, then SI prefix + name, then mass + carbon marker (gC, kgC, PgC). */
function lookup(sym: string): UnitDef | undefined {
  const exact = UNITS.get(sym);
  if (exact) return exact;
  for (const [p, f] of PREFIXES) {
    if (sym.length > p.length && sym.startsWith(p)) {
      const base = UNITS.get(sym.slice(p.length));
      if (base?.prefixable) return { ...base, factor: base.factor * f, prefixable: false };
    }
  }
  if (sym.length > 1 && sym.endsWith("C")) {
    const mass = lookup(sym.slice(0, -1));
    if (mass && mass.dims[M] === 1 && mass.dims.every((v, k) => k === M || v === 0)) return mass;
  }
  return undefined;
}

class UnitSyntaxError extends Error {}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_°%$µμ]+/;
const EXPONENT = /^(?:\^|\*\*)?([+-]?\d+)/;

interface Term {
  factor: number;
  dims: Dims;
  offset: number;
  temperature: boolean;
  /** Number of unit symbols multiplied in (for the lone-temperature rule). */
  symbols: number;
}

function identity(): Term {
  return { factor: 1, dims: dims(), offset: 0, temperature: false, symbols: 0 };
}

function power(t: Term, e: number): Term {
  return {
    factor: Math.pow(t.factor, e),
    dims: t.dims.map((v) => v * e),
    offset: t.offset,
    temperature: t.temperature && e === 1,
    symbols: t.symbols,
  };
}

function multiply(a: Term, b: Term): Term {
  return {
    factor: a.factor * b.factor,
    dims: a.dims.map((v, k) => v + b.dims[k]),
    offset: b.symbols > 0 ? b.offset : a.offset,
    temperature: b.symbols > 0 ? b.temperature : a.temperature,
    symbols: a.symbols + b.symbols,
  };
}

/** Recursive-descent parser: product of terms; "/" inverts the next term; parentheses group. */
class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  parseAll(): Term {
    const t = this.product();
    this.skipSeparators();
    if (this.pos < this.s.length) throw new UnitSyntaxError(`unexpected '${this.s.slice(this.pos)}'`);
    return t;
  }

  private skipSeparators(): void {
    while (this.pos < this.s.length && /[\s.*·]/.test(this.s[this.pos])) {
      // a '.' that starts a number (".5") is not a separator
      if (this.s[this.pos] === "." && /\d/.test(this.s[this.pos + 1] ?? "")) break;
      this.pos++;
    }
  }

  private product(): Term {
    let acc = identity();
    for (;;) {
      this.skipSeparators();
      if (this.pos >= this.s.length || this.s[this.pos] === ")") return acc;
      let invert = false;
      if (this.s[this.pos] === "/") {
        invert = true;
        this.pos++;
        this.skipSeparators();
      }
      const t = this.term();
      acc = multiply(acc, invert ? power(t, -1) : t);
    }
  }

  private term(): Term {
    const rest = this.s.slice(this.pos);
    if (rest.startsWith("(")) {
      this.pos++;
      const inner = this.product();
      if (this.s[this.pos] !== ")") throw new UnitSyntaxError("unbalanced parenthesis");
      this.pos++;
      return power(inner, this.exponent());
    }
    const num = NUMBER.exec(rest);
    if (num) {
      this.pos += num[0].length;
      const value = Number(num[0]);
      // "10^3" or "10**-3"
      const after = this.s.slice(this.pos);
      const pow = /^(?:\^|\*\*)([+-]?\d+)/.exec(after);
      if (pow) {
        this.pos += pow[0].length;
        return { ...identity(), factor: Math.pow(value, Number(pow[1])) };
      }
      return { ...identity(), factor: value };
    }
    const name = NAME.exec(rest);
    if (!name) throw new UnitSyntaxError(`unexpected '${rest}'`);
    this.pos += name[0].length;
    const u = lookup(name[0]);
    if (!u) throw new UnitSyntaxError(`unknown unit '${name[0]}'`);
    const base: Term = {
      factor: u.factor,
      dims: [...u.dims],
      offset: u.offset ?? 0,
      temperature: u.temperature === true,
      symbols: 1,
    };
    return power(base, this.exponent());
  }

  private exponent(): number {
    const m = EXPONENT.exec(this.s.slice(this.pos));
    if (!m) return 1;
    this.pos += m[0].length;
    return Number(m[1]);
  }
}

/** Parse a unit string; an unknown or malformed unit is a KilnError naming `where`. */
export function parseUnits(text: string, where: string): ParsedUnit {
  const trimmed = text.trim();
  if (trimmed === "") {
    throw new KilnError("the unit is empty", {
      where,
      hint: "declare what the file holds with `units:` in the dataset config",
    });
  }
  let t: Term;
  try {
    t = new Parser(trimmed).parseAll();
  } catch (e) {
    if (!(e instanceof UnitSyntaxError)) throw e;
    throw new KilnError(`cannot read the unit '${text}': ${e.message}`, {
      where,
      hint:
        "write units the udunits way, e.g. 'kg m-2 s-1', 'K', 'degC', 'Pa', '%', '1', 'km-2 day-1'; " +
        "declare the unit the file really holds with `units:` in the dataset config",
    });
  }
  const lone = t.temperature && t.symbols === 1;
  return { text, factor: t.factor, dims: t.dims, offset: lone ? t.offset : 0, loneTemperature: lone };
}

function describeDims(d: readonly number[]): string {
  const parts = d
    .map((v, k) => (v === 0 ? "" : v === 1 ? DIM_NAMES[k] : `${DIM_NAMES[k]}${v}`))
    .filter(Boolean);
  return parts.length ? parts.join(" ") : "dimensionless";
}

const WATER_DENSITY = 1000; // kg m-3: 1 kg m-2 of water is 1 mm deep

/**
 * The conversion from `fromUnits` to `toUnits`; a KilnError naming `where` (file, variable) and both
 * units when they do not convert.
 */
export function conversion(fromUnits: string, toUnits: string, where: string): Conversion {
  if (fromUnits.trim() === toUnits.trim()) {
    return { from: fromUnits, to: toUnits, scale: 1, offset: 0, monthPower: 0 };
  }
  const a = parseUnits(fromUnits, where);
  const b = parseUnits(toUnits, where);
  const diff = a.dims.map((v, k) => v - b.dims[k]);
  // a month is a time unit: only the total power of time must agree
  const monthPower = diff[MON];
  diff[T] += diff[MON];
  diff[MON] = 0;
  let scale = (a.factor / b.factor) * Math.pow(DAY, monthPower);
  // water equivalence: a mass of water per area (kg m-2 ...) and a depth of water (mm ...)
  const k = diff[M];
  const massSide = k === 1 ? a : b;
  const depthSide = k === 1 ? b : a;
  if (
    Math.abs(k) === 1 &&
    massSide.dims[M] === 1 &&
    massSide.dims[L] === -2 &&
    depthSide.dims[M] === 0 &&
    depthSide.dims[L] === 1 &&
    diff[T] === 0 &&
    diff[TEMP] === 0 &&
    diff[CUR] === 0
  ) {
    scale /= Math.pow(WATER_DENSITY, k);
    diff[M] = 0;
    diff[L] = 0;
  }
  if (diff.some((v) => v !== 0)) {
    throw new KilnError(
      `cannot convert '${fromUnits}' (${describeDims(a.dims)}) to '${toUnits}' (${describeDims(b.dims)})`,
      {
        where,
        hint: "if the file's units attribute is wrong, declare what it really holds with `units:` in the dataset config",
      },
    );
  }
  let offset = 0;
  if (a.loneTemperature && b.loneTemperature) offset = (a.offset - b.offset) / b.factor;
  else if (a.loneTemperature !== b.loneTemperature && (a.offset !== 0 || b.offset !== 0)) {
    throw new KilnError(
      `cannot convert '${fromUnits}' to '${toUnits}': a temperature and a temperature inside a compound unit differ by an offset`,
      { where },
    );
  }
  return { from: fromUnits, to: toUnits, scale, offset, monthPower };
}

/** The mean month length of the noleap calendar, used when no particular month is given. */
export const MEAN_MONTH_DAYS = 365 / 12;

/**
 * A function converting a value in `fromUnits` to `toUnits`. Conversions that change the power of
 * "month" use `monthDays` (default: the mean noleap month, 365/12 days); the dataset loader applies
 * each step's own month length instead (see `conversion`).
 */
export function converter(
  fromUnits: string,
  toUnits: string,
  where: string,
  monthDays: number = MEAN_MONTH_DAYS,
): (x: number) => number {
  const c = conversion(fromUnits, toUnits, where);
  const s = c.scale * Math.pow(monthDays, c.monthPower);
  const o = c.offset;
  if (o === 0) return s === 1 ? (x) => x : (x) => s * x;
  return (x) => s * x + o;
}

/** The multiplier and offset of a conversion for a month of `monthDays` days. */
export function linearFor(c: Conversion, monthDays: number): { scale: number; offset: number } {
  return { scale: c.scale * Math.pow(monthDays, c.monthPower), offset: c.offset };
}
