/** Productivity- and fuel-limited mechanisms (mechanisms.md §1.1, M1–M6). */
import { define } from "./define.ts";
import type { Mechanism } from "./types.ts";

export const FUEL_MECHANISMS: readonly Mechanism[] = [
  define({
    id: "pr_fuel_hump",
    catalogue: "M1",
    name: "Pausas–Ribeiro fuel/biomass hump",
    regime: "fuel-limited",
    cluster: "FUEL",
    drivers: ["biomass"],
    params: [
      { name: "B0", lo: 0.2, hi: 8, default: 2, scale: "log", units: "kgC m-2", doc: "biomass at the peak" },
      { name: "a", lo: 0, hi: 8, default: 1, scale: "lin", units: "1", doc: "sharpness of the hump" },
    ],
    identity: { a: 0 },
    expr: "hump(biomass, B0, a)",
    latex: "\\left(\\frac{B}{B_0}\\right)^{a} \\exp\\!\\left(a\\left(1-\\frac{B}{B_0}\\right)\\right)",
    cite: "Pausas & Ribeiro 2013, Global Ecol. Biogeogr. 22:728–736",
    fidelity: "adapted",
    notes:
      "The paper tests the intermediate-productivity hypothesis; the Ricker hump is the catalogue's closed form. " +
      "a spans [0, 8] (catalogue [0.05, 4]): 0 so that the identity a = 0 is inside the box, 8 as for vdw_gpp_gate.",
  }),
  define({
    id: "vdw_gpp_gate",
    catalogue: "M2",
    name: "van der Werf intermediate-productivity GPP gate",
    regime: "productivity-limited",
    cluster: "FUEL",
    drivers: ["gpp"],
    params: [
      {
        name: "G0",
        lo: 0.5,
        hi: 8,
        default: 3.5,
        scale: "log",
        units: "gC m-2 day-1",
        doc: "monthly GPP at the peak",
      },
      { name: "a", lo: 0, hi: 8, default: 1, scale: "lin", units: "1", doc: "sharpness of the hump" },
    ],
    identity: { a: 0 },
    expr: "hump(gpp, G0, a)",
    latex: "\\left(\\frac{G}{G_0}\\right)^{a} \\exp\\!\\left(a\\left(1-\\frac{G}{G_0}\\right)\\right)",
    cite: "van der Werf et al. 2008, Global Biogeochem. Cycles 22:GB3028",
    fidelity: "adapted",
    notes:
      "Ricker hump on monthly GPP (the catalogue's first option). In the burning month monthly GPP is low in " +
      "savannas, so this gate partly encodes phenology and dryness, not only fuel. a spans [0, 8] (catalogue " +
      "[0.05, 4]): 0 so that the identity a = 0 is inside the box, up to 8 so that sharp gates such as the " +
      "built-in world's truth (a = 5) are reachable.",
  }),
  define({
    id: "li_fuel_ramp",
    catalogue: "M3",
    name: "Li fuel-availability ramp",
    regime: "fuel-limited",
    cluster: "FUEL",
    drivers: ["biomass"],
    params: [
      {
        name: "B_low",
        lo: -0.5,
        hi: 0.4,
        default: 0.155,
        scale: "lin",
        units: "kgC m-2",
        doc: "biomass below which nothing burns (CLM4.5: 155 gC m-2)",
      },
      {
        name: "B_width",
        lo: 0.05,
        hi: 3,
        default: 0.895,
        scale: "log",
        units: "kgC m-2",
        doc: "width of the ramp, B_up - B_low (CLM4.5: 1050 - 155 gC m-2)",
      },
    ],
    identity: { B_low: -0.5, B_width: 0.05 },
    expr: "clamp((biomass - B_low) / B_width)",
    latex: "\\mathrm{clamp}\\!\\left(\\frac{B - B_{\\mathrm{low}}}{B_{\\mathrm{width}}}\\right)",
    cite: "Li, Zeng & Levis 2012, Biogeosciences 9:2761–2780 (CLM4.5 values, CTSM technical note)",
    fidelity: "as-is",
    notes:
      "Written with B_width = B_up - B_low so that independent bounds can never invert the ramp; biomass " +
      "(aboveground) stands in for leaf+stem+litter+CWD. B_low may go to -0.5 kgC m-2 so that the ramp can sit " +
      "below the data range: at B_low = -0.5, B_width = 0.05 the factor is 1 for every biomass >= 0.",
  }),
  define({
    id: "simfire_fapar_power",
    catalogue: "M4",
    name: "SIMFIRE FAPAR power",
    regime: "fuel-limited",
    cluster: "FUEL",
    drivers: ["fapar"],
    params: [
      {
        name: "b",
        lo: 0,
        hi: 2,
        default: 0.905,
        scale: "lin",
        units: "1",
        doc: "exponent (global 0.905, ANZ 1.297, EUR 0.916)",
      },
    ],
    identity: { b: 0 },
    expr: "runmax(fapar, 12) ^ b",
    latex: "\\left(\\max_{12\\,\\mathrm{mo}} \\mathrm{FAPAR}\\right)^{b}",
    cite: "Knorr et al. 2014, Biogeosciences 11:1085–1102 (CABLE core/blaze/simfire.F90)",
    fidelity: "as-is",
    notes:
      "SIMFIRE's annual maximum FAPAR is taken over the trailing 12 months (causal). b's lower bound is 0 " +
      "(catalogue 0.3) so that the identity b = 0 is inside the box.",
  }),
  define({
    id: "antecedent_fuel_buildup",
    catalogue: "M5",
    name: "Antecedent productivity (fuel build-up)",
    regime: "fuel-limited",
    cluster: "FUEL",
    drivers: ["gpp"],
    params: [
      {
        name: "kappa",
        lo: 0,
        hi: 5,
        default: 1,
        scale: "lin",
        units: "m2 day gC-1",
        doc: "slope of the sigmoid",
      },
      {
        name: "c",
        lo: 0,
        hi: 10,
        default: 3,
        scale: "lin",
        units: "gC m-2 day-1",
        doc: "antecedent GPP at the sigmoid's midpoint",
      },
      {
        name: "tau",
        lo: 1,
        hi: 24,
        default: 6,
        scale: "log",
        units: "month",
        doc: "e-folding memory of the build-up",
      },
    ],
    identity: { kappa: 0 },
    expr: "sigmoid(kappa * (ewmean(lag(gpp, 1), tau) - c))",
    latex:
      "\\sigma\\!\\left(\\kappa\\left(\\overline{G}_{\\tau} - c\\right)\\right),\\quad " +
      "\\overline{G}_{\\tau}(t) = \\frac{\\sum_{k\\ge 1} e^{-(k-1)/\\tau} G(t-k)}{\\sum_{k\\ge 1} e^{-(k-1)/\\tau}}",
    cite:
      "Archibald et al. 2009, Global Change Biol. 15:613–630; Forkel et al. 2019, Biogeosciences 16:57–76; " +
      "Kuhn-Régnier et al. 2021, Biogeosciences 18:3861–3879 (python-INFERNO fuel_build_up)",
    fidelity: "adapted",
    notes:
      "Exponentially weighted mean of past months' GPP (lag 1, so the current month is excluded) on the raw " +
      "unit rather than a standardised driver; the right carrier of 'last wet season grew the grass'.",
  }),
  define({
    id: "tree_cover_gate",
    catalogue: "M6",
    name: "Tree-cover suppression of spread",
    regime: "fuel-limited",
    cluster: "FUEL",
    drivers: ["treecover"],
    params: [
      {
        name: "k",
        lo: 0,
        hi: 50,
        default: 10,
        scale: "lin",
        units: "1",
        doc: "steepness per unit tree-cover fraction",
      },
      {
        name: "TC0",
        lo: 0.2,
        hi: 0.7,
        default: 0.4,
        scale: "lin",
        units: "1",
        doc: "tree-cover fraction at half suppression",
      },
    ],
    identity: { k: 0 },
    expr: "sigmoid(-k * (treecover - TC0))",
    latex: "\\frac{1}{1 + \\exp\\left(k\\,(\\mathrm{TC} - \\mathrm{TC}_0)\\right)}",
    cite: "van Nes et al. 2018, PLoS ONE 13:e0191027; Archibald et al. 2009; Staver, Archibald & Levin 2011, Science 334:230–232",
    fidelity: "adapted",
    notes:
      "Tree cover is a fraction (0–1) in Kiln, so the catalogue's % ranges are divided by 100 (k multiplied by 100).",
  }),
];
