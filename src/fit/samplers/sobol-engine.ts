import { KilnError } from "../../util/errors.ts";
import type { Rng } from "../../util/rng.ts";
import { SOBOL_MAX_DIM, SOBOL_M_INIT, SOBOL_POLY } from "./sobol-directions.ts";

const BITS = 32;
const TWO32 = 4294967296;

function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  return (0x6996 >>> (v & 0xf)) & 1;
}

/**
 * A Sobol sequence in up to 256 dimensions with 32-bit direction numbers (Joe–Kuo), optionally
 * scrambled by a random linear matrix plus a digital shift (Matoušek's LMS, as SciPy does). Point n is
 * computed directly from the Gray code of n, so any index is random access: no state, no fast-forward.
 */
export class SobolEngine {
  readonly dim: number;
  /** v[d * 32 + j] = direction number j (0-based) of dimension d, as an unsigned 32-bit integer. */
  private readonly v: Uint32Array;
  private readonly shift: Uint32Array;

  constructor(dim: number, scramble?: Rng) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM)
      throw new KilnError(`a Sobol sequence supports 1 to ${SOBOL_MAX_DIM} dimensions, not ${dim}`, {
        hint: "use the random or TPE sampler for larger spaces",
      });
    this.dim = dim;
    this.v = new Uint32Array(dim * BITS);
    this.shift = new Uint32Array(dim);
    const m = new Float64Array(BITS + 1); // m[1..32], each < 2^j
    for (let d = 0; d < dim; d++) {
      if (d === 0) for (let j = 1; j <= BITS; j++) m[j] = 1;
      else {
        const poly = SOBOL_POLY[d - 1];
        const init = SOBOL_M_INIT[d - 1];
        const s = init.length;
        for (let j = 1; j <= s; j++) m[j] = init[j - 1];
        for (let j = s + 1; j <= BITS; j++) {
          // m_j = 2 a_1 m_{j-1} ⊕ 4 a_2 m_{j-2} ⊕ … ⊕ 2^s m_{j-s} ⊕ m_{j-s}
          let x = (m[j - s] ^ ((m[j - s] * 2 ** s) >>> 0)) >>> 0;
          for (let i = 1; i < s; i++) if ((poly >>> (s - i)) & 1) x = (x ^ ((m[j - i] * 2 ** i) >>> 0)) >>> 0;
          m[j] = x;
        }
      }
      for (let j = 1; j <= BITS; j++) this.v[d * BITS + j - 1] = (m[j] * 2 ** (BITS - j)) >>> 0;
    }
    if (scramble) this.scramble(scramble);
  }

  private scramble(rng: Rng): void {
    const rows = new Uint32Array(BITS);
    for (let d = 0; d < this.dim; d++) {
      // lower-triangular matrix with a unit diagonal, bits counted from the most significant
      for (let r = 0; r < BITS; r++) {
        let mask = (1 << (BITS - 1 - r)) >>> 0;
        for (let c = 0; c < r; c++) if (rng.next() < 0.5) mask = (mask | (1 << (BITS - 1 - c))) >>> 0;
        rows[r] = mask;
      }
      for (let j = 0; j < BITS; j++) {
        const x = this.v[d * BITS + j];
        let y = 0;
        for (let r = 0; r < BITS; r++) if (parity(x & rows[r])) y = (y | (1 << (BITS - 1 - r))) >>> 0;
        this.v[d * BITS + j] = y;
      }
      this.shift[d] = Math.floor(rng.next() * TWO32) >>> 0;
    }
  }

  /** Writes point `index` (0-based) into out[0..dim), each coordinate in [0, 1). */
  point(index: number, out: Float64Array | number[]): void {
    if (!Number.isInteger(index) || index < 0 || index >= TWO32)
      throw new KilnError(`Sobol index ${index} is outside [0, 2^32)`);
    const gray = (index ^ Math.floor(index / 2)) >>> 0;
    for (let d = 0; d < this.dim; d++) {
      let x = this.shift[d];
      let g = gray;
      let j = 0;
      while (g !== 0) {
        if (g & 1) x = (x ^ this.v[d * BITS + j]) >>> 0;
        g >>>= 1;
        j++;
      }
      out[d] = x / TWO32;
    }
  }
}
