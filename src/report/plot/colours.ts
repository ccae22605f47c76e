import * as chroma from "d3-scale-chromatic";
import { KilnError } from "../../util/errors.ts";

/** How values map to colours: one-ended (amounts), two-ended around a centre (biases), or wrapping (phase). */
export type ColourKind = "sequential" | "diverging" | "cyclic";

type Interpolator = (t: number) => string;

const SEQUENTIAL: Record<string, Interpolator> = {
  viridis: chroma.interpolateViridis,
  magma: chroma.interpolateMagma,
  inferno: chroma.interpolateInferno,
  plasma: chroma.interpolatePlasma,
  cividis: chroma.interpolateCividis,
  YlOrRd: chroma.interpolateYlOrRd,
  YlOrBr: chroma.interpolateYlOrBr,
  OrRd: chroma.interpolateOrRd,
  YlGnBu: chroma.interpolateYlGnBu,
  Reds: chroma.interpolateReds,
  Blues: chroma.interpolateBlues,
  Greens: chroma.interpolateGreens,
  Greys: chroma.interpolateGreys,
};

/** d3's diverging schemes run from their first-named colour (t = 0) to their last (t = 1). */
const DIVERGING: Record<string, Interpolator> = {
  RdBu: chroma.interpolateRdBu,
  RdYlBu: chroma.interpolateRdYlBu,
  BrBG: chroma.interpolateBrBG,
  PuOr: chroma.interpolatePuOr,
  PiYG: chroma.interpolatePiYG,
  PRGn: chroma.interpolatePRGn,
  Spectral: chroma.interpolateSpectral,
};

const CYCLIC: Record<string, Interpolator> = {
  rainbow: chroma.interpolateRainbow,
  sinebow: chroma.interpolateSinebow,
};

const BY_KIND: Record<ColourKind, Record<string, Interpolator>> = {
  sequential: SEQUENTIAL,
  diverging: DIVERGING,
  cyclic: CYCLIC,
};

export const DEFAULT_SCHEME: Record<ColourKind, string> = {
  sequential: "viridis",
  diverging: "RdBu",
  cyclic: "rainbow",
};

/** Diverging schemes that start with red: drawn reversed by default so that high (positive) is red. */
const RED_FIRST = new Set(["RdBu", "RdYlBu", "Spectral"]);

/** The scheme names accepted for each kind. */
export function schemeNames(kind: ColourKind): string[] {
  return Object.keys(BY_KIND[kind]);
}

/** Whether a scheme is drawn reversed when the caller does not say: red-first diverging schemes are. */
export function defaultReverse(kind: ColourKind, scheme: string): boolean {
  return kind === "diverging" && RED_FIRST.has(scheme);
}

/** Number of entries in a colour lookup table. */
export const LUT_SIZE = 256;

/** A table of LUT_SIZE colours, RGB bytes, sampled at bin centres from low (index 0) to high. */
export function colourLut(kind: ColourKind, scheme: string, reverse: boolean): Uint8Array {
  const f = BY_KIND[kind][scheme];
  if (!f) {
    throw new KilnError(`unknown ${kind} colour scheme '${scheme}'`, {
      hint: `use one of: ${schemeNames(kind).join(", ")}`,
    });
  }
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let k = 0; k < LUT_SIZE; k++) {
    const t = (k + 0.5) / LUT_SIZE;
    const [r, g, b] = parseColour(f(reverse ? 1 - t : t));
    lut[3 * k] = r;
    lut[3 * k + 1] = g;
    lut[3 * k + 2] = b;
  }
  return lut;
}

/** Parses "#rgb", "#rrggbb" or "rgb(r, g, b)" into bytes. */
export function parseColour(css: string): [number, number, number] {
  const s = css.trim();
  if (s.startsWith("#")) {
    const h = s.length === 4 ? [...s.slice(1)].map((c) => c + c).join("") : s.slice(1);
    if (/^[0-9a-fA-F]{6}$/.test(h)) {
      return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
    }
  }
  const m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/.exec(s);
  if (m) return [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3])];
  throw new KilnError(`'${css}' is not a colour`, { hint: 'write it as "#rrggbb" or "rgb(r, g, b)"' });
}

export function toHex([r, g, b]: readonly number[]): string {
  return "#" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("");
}
