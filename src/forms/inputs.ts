/**
 * What a kernel reads: one array per driver over a contiguous monthly series of valid cells, time-major
 * (`t * nCell + c`), or one value per cell for a static driver; plus the cells' latitudes and the months.
 */
import type { Dataset } from "../grid/dataset.ts";
import { KilnError } from "../util/errors.ts";
import { didYouMean } from "./suggest.ts";

export type NumArray = Float32Array | Float64Array;

export interface KernelInputs {
  readonly nTime: number;
  readonly nCell: number;
  /** Driver name → `nTime * nCell` values (time-major) or `nCell` values (static). */
  readonly fields: Readonly<Record<string, NumArray>>;
  /** Cell-centre latitude (degrees) of each cell; needed when a form reads `lat`. */
  readonly lat?: ArrayLike<number>;
  /** Calendar month (1..12) of each time step; needed when a form reads `month`. */
  readonly month?: ArrayLike<number>;
}

/** How one input is laid out: per cell and month, per cell (static or lat), or per month (month). */
export interface ResolvedInput {
  readonly name: string;
  readonly layout: "cellTime" | "cell" | "time";
  readonly data: ArrayLike<number>;
}

/** Find each driver the form reads in the inputs, with a clear error for what is missing or mis-sized. */
export function resolveInputs(drivers: readonly string[], inp: KernelInputs): ResolvedInput[] {
  const { nTime, nCell } = inp;
  if (!(Number.isInteger(nTime) && nTime >= 1 && Number.isInteger(nCell) && nCell >= 1)) {
    throw new KilnError(`kernel inputs need whole positive nTime and nCell, got ${nTime} × ${nCell}`);
  }
  return drivers.map((name): ResolvedInput => {
    if (name === "lat") {
      if (!inp.lat || inp.lat.length !== nCell) {
        throw new KilnError(
          `the form reads 'lat' but the inputs give ${inp.lat ? inp.lat.length : "no"} latitudes`,
          {
            hint: `pass one latitude per cell (${nCell})`,
          },
        );
      }
      return { name, layout: "cell", data: inp.lat };
    }
    if (name === "month") {
      if (!inp.month || inp.month.length !== nTime) {
        throw new KilnError(
          `the form reads 'month' but the inputs give ${inp.month ? inp.month.length : "no"} months`,
          {
            hint: `pass one month (1..12) per time step (${nTime})`,
          },
        );
      }
      return { name, layout: "time", data: inp.month };
    }
    const data = inp.fields[name];
    if (!data) {
      const have = Object.keys(inp.fields);
      throw new KilnError(
        `the form reads the driver '${name}' but the data have no such field${didYouMean(name, have)}`,
        {
          hint: `the data have: ${have.join(", ") || "(none)"}; add '${name}' to the dataset config or change the form`,
        },
      );
    }
    if (data.length === nTime * nCell) return { name, layout: "cellTime", data };
    if (data.length === nCell) return { name, layout: "cell", data };
    throw new KilnError(
      `field '${name}' has ${data.length} values; expected ${nTime * nCell} (${nTime} months × ${nCell} cells) or ${nCell} (static)`,
    );
  });
}

/** Kernel inputs over a whole Dataset (fields share the dataset's memory). */
export function inputsFromDataset(ds: Dataset): KernelInputs {
  const fields: Record<string, NumArray> = {};
  for (const f of ds.fields.values()) fields[f.name] = f.data;
  const lat = new Float64Array(ds.nCell);
  for (let c = 0; c < ds.nCell; c++) lat[c] = ds.cells.lat(c);
  return { nTime: ds.nTime, nCell: ds.nCell, fields, lat, month: ds.time.months };
}

/** The inputs restricted to time steps [t0, t1): a view, no copy. */
export function sliceInputs(inp: KernelInputs, t0: number, t1: number): KernelInputs {
  const n = inp.nCell;
  const fields: Record<string, NumArray> = {};
  for (const [k, v] of Object.entries(inp.fields)) {
    fields[k] = v.length === inp.nTime * n && v.length !== n ? v.subarray(t0 * n, t1 * n) : v;
  }
  const month = inp.month ? Array.from(inp.month).slice(t0, t1) : undefined;
  return { nTime: t1 - t0, nCell: n, fields, lat: inp.lat, month };
}
