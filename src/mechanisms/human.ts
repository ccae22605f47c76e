/** Human modulation (mechanisms.md §1.4, M21–M23) and spread (§1.5, M25). */
import { define } from "./define.ts";
import type { Mechanism } from "./types.ts";

export const HUMAN_MECHANISMS: readonly Mechanism[] = [
  define({
    id: "popdens_suppression",
    catalogue: "M21",
    name: "Population suppression",
    regime: "human",
    cluster: "HUMAN",
    drivers: ["popdens"],
    params: [
      {
        name: "floor",
        lo: 0,
        hi: 1,
        default: 0.01,
        scale: "lin",
        units: "1",
        doc: "factor left at very high population density",
      },
      {
        name: "r",
        lo: 1e-4,
        hi: 0.2,
        default: 0.025,
        scale: "log",
        units: "km^(2q)",
        doc: "suppression rate",
      },
      {
        name: "q",
        lo: 0.3,
        hi: 1,
        default: 1,
        scale: "lin",
        units: "1",
        doc: "exponent on population density",
      },
    ],
    identity: { floor: 1 },
    expr: "floor + (1 - floor) * exp(-r * popdens ^ q)",
    latex: "f + (1 - f)\\,e^{-r\\,\\mathrm{PD}^{q}}",
    cite:
      "Li et al. 2012 (CTSM f_d = 0.01 + 0.98·e^(-0.025·PD)); Pechony & Shindell 2009 (0.05 + 0.9·e^(-0.05·PD)); " +
      "Knorr et al. 2014 (SIMFIRE e^(-0.0168·PD))",
    fidelity: "as-is",
    notes:
      "The catalogue's generic form; defaults are Li's occurrence factor (floor 0.01, r 0.025, q 1). floor's " +
      "upper bound is 1 (catalogue 0.5) so that the identity floor = 1 is inside the box.",
  }),
  define({
    id: "gdp_suppression",
    catalogue: "M22",
    name: "Economic (GDP) suppression",
    regime: "human",
    cluster: "HUMAN",
    drivers: ["gdp"],
    params: [
      {
        name: "floor",
        lo: 0,
        hi: 1,
        default: 0.1,
        scale: "lin",
        units: "1",
        doc: "factor left in rich regions",
      },
      { name: "G", lo: 1, hi: 100, default: 8, scale: "log", units: "k$ capita-1", doc: "GDP scale" },
    ],
    identity: { floor: 1 },
    expr: "floor + (1 - floor) * exp(-pi * sqrt(gdp / G))",
    latex: "f + (1 - f)\\,e^{-\\pi\\sqrt{\\mathrm{GDP}/G}}",
    cite: "Li, Levis & Ward 2013, Biogeosciences 10:2293–2314 (CLM grass/shrub f_e = 0.1 + 0.9·e^(-π(GDP/8)^0.5))",
    fidelity: "as-is",
    notes: "The grass/shrub form; CLM's tree bins are not included. floor = 1 is the identity.",
  }),
  define({
    id: "cropland_fragmentation",
    catalogue: "M23",
    name: "Cropland fragmentation",
    regime: "human",
    cluster: "HUMAN",
    drivers: ["cropland"],
    params: [
      {
        name: "k",
        lo: 0,
        hi: 6,
        default: 1,
        scale: "lin",
        units: "1",
        doc: "exponent (1: Li's continuity 1 - f_crop)",
      },
    ],
    identity: { k: 0 },
    expr: "(1 - cropland) ^ k",
    latex: "(1 - f_{\\mathrm{crop}})^{k}",
    cite: "Li et al. 2012 / CLM6 (F_c); Bistinas et al. 2014; Andela et al. 2017, Science 356:1356–1362",
    fidelity: "adapted",
    notes:
      "The catalogue's generic form; k's lower bound is 0 (catalogue 0.5) so that the identity is inside the box.",
  }),
  define({
    id: "wind_spread",
    catalogue: "M25",
    name: "Wind effect on fire size",
    regime: "weather-driven",
    cluster: "SPREAD",
    drivers: ["wind"],
    params: [
      { name: "W0", lo: 0.5, hi: 20, default: 5, scale: "log", units: "m s-1", doc: "wind scale" },
      { name: "gam", lo: 0, hi: 3, default: 1, scale: "lin", units: "1", doc: "exponent" },
    ],
    identity: { gam: 0 },
    expr: "(1 + wind / W0) ^ gam",
    latex: "\\left(1 + \\frac{W}{W_0}\\right)^{\\gamma}",
    cite: "Arora & Boer 2005, JGR 110:G02008; Thonicke et al. 2010 (SPITFIRE)",
    fidelity: "adapted",
    notes:
      "The catalogue's simple generic form. Monthly-mean wind is a weak predictor; expect small Shapley.",
  }),
];
