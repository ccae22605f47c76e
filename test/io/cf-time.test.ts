import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMonths, monthlyOrder, parseTimeUnits } from "../../src/io/cf-time.ts";

const W = "t.nc, variable 'time'";
const ym = (values: number[], units: string, calendar?: string, bounds: number[] | null = null) => {
  const d = decodeMonths(values, bounds, units, calendar, W);
  return Array.from(d.years, (y, k) => `${y}-${String(d.months[k]).padStart(2, "0")}`);
};

test("proleptic_gregorian agrees with JavaScript's (proleptic Gregorian) Date for many days", () => {
  const ref = Date.UTC(1661, 0, 1);
  const days: number[] = [];
  for (let d = 0; d < 400 * 366; d += 97.5) days.push(d);
  const got = ym(days, "days since 1661-01-01 00:00:00", "proleptic_gregorian");
  days.forEach((d, k) => {
    const date = new Date(ref + Math.floor(d) * 86400000);
    const want = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
    assert.equal(got[k], want, `day ${d}`);
  });
});

test("standard calendar: Julian before the 1582 reform, Gregorian after", () => {
  // 1582-10-04 (Julian) is followed by 1582-10-15: 25 days after Oct 1 is Nov 5, not Oct 26
  assert.deepEqual(ym([25.5], "days since 1582-10-01", "standard"), ["1582-11"]);
  assert.deepEqual(ym([25.5], "days since 1582-10-01", "proleptic_gregorian"), ["1582-10"]);
  assert.deepEqual(ym([25.5], "days since 1582-10-01", "gregorian"), ["1582-11"]);
  // no calendar attribute means standard
  assert.deepEqual(ym([25.5], "days since 1582-10-01"), ["1582-11"]);
});

test("julian: 1900 is a leap year, unlike Gregorian", () => {
  assert.deepEqual(ym([28.5], "days since 1900-02-01", "julian"), ["1900-02"]);
  assert.deepEqual(ym([28.5], "days since 1900-02-01", "proleptic_gregorian"), ["1900-03"]);
});

test("noleap / 365_day, all_leap / 366_day, 360_day", () => {
  // day 59 of 2000: Mar 1 without leap days, Feb 29 with
  assert.deepEqual(ym([59.5], "days since 2000-01-01", "noleap"), ["2000-03"]);
  assert.deepEqual(ym([59.5], "days since 2000-01-01", "365_day"), ["2000-03"]);
  assert.deepEqual(ym([59.5], "days since 2000-01-01", "all_leap"), ["2000-02"]);
  assert.deepEqual(ym([59.5], "days since 2000-01-01", "366_day"), ["2000-02"]);
  assert.deepEqual(ym([59.5], "days since 2000-01-01", "standard"), ["2000-02"]);
  // 360_day: every month 30 days (day 59 is Feb 30, day 60 is Mar 1); a year is 360 days
  assert.deepEqual(ym([59.5, 60.5, 360.5], "days since 2000-01-01", "360_day"), [
    "2000-02",
    "2000-03",
    "2001-01",
  ]);
  // ILAMB's axis: noleap days since 1850 at mid-month
  assert.deepEqual(ym([55130.5, 56194.5], "days since 1850-01-01 00:00:00", "noleap"), [
    "2001-01",
    "2003-12",
  ]);
});

test("hours, minutes, seconds, months and years since", () => {
  assert.deepEqual(ym([24 * 31 + 1], "hours since 2000-01-01 00:00:00", "standard"), ["2000-02"]);
  assert.deepEqual(ym([60 * 24 * 31 + 1], "minutes since 2000-01-01", "noleap"), ["2000-02"]);
  assert.deepEqual(ym([86400 * 31 + 1], "seconds since 2000-01-01T00:00:00Z", "noleap"), ["2000-02"]);
  // a reference time of day counts: 12 hours before midnight of Feb 1
  assert.deepEqual(ym([30.6], "days since 2000-01-01 12:00:00", "noleap"), ["2000-02"]);
  assert.deepEqual(ym([0, 13.5, 23], "months since 2000-01-01", "360_day"), [
    "2000-01",
    "2001-02",
    "2001-12",
  ]);
  assert.deepEqual(ym([1.5], "years since 2000-01", "noleap"), ["2001-07"]);
});

test("time bounds decide the month when given (stamps at the end of the month)", () => {
  // stamps at the first instant of the next month, bounds saying January and February
  assert.deepEqual(ym([31, 59], "days since 2001-01-01", "noleap", [0, 31, 31, 59]), ["2001-01", "2001-02"]);
  assert.deepEqual(ym([31, 59], "days since 2001-01-01", "noleap"), ["2001-02", "2001-03"]);
});

test("bad units, unknown calendars and two steps in one month are clear errors", () => {
  assert.throws(
    () => parseTimeUnits("days after 2000-01-01", W),
    /cannot read the time units 'days after 2000-01-01'/,
  );
  assert.throws(() => parseTimeUnits("fortnights since 2000-01-01", W), /t\.nc, variable 'time'/);
  assert.throws(() => parseTimeUnits("days since 2000-13-01", W), /not a valid date/);
  assert.throws(() => ym([0], "days since 2000-01-01", "martian"), /unknown calendar 'martian'/);
  assert.throws(() => ym([0, 1], "days since 2000-01-01", "noleap", [0, 1]), /bounds have 2 values for 2/);
  const daily = decodeMonths([0.5, 1.5, 2.5], null, "days since 2000-01-01", "noleap", W);
  assert.throws(() => monthlyOrder(daily, W), /time steps 0 and 1 both fall in 2000-01.*monthly/);
});

test("monthlyOrder sorts steps given out of order", () => {
  const d = decodeMonths([45, 15, 75], null, "days since 2000-01-01", "noleap", W);
  assert.deepEqual([...monthlyOrder(d, W)], [1, 0, 2]);
});
