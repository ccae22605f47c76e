/**
 * CF time decoding: "<unit> since <date>" with the CF calendars, mapped to the (year, month) of each
 * step. Kiln's own axis is monthly noleap (src/grid/time.ts); any calendar's months map onto it one to one.
 */
import { KilnError } from "../util/errors.ts";

export type Calendar = "standard" | "proleptic_gregorian" | "julian" | "noleap" | "all_leap" | "360_day";

const CALENDAR_ALIASES: Record<string, Calendar> = {
  standard: "standard",
  gregorian: "standard",
  proleptic_gregorian: "proleptic_gregorian",
  julian: "julian",
  noleap: "noleap",
  "365_day": "noleap",
  no_leap: "noleap",
  all_leap: "all_leap",
  "366_day": "all_leap",
  "360_day": "360_day",
};

/** The calendar named by a CF `calendar` attribute (absent means "standard", as CF says). */
export function parseCalendar(name: string | undefined, where: string): Calendar {
  if (name === undefined || name.trim() === "") return "standard";
  const c = CALENDAR_ALIASES[name.trim().toLowerCase()];
  if (!c) {
    throw new KilnError(`unknown calendar '${name}'`, {
      where,
      hint: `Kiln reads the CF calendars ${Object.keys(CALENDAR_ALIASES).join(", ")}`,
    });
  }
  return c;
}

export type TimeUnit = "seconds" | "minutes" | "hours" | "days" | "months" | "years";

export interface RefDate {
  year: number;
  month: number;
  day: number;
  /** Fraction of the day (hours, minutes, seconds). */
  dayFraction: number;
}

export interface TimeUnits {
  unit: TimeUnit;
  ref: RefDate;
}

const UNIT_ALIASES: Record<string, TimeUnit> = {
  s: "seconds",
  sec: "seconds",
  secs: "seconds",
  second: "seconds",
  seconds: "seconds",
  min: "minutes",
  mins: "minutes",
  minute: "minutes",
  minutes: "minutes",
  h: "hours",
  hr: "hours",
  hrs: "hours",
  hour: "hours",
  hours: "hours",
  d: "days",
  day: "days",
  days: "days",
  month: "months",
  months: "months",
  year: "years",
  years: "years",
};

const DAYS_PER: Record<Exclude<TimeUnit, "months" | "years">, number> = {
  seconds: 1 / 86400,
  minutes: 1 / 1440,
  hours: 1 / 24,
  days: 1,
};

/** Parse "days since 1850-01-01 00:00:00" (also "hours since 1900-1-1T06:00:00Z", "months since 2000-01"). */
export function parseTimeUnits(text: string, where: string): TimeUnits {
  const m =
    /^\s*([A-Za-z]+)\s+since\s+([+-]?\d{1,6})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?)?\s*(?:Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$/i.exec(
      text,
    );
  const unit = m ? UNIT_ALIASES[m[1].toLowerCase()] : undefined;
  if (!m || !unit) {
    throw new KilnError(`cannot read the time units '${text}'`, {
      where,
      hint: "CF time units look like 'days since 1850-01-01 00:00:00' (days, hours, minutes, seconds, months or years since a date)",
    });
  }
  const month = Number(m[3]);
  const day = m[4] === undefined ? 1 : Number(m[4]);
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    throw new KilnError(`the reference date in the time units '${text}' is not a valid date`, { where });
  }
  const h = Number(m[5] ?? 0);
  const mi = Number(m[6] ?? 0);
  const s = Number(m[7] ?? 0);
  return { unit, ref: { year: Number(m[2]), month, day, dayFraction: (h * 3600 + mi * 60 + s) / 86400 } };
}

