import type { CellIndex } from "./cells.ts";
import type { Field } from "./field.ts";
import type { Grid } from "./grid.ts";
import type { TimeAxis } from "./time.ts";

/** Named fields on one grid, one set of valid cells and one monthly time axis. */
export class Dataset {
  readonly grid: Grid;
  readonly time: TimeAxis;
  readonly cells: CellIndex;
  readonly fields: ReadonlyMap<string, Field>;

  constructor(grid: Grid, time: TimeAxis, cells: CellIndex, fields: Iterable<Field> = []) {
    if (cells.grid !== grid && !cells.grid.sameAs(grid)) {
      throw new Error(
        `Dataset: the cell index is on ${cells.grid.describe()}, the dataset on ${grid.describe()}`,
      );
    }
    this.grid = grid;
    this.time = time;
    this.cells = cells;
    const map = new Map<string, Field>();
    for (const f of fields) {
      const want = f.isStatic ? cells.length : cells.length * time.length;
      if (f.data.length !== want) {
        throw new Error(
          `Dataset: field '${f.name}' has ${f.data.length} values; expected ${want} ` +
            (f.isStatic ? `(static: one per valid cell)` : `(${time.length} months × ${cells.length} cells)`),
        );
      }
      if (map.has(f.name)) throw new Error(`Dataset: field '${f.name}' is given twice`);
      map.set(f.name, f);
    }
    this.fields = map;
  }

  get nCell(): number {
    return this.cells.length;
  }

  get nTime(): number {
    return this.time.length;
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  /** The field called `name`; an error listing the fields that exist otherwise. */
  field(name: string): Field {
    const f = this.fields.get(name);
    if (!f) {
      throw new Error(
        `no field '${name}' in the dataset; it has: ${[...this.fields.keys()].join(", ") || "(none)"}`,
      );
    }
    return f;
  }

  names(): string[] {
    return [...this.fields.keys()];
  }

  /** A dataset with these fields added (or replaced by name). */
  withFields(fields: Iterable<Field>): Dataset {
    const map = new Map(this.fields);
    for (const f of fields) map.set(f.name, f);
    return new Dataset(this.grid, this.time, this.cells, map.values());
  }

  /** A dataset without the named fields. */
  without(names: Iterable<string>): Dataset {
    const drop = new Set(names);
    return new Dataset(
      this.grid,
      this.time,
      this.cells,
      [...this.fields.values()].filter((f) => !drop.has(f.name)),
    );
  }

  /**
   * The dataset restricted to the given time steps (increasing). A contiguous range shares memory with
   * this dataset (a subarray view); otherwise the values are copied.
   */
  selectTime(indices: ArrayLike<number>): Dataset {
    const n = this.nCell;
    let contiguous = true;
    for (let k = 1; k < indices.length; k++) if (indices[k] !== indices[k - 1] + 1) contiguous = false;
    const fields: Field[] = [];
    for (const f of this.fields.values()) {
      if (f.isStatic) {
        fields.push(f);
        continue;
      }
      let data: Float32Array;
      if (indices.length === 0) data = new Float32Array(0);
      else if (contiguous) data = f.data.subarray(indices[0] * n, (indices[indices.length - 1] + 1) * n);
      else {
        data = new Float32Array(indices.length * n);
        for (let k = 0; k < indices.length; k++)
          data.set(f.data.subarray(indices[k] * n, (indices[k] + 1) * n), k * n);
      }
      fields.push({ ...f, data });
    }
    return new Dataset(this.grid, this.time.select(indices), this.cells, fields);
  }

  /** The dataset restricted to whole calendar years; an error naming any year it does not hold. */
  selectYears(years: Iterable<number>): Dataset {
    const list = [...years];
    const have = new Set(this.time.yearList());
    const missing = list.filter((y) => !have.has(y));
    if (missing.length) {
      throw new Error(`years ${missing.join(", ")} are not in the dataset (${this.time.describe()})`);
    }
    return this.selectTime(this.time.indicesOfYears(list));
  }
}
