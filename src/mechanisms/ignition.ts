/** Ignition-limited mechanisms (mechanisms.md §1.3, M17–M20). */
import { SENSITIVITY, define } from "./define.ts";
import type { Mechanism } from "./types.ts";

/** CLM natural ignitions γ·ψ(λ)·L with ψ from Prentice & Mackerras 1977 (cosine of degrees). */
const CLM_NATURAL = "(0.22 * lightning / (5.16 + 2.16 * cos(3 * min(60, abs(lat)) * pi / 180)))";
const LIMFIRE_IGNITIONS = "(A * (lightning + H * popdens) / (1 + H))";

export const IGNITION_MECHANISMS: readonly Mechanism[] = [
  define({
    id: "lightning_ignitions",
    catalogue: "M17",
    name: "Natural (lightning) ignitions, saturating",
    regime: "ignition-limited",
    cluster: "IGN",
    drivers: ["lightning", "lat"],
    params: [
      {
        name: "I0",
        lo: 1e-3,
        hi: 10,
        default: 0.1,
        scale: "log",
        units: "km-2 month-1",
        doc: "ignition density at half saturation",
      },
      SENSITIVITY,
    ],
    identity: { g: 0 },
    expr: `(${CLM_NATURAL} / (${CLM_NATURAL} + I0)) ^ g`,
    latex:
      "\\left(\\frac{I_n}{I_n + I_0}\\right)^{g},\\quad I_n = \\frac{0.22\\,L}{5.16 + 2.16\\cos(3\\min(60^\\circ,|\\lambda|))}",
    cite: "Li et al. 2012 (CTSM: γ = 0.22, ψ from Prentice & Mackerras 1977); Kelley et al. 2019 (LimFIRE saturation f2)",
    fidelity: "as-is",
    notes:
      "CLM natural ignitions with the LimFIRE saturating limitation. The sensitivity exponent g gives the " +
      "identity (no I0 in the box makes the factor constant where lightning is 0).",
  }),
  define({
    id: "human_ignition_power",
    catalogue: "M18",
    name: "Anthropogenic ignitions, power law",
    regime: "ignition-limited",
    cluster: "HUMAN",
    drivers: ["popdens"],
    params: [
      {
        name: "a",
        lo: 0,
        hi: 5,
        default: 0.5,
        scale: "lin",
        units: "km^(2e)",
        doc: "human ignitions relative to the background (natural) rate",
      },
      {
        name: "e",
        lo: 0.1,
        hi: 1,
        default: 0.4,
        scale: "lin",
        units: "1",
        doc: "exponent (Li 2012 and P&S: 0.4)",
      },
    ],
    identity: { a: 0 },
    expr: "1 + a * popdens ^ e",
    latex: "1 + a\\,\\mathrm{PD}^{e}",
    cite: "Li et al. 2012 (CTSM I_a = 0.068·PD^0.4); Pechony & Shindell 2009 (0.2·PD^0.4)",
    fidelity: "adapted",
    notes:
      "Written as total ignitions over a background rate, 1 + a·PD^e, so that a cell with no people still burns; " +
      "the absolute rate is absorbed by the form's scale. a = 0 is the identity.",
  }),
  define({
    id: "human_ignition_hump",
    catalogue: "M19",
    name: "Venevsky/SPITFIRE human ignitions (hump in PD)",
    regime: "ignition-limited",
    cluster: "HUMAN",
    drivers: ["popdens"],
    params: [
      {
        name: "a",
        lo: 0,
        hi: 5,
        default: 0.3,
        scale: "lin",
        units: "km2",
        doc: "human ignitions relative to the background rate",
      },
      {
        name: "b",
        lo: 0.1,
        hi: 1,
        default: 0.5,
        scale: "lin",
        units: "km",
        doc: "shape constant (0.5: peak at PD = 16)",
      },
    ],
    identity: { a: 0 },
    expr: "1 + a * popdens * exp(-b * sqrt(popdens))",
    latex: "1 + a\\,\\mathrm{PD}\\,e^{-b\\sqrt{\\mathrm{PD}}}",
    cite: "Venevsky et al. 2002, Global Change Biol. 8:984–998; Thonicke et al. 2010 (LPJmL humanignition.c, a_N = 0.11)",
    fidelity: "adapted",
    notes: "Relative to a background ignition rate as in human_ignition_power; a = 0 is the identity.",
  }),
  define({
    id: "ignition_saturation",
    catalogue: "M20",
    name: "Combined ignition limitation (LimFIRE)",
    regime: "ignition-limited",
    cluster: "IGN",
    drivers: ["lightning", "popdens"],
    params: [
      {
        name: "H",
        lo: 0,
        hi: 10,
        default: 1,
        scale: "lin",
        units: "flashes person-1 month-1",
        doc: "weight of people",
      },
      { name: "A", lo: 1e-3, hi: 100, default: 1, scale: "log", units: "km2 month", doc: "saturation rate" },
      SENSITIVITY,
    ],
    identity: { g: 0 },
    expr: `(${LIMFIRE_IGNITIONS} / (${LIMFIRE_IGNITIONS} + 1)) ^ g`,
    latex: "\\left(\\frac{A I}{A I + 1}\\right)^{g},\\quad I = \\frac{L + H\\,\\mathrm{PD}}{1 + H}",
    cite: "Kelley et al. 2019, Nat. Clim. Change 9:690–696 (r_LimFIRE LimFIRE.r, fn.r)",
    fidelity: "adapted",
    notes:
      "LimFIRE's weighted ignition mix with population density as the human source (pasture omitted). The " +
      "sensitivity exponent g gives the identity. Expect low Shapley outside boreal regions and tundra.",
  }),
];
