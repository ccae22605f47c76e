import assert from "node:assert/strict";
import { test } from "node:test";
import { interpolateRdBu, interpolateViridis } from "d3-scale-chromatic";
import { Grid } from "../../src/grid/grid.ts";
import { CellIndex } from "../../src/grid/cells.ts";
import {
  mapLayout,
  mapPixel,
  NO_DATA_COLOUR,
  renderMap,
  renderMapPanel,
  type MapOptions,
} from "../../src/report/plot/index.ts";
import { parseColour } from "../../src/report/plot/colours.ts";
import { percentile, valueScale } from "../../src/report/plot/scale.ts";
import { KilnError } from "../../src/util/errors.ts";
import { decodePng, type Pixels } from "../helpers/png.ts";

/** Width and height from the PNG's IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

function near(a: readonly number[], b: readonly number[], tol: number): boolean {
  return a.every((v, k) => Math.abs(v - b[k]) <= tol);
}

const luminance = ([r, g, b]: readonly number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

/** The darkest pixel within `radius` of (x, y). */
function darkest(px: Pixels, x: number, y: number, radius: number): number {
  let m = 255;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) m = Math.min(m, luminance(px.at(x + dx, y + dy)));
  }
  return m;
}

function field(grid: Grid, f: (lat: number, lon: number) => number): Float64Array {
  const v = new Float64Array(grid.nCell);
  for (let i = 0; i < grid.nLat; i++)
    for (let j = 0; j < grid.nLon; j++) v[i * grid.nLon + j] = f(grid.lat[i], grid.lon[j]);
  return v;
}

const global2 = Grid.regular(2);
const halves: MapOptions = {
  grid: global2,
  values: field(global2, (lat) => (lat > 0 ? 1 : 0)),
  title: "Northern half",
  units: "fraction",
  range: [0, 1],
};

test("a 2° global map has whole-pixel cells and the PNG has the layout's size", () => {
  const png = renderMap(halves);
  const layout = mapLayout(halves);
  assert.deepEqual(pngSize(png), [layout.width, layout.height]);
  // 180 × 90 cells at the default 1000 px width: 5 pixels per cell, no fractional cells.
  assert.equal(layout.map.width, 180 * 5);
  assert.equal(layout.map.height, 90 * 5);
  assert.ok(layout.colourBar.x > layout.map.x + layout.map.width, "colour bar right of the map");
});

test("north is up: the high value of the northern half is drawn at the top", async () => {
  const px = await decodePng(renderMap(halves));
  const layout = mapLayout(halves);
  const top = parseColour(interpolateViridis(1));
  const bottom = parseColour(interpolateViridis(0));
  // Mid-Pacific points, away from coastlines and graticule lines.
  for (const lat of [41, 11, 75])
    assert.ok(near(px.at(...mapPixel(layout, -145, lat)), top, 4), `lat ${lat}`);
  for (const lat of [-41, -11, -65])
    assert.ok(near(px.at(...mapPixel(layout, -145, lat)), bottom, 4), `lat ${lat}`);
});

test("NaN cells take the no-data colour", async () => {
  const values = field(global2, (lat, lon) =>
    lat < -20 && lat > -60 && lon < -100 && lon > -160 ? NaN : 0.5,
  );
  const opts = { ...halves, values };
  const px = await decodePng(renderMap(opts));
  const layout = mapLayout(opts);
  assert.deepEqual(px.at(...mapPixel(layout, -145, -41)), parseColour(NO_DATA_COLOUR));
  assert.ok(near(px.at(...mapPixel(layout, -145, 41)), parseColour(interpolateViridis(0.5)), 4));
});

test("coastlines are drawn where the African and South American coasts are, and nowhere in mid-ocean", async () => {
  const flat = { ...halves, values: new Float64Array(global2.nCell).fill(0.5) };
  const layout = mapLayout(flat);
  const withCoast = await decodePng(renderMap(flat));
  const without = await decodePng(renderMap({ ...flat, coastlines: false }));
  const background = luminance(parseColour(interpolateViridis(0.5)));
  const coast: [number, number][] = [
    [20.0, -34.8], // Cape Agulhas
    [-17.3, 14.7], // Cap-Vert, Dakar
    [51.2, 11.8], // Ras Hafun, Horn of Africa
    [-35.2, -5.5], // Cabo de São Roque, Brazil
  ];
  for (const [lon, lat] of coast) {
    const [x, y] = mapPixel(layout, lon, lat);
    assert.ok(darkest(withCoast, x, y, 3) < background - 40, `a coastline pixel near ${lon}, ${lat}`);
    assert.ok(darkest(without, x, y, 3) > background - 5, `no dark pixel there without coastlines`);
  }
  const [x, y] = mapPixel(layout, -145, 41);
  assert.ok(darkest(withCoast, x, y, 6) > background - 5, "mid-Pacific has no coastline");
});

