/** The mechanism library: every entry, looked up by id. */
import { FUEL_MECHANISMS } from "./fuel.ts";
import { HUMAN_MECHANISMS } from "./human.ts";
import { IGNITION_MECHANISMS } from "./ignition.ts";
import { MOISTURE_MECHANISMS } from "./moisture.ts";
import type { Mechanism } from "./types.ts";

/** In catalogue order (M1..M25; M24 deforestation fire is not included: it needs a tree-loss driver). */
export const MECHANISMS: readonly Mechanism[] = [
  ...FUEL_MECHANISMS,
  ...MOISTURE_MECHANISMS,
  ...IGNITION_MECHANISMS,
  ...HUMAN_MECHANISMS,
];

const BY_ID = new Map(MECHANISMS.map((m) => [m.id, m]));
if (BY_ID.size !== MECHANISMS.length) throw new Error("mechanism library: duplicate ids");

export function mechanismById(id: string): Mechanism | undefined {
  return BY_ID.get(id);
}

export function mechanismIds(): string[] {
  return MECHANISMS.map((m) => m.id);
}
