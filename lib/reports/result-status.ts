/**
 * The results a report row can count (the calculated four and "excused", which only an override
 * gives), in the order every view lists and sorts them.
 */
export const RESULT_STATUSES = ["present", "late", "partial", "absent", "excused"] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** How many rows have each result: the counts of a report, a register column, a student's record. */
export type StatusCounts = Record<ResultStatus, number>;
/** No row counted yet: the one starting point of every tally of results. */
export const emptyStatusCounts = (): StatusCounts => ({ present: 0, late: 0, partial: 0, absent: 0, excused: 0 });

/** Why an excuse needs a note, in the words the API's 422 and the dashboard's form both use. */
export const EXCUSE_NOTE_REQUIRED =
  "A note is required to excuse a student: say why (a doctor's letter, a family emergency).";