test("coastlines also show on a 0..360 longitude grid", async () => {
  const grid = new Grid(
    Array.from({ length: 91 }, (_, i) => -90 + 2 * i),
    Array.from({ length: 181 }, (_, j) => 2 * j),
  );
  const opts: MapOptions = { grid, values: new Float64Array(grid.nCell).fill(0.5), range: [0, 1] };
  const layout = mapLayout(opts);
  const px = await decodePng(renderMap(opts));
  const background = luminance(parseColour(interpolateViridis(0.5)));
  // Cape Agulhas at 20°E and Cabo de São Roque at 324.8° (35.2°W).
  for (const [lon, lat] of [
    [20.0, -34.8],
    [324.8, -5.5],
  ]) {
    assert.ok(darkest(px, ...mapPixel(layout, lon, lat), 3) < background - 40, `coast at ${lon}, ${lat}`);
  }
});

test("the colour bar runs from the low colour at the bottom to the high colour at the top", async () => {
  const px = await decodePng(renderMap(halves));
  const bar = mapLayout(halves).colourBar;
  const cx = bar.x + bar.width / 2;
  for (const t of [0.02, 0.25, 0.5, 0.75, 0.98]) {
    const y = bar.y + (1 - t) * bar.height;
    assert.ok(near(px.at(cx, y), parseColour(interpolateViridis(t)), 6), `colour bar at t = ${t}`);
  }
  // Labelled ticks: dark text pixels to the right of the bar.
  let dark = 0;
  for (let y = bar.y; y < bar.y + bar.height; y++) {
    for (let x = bar.x + bar.width + 6; x < bar.x + bar.width + 40; x++)
      if (luminance(px.at(x, y)) < 100) dark++;
  }
  assert.ok(dark > 30, `tick labels beside the colour bar (${dark} dark pixels)`);
});

test("a log scale puts 10⁻³ mid-way between 10⁻⁴ and 10⁻²; zero takes the lowest colour", async () => {
  const values = field(global2, (lat) => (lat > 0 ? 1e-3 : 0));
  const opts: MapOptions = { grid: global2, values, log: true, range: [1e-4, 1e-2] };
  const px = await decodePng(renderMap(opts));
  const layout = mapLayout(opts);
  assert.ok(near(px.at(...mapPixel(layout, -145, 41)), parseColour(interpolateViridis(0.5)), 4));
  assert.ok(near(px.at(...mapPixel(layout, -145, -41)), parseColour(interpolateViridis(0)), 4));
  assert.deepEqual(layout.barLabels, ["10⁻⁴", "10⁻³", "10⁻²"]);
});

test("diverging maps are blue below the centre, white at it and red above, with a symmetric default range", async () => {
  const values = field(global2, (lat) => (lat > 30 ? 3 : lat > -30 ? 0 : -1));
  const opts: MapOptions = { grid: global2, values, colours: "diverging" };
  const layout = mapLayout(opts);
  const px = await decodePng(renderMap(opts));
  const red = px.at(...mapPixel(layout, -145, 61));
  const white = px.at(...mapPixel(layout, -145, 11));
  const blue = px.at(...mapPixel(layout, -145, -61));
  assert.ok(red[0] > red[2] + 60, `red above: ${red}`);
  assert.ok(blue[2] > blue[0] + 40, `blue below: ${blue}`);
  assert.ok(near(white, parseColour(interpolateRdBu(0.5)), 6), `centre is the middle colour: ${white}`);
  const s = valueScale(values, { kind: "diverging" });
  assert.equal(s.lo, -s.hi);
  assert.equal(s.hi, 3);
});

test("robust default range: 2nd and 98th percentiles; diverging ranges are symmetric about the centre", () => {
  const v = Float64Array.from({ length: 1001 }, (_, k) => k);
  const s = valueScale(v, { kind: "sequential" });
  assert.equal(s.lo, 20);
  assert.equal(s.hi, 980);
  const d = valueScale(
    v.map((x) => x - 100),
    { kind: "diverging", centre: 50 },
  );
  assert.equal(d.centre, 50);
  assert.equal(d.hi - 50, 50 - d.lo);
  assert.equal(d.hi, 880);
  assert.equal(d.norm(50), 0.5);
  assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
  // A cyclic scale wraps: one period above is the same colour.
  const c = valueScale(v, { kind: "cyclic", range: [-6, 6] });
  assert.ok(Math.abs(c.norm(-5) - c.norm(7)) < 1e-12);
  assert.equal(c.position(6), 1);
});

