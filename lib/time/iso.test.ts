import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isoTime } from "./iso.ts";

describe("isoTime", () => {
  test.each([
    [0, "1970-01-01T00:00:00.000Z"],
    [-1, "1969-12-31T23:59:59.999Z"],
    [Date.UTC(2026, 10, 29, 12, 55, 46, 151), "2026-11-29T12:55:46.151Z"],
    [Date.UTC(2026, 10, 29, 23, 59, 59, 999), "2026-11-29T23:59:59.999Z"],
    [Date.UTC(2026, 10, 30), "2026-11-30T00:00:00.000Z"],
    [Date.UTC(2028, 1, 29, 9, 5, 7, 40), "2028-02-29T09:05:07.040Z"],
    [8.64e15, "+275760-09-13T00:00:00.000Z"],
    [-8.64e15, "-271821-04-20T00:00:00.000Z"],
    [Date.UTC(-1, 0, 1, 1, 2, 3, 4), "-000001-01-01T01:02:03.004Z"],
  ])("%d is %s", (ms, text) => {
    expect(isoTime(ms)).toBe(text);
  });

  test("writes what toISOString writes for any time Date can hold, in any order of calls", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true })),
        (ms) => isoTime(ms) === new Date(ms).toISOString(),
      ),
      { numRuns: 20_000 },
    );
  });

  test("refuses what toISOString refuses", () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(isoTime(8.64e15)).toBe("+275760-09-13T00:00:00.000Z");
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