const CUM_365 = cumulative([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
const CUM_366 = cumulative([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

function cumulative(lengths: number[]): Int32Array {
  const c = new Int32Array(13);
  for (let k = 0; k < 12; k++) c[k + 1] = c[k] + lengths[k];
  return c;
}

function monthOfDay(cum: Int32Array, dayOfYear: number): number {
  let m = 0;
  while (m < 11 && dayOfYear >= cum[m + 1]) m++;
  return m + 1;
}

// Julian day numbers (days at noon; an integer per civil day) for the Gregorian and Julian calendars.
function gregorianToJdn(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return (
    d +
    Math.floor((153 * mm + 2) / 5) +
    365 * yy +
    Math.floor(yy / 4) -
    Math.floor(yy / 100) +
    Math.floor(yy / 400) -
    32045
  );
}

function julianToJdn(y: number, m: number, d: number): number {
  const a = Math.floor((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - 32083;
}

function jdnToGregorian(j: number): [number, number] {
  const a = j + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return [100 * b + d - 4800 + Math.floor(m / 10), m + 3 - 12 * Math.floor(m / 10)];
}

function jdnToJulian(j: number): [number, number] {
  const c = j + 32082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return [d - 4800 + Math.floor(m / 10), m + 3 - 12 * Math.floor(m / 10)];
}

/** First day of the Gregorian reform (1582-10-15) as a Julian day number. */
const REFORM_JDN = 2299161;

/** (year, month) of the instant `days` after the reference date, in `calendar`. */
function dateAfter(ref: RefDate, days: number, calendar: Calendar): [number, number] {
  const total = days + ref.dayFraction;
  switch (calendar) {
    case "noleap":
    case "all_leap": {
      const len = calendar === "noleap" ? 365 : 366;
      const cum = calendar === "noleap" ? CUM_365 : CUM_366;
      const d = Math.floor(ref.year * len + cum[ref.month - 1] + ref.day - 1 + total);
      const y = Math.floor(d / len);
      return [y, monthOfDay(cum, d - y * len)];
    }
    case "360_day": {
      const d = Math.floor(ref.year * 360 + (ref.month - 1) * 30 + ref.day - 1 + total);
      const y = Math.floor(d / 360);
      return [y, Math.floor((d - y * 360) / 30) + 1];
    }
    case "proleptic_gregorian":
      return jdnToGregorian(gregorianToJdn(ref.year, ref.month, ref.day) + Math.floor(total));
    case "julian":
      return jdnToJulian(julianToJdn(ref.year, ref.month, ref.day) + Math.floor(total));
    case "standard": {
      const refGregorian =
        ref.year > 1582 || (ref.year === 1582 && (ref.month > 10 || (ref.month === 10 && ref.day >= 15)));
      const j0 = refGregorian
        ? gregorianToJdn(ref.year, ref.month, ref.day)
        : julianToJdn(ref.year, ref.month, ref.day);
      const j = j0 + Math.floor(total);
      return j >= REFORM_JDN ? jdnToGregorian(j) : jdnToJulian(j);
    }
  }
}

export interface DecodedMonths {
  years: Int32Array;
  months: Int32Array;
}

/**
 * The (year, month) of each time step. A step's instant is the mid-point of its bounds when bounds are
 * given (robust to stamps at the start or end of the month), else its stamp. "months since" and
 * "years since" count calendar months (fractions within a month keep that month).
 */
export function decodeMonths(
  values: ArrayLike<number>,
  bounds: ArrayLike<number> | null,
  unitsText: string,
  calendarName: string | undefined,
  where: string,
): DecodedMonths {
  const units = parseTimeUnits(unitsText, where);
  const calendar = parseCalendar(calendarName, where);
  const n = values.length;
  if (bounds && bounds.length !== 2 * n) {
    throw new KilnError(`time bounds have ${bounds.length} values for ${n} time steps (expected ${2 * n})`, {
      where,
    });
  }
  const years = new Int32Array(n);
  const months = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const v = bounds ? 0.5 * (bounds[2 * t] + bounds[2 * t + 1]) : values[t];
    if (!Number.isFinite(v)) {
      throw new KilnError(`time step ${t} has no valid time value (${v})`, { where });
    }
    let y: number;
    let m: number;
    if (units.unit === "months" || units.unit === "years") {
      const k = Math.floor((units.unit === "years" ? v * 12 : v) + 1e-9);
      const total = units.ref.year * 12 + (units.ref.month - 1) + k;
      y = Math.floor(total / 12);
      m = total - y * 12 + 1;
    } else {
      [y, m] = dateAfter(units.ref, v * DAYS_PER[units.unit], calendar);
    }
    years[t] = y;
    months[t] = m;
  }
  return { years, months };
}

/**
 * The order that sorts the steps by (year, month); an error naming the clashing steps when two steps fall
 * in the same month (the data are not monthly).
 */
export function monthlyOrder(d: DecodedMonths, where: string): Int32Array {
  const n = d.years.length;
  const key = (t: number) => d.years[t] * 12 + d.months[t] - 1;
  const order = Int32Array.from({ length: n }, (_, t) => t).sort((a, b) => key(a) - key(b));
  for (let k = 1; k < n; k++) {
    if (key(order[k]) === key(order[k - 1])) {
      const t = order[k];
      throw new KilnError(
        `time steps ${order[k - 1]} and ${t} both fall in ${d.years[t]}-${String(d.months[t]).padStart(2, "0")}; Kiln reads monthly data, one step per month`,
        { where, hint: "aggregate the file to monthly means first (e.g. `cdo monmean`)" },
      );
    }
  }
  return order;
}
