import type { Dataset } from "../grid/dataset.ts";
import { driverInfo } from "../grid/drivers.ts";
import { conversion, type Conversion } from "../io/units.ts";
import { isFillLike } from "./values.ts";
import { quantile, sample, sortedCopy, fmt } from "./stats.ts";
import type { Finding, SourceLike } from "./types.ts";

function tryConversion(from: string, to: string): Conversion | Error {
  try {
    return conversion(from, to, "audit");
  } catch (e) {
    return e as Error;
  }
}

function sameUnit(c: Conversion): boolean {
  return Math.abs(c.scale - 1) < 1e-9 && c.offset === 0 && c.monthPower === 0;
}

/** The 1st and 99th percentiles, given in the internal unit as declared, re-read in the file's unit. */
function asFileUnits(
  p01: number,
  p99: number,
  file: string,
  declared: string,
  internal: string,
): [number, number] | undefined {
  const a = tryConversion(declared, internal);
  const b = tryConversion(file, internal);
  if (a instanceof Error || b instanceof Error) return undefined;
  const days = 365 / 12;
  const raw = (v: number) => (v - a.offset) / (a.scale * Math.pow(days, a.monthPower));
  const again = (r: number) => b.scale * Math.pow(days, b.monthPower) * r + b.offset;
  const lo = again(raw(p01));
  const hi = again(raw(p99));
  return [Math.min(lo, hi), Math.max(lo, hi)];
}

/**
 * The units trap: a source whose file says one unit while the dataset config declares another. Kiln
 * converts from the declared unit, so the finding says which reading of the values is plausible.
 */
export function checkUnitAttribute(ds: Dataset, name: string, src: SourceLike): Finding[] {
  const declared = src.declaredUnits.trim();
  const file = src.fileUnits?.trim();
  const where = `${src.file}, variable '${src.variable}'`;
  if (file === undefined || file === "") {
    return [
      {
        severity: "info",
        check: "units-attribute",
        variable: name,
        regions: [],
        numbers: {},
        message: `${name}: ${where} has no units attribute; the config declares '${declared}'`,
      },
    ];
  }
  if (file === declared) return [];
  const f = ds.field(name);
  const info = driverInfo(name);
  const s = sortedCopy(sample(f.data, 100_000, ds.nCell, isFillLike));
  const p01 = quantile(s, 0.01);
  const p99 = quantile(s, 0.99);
  const inRange = info ? p01 >= info.min && p99 <= info.max : undefined;
  const span = `${fmt(p01)}..${fmt(p99)} ${src.internalUnits}`;
  const c = tryConversion(file, declared);
  if (!(c instanceof Error) && sameUnit(c)) {
    return [
      {
        severity: "info",
        check: "units-attribute",
        variable: name,
        regions: [],
        numbers: {},
        message: `${name}: the file writes the unit '${file}', the config '${declared}': the same unit spelled differently`,
      },
    ];
  }
  let reading: string;
  let fileReadingInRange: boolean | undefined;
  if (c instanceof Error) {
    reading = `'${file}' and '${declared}' are not even the same kind of quantity`;
  } else {
    const factor = c.scale * Math.pow(365 / 12, c.monthPower);
    const alt = asFileUnits(p01, p99, file, declared, src.internalUnits);
    if (alt && info) fileReadingInRange = alt[0] >= info.min && alt[1] <= info.max;
    reading =
      `read as '${file}' the values would be ×${fmt(factor)}` +
      `${c.offset ? ` ${c.offset > 0 ? "+" : "−"} ${fmt(Math.abs(c.offset))}` : ""} what Kiln uses` +
      (alt
        ? ` (1–99% ${fmt(alt[0])}..${fmt(alt[1])} ${src.internalUnits}, ${fileReadingInRange ? "plausible" : "implausible"})`
        : "");
  }
  const verdict =
    inRange === undefined
      ? ""
      : inRange
        ? `; as declared, the values (1–99% ${span}) are plausible, so the file's attribute looks wrong`
        : `; as declared, the values (1–99% ${span}) are outside ${info?.min}..${info?.max}: the declaration looks wrong too`;
  return [
    {
      severity: inRange === false ? "error" : "warning",
      check: "units-attribute",
      variable: name,
      regions: ["global"],
      numbers: { p01, p99 },
      message:
        `${name}: ${where} says units '${file}' but the dataset config declares '${declared}', and Kiln ` +
        `converts from the declared unit; ${reading}${verdict}`,
      hint: "keep the override only if you checked the values; better, fix the file's units attribute",
    },
  ];
}
