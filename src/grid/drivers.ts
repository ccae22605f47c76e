/**
 * Kiln's driver vocabulary: each variable has one internal unit and a physical range. Readers convert to
 * these units, the audit checks against the ranges, mechanisms declare their drivers by these names.
 */
export interface DriverInfo {
  readonly name: string;
  readonly units: string;
  readonly longName: string;
  /** Values outside [min, max] are physically implausible in the internal unit. */
  readonly min: number;
  readonly max: number;
  /** Static by nature (no time axis), e.g. tree cover in the Pantanal set. Drivers may still vary in time. */
  readonly usuallyStatic?: boolean;
}

export const DRIVERS: readonly DriverInfo[] = [
  { name: "burned_area", units: "1", longName: "burned fraction of the cell per month", min: 0, max: 1 },
  { name: "tas", units: "degC", longName: "near-surface air temperature, monthly mean", min: -90, max: 60 },
  {
    name: "tasmax",
    units: "degC",
    longName: "daily maximum air temperature, monthly mean",
    min: -80,
    max: 65,
  },
  { name: "pr", units: "mm day-1", longName: "precipitation", min: 0, max: 200 },
  { name: "rh", units: "%", longName: "relative humidity", min: 0, max: 100 },
  { name: "vpd", units: "kPa", longName: "vapour-pressure deficit", min: 0, max: 12 },
  { name: "gpp", units: "gC m-2 day-1", longName: "gross primary productivity", min: 0, max: 40 },
  {
    name: "biomass",
    units: "kgC m-2",
    longName: "aboveground biomass (vegetation carbon)",
    min: 0,
    max: 100,
  },
  {
    name: "dryness",
    units: "1",
    longName: "accumulated-dryness index (0 wet .. 1 very dry)",
    min: 0,
    max: 1,
  },
  {
    name: "lightning",
    units: "flashes km-2 month-1",
    longName: "cloud-to-ground lightning",
    min: 0,
    max: 100,
  },
  { name: "popdens", units: "km-2", longName: "population density, persons per km²", min: 0, max: 1e5 },
  { name: "cropland", units: "1", longName: "cropland fraction of the cell", min: 0, max: 1 },
  { name: "treecover", units: "1", longName: "tree cover fraction", min: 0, max: 1, usuallyStatic: true },
  {
    name: "totalcover",
    units: "1",
    longName: "total vegetation cover fraction",
    min: 0,
    max: 1,
    usuallyStatic: true,
  },
  { name: "soilm", units: "1", longName: "relative top-soil wetness", min: 0, max: 1 },
  { name: "drydays", units: "1", longName: "fraction of dry days in the month", min: 0, max: 1 },
  { name: "consecdry", units: "day", longName: "consecutive dry days", min: 0, max: 366 },
  { name: "fapar", units: "1", longName: "fraction of absorbed PAR", min: 0, max: 1 },
  { name: "gdp", units: "k$ capita-1", longName: "GDP per capita", min: 0, max: 500 },
  { name: "wind", units: "m s-1", longName: "near-surface wind speed", min: 0, max: 60 },
  { name: "pasture", units: "1", longName: "pasture fraction of the cell", min: 0, max: 1 },
];

const BY_NAME = new Map(DRIVERS.map((d) => [d.name, d]));

/** Information on a known driver, or undefined for a user-defined variable. */
export function driverInfo(name: string): DriverInfo | undefined {
  return BY_NAME.get(name);
}
