/** Weather-driven mechanisms: fuel moisture and dryness (mechanisms.md §1.2, M7–M16). */
import { SENSITIVITY, define } from "./define.ts";
import type { Mechanism } from "./types.ts";

/**
 * A monthly Nesterov index proxy (°C² summed over the dry days of the month): dry days × T × (T − T_dew), with
 * the month's dry days 30 × drydays and T_dew ≈ T − (100 − RH)/5 (Lawrence 2005) from monthly means.
 */
export const NESTEROV_PROXY = "30 * drydays * max(tas, 0) * (100 - rh) / 5";
const NESTEROV_LATEX = "\\mathrm{NI} = 30\\,f_{\\mathrm{dry}}\\,\\max(T,0)\\,\\frac{100-\\mathrm{RH}}{5}";

/** GlobFIRM's daily fire probability with the T > 0 °C mask, on monthly soil wetness. */
const GLOBFIRM_P = "(exp(-pi * (soilm / m_e)^2) * step(tas))";
const GLOBFIRM_S = `runmean(${GLOBFIRM_P}, 12)`;

/** Van Wagner's equilibrium moisture content of dead fuel (%), from RH (%) and T (°C). */
const EMC = "(0.942 * rh^0.679 + 11 * exp((rh - 100) / 10) + 0.18 * (21.1 - tas) * (1 - exp(-0.115 * rh)))";
const WET = "(1 - exp(-p_w * pr))";

