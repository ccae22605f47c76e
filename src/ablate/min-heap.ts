/** A binary min-heap of numbers (the ready queue of the coalition scheduler). */
export class MinHeap {
  private items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(x: number): void {
    const a = this.items;
    a.push(x);
    let k = a.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (a[p] <= x) break;
      a[k] = a[p];
      k = p;
    }
    a[k] = x;
  }

  pop(): number | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      let k = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && a[r] < a[l] ? r : l;
        if (a[c] >= last) break;
        a[k] = a[c];
        k = c;
      }
      a[k] = last;
    }
    return top;
  }
}
