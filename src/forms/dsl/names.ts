/** The inputs an expression may read: Kiln's drivers (src/grid/drivers.ts) and two built-in pseudo-drivers. */
import { DRIVERS, driverInfo } from "../../grid/drivers.ts";

/** The target variable: never an input of a form. */
export const TARGET_NAME = "burned_area";

/** Pseudo-drivers computed by Kiln itself from the grid and the time axis. */
export const PSEUDO_DRIVERS: ReadonlyMap<string, { units: string; longName: string }> = new Map([
  ["lat", { units: "degrees_north", longName: "cell-centre latitude" }],
  ["month", { units: "1", longName: "calendar month, 1 (January) to 12 (December)" }],
]);

/** Every name usable as a driver in an expression. */
export const INPUT_NAMES: ReadonlySet<string> = new Set([
  ...DRIVERS.map((d) => d.name).filter((n) => n !== TARGET_NAME),
  ...PSEUDO_DRIVERS.keys(),
]);

/** Unit of a driver or pseudo-driver, for messages and exported documentation. */
export function inputUnits(name: string): string {
  return PSEUDO_DRIVERS.get(name)?.units ?? driverInfo(name)?.units ?? "?";
}

export function inputLongName(name: string): string {
  return PSEUDO_DRIVERS.get(name)?.longName ?? driverInfo(name)?.longName ?? name;
}
