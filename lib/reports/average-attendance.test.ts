import { describe, expect, test } from "vitest";
import { averageAttendance } from "./average-attendance.ts";
import type { ResultStatus } from "./result-status.ts";

const rows = (...pairs: [number, ResultStatus][]) =>
  pairs.map(([percentage, effectiveStatus]) => ({ percentage, effectiveStatus }));

// Every expected value is worked out by hand from the rows' one-decimal percentages.
describe("averageAttendance", () => {
  test.each([
    ["nobody", rows(), null],
    ["everyone excused", rows([0, "excused"], [40, "excused"]), null],
    ["one student", rows([66.7, "late"]), 66.7],
    // 100.0 + 66.7 + 0.0 + 50.0 + 83.3 = 300.0, over 5 = 60.0; the excused 0.0 left out.
    [
      "the session page's class",
      rows([100, "present"], [66.7, "late"], [0, "absent"], [50, "partial"], [83.3, "present"], [0, "excused"]),
      60,
    ],
    // An excused student who attended still counts neither way: (75.0 + 25.0) / 2 = 50.0.
    ["an excused student who attended", rows([75, "present"], [25, "partial"], [90, "excused"]), 50],
    // 88.3 + 66.7 = 155.0 over 2 = 77.5, exactly.
    ["tenths add exactly", rows([88.3, "present"], [66.7, "late"]), 77.5],
    // 0.1 + 0.0 = 0.1 over 2 = 0.05: half up to 0.1.
    ["half a tenth rounds up", rows([0.1, "absent"], [0, "absent"]), 0.1],
    // 0.1 + 0.0 + 0.0 = 0.1 over 3 = 0.033…: 0.0.
    ["under half a tenth rounds down", rows([0.1, "absent"], [0, "absent"], [0, "absent"]), 0],
    // e2e/counts.spec.ts's ended class: 100.0 + 100.0 + 75.0 + 88.3 + 66.7 + 50.0 + 40.0 + 0.0 + 8.3 + 0.0 = 528.3, over 10 = 52.83: 52.8.
    [
      "the counts journey's class",
      rows(
        [100, "present"],
        [100, "present"],
        [75, "present"],
        [88.3, "present"],
        [66.7, "late"],
        [50, "partial"],
        [40, "partial"],
        [0, "absent"],
        [8.3, "absent"],
        [0, "absent"],
      ),
      52.8,
    ],
  ])("%s", (_name, students, expected) => {
    expect(averageAttendance(students)).toBe(expected);
  });
});
