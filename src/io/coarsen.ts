/**
 * Block coarsening of a fine regular grid by an integer factor: area-weighted means for fractions,
 * majority for region codes. Fine rows may arrive north to south (`flip`); output is south to north.
 */

export class BlockCoarsener {
  readonly nLatCoarse: number;
  readonly nLonCoarse: number;
  private readonly num: Float64Array;
  private readonly den: Float64Array;

  /**
   * @param rowWeights weight of one fine cell in each fine row, rows south to north (cell area up to a
   *   constant: sin φN − sin φS, every column of a regular grid having the same width)
   */
  constructor(
    readonly nLat: number,
    readonly nLon: number,
    readonly factor: number,
    private readonly rowWeights: Float64Array,
  ) {
    if (nLat % factor !== 0 || nLon % factor !== 0) {
      throw new Error(`coarsening factor ${factor} does not divide the ${nLat}×${nLon} grid`);
    }
    this.nLatCoarse = nLat / factor;
    this.nLonCoarse = nLon / factor;
    this.num = new Float64Array(this.nLatCoarse * this.nLonCoarse);
    this.den = new Float64Array(this.nLatCoarse * this.nLonCoarse);
  }

  /**
   * Area-weighted mean of each block of `src` (fine, row-major; rows north to south when `flip`) into
   * `out` (coarse, row-major south to north). NaN fine cells are left out; an all-NaN block gives NaN.
   */
  mean(src: ArrayLike<number>, flip: boolean, out: Float64Array | Float32Array): void {
    const { nLat, nLon, factor, num, den, rowWeights } = this;
    const nLonC = this.nLonCoarse;
    num.fill(0);
    den.fill(0);
    for (let r = 0; r < nLat; r++) {
      const w = rowWeights[r];
      const base = ((r / factor) | 0) * nLonC;
      let j = (flip ? nLat - 1 - r : r) * nLon;
      // sum each block's columns in registers, then add the row's share once per block
      for (let J = 0; J < nLonC; J++) {
        let sum = 0;
        let n = 0;
        for (let d = 0; d < factor; d++, j++) {
          const v = src[j];
          if (v === v) {
            sum += v;
            n++;
          }
        }
        num[base + J] += sum * w;
        den[base + J] += n * w;
      }
    }
    for (let k = 0; k < num.length; k++) out[k] = den[k] > 0 ? num[k] / den[k] : NaN;
  }
}

/**
 * The most frequent non-zero code of each block (0 counts as "none", e.g. ocean in GFED's
 * basis_regions); ties go to the smaller code; 0 only where the whole block is 0. Output south to north.
 */
export function majorityBlocks(
  codes: ArrayLike<number>,
  nLat: number,
  nLon: number,
  factor: number,
  flip: boolean,
): Int32Array {
  const nLatC = nLat / factor;
  const nLonC = nLon / factor;
  const out = new Int32Array(nLatC * nLonC);
  // codes are small non-negative integers (GFED: 0..14): count them in an array indexed by code
  let maxCode = 0;
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k];
    if (!(c >= 0 && Number.isInteger(c))) throw new Error(`region code ${c} is not a non-negative integer`);
    if (c > maxCode) maxCode = c;
  }
  const counts = new Int32Array(maxCode + 1);
  for (let I = 0; I < nLatC; I++) {
    for (let J = 0; J < nLonC; J++) {
      counts.fill(0);
      for (let di = 0; di < factor; di++) {
        const r = I * factor + di;
        const row = (flip ? nLat - 1 - r : r) * nLon + J * factor;
        for (let dj = 0; dj < factor; dj++) counts[codes[row + dj]]++;
      }
      let best = 0;
      for (let c = 1; c <= maxCode; c++)
        if (counts[c] > counts[best] || (best === 0 && counts[c] > 0)) best = c;
      out[I * nLonC + J] = best;
    }
  }
  return out;
}
