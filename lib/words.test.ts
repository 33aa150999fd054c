import { describe, expect, it } from "vitest";
import { compareText, formatPercent, NBSP, plural } from "./words.ts";

describe("plural", () => {
  it.each([
    [0, "student", undefined, "0 students"],
    [1, "student", undefined, "1 student"],
    [2, "student", undefined, "2 students"],
    [1, "class", undefined, "1 class"],
    [4, "class", undefined, "4 classes"],
    [2, "box", undefined, "2 boxes"],
    [2, "match", undefined, "2 matches"],
    [3, "entry", undefined, "3 entries"],
    [3, "day", undefined, "3 days"],
    [1_200, "session", undefined, "1,200 sessions"],
    [2, "person", "people", "2 people"],
    [1, "person", "people", "1 person"],
    [-1, "minute", undefined, "-1 minutes"],
  ] as const)("%d %s → %s", (count, singular, many, expected) => {
    expect(plural(count, singular, many)).toBe(expected);
  });
});

describe("formatPercent", () => {
  it.each([
    [100, 0, `100${NBSP}%`],
    [66.666, 1, `66.7${NBSP}%`],
    [0, 0, `0${NBSP}%`],
    [null, 0, "—"],
    [Number.NaN, 0, "—"],
  ] as const)("%s (%d digits) → %s", (value, digits, expected) => {
    expect(formatPercent(value, digits)).toBe(expected);
  });

  it("never puts a breaking space before the sign", () => {
    expect(formatPercent(100)).not.toContain(" %");
  });
});

describe("compareText", () => {
  it("orders names as a reader does, and never calls two different names equal", () => {
    expect(["Zoë", "omar", "Aisha", "aisha", "Omar", "Ömer"].sort(compareText)).toEqual([
      "aisha",
      "Aisha",
      "omar",
      "Omar",
      "Ömer",
      "Zoë",
    ]);
    expect(compareText("a", "a")).toBe(0);
  });
});
