/**
 * A named variable over a Dataset's valid cells: `data[t * nCell + c]`, time-major, or `data[c]` for a
 * static field. NaN marks a missing value.
 */
export interface Field {
  readonly name: string;
  /** Kiln's internal unit for this variable (see the README's driver table). */
  readonly units: string;
  readonly data: Float32Array;
  /** True when the field has no time axis (one value per cell). */
  readonly isStatic: boolean;
  readonly longName?: string;
}

export function makeField(
  name: string,
  units: string,
  data: Float32Array,
  isStatic = false,
  longName?: string,
): Field {
  return longName === undefined ? { name, units, data, isStatic } : { name, units, data, isStatic, longName };
}

/** Value of field f at (t, c), whether static or not. */
export function fieldAt(f: Field, nCell: number, t: number, c: number): number {
  return f.isStatic ? f.data[c] : f.data[t * nCell + c];
}
