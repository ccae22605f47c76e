/** Shared test data for the form tests: random inputs and random forms from a seeded stream. */
import { Rng } from "../../src/util/rng.ts";
import type { KernelInputs, NumArray } from "../../src/forms/inputs.ts";

/** Plausible ranges (internal units) used to fill random inputs. */
export const RANGES: Record<string, [number, number, "lin" | "log"]> = {
  tas: [-25, 38, "lin"],
  tasmax: [-15, 45, "lin"],
  pr: [0, 15, "lin"],
  rh: [5, 100, "lin"],
  vpd: [0, 5, "lin"],
  gpp: [0, 10, "lin"],
  biomass: [0.01, 20, "log"],
  dryness: [0, 1, "lin"],
  lightning: [0, 15, "lin"],
  popdens: [0.01, 3000, "log"],
  cropland: [0, 1, "lin"],
  treecover: [0, 1, "lin"],
  soilm: [0, 1, "lin"],
  drydays: [0, 1, "lin"],
  fapar: [0, 1, "lin"],
  gdp: [0.1, 60, "log"],
  wind: [0, 12, "lin"],
  pasture: [0, 1, "lin"],
  consecdry: [0, 31, "lin"],
  totalcover: [0, 1, "lin"],
};

/** Random inputs for the given drivers; those in `statics` get one value per cell. */
export function randomInputs(
  drivers: readonly string[],
  nTime: number,
  nCell: number,
  seed: number,
  statics: readonly string[] = ["treecover"],
): KernelInputs {
  const rng = new Rng(seed);
  const fields: Record<string, NumArray> = {};
  for (const d of drivers) {
    if (d === "lat" || d === "month") continue;
    const [lo, hi, scale] = RANGES[d] ?? [0, 1, "lin"];
    const n = statics.includes(d) ? nCell : nTime * nCell;
    fields[d] = Float32Array.from({ length: n }, () =>
      scale === "log" ? Math.exp(rng.uniform(Math.log(lo), Math.log(hi))) : rng.uniform(lo, hi),
    );
  }
  const lat = Float64Array.from({ length: nCell }, () => rng.uniform(-70, 80));
  const month = Int32Array.from({ length: nTime }, (_, t) => (t % 12) + 1);
  return { nTime, nCell, fields, lat, month };
}

/** Relative difference with a floor for values near zero. */
export function relDiff(a: number, b: number, floor = 1e-30): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** The largest relative difference between two series (NaN where exactly one is NaN or infinite mismatch). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = relDiff(a[i], b[i], floor);
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}

const DRIVER_POOL = ["tas", "pr", "gpp", "dryness", "popdens", "treecover", "lat", "month", "rh", "biomass"];

/**
 * A random form spec (as an object) exercising every operator, temporal ones included, mostly with
 * well-defined values; `risky` adds raw log/sqrt/division/power that may give NaN or Infinity.
 */
export function randomFormSpec(rng: Rng, index: number, risky = false): Record<string, unknown> {
  const nTerms = 1 + rng.int(3);
  const combiner = rng.pick(["product", "logit-sum", "min", "softmin"]);
  const terms = [];
  for (let k = 0; k < nTerms; k++) {
    const params: Record<string, { lo: number; hi: number; default: number; scale?: string }> = {};
    let np = 0;
    const newParam = (): string => {
      const name = `q${np++}`;
      const lo = rng.uniform(-2, 1);
      const hi = lo + rng.uniform(0.5, 3);
      params[name] = { lo, hi, default: rng.uniform(lo, hi) };
      return name;
    };
    const posParam = (): string => {
      const name = `q${np++}`;
      params[name] = {
        lo: 0.1,
        hi: 10,
        default: Math.exp(rng.uniform(Math.log(0.1), Math.log(10))),
        scale: "log",
      };
      return name;
    };
    const leaf = (): string => {
      const u = rng.next();
      if (u < 0.45) {
        const d = rng.pick(DRIVER_POOL);
        const [lo, hi] = RANGES[d] ?? (d === "lat" ? [-70, 80] : [1, 12]);
        return `((${d} - ${((lo + hi) / 2).toFixed(3)}) / ${((hi - lo) / 2).toFixed(3)})`;
      }
      if (u < 0.8) return newParam();
      return rng.uniform(-3, 3).toFixed(4);
    };
    const expr = (depth: number): string => {
      if (depth <= 0 || rng.next() < 0.2) return leaf();
      const a = () => expr(depth - 1);
      const pick = rng.int(risky ? 24 : 20);
      switch (pick) {
        case 0:
          return `${a()} + ${a()}`;
        case 1:
          return `${a()} - ${a()}`;
        case 2:
          return `(${a()}) * (${a()})`;
        case 3:
          return `(${a()}) / (1.5 + abs(${a()}))`;
        case 4:
          return `-(${a()})`;
        case 5:
          return `exp(clamp(${a()}, -20, 20))`;
        case 6:
          return `log(1 + abs(${a()}))`;
        case 7:
          return `sqrt(abs(${a()}))`;
        case 8:
          return `(abs(${a()}) + 0.5) ^ ${rng.pick(["2", "3", "0.5", "1.7", "-1", posParam()])}`;
        case 9:
          return `min(${a()}, ${a()}${rng.next() < 0.3 ? `, ${a()}` : ""})`;
        case 10:
          return `max(${a()}, ${a()})`;
        case 11:
          return rng.next() < 0.5 ? `clamp(${a()})` : `clamp(${a()}, -1, 2)`;
        case 12:
          return `sigmoid(${a()})`;
        case 13:
          return `hump(abs(${a()}) * 3, ${posParam()}, ${rng.pick(["0", "1.5", posParam()])})`;
        case 14:
          return `step(${a()})`;
        case 15:
          return `cos(${a()})`;
        case 16:
          return `lag(${drv()} + ${a()}, ${1 + rng.int(13)})`;
        case 17:
          return `${rng.pick(["runmean", "runmax", "runmin"])}(${drv()} * (${a()}), ${1 + rng.int(14)})`;
        case 18:
          return `${rng.pick(["accum", "ewmean"])}(${drv()} - ${a()}, ${rng.next() < 0.5 ? posParam() : rng.uniform(0.5, 20).toFixed(3)})`;
        case 19:
          return `(${a()}) * ${drv()}`;
        case 20:
          return `log(${a()})`;
        case 21:
          return `(${a()}) / (${a()})`;
        case 22:
          return `(${a()}) ^ (${a()})`;
        default:
          return `sqrt(${a()})`;
      }
    };
    const drv = () => rng.pick(["tas", "pr", "gpp", "dryness", "treecover"]);
    let text = expr(4);
    if (!/[a-z]/.test(text.replace(/q\d+/g, ""))) text = `${text} + gpp`;
    // every declared parameter must be used: drop the unused ones
    for (const name of Object.keys(params)) if (!new RegExp(`\\b${name}\\b`).test(text)) delete params[name];
    terms.push({ name: `t${k}`, expr: text, params });
  }
  return { name: `random${index}`, combiner, terms };
}
