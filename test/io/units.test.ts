import assert from "node:assert/strict";
import { test } from "node:test";
import { DRIVERS } from "../../src/grid/drivers.ts";
import { conversion, converter, parseUnits } from "../../src/io/units.ts";
import { KilnError } from "../../src/util/errors.ts";

const W = "file.nc, variable 'x'";
const close = (a: number, b: number, rel = 1e-12) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} is not ${b}`);

test("K → degC, degC → K, degF → degC", () => {
  close(converter("K", "degC", W)(300), 26.85);
  close(converter("degC", "K", W)(-273.15), 0);
  close(converter("degrees_Celsius", "K", W)(20), 293.15);
  close(converter("degF", "degC", W)(212), 100);
  close(converter("degF", "degC", W)(32), 0);
});

test("kg m-2 s-1 → mm day-1 (water equivalence), in the spellings files use", () => {
  for (const u of ["kg m-2 s-1", "kg.m-2.s-1", "kg/m2/s", "kg m^-2 s^-1", "kg/(m2 s)"]) {
    close(converter(u, "mm day-1", W)(1e-5), 0.864);
  }
  close(converter("mm month-1", "mm day-1", W, 31)(62), 2);
  close(converter("m s-1", "mm day-1", W)(1 / 86400 / 1000), 1);
});

test("Pa and hPa → kPa", () => {
  close(converter("Pa", "kPa", W)(3036.5), 3.0365);
  close(converter("hPa", "kPa", W)(12), 1.2);
  close(converter("mbar", "kPa", W)(12), 1.2);
});

test("% ↔ fraction", () => {
  close(converter("%", "1", W)(18.56), 0.1856);
  close(converter("percent", "fraction", W)(50), 0.5);
  close(converter("1", "%", W)(0.42), 42);
});

test("lightning: flashes per km² per day and per m² per second → flashes km-2 month-1 with the month's length", () => {
  // the Pantanal file's attribute: 1/(86400 s × 1e6 m²) is one flash per km² per day
  const c = conversion("1.15740740740741e-11 m-2.s-1", "flashes km-2 month-1", W);
  assert.equal(c.monthPower, 1);
  close(converter("1.15740740740741e-11 m-2.s-1", "flashes km-2 month-1", W, 31)(0.5), 15.5, 1e-9);
  close(converter("flashes km-2 day-1", "flashes km-2 month-1", W, 28)(2), 56);
  close(converter("m-2 s-1", "flashes km-2 month-1", W, 30)(1e-9), 1e-9 * 1e6 * 86400 * 30);
  close(converter("km-2 yr-1", "flashes km-2 month-1", W, 31)(365), 31);
  // without a month: the mean noleap month
  close(converter("km-2 day-1", "km-2 month-1", W)(1), 365 / 12);
});

test("carbon: kg m-2 s-1 and gC variants → gC m-2 day-1, kgC m-2", () => {
  close(converter("kg m-2 s-1", "gC m-2 day-1", W)(1e-8), 0.864);
  close(converter("kgC m-2 s-1", "gC m-2 day-1", W)(1e-8), 0.864);
  close(converter("g C m-2 month-1", "gC m-2 day-1", W, 30)(60), 2);
  close(converter("gC m-2", "kgC m-2", W)(5000), 5);
  close(converter("kg m-2", "kgC m-2", W)(3), 3);
  close(converter("Mg ha-1", "kg m-2", W)(10), 1);
  close(converter("PgC", "kgC", W)(1), 1e12);
});

test("population and currency", () => {
  close(converter("persons m-2", "km-2", W)(0.001), 1000);
  close(converter("inhabitants km-2", "km-2", W)(7), 7);
  close(converter("$ capita-1", "k$ capita-1", W)(2500), 2.5);
});

test("every internal unit of drivers.ts parses", () => {
  for (const d of DRIVERS) assert.doesNotThrow(() => parseUnits(d.units, d.name), d.units);
});

test("units that do not convert: an error naming the file, the variable and both units", () => {
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof KilnError);
      return e.message;
    }
    assert.fail("no error");
  };
  const m = err(() => converter("K", "kPa", W));
  assert.match(m, /file\.nc, variable 'x'/);
  assert.match(m, /'K'/);
  assert.match(m, /'kPa'/);
  assert.match(
    err(() => converter("1", "day", W)),
    /cannot convert '1'/,
  );
  assert.match(
    err(() => converter("kg m-3", "1", W)),
    /cannot convert/,
  ); // not water equivalence
  assert.match(
    err(() => converter("furlongs m-2", "1", W)),
    /unknown unit 'furlongs'/,
  );
  assert.match(
    err(() => converter("kg m-2 (s", "1", W)),
    /parenthesis/,
  );
  assert.match(
    err(() => converter("", "1", W)),
    /empty/,
  );
});

test("identical strings convert without parsing, even when Kiln does not know the unit", () => {
  assert.equal(converter("unstated", "unstated", W)(7), 7);
});
