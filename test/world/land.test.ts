import assert from "node:assert/strict";
import { test } from "node:test";
import { Grid } from "../../src/grid/grid.ts";
import { landCells, landFraction } from "../../src/world/land.ts";

const grid = Grid.regular(2);
const frac = landFraction(grid);
const at = (lat: number, lon: number) => frac[grid.index(grid.rowOf(lat), grid.colOf(lon))];

test("Natural Earth land, rasterised: total area and cells known to be land or sea", () => {
  const areas = grid.areas();
  let km2 = 0;
  for (let g = 0; g < grid.nCell; g++) km2 += (frac[g] * areas[g]) / 1e6;
  // Earth's land is about 149 Mkm² with Antarctica; Natural Earth's 50m polygons leave out the large lakes
  assert.ok(km2 > 140e6 && km2 < 152e6, `${(km2 / 1e6).toFixed(1)} Mkm²`);
  assert.equal(at(1, 21), 1); // Congo basin
  assert.equal(at(-3, -61), 1); // Amazon
  assert.equal(at(1, -29), 0); // equatorial Atlantic
  assert.equal(at(-81, 31), 1); // Antarctica
  assert.ok(at(51, -1) > 0.5); // southern England
});

test("polygons cut at the antimeridian close along it instead of filling the Arctic Ocean", () => {
  assert.ok(at(67, 177) > 0.5, "Chukotka west of 180°"); // Russia, just west of the antimeridian
  assert.ok(at(67, -177) > 0.3, "Chukotka east of 180°");
  // the seas along the same latitudes stay sea (a ring left open at ±180° would fill them)
  for (const [lat, lon] of [
    [75, -150], // Beaufort Sea
    [75, -5], // Greenland Sea
    [75, 40], // Barents Sea
    [73, 175], // East Siberian Sea
    [71, -170], // Chukchi Sea
  ]) {
    assert.equal(at(lat, lon), 0, `sea at ${lat}°N ${lon}°E`);
  }
  const fiji = at(-17, 179); // Fiji straddles the antimeridian: partly land
  assert.ok(fiji > 0 && fiji < 0.5, String(fiji));
});

test("the world's valid cells are land cells north of 60°S", () => {
  const cells = landCells(grid, { fraction: frac });
  assert.ok(cells.length > 3500 && cells.length < 4200, String(cells.length));
  for (let c = 0; c < cells.length; c++) {
    assert.ok(cells.lat(c) > -60);
    assert.ok(frac[cells.flat[c]] >= 0.5);
  }
});
