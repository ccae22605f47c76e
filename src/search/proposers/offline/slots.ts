/**
 * The template slots of the offline proposer and the prior order of the library mechanisms within each
 * slot. A slot follows the mechanism's §1.6 cluster, except that FUEL is split into an "amount" slot and a
 * "structure" slot (tree cover), as the cluster rule is. A mechanism added to the library later falls into
 * the slot of its cluster, after the ranked ones.
 */
import { PSEUDO_DRIVERS } from "../../../forms/dsl/names.ts";
import { MECHANISMS } from "../../../mechanisms/library.ts";
import type { Cluster, Mechanism } from "../../../mechanisms/types.ts";

export const SLOTS = [
  "fuel",
  "moisture-slow",
  "moisture-fast",
  "temperature",
  "ignition",
  "human",
  "fuel-structure",
  "spread",
] as const;
export type Slot = (typeof SLOTS)[number];

/** How a fire modeller names each slot, and what it controls. */
export const SLOT_INFO: Readonly<Record<Slot, { label: string; controls: string }>> = {
  fuel: { label: "fuel/productivity", controls: "how much fuel there is to burn" },
  "moisture-slow": {
    label: "slow moisture",
    controls: "how dry the landscape has become over the past weeks to months",
  },
  "moisture-fast": {
    label: "fast moisture",
    controls: "whether this month's fine fuels are dry enough to carry fire",
  },
  temperature: { label: "temperature", controls: "the fire season and the frozen-ground cut-off" },
  ignition: { label: "natural ignition", controls: "how often lightning starts fires" },
  human: { label: "human", controls: "the net effect of people: ignitions, suppression and fragmentation" },
  "fuel-structure": {
    label: "fuel structure",
    controls: "whether the fuel is open (grass) or closed (forest)",
  },
  spread: { label: "spread", controls: "how large a fire grows once started" },
};

/** The slots of the broad first form, one per regime, in the order they are dropped when maxTerms is small. */
export const BROAD_SLOTS: readonly Slot[] = [
  "fuel",
  "moisture-slow",
  "temperature",
  "human",
  "moisture-fast",
  "ignition",
];

/** The controls nearly every global fire model shares (CLM, SPITFIRE, INFERNO, ConFire). */
export const CORE_SLOTS: readonly Slot[] = ["fuel", "moisture-slow", "temperature", "human"];

const SLOT_OF_CLUSTER: Readonly<Record<Cluster, Slot>> = {
  FUEL: "fuel",
  "MOIST-slow": "moisture-slow",
  "MOIST-fast": "moisture-fast",
  "MOIST-T": "temperature",
  IGN: "ignition",
  HUMAN: "human",
  SPREAD: "spread",
};

/** FUEL members that describe fuel structure rather than fuel amount (§1.6: "at most one structure term"). */
const STRUCTURE_IDS: ReadonlySet<string> = new Set(["tree_cover_gate"]);

export function slotOf(m: Mechanism): Slot {
  return STRUCTURE_IDS.has(m.id) ? "fuel-structure" : SLOT_OF_CLUSTER[m.cluster];
}

/**
 * Prior order within each slot, with the reason a fire modeller would give: mechanisms that read one
 * direct driver and carry the best-documented first-order pattern come first; composite indices and
 * proxies later. These priors only order the first tries; the ledger decides after that.
 */
export const PRIOR: Readonly<Record<string, string>> = {
  vdw_gpp_gate:
    "fire peaks at intermediate productivity, the first-order global pattern (van der Werf et al. 2008)",
  antecedent_fuel_buildup:
    "last season's productivity grew this season's grass fuel (Archibald et al. 2009; Forkel et al. 2019)",
  pr_fuel_hump: "the fuel-biomass hump of Pausas & Ribeiro (2013)",
  li_fuel_ramp: "CLM's fuel-availability ramp on biomass (Li et al. 2012)",
  simfire_fapar_power: "SIMFIRE's FAPAR fuel proxy (Knorr et al. 2014)",
  accumulated_dryness: "an accumulated dryness index integrates the water deficit fire responds to",
  soil_moisture_gate: "soil wetness integrates rain and evaporation with memory (Bistinas et al. 2014)",
  spitfire_fdi: "SPITFIRE's fire danger index from the Nesterov index (Thonicke et al. 2010)",
  simfire_nesterov_power: "SIMFIRE's Nesterov power (Knorr et al. 2014)",
  globfirm_season: "GlobFIRM's fire-season integrator on soil moisture (Thonicke et al. 2001)",
  vpd_flammability: "fuel dryness rises exponentially with vapour-pressure deficit (Williams et al. 2019)",
  wet_suppression: "rain directly suppresses fire (Pechony & Shindell 2009; Forkel et al. 2017)",
  emc_dead_fuel: "equilibrium moisture of dead fuel from humidity and temperature (Van Wagner 1987)",
  li_combustibility: "CLM's combustibility from humidity, soil wetness and temperature (Li et al. 2012)",
  archibald_temp_sigmoid:
    "warmth sets the fire season and no fire burns on frozen ground (after Li et al. 2012)",
  lightning_ignitions:
    "lightning ignitions, saturating, with CLM's cloud-to-ground fraction (Li et al. 2012)",
  ignition_saturation: "LimFIRE's combined lightning and human ignitions (Kelley et al. 2019)",
  popdens_suppression: "people suppress fire: one net decline with population density (Li et al. 2012)",
  human_ignition_hump: "people ignite fires at low density and suppress them at high (Venevsky et al. 2002)",
  cropland_fragmentation: "cropland fragments the fuel bed (Andela et al. 2017)",
  human_ignition_power: "human ignitions rising with population density (Li et al. 2012)",
  gdp_suppression: "wealth buys suppression (Li et al. 2013)",
  tree_cover_gate: "closed forest does not carry surface fire (Archibald et al. 2009; Staver et al. 2011)",
  wind_spread: "wind enlarges fires once started (Arora & Boer 2005)",
};

const PRIOR_ORDER = Object.keys(PRIOR);

/** A mechanism can be used when every driver it reads is available (lat and month always are). */
export function usable(m: Mechanism, drivers: ReadonlySet<string>): boolean {
  return m.drivers.every((d) => drivers.has(d.name) || PSEUDO_DRIVERS.has(d.name));
}

/** The usable mechanisms of each slot, best prior first. */
export function slotTable(drivers: ReadonlySet<string>): Map<Slot, Mechanism[]> {
  const table = new Map<Slot, Mechanism[]>(SLOTS.map((s) => [s, []]));
  const rank = (m: Mechanism) => {
    const r = PRIOR_ORDER.indexOf(m.id);
    return r < 0 ? PRIOR_ORDER.length + MECHANISMS.indexOf(m) : r;
  };
  for (const m of [...MECHANISMS].sort((a, b) => rank(a) - rank(b))) {
    if (usable(m, drivers)) table.get(slotOf(m))!.push(m);
  }
  return table;
}

/** Short citation from a library entry's `cite`: up to its first year, e.g. "Li, Zeng & Levis 2012". */
export function shortCite(m: Mechanism): string {
  const hit = /^.*?\b(?:1[89]|20)\d\d\b/.exec(m.cite);
  const s = hit ? hit[0] : m.cite.split(/[;(]/)[0].trim();
  return s.length > 60 ? s.slice(0, 57) + "…" : s;
}
