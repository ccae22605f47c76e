import type { Grid } from "../grid/grid.ts";
import type { TimeAxis } from "../grid/time.ts";

/**
 * One variable read from a gridded file, on Kiln's orientation (latitude south to north), with missing
 * values (fill values, missing_value, NaN) as NaN. `data[(t * nLat + i) * nLon + j]`, or `data[i * nLon + j]`
 * when the variable has no time axis.
 */
export interface GriddedVariable {
  readonly name: string;
  /** The unit the file holds (after any override), not yet converted. */
  readonly units: string;
  /** The file's own `units` attribute, undefined when it has none. */
  readonly fileUnits?: string | undefined;
  /** The file's `long_name` (or `standard_name`). */
  readonly longName?: string | undefined;
  readonly grid: Grid;
  /** Null for a static variable. */
  readonly time: TimeAxis | null;
  readonly data: Float64Array;
  readonly path: string;
}
