import { describe, expect, test } from "vitest";
import { describeOverrideEvent } from "./override-event-words.ts";
import type { OverrideEventView } from "./override-event-view.ts";

// 3 December 2026, 10:04:05 in London (GMT): the wall clock is UTC's.
const at = "2026-12-03T10:04:05.120Z";
const event = (fields: Partial<OverrideEventView>): OverrideEventView => ({
  action: "set",
  at,
  by: "Ustadha Khadija (teacher)",
  from: "absent",
  to: "excused",
  calculatedStatus: "absent",
  note: null,
  ...fields,
});

describe("describeOverrideEvent", () => {
  test.each<[string, Partial<OverrideEventView>, string]>([
    [
      "an excuse with its note",
      { note: "sick note" },
      "Excused (was absent) by Ustadha Khadija (teacher) on 3 Dec, 10:04:05: “sick note”",
    ],
    [
      "another result, set over an excuse",
      { from: "excused", to: "late", by: 'API key "lms"' },
      'Marked late (was excused) by API key "lms" on 3 Dec, 10:04:05',
    ],
    [
      "an override recorded before the history (no previous value)",
      { from: null, note: "x" },
      "Excused by Ustadha Khadija (teacher) on 3 Dec, 10:04:05: “x”",
    ],
    [
      "the same result again (a new note)",
      { from: "excused", note: "letter came" },
      "Excused by Ustadha Khadija (teacher) on 3 Dec, 10:04:05: “letter came”",
    ],
    [
      "a removal",
      { action: "remove", from: "excused", to: "partial", calculatedStatus: "partial" },
      "Override removed by Ustadha Khadija (teacher) on 3 Dec, 10:04:05: back to the calculated partial",
    ],
    [
      "a recalculation under the override",
      { action: "recalculated", by: null, from: "absent", to: "partial", calculatedStatus: "partial" },
      "Calculated absent → partial after recalculation on 3 Dec, 10:04:05; the override stays",
    ],
  ])("%s", (_name, fields, words) => {
    expect(describeOverrideEvent(event(fields), "Europe/London")).toBe(words);
  });

  test("in the academy's zone: 10:04 UTC is 21:04 in Sydney (summer, +11:00)", () => {
    expect(describeOverrideEvent(event({}), "Australia/Sydney")).toBe(
      "Excused (was absent) by Ustadha Khadija (teacher) on 3 Dec, 21:04:05",
    );
  });
});
