/** Which way is better on each axis: e.g. fewer parameters ("min") and a higher score ("max"). */
export interface ParetoSense {
  x: "min" | "max";
  y: "min" | "max";
}

/**
 * Marks the points no other point dominates (at least as good on both axes and better on one).
 * Points with a NaN coordinate are never on the front. O(n log n).
 */
export function paretoFront(
  points: readonly { x: number; y: number }[],
  sense: ParetoSense = { x: "min", y: "max" },
): boolean[] {
  const sx = sense.x === "min" ? 1 : -1;
  const sy = sense.y === "max" ? 1 : -1;
  // In these coordinates smaller x and larger y are better.
  const order = points
    .map((p, k) => ({ k, x: sx * p.x, y: sy * p.y }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => a.x - b.x || b.y - a.y);
  const front = new Array<boolean>(points.length).fill(false);
  let bestY = -Infinity;
  let k = 0;
  while (k < order.length) {
    // Points sharing an x: only those with the group's top y can be on the front, and only if they beat bestY.
    let end = k;
    while (end < order.length && order[end].x === order[k].x) end++;
    const topY = order[k].y;
    if (topY > bestY) {
      for (let m = k; m < end && order[m].y === topY; m++) front[order[m].k] = true;
      bestY = topY;
    }
    k = end;
  }
  return front;
}
