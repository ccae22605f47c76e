/** Tick positions and labels for colour bars and lat/lon axes. */

const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "-": "⁻",
};

const MINUS = "\u2212";

/** Round steps (1, 2, 2.5, 5 × 10ⁿ) covering [lo, hi] with about `count` ticks. */
export function niceStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * mag;
}

/** Multiples of a nice step inside [lo, hi] (ends included when they fall on a multiple). */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  const step = niceStep(lo, hi, count);
  const k0 = Math.ceil(lo / step - 1e-9);
  const k1 = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) out.push(cleanFloat(k * step));
  return out;
}

/** Decades inside [lo, hi] (lo > 0); with 1–2–5 subdivisions when the range spans fewer than two decades. */
export function logTicks(lo: number, hi: number): number[] {
  const d0 = Math.ceil(Math.log10(lo) - 1e-9);
  const d1 = Math.floor(Math.log10(hi) + 1e-9);
  const inside = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  if (d1 - d0 >= 2) {
    const every = Math.ceil((d1 - d0 + 1) / 7);
    const out: number[] = [];
    for (let d = d0; d <= d1; d++) if ((d - d0) % every === 0) out.push(cleanFloat(10 ** d));
    return out;
  }
  const out: number[] = [];
  for (let d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++) {
    for (const m of [1, 2, 5]) {
      const v = cleanFloat(m * 10 ** d);
      if (inside(v)) out.push(v);
    }
  }
  return out.length >= 2 ? out : linearTicks(lo, hi, 4);
}

/** Labels for a set of ticks with the fewest decimals that tell them apart; powers of ten for tiny or huge values. */
export function formatTicks(ticks: readonly number[], log = false): string[] {
  if (ticks.length === 0) return [];
  const maxAbs = Math.max(...ticks.map(Math.abs));
  const useExp = log
    ? maxAbs >= 1e4 || minPositive(ticks) < 1e-2
    : maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3);
  if (useExp) return ticks.map(formatPow10);
  let decimals = 0;
  while (decimals < 8 && !ticks.every((t) => Math.abs(Number(t.toFixed(decimals)) - t) <= 1e-9 * maxAbs)) {
    decimals++;
  }
  return ticks.map((t) => (Math.abs(t) <= 1e-12 * (maxAbs || 1) ? "0" : withMinus(t.toFixed(decimals))));
}

function minPositive(ticks: readonly number[]): number {
  let m = Infinity;
  for (const t of ticks) if (t > 0 && t < m) m = t;
  return m;
}

/** 0.0002 → "2×10⁻⁴", 0.001 → "10⁻³", −3e5 → "−3×10⁵". */
export function formatPow10(v: number): string {
  if (v === 0) return "0";
  const e = Math.floor(Math.log10(Math.abs(v)) + 1e-9);
  const m = cleanFloat(v / 10 ** e);
  const pow = "10" + superscript(String(e));
  if (m === 1) return pow;
  if (m === -1) return MINUS + pow;
  return `${withMinus(String(m))}×${pow}`;
}

export function superscript(s: string): string {
  return [...s].map((c) => SUPERSCRIPT[c] ?? c).join("");
}

function withMinus(s: string): string {
  return s.startsWith("-") ? MINUS + s.slice(1) : s;
}

/** Strips binary noise such as 0.30000000000000004 (12 significant digits are plenty for a label). */
export function cleanFloat(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
}

const DEGREE_STEPS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 15, 20, 30, 45, 60, 90];

/** Degree ticks inside [lo, hi], at most about `maxCount` of them, on round steps (…, 5, 10, 15, 30, 60°). */
export function degreeTicks(lo: number, hi: number, maxCount: number): number[] {
  const span = hi - lo;
  const step = DEGREE_STEPS.find((s) => span / s <= Math.max(1, maxCount)) ?? 90;
  const k0 = Math.ceil(lo / step - 1e-9);
  const k1 = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) out.push(cleanFloat(k * step));
  return out;
}

function degreeText(v: number): string {
  return `${cleanFloat(Math.abs(v))}°`;
}

/** 30 → "30°N", −15.5 → "15.5°S", 0 → "0°". */
export function latLabel(lat: number): string {
  if (Math.abs(lat) < 1e-9) return "0°";
  return degreeText(lat) + (lat > 0 ? "N" : "S");
}

/** −60 → "60°W", 200 → "160°W", 180 → "180°", 0 → "0°". */
export function lonLabel(lon: number): string {
  let l = ((((lon + 180) % 360) + 360) % 360) - 180;
  if (Math.abs(l + 180) < 1e-9 && lon > 0) l = 180;
  if (Math.abs(l) < 1e-9) return "0°";
  if (Math.abs(Math.abs(l) - 180) < 1e-9) return "180°";
  return degreeText(l) + (l > 0 ? "E" : "W");
}
