/**
 * Compass search (a coordinate pattern search, Kolda, Lewis & Torczon 2003) in the unit cube, minimising,
 * written as a replayable state machine: the state is a pure function of the start and of the polled
 * points told to it in trial-number order, so a sampler can rebuild it from stored trials. Each
 * coordinate has its own step (started from CMA-ES's per-coordinate spread, so a global scale over many
 * decades gets a small one): a success moves the incumbent, doubles that coordinate's step and polls the
 * same direction again; a sweep over all 2n directions without success halves every step.
 */
export interface CompassTag {
  /** Epoch of the state the point was proposed from (it changes on every move or step change). */
  e: number;
  /** Direction: coordinate ⌊d/2⌋, + when d is even, − when odd. */
  d: number;
}

export class CompassSearch {
  readonly n: number;
  readonly x: Float64Array;
  f: number;
  readonly h: Float64Array;
  epoch = 0;
  private failed: Uint8Array;
  private cursor = 0;

  constructor(
    x0: ArrayLike<number>,
    f0: number,
    h0: ArrayLike<number>,
    private readonly hMin = 1e-9,
    private readonly hMax = 0.25,
  ) {
    this.n = x0.length;
    this.x = Float64Array.from(x0);
    this.f = f0;
    this.h = Float64Array.from(h0, (v) => Math.min(hMax, Math.max(hMin, v)));
    this.failed = new Uint8Array(2 * this.n);
    this.settle();
  }

  /** The point a direction polls from the current state (clipped into the cube). */
  point(d: number, out: Float64Array): Float64Array {
    out.set(this.x);
    const i = d >> 1;
    const v = this.x[i] + (d & 1 ? -1 : 1) * this.h[i];
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    return out;
  }

  /** Tells one evaluated point (in trial-number order). Points from older epochs only count if better. */
  tell(y: ArrayLike<number>, value: number, tag: CompassTag | undefined): void {
    if (value < this.f) {
      this.x.set(y);
      this.f = value;
      if (tag && tag.e === this.epoch) {
        const i = tag.d >> 1;
        this.h[i] = Math.min(this.hMax, 2 * this.h[i]);
        this.cursor = tag.d;
      }
      this.newEpoch();
    } else if (tag && tag.e === this.epoch) this.failed[tag.d] = 1;
    this.settle();
  }

  /** True when every step has shrunk to hMin. */
  converged(): boolean {
    return this.h.every((v) => v <= this.hMin);
  }

  /**
   * The next poll of this epoch: the first direction from the cursor that has neither failed nor is in
   * flight. Undefined when none is left (the caller samples elsewhere until the epoch's polls return).
   * Does not change the state.
   */
  propose(inFlight: ReadonlySet<number>, out: Float64Array): CompassTag | undefined {
    for (let k = 0; k < 2 * this.n; k++) {
      const d = (this.cursor + k) % (2 * this.n);
      if (this.failed[d] || inFlight.has(d)) continue;
      this.point(d, out);
      return { e: this.epoch, d };
    }
    return undefined;
  }

  /**
   * Directions that cannot move (a step into a bound the point sits on) count as failed, and a sweep
   * with every direction failed halves the steps. Runs after every tell (and at the start), so the state
   * stays a function of the told points alone.
   */
  private settle(): void {
    const y = new Float64Array(this.n);
    for (let guard = 0; guard < 200 && !this.converged(); guard++) {
      for (let d = 0; d < 2 * this.n; d++)
        if (!this.failed[d] && this.point(d, y)[d >> 1] === this.x[d >> 1]) this.failed[d] = 1;
      if (!this.failed.every((v) => v === 1)) return;
      for (let i = 0; i < this.n; i++) this.h[i] = Math.max(this.hMin, this.h[i] / 2);
      this.newEpoch();
    }
  }

  private newEpoch(): void {
    this.epoch++;
    this.failed.fill(0);
  }
}
