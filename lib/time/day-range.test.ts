import { describe, expect, it } from "vitest";
import { checkDayRange, dayRangeInstants, describeDayRange, monthlyRange, ZDaySchema } from "./day-range.ts";

describe("ZDaySchema: a day from a query string", () => {
  it.each([
    ["2026-12-03", "2026-12-03"],
    ["", undefined],
    [undefined, undefined],
    ["2026-02-30", undefined],
    ["1999-12-31", undefined],
    ["03/12/2026", undefined],
    [["2026-12-03"], undefined],
  ] as const)("%j → %s", (input, day) => {
    expect(ZDaySchema.parse(input)).toBe(day);
  });
});

describe("checkDayRange", () => {
  it.each([
    {},
    { from: "2026-12-03" },
    { to: "2026-12-03" },
    { from: "2026-12-03", to: "2026-12-03" },
    { from: "2028-01-01", to: "2028-12-31" },
  ])("%j is accepted", (range) => {
    expect(() => checkDayRange(range)).not.toThrow();
  });

  it.each([
    {
      range: { from: "2026-12-03", to: "2026-12-02" },
      message: "The range ends (2026-12-02) before it starts (2026-12-03): choose an end on or after the start.",
    },
    // 2028 is a leap year: the whole of it is 366 days, one day more is refused.
    {
      range: { from: "2028-01-01", to: "2029-01-01" },
      message: "The range is 367 days long: a range covers at most 366 days.",
    },
  ])("$range is refused", ({ range, message }) => {
    expect(() => checkDayRange(range)).toThrow(message);
  });
});

describe("monthlyRange (the register's: always closed)", () => {
  it("fills a missing end with the month of the other, or this month in the academy's zone", () => {
    const now = new Date("2026-11-30T21:30:00Z");
    expect(monthlyRange({}, "Asia/Karachi", now)).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(monthlyRange({ to: "2026-02-14" }, "UTC", now)).toEqual({ from: "2026-02-01", to: "2026-02-14" });
  });
});

describe("dayRangeInstants", () => {
  it.each([
    // London in October 2025: BST (+01:00) until the 26th, GMT after.
    {
      range: { from: "2025-10-01", to: "2025-10-31" },
      zone: "Europe/London",
      from: "2025-09-30T23:00:00.000Z",
      to: "2025-11-01T00:00:00.000Z",
    },
    { range: { from: "2026-12-03" }, zone: "Asia/Karachi", from: "2026-12-02T19:00:00.000Z", to: undefined },
    { range: { to: "2026-12-03" }, zone: "UTC", from: undefined, to: "2026-12-04T00:00:00.000Z" },
    { range: {}, zone: "UTC", from: undefined, to: undefined },
  ])("$range in $zone", ({ range, zone, from, to }) => {
    const instants = dayRangeInstants(range, zone);
    expect([instants.from?.toISOString(), instants.to?.toISOString()]).toEqual([from, to]);
  });
});

describe("describeDayRange", () => {
  const today = "2026-12-10";
  it.each([
    [{ from: "2026-12-03", to: "2026-12-03" }, "on 3 Dec"],
    [{ from: "2026-12-10", to: "2026-12-10" }, "today"],
    [{ from: "2026-12-01", to: "2026-12-07" }, "from 1 Dec to 7 Dec"],
    [{ from: "2025-12-29", to: "2026-01-04" }, "from 29 Dec 2025 to 4 Jan"],
    [{ from: "2026-12-01" }, "from 1 Dec"],
    [{ to: "2027-01-07" }, "until 7 Jan 2027"],
    [{}, ""],
  ] as const)("%j → %s", (range, words) => {
    expect(describeDayRange(range, today)).toBe(words);
  });
});
