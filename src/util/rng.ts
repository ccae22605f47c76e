import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

type Generator = ReturnType<typeof xoroshiro128plus>;

/** A seeded random stream (xoroshiro128+ from pure-rand). Every random choice in Kiln comes from one. */
export class Rng {
  private gen: Generator;
  private spare = NaN;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** A random element of `items`. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Rng.pick: nothing to pick from");
    return items[this.int(items.length)];
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let k = items.length - 1; k > 0; k--) {
      const j = this.int(k + 1);
      const tmp = items[k];
      items[k] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** An independent stream derived from this one (for a sub-task that must not shift this stream). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 0x7fffffff));
  }
}

/** A stable 31-bit seed from a string and a base seed (so named sub-streams do not depend on call order). */
export function deriveSeed(base: number, name: string): number {
  let h = (base ^ 0x9e3779b9) >>> 0;
  for (let k = 0; k < name.length; k++) {
    h = Math.imul(h ^ name.charCodeAt(k), 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h & 0x7fffffff;
}
