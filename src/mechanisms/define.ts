/** Builds library entries: fills in each driver's internal unit from src/grid/drivers.ts. */
import { driverInfo } from "../grid/drivers.ts";
import type { Mechanism } from "./types.ts";

/** Units of the pseudo-drivers built into the expression language. */
const PSEUDO_UNITS: Record<string, string> = { lat: "degrees_north", month: "1" };

export function driverUnits(name: string): string {
  const u = driverInfo(name)?.units ?? PSEUDO_UNITS[name];
  if (u === undefined) throw new Error(`mechanism library: unknown driver '${name}'`);
  return u;
}

export type MechanismDraft = Omit<Mechanism, "drivers"> & { readonly drivers: readonly string[] };

export function define(draft: MechanismDraft): Mechanism {
  return { ...draft, drivers: draft.drivers.map((name) => ({ name, units: driverUnits(name) })) };
}

/** The sensitivity exponent used where a published factor has no parameter value making it constant. */
export const SENSITIVITY = {
  name: "g",
  lo: 0,
  hi: 2,
  default: 1,
  scale: "lin",
  units: "1",
  doc: "sensitivity exponent: the factor is raised to g; 1 is the published form, 0 switches the mechanism off",
} as const;
