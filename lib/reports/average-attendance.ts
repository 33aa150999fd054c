import type { ResultStatus } from "./result-status.ts";

/**
 * A class's average attendance: the mean of its students' percentages as the report shows them
 * (one decimal), the excused left out (an excused absence counts neither way, as in the register's
 * rate), rounded half up to one decimal in whole tenths, so it can be checked by hand from the
 * rows: 100.0, 66.7, 0.0, 50.0 and 83.3 give 60.0. Null when no student counts.
 */
export function averageAttendance(
  students: readonly { percentage: number; effectiveStatus: ResultStatus }[],
): number | null {
  const counted = students.filter((student) => student.effectiveStatus !== "excused");
  if (counted.length === 0) return null;
  const tenths = counted.reduce((sum, student) => sum + Math.round(student.percentage * 10), 0);
  return Math.floor((2 * tenths + counted.length) / (2 * counted.length)) / 10;
}
