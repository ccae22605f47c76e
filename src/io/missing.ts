/**
 * CF missing-value and packing rules: `_FillValue` (or netCDF's default fill when the attribute is
 * absent), `missing_value`, `valid_min`/`valid_max`/`valid_range` and NaN mark missing values; then
 * `scale_factor` and `add_offset` unpack the rest.
 */
import { attrNumbers, type NumericType, type RawVariable } from "./raw.ts";

/** netCDF's default fill values (netcdf.h NC_FILL_*), used when a variable has no _FillValue. */
const DEFAULT_FILL: Partial<Record<NumericType, number>> = {
  i1: -127,
  u1: 255,
  i2: -32767,
  u2: 65535,
  i4: -2147483647,
  u4: 4294967295,
  f4: 9.969209968386869e36,
  f8: 9.969209968386869e36,
};

export interface Decoder {
  /** Missing values to compare exactly (float32 roundings included). */
  readonly missing: Float64Array;
  readonly min: number;
  readonly max: number;
  readonly scale: number;
  readonly offset: number;
}

/**
 * The decoding rules of `v`. netCDF's default fill applies to floating-point variables always (no real
 * datum is 9.97e36) and to integer variables of netCDF files only (plain HDF5 integers have no fill).
 */
export function decoderFor(v: RawVariable, isNetcdf: boolean): Decoder {
  const miss: number[] = [];
  const fill = attrNumbers(v, "_FillValue");
  if (fill) miss.push(...fill);
  else if (v.type && (v.type.startsWith("f") || isNetcdf)) {
    const d = DEFAULT_FILL[v.type];
    if (d !== undefined) miss.push(d);
  }
  const mv = attrNumbers(v, "missing_value");
  if (mv) miss.push(...mv);
  for (const x of [...miss])
    if (Math.fround(x) !== x && Number.isFinite(Math.fround(x))) miss.push(Math.fround(x));
  let min = -Infinity;
  let max = Infinity;
  const range = attrNumbers(v, "valid_range");
  if (range && range.length === 2) [min, max] = range;
  const vmin = attrNumbers(v, "valid_min");
  const vmax = attrNumbers(v, "valid_max");
  if (vmin) min = vmin[0];
  if (vmax) max = vmax[0];
  const scale = attrNumbers(v, "scale_factor")?.[0] ?? 1;
  const offset = attrNumbers(v, "add_offset")?.[0] ?? 0;
  return { missing: Float64Array.from(miss.filter((x) => !Number.isNaN(x))), min, max, scale, offset };
}

/** Decode one raw value: NaN when missing, else unpacked. */
export function decodeValue(d: Decoder, x: number): number {
  if (x !== x || x < d.min || x > d.max) return NaN;
  const m = d.missing;
  for (let k = 0; k < m.length; k++) if (x === m[k]) return NaN;
  return x * d.scale + d.offset;
}