export const MOISTURE_MECHANISMS: readonly Mechanism[] = [
  define({
    id: "globfirm_season",
    catalogue: "M7",
    name: "GlobFIRM fire probability and fire-season integrator",
    regime: "weather-driven",
    cluster: "MOIST-slow",
    drivers: ["soilm", "tas"],
    params: [
      {
        name: "m_e",
        lo: 0.1,
        hi: 0.6,
        default: 0.3,
        scale: "lin",
        units: "1",
        doc: "moisture of extinction (LPJ PFT values 0.15–0.35)",
      },
      SENSITIVITY,
    ],
    identity: { g: 0 },
    expr:
      `(exp((${GLOBFIRM_S} - 1) / (0.45 * (${GLOBFIRM_S} - 1)^3 + 2.83 * (${GLOBFIRM_S} - 1)^2 + ` +
      `2.96 * (${GLOBFIRM_S} - 1) + 1.04)) * ${GLOBFIRM_P} / 12) ^ g`,
    latex:
      "\\left(\\frac{A(s)}{12\\,s}\\,p\\right)^{g},\\quad p = e^{-\\pi(\\theta/m_e)^2}\\,[T>0],\\quad " +
      "s = \\overline{p}^{\\,12},\\quad A(s) = s\\,\\exp\\!\\frac{s-1}{0.45(s-1)^3+2.83(s-1)^2+2.96(s-1)+1.04}",
    cite: "Thonicke et al. 2001, Global Ecol. Biogeogr. 10:661–677 (LPJ fire subroutine)",
    fidelity: "adapted",
    notes:
      "Monthly use as in the catalogue: s is the trailing 12-month mean of p and BA_m = A(s)·p_m/Σ12 p " +
      "(= exp(...)·p_m/12, which stays finite when s = 0). Soil wetness stands in for litter moisture. The " +
      "sensitivity exponent g is added because no value of m_e makes the factor constant.",
  }),
  define({
    id: "li_combustibility",
    catalogue: "M8",
    name: "CLM (Li) combustibility f_RH·f_θ·f_T",
    regime: "weather-driven",
    cluster: "MOIST-fast",
    drivers: ["rh", "soilm", "tas"],
    params: [
      {
        name: "RH_low",
        lo: 10,
        hi: 45,
        default: 30,
        scale: "lin",
        units: "%",
        doc: "RH below which f_RH = 1",
      },
      {
        name: "RH_up",
        lo: 55,
        hi: 95,
        default: 70,
        scale: "lin",
        units: "%",
        doc: "RH above which f_RH = 0",
      },
      {
        name: "theta_e",
        lo: 0.2,
        hi: 1,
        default: 0.69,
        scale: "lin",
        units: "1",
        doc: "soil-wetness extinction",
      },
      SENSITIVITY,
    ],
    identity: { g: 0 },
    expr: "(clamp((RH_up - rh) / (RH_up - RH_low)) * exp(-pi * (soilm / theta_e)^2) * clamp((tas + 10) / 10)) ^ g",
    latex:
      "\\left[\\mathrm{clamp}\\!\\left(\\frac{RH_{up}-RH}{RH_{up}-RH_{low}}\\right) e^{-\\pi(\\theta/\\theta_e)^2}\\," +
      "\\mathrm{clamp}\\!\\left(\\frac{T+10}{10}\\right)\\right]^{g}",
    cite: "Li et al. 2012, Biogeosciences 9:2761–2780; Li, Levis & Ward 2013, Biogeosciences 10:2293–2314",
    fidelity: "as-is",
    notes:
      "CLM4.5 form and values. RH_low's and RH_up's ranges do not touch (catalogue: meet at 50 %) so the ramp " +
      "never divides by zero. The sensitivity exponent g (published form: g = 1) gives the identity.",
  }),
  define({
    id: "spitfire_fdi",
    catalogue: "M9",
    name: "SPITFIRE fire danger index (Nesterov, moisture of extinction)",
    regime: "weather-driven",
    cluster: "MOIST-slow",
    drivers: ["drydays", "tas", "rh"],
    params: [
      {
        name: "alpha",
        lo: 1e-5,
        hi: 3e-3,
        default: 1e-3,
        scale: "log",
        units: "degC-2",
        doc: "drying rate of fuel moisture with NI (1-h fuels 1e-3, 10-h 5.42e-5, 100-h 1.49e-5)",
      },
      {
        name: "m_e",
        lo: 0.15,
        hi: 0.45,
        default: 0.3,
        scale: "lin",
        units: "1",
        doc: "moisture of extinction",
      },
      SENSITIVITY,
    ],
    identity: { g: 0 },
    expr: `max(0, 1 - exp(-alpha * ${NESTEROV_PROXY}) / m_e) ^ g`,
    latex: `\\max\\!\\left(0, 1 - \\frac{e^{-\\alpha\\,\\mathrm{NI}}}{m_e}\\right)^{g},\\quad ${NESTEROV_LATEX}`,
    cite: "Thonicke et al. 2010, Biogeosciences 7:1991–2011 (LPJmL fuelload.c, firedangerindex.c); Nesterov 1949",
    fidelity: "adapted",
    notes:
      "SPITFIRE accumulates NI daily and resets it on rain; monthly data give a proxy: the month's dry days " +
      "(30 × drydays) × T × dew-point depression from RH (Lawrence 2005). The sensitivity exponent g gives the identity.",
  }),
  define({
    id: "simfire_nesterov_power",
    catalogue: "M10",
    name: "SIMFIRE Nesterov power",
    regime: "weather-driven",
    cluster: "MOIST-slow",
    drivers: ["drydays", "tas", "rh"],
    params: [
      {
        name: "c",
        lo: 0,
        hi: 1.5,
        default: 0.86,
        scale: "lin",
        units: "1",
        doc: "exponent (global 0.860, ANZ 1.038, EUR 0.488)",
      },
    ],
    identity: { c: 0 },
    expr: `(1e-5 * runmax(${NESTEROV_PROXY}, 12)) ^ c`,
    latex: `\\left(10^{-5}\\max_{12\\,\\mathrm{mo}}\\mathrm{NI}\\right)^{c},\\quad ${NESTEROV_LATEX}`,
    cite: "Knorr et al. 2014, Biogeosciences 11:1085–1102 (CABLE simfire.F90)",
    fidelity: "adapted",
    notes:
      "Annual maximum NI taken over the trailing 12 months of the monthly NI proxy (see spitfire_fdi). c's " +
      "lower bound is 0 (catalogue 0.2) so that the identity is inside the box.",
  }),
  define({
    id: "accumulated_dryness",
    catalogue: "M11",
    name: "Accumulated-dryness sigmoid",
    regime: "weather-driven",
    cluster: "MOIST-slow",
    drivers: ["dryness"],
    params: [
      { name: "k", lo: 0, hi: 40, default: 10, scale: "lin", units: "1", doc: "steepness per unit dryness" },
      { name: "D0", lo: 0, hi: 1, default: 0.5, scale: "lin", units: "1", doc: "dryness at the midpoint" },
    ],
    identity: { k: 0 },
    expr: "sigmoid(k * (dryness - D0))",
    latex: "\\sigma\\!\\left(k\\,(D - D_0)\\right)",
    cite: "Aragão et al. 2007, GRL 34:L07701 (MCWD); Keetch & Byram 1968; Bistinas et al. 2014; Kuhn-Régnier et al. 2021",
    fidelity: "adapted",
    notes:
      "On Kiln's 0..1 accumulated-dryness driver, which carries the memory (MCWD/KBDI/dry-balance style) upstream.",
  }),
  define({
    id: "vpd_flammability",
    catalogue: "M12",
    name: "VPD flammability (exponential)",
    regime: "weather-driven",
    cluster: "MOIST-fast",
    drivers: ["vpd"],
    params: [
      { name: "beta", lo: 0, hi: 2, default: 0.5, scale: "lin", units: "kPa-1", doc: "exponential rate" },
      {
        name: "VPD_ref",
        lo: 0,
        hi: 6,
        default: 2,
        scale: "lin",
        units: "kPa",
        doc: "VPD at which the factor reaches 1",
      },
    ],
    identity: { beta: 0 },
    expr: "min(1, exp(beta * (vpd - VPD_ref)))",
    latex: "\\min\\!\\left(1, e^{\\beta(\\mathrm{VPD} - \\mathrm{VPD}_{ref})}\\right)",
    cite: "Williams et al. 2019, Earth's Future 7:892–910",
    fidelity: "adapted",
    notes: "The catalogue's exponential alternative, capped at 1; the Pechony–Shindell form is not included.",
  }),
  define({
    id: "wet_suppression",
    catalogue: "M13",
    name: "Precipitation suppression",
    regime: "weather-driven",
    cluster: "MOIST-fast",
    drivers: ["pr"],
    params: [
      { name: "c", lo: 0, hi: 3, default: 2, scale: "lin", units: "day mm-1", doc: "suppression rate" },
    ],
    identity: { c: 0 },
    expr: "exp(-c * pr)",
    latex: "e^{-c\\,P}",
    cite: "Pechony & Shindell 2009, JGR 114:D16115 (GISS ModelE); Forkel et al. 2017, GMD 10:4443–4476",
    fidelity: "as-is",
    notes: "On monthly-mean precipitation (Pechony & Shindell use a running mean of daily P).",
  }),
  define({
    id: "emc_dead_fuel",
    catalogue: "M14",
    name: "Equilibrium moisture of dead fuel (wet-day weighted)",
    regime: "weather-driven",
    cluster: "MOIST-fast",
    drivers: ["rh", "tas", "pr"],
    params: [
      { name: "k", lo: 0, hi: 1, default: 0.2, scale: "lin", units: "%-1", doc: "steepness of the sigmoid" },
      {
        name: "m0",
        lo: 5,
        hi: 35,
        default: 15,
        scale: "lin",
        units: "%",
        doc: "fuel moisture at the midpoint",
      },
      {
        name: "p_w",
        lo: 0.01,
        hi: 3,
        default: 0.3,
        scale: "log",
        units: "day mm-1",
        doc: "rate turning precipitation into a wet-day fraction w = 1 - exp(-p_w·P)",
      },
    ],
    identity: { k: 0 },
    expr: `sigmoid(-k * ((1 - ${WET}) * ${EMC} + 100 * ${WET} - m0))`,
    latex:
      "\\sigma\\!\\left(-k\\,(m - m_0)\\right),\\quad m = (1-w)\\,\\mathrm{EMC} + 100\\,w,\\quad w = 1-e^{-p_w P},\\quad " +
      "\\mathrm{EMC} = 0.942\\,H^{0.679} + 11\\,e^{(H-100)/10} + 0.18\\,(21.1-T)(1-e^{-0.115H})",
    cite:
      "Van Wagner 1987, CFS Tech. Rep. 35 (EMC); Kelley et al. 2019, Nat. Clim. Change 9:690 (r_LimFIRE make_emc.r); " +
      "Kelley et al. 2021, Biogeosciences 18:787 (ConFire emc_weighted)",
    fidelity: "as-is",
    notes:
      "Wet days count as saturated fuel (100 %), as r_LimFIRE does; w from precipitation as ConFire does.",
  }),
  define({
    id: "soil_moisture_gate",
    catalogue: "M15",
    name: "Soil-wetness gate",
    regime: "weather-driven",
    cluster: "MOIST-slow",
    drivers: ["soilm"],
    params: [
      { name: "k", lo: 0, hi: 40, default: 10, scale: "lin", units: "1", doc: "steepness per unit wetness" },
      {
        name: "theta0",
        lo: 0,
        hi: 1,
        default: 0.3,
        scale: "lin",
        units: "1",
        doc: "wetness at the midpoint",
      },
    ],
    identity: { k: 0 },
    expr: "sigmoid(-k * (soilm - theta0))",
    latex: "\\sigma\\!\\left(-k\\,(\\theta - \\theta_0)\\right)",
    cite: "Bistinas et al. 2014, Biogeosciences 11:5087–5101; Mangeon et al. 2016 (INFERNO 1 - θ)",
    fidelity: "adapted",
    notes: "The catalogue's sigmoid option (INFERNO's 1 - θ and CLM6's f_β are the other two).",
  }),
  define({
    id: "archibald_temp_sigmoid",
    catalogue: "M16",
    name: "Air-temperature sigmoid",
    regime: "ignition-limited",
    cluster: "MOIST-T",
    drivers: ["tas"],
    params: [
      { name: "k", lo: 0, hi: 1.5, default: 0.3, scale: "lin", units: "degC-1", doc: "steepness" },
      {
        name: "T0",
        lo: -10,
        hi: 25,
        default: 5,
        scale: "lin",
        units: "degC",
        doc: "temperature at the midpoint",
      },
    ],
    identity: { k: 0 },
    expr: "sigmoid(k * (tas - T0))",
    latex: "\\sigma\\!\\left(k\\,(T - T_0)\\right)",
    cite: "adapted, after Li et al. 2012 / Archibald et al. 2009 (python-INFERNO temperature_factor sigmoid)",
    fidelity: "adapted",
    notes:
      "Usually tagged ignition-limited; physically closer to fire-season or fuel curing plus a frozen-ground mask. " +
      "No Archibald paper is known to give a temperature sigmoid (catalogue attribution flag).",
  }),
];