test("a regional box is zoomed with whole-pixel cells, and cropping a global field gives the same picture", async () => {
  const box = { latMin: -22, latMax: -16, lonMin: -59, lonMax: -55 };
  const pantanal = Grid.regular(0.5, box);
  assert.equal(pantanal.nLat, 12);
  assert.equal(pantanal.nLon, 8);
  const checker = field(pantanal, (lat, lon) => (Math.round(lat * 2 - 0.5) + Math.round(lon * 2 - 0.5)) & 1);
  const opts: MapOptions = {
    grid: pantanal,
    values: checker,
    range: [0, 1],
    title: "Pantanal",
    graticule: false,
  };
  const layout = mapLayout(opts);
  const k = layout.colEdges[1] - layout.colEdges[0];
  assert.ok(k >= 20, `cells are scaled up (${k} px)`);
  for (let j = 0; j <= 8; j++) assert.equal(layout.colEdges[j], j * k);
  for (let i = 0; i <= 12; i++) assert.equal(layout.rowEdges[i], (12 - i) * k);
  const px = await decodePng(renderMap(opts));
  // Along one pixel row through the middle of the top cell row, the colour changes exactly at cell edges.
  const y = layout.map.y + Math.floor(k / 2);
  for (let x = 0; x < layout.map.width; x++) {
    const j = Math.floor(x / k);
    const expected = checker[11 * 8 + j] === 1 ? interpolateViridis(1) : interpolateViridis(0);
    assert.ok(near(px.at(layout.map.x + x, y), parseColour(expected), 4), `pixel ${x} belongs to cell ${j}`);
  }
  // The same box cut from a global 0.5° field renders to the same bytes.
  const g05 = Grid.regular(0.5);
  const globalValues = new Float64Array(g05.nCell).fill(NaN);
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 8; j++)
      globalValues[(g05.rowOf(-21.9) + i) * g05.nLon + g05.colOf(-58.9) + j] = checker[i * 8 + j];
  }
  const cropped = renderMap({ ...opts, grid: g05, values: globalValues, box });
  assert.ok(cropped.equals(renderMap(opts)));
});

test("compressed cells scattered with CellIndex.toGrid render; a wrong length is a clear error", () => {
  const grid = Grid.regular(10);
  const cells = CellIndex.fromMask(
    grid,
    Array.from({ length: grid.nCell }, (_, g) => g % 3 === 0),
  );
  const values = cells.toGrid(Float64Array.from({ length: cells.length }, (_, c) => c));
  assert.ok(renderMap({ grid, values }).length > 1000);
  assert.throws(
    () => renderMap({ grid, values: new Float64Array(cells.length) }),
    (e: unknown) => e instanceof KilnError && /CellIndex\.toGrid/.test(e.message),
  );
  assert.throws(
    () => renderMap({ grid, values, colours: "diverging", log: true }),
    (e: unknown) => e instanceof KilnError && /sequential/.test(e.message),
  );
  assert.throws(() => renderMap({ grid, values, range: [1, 1] }), KilnError);
});

test("rendering is deterministic: same input, same bytes", () => {
  const opts: MapOptions = {
    ...halves,
    values: field(global2, (lat, lon) => Math.sin(lat / 9) * Math.cos(lon / 13)),
  };
  assert.ok(renderMap(opts).equals(renderMap(opts)));
});

test("a panel lays maps side by side and can share one colour range", async () => {
  const grid = Grid.regular(5);
  const ones = new Float64Array(grid.nCell).fill(1);
  const threes = new Float64Array(grid.nCell).fill(3);
  const maps: MapOptions[] = [
    { grid, values: ones, title: "A", maxWidth: 360 },
    { grid, values: threes, title: "B", maxWidth: 360 },
    { grid, values: ones, title: "C", maxWidth: 360 },
  ];
  const png = renderMapPanel({ maps, columns: 3, sharedRange: true });
  // Pooled, two thirds are 1 and one third 3: the shared range is [1, 3].
  const one = mapLayout({ ...maps[0], range: [1, 3] });
  const [w, h] = pngSize(png);
  assert.equal(w, 3 * one.width);
  assert.ok(h >= one.height);
  const px = await decodePng(png);
  // Shared range [1, 3]: A is the low colour, B (one map width to the right) the high colour.
  const [xa, ya] = mapPixel(one, -145, 41);
  assert.ok(near(px.at(xa, ya), parseColour(interpolateViridis(0)), 4));
  assert.ok(near(px.at(xa + one.width, ya), parseColour(interpolateViridis(1)), 4));
});
