import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { MultiPolygon, Polygon, Position } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

/** Natural Earth land (npm world-atlas) as lists of rings of [lon, lat] points. */
export type Rings = Position[][];

const require = createRequire(import.meta.url);
const cache = new Map<string, Rings[]>();

/**
 * Land polygons from Natural Earth via world-atlas: each polygon is an outer ring followed by its holes.
 * `scale` is "110m" (coarse, for coastlines on maps) or "50m" (for land masks finer than 1°).
 */
export function landPolygons(scale: "110m" | "50m" = "110m"): Rings[] {
  const hit = cache.get(scale);
  if (hit) return hit;
  const path = require.resolve(`world-atlas/land-${scale}.json`);
  const topo = JSON.parse(readFileSync(path, "utf8")) as Topology<{ land: GeometryCollection }>;
  const fc = feature(topo, topo.objects.land);
  const polys: Rings[] = [];
  for (const f of fc.features) {
    const g = f.geometry as Polygon | MultiPolygon;
    if (g.type === "Polygon") polys.push(g.coordinates);
    else if (g.type === "MultiPolygon") for (const p of g.coordinates) polys.push(p);
  }
  cache.set(scale, polys);
  return polys;
}

/** Coastline rings (outer rings and holes alike), for drawing outlines on maps. */
export function coastlines(scale: "110m" | "50m" = "110m"): Position[][] {
  return landPolygons(scale).flat();
}
