import { describe, expect, it } from "vitest";
import { monthOf, zonedDayRange, zonedIso, zonedIsoMinute, zonedToday } from "./zoned-time.ts";

describe("zonedDayRange", () => {
  it.each([
    { date: "2026-11-25", zone: "UTC", from: "2026-11-25T00:00:00.000Z", to: "2026-11-26T00:00:00.000Z" },
    { date: "2026-11-25", zone: "Asia/Karachi", from: "2026-11-24T19:00:00.000Z", to: "2026-11-25T19:00:00.000Z" },
    { date: "2026-11-25", zone: "America/New_York", from: "2026-11-25T05:00:00.000Z", to: "2026-11-26T05:00:00.000Z" },
    // The day the clocks go forward in London is 23 hours long, the day they go back 25.
    { date: "2026-03-29", zone: "Europe/London", from: "2026-03-29T00:00:00.000Z", to: "2026-03-29T23:00:00.000Z" },
    { date: "2026-10-25", zone: "Europe/London", from: "2026-10-24T23:00:00.000Z", to: "2026-10-26T00:00:00.000Z" },
    { date: "2026-12-31", zone: "Australia/Sydney", from: "2026-12-30T13:00:00.000Z", to: "2026-12-31T13:00:00.000Z" },
  ])("$date in $zone is [$from, $to)", ({ date, zone, from, to }) => {
    const range = zonedDayRange(date, zone);
    expect(range.from.toISOString()).toBe(from);
    expect(range.to.toISOString()).toBe(to);
  });
});

describe("zonedToday", () => {
  it("is the local date, which can differ from the UTC date", () => {
    const instant = new Date("2026-11-25T21:30:00Z");
    expect(zonedToday("UTC", instant)).toBe("2026-11-25");
    expect(zonedToday("Asia/Karachi", instant)).toBe("2026-11-26");
    expect(zonedToday("America/Los_Angeles", instant)).toBe("2026-11-25");
  });
});

describe("zonedIsoMinute", () => {
  it.each([
    { instant: "2026-11-03T17:00:00Z", zone: "UTC", text: "2026-11-03T17:00+00:00" },
    { instant: "2026-07-03T17:00:00Z", zone: "Europe/London", text: "2026-07-03T18:00+01:00" },
    { instant: "2026-11-03T17:00:00Z", zone: "Europe/London", text: "2026-11-03T17:00+00:00" },
    { instant: "2026-11-03T20:15:59.999Z", zone: "Asia/Kolkata", text: "2026-11-04T01:45+05:30" },
    { instant: "2026-11-03T02:00:00Z", zone: "America/St_Johns", text: "2026-11-02T22:30-03:30" },
    { instant: "2026-11-03T02:00:00Z", zone: "America/New_York", text: "2026-11-02T21:00-05:00" },
  ])("$instant in $zone is $text", ({ instant, zone, text }) => {
    expect(zonedIsoMinute(new Date(instant), zone)).toBe(text);
  });
});

describe("zonedIso to the second", () => {
  it.each([
    { instant: "2026-11-25T17:03:27.900Z", zone: "UTC", text: "2026-11-25T17:03:27+00:00" },
    { instant: "2026-07-03T17:04:09Z", zone: "Europe/London", text: "2026-07-03T18:04:09+01:00" },
    { instant: "2026-11-03T20:15:59.999Z", zone: "Asia/Kolkata", text: "2026-11-04T01:45:59+05:30" },
    { instant: "2026-11-03T02:00:00Z", zone: "America/St_Johns", text: "2026-11-02T22:30:00-03:30" },
  ])("$instant in $zone is $text", ({ instant, zone, text }) => {
    expect(zonedIso(new Date(instant), zone, "second")).toBe(text);
  });
});

describe("monthOf", () => {
  it.each([
    { date: "2026-11-25", first: "2026-11-01", last: "2026-11-30" },
    { date: "2026-02-01", first: "2026-02-01", last: "2026-02-28" },
    { date: "2028-02-29", first: "2028-02-01", last: "2028-02-29" },
    { date: "2026-12-31", first: "2026-12-01", last: "2026-12-31" },
  ])("$date → $first to $last", ({ date, first, last }) => {
    expect(monthOf(date)).toEqual({ first, last });
  });
});
