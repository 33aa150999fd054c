import { describe, expect, test } from "vitest";
import {
  calculationReason,
  changeInWords,
  describeChanges,
  reportChanges,
  summarizeChanges,
  type ComparedRow,
  type ReportFigures,
  type RowChange,
} from "./report-changes.ts";

const figures = (status: ReportFigures["status"], attendedSeconds: number, lateMinutes = 0): ReportFigures => ({
  status,
  attendedSeconds,
  // One decimal of attendedSeconds / 3,600 s, as the rules round it (worked out for each value used).
  percentage: { 0: 0, 180: 5, 1440: 40, 2280: 63.3, 3420: 95, 3600: 100 }[attendedSeconds]!,
  isLate: lateMinutes > 0,
  lateMinutes,
});
const row = (identity: string, name: string | null, role: ComparedRow["role"], f: ReportFigures): ComparedRow => ({
  identity,
  name,
  role,
  ...f,
});

describe("reportChanges: the rows whose calculated figures differ", () => {
  const teacher = row("t", "Ustadh Idris", "teacher", figures("present", 3600));
  const cases: { name: string; before: ComparedRow[]; after: ComparedRow[]; expected: RowChange[] }[] = [
    { name: "nothing differs", before: [teacher], after: [teacher], expected: [] },
    {
      name: "a status change",
      before: [teacher, row("s", "Sara", "student", figures("absent", 180))],
      after: [teacher, row("s", "Sara", "student", figures("partial", 1440))],
      expected: [
        {
          identity: "s",
          name: "Sara",
          role: "student",
          before: figures("absent", 180),
          after: figures("partial", 1440),
        },
      ],
    },
    {
      name: "lateness alone (same status, same minutes)",
      before: [row("a", "Ali", "student", figures("late", 2280, 12))],
      after: [row("a", "Ali", "student", figures("late", 2280, 16))],
      expected: [
        {
          identity: "a",
          name: "Ali",
          role: "student",
          before: figures("late", 2280, 12),
          after: figures("late", 2280, 16),
        },
      ],
    },
    {
      name: "minutes alone",
      before: [row("a", "Ali", "student", figures("present", 3420))],
      after: [row("a", "Ali", "student", figures("present", 3600))],
      expected: [
        {
          identity: "a",
          name: "Ali",
          role: "student",
          before: figures("present", 3420),
          after: figures("present", 3600),
        },
      ],
    },
    {
      name: "a guest who appeared and a student who went; teacher first, then students, then guests",
      before: [row("z", "Zaid", "student", figures("absent", 0)), teacher],
      after: [
        row("g", null, "guest", figures("present", 3600)),
        row("tt", "Ustadha Amal", "teacher", figures("present", 3600)),
        teacher,
      ],
      expected: [
        { identity: "tt", name: "Ustadha Amal", role: "teacher", before: null, after: figures("present", 3600) },
        { identity: "z", name: "Zaid", role: "student", before: figures("absent", 0), after: null },
        { identity: "g", name: null, role: "guest", before: null, after: figures("present", 3600) },
      ],
    },
    {
      name: "students by name",
      before: [row("2", "Yusuf", "student", figures("absent", 0)), row("1", "Amina", "student", figures("absent", 0))],
      after: [
        row("2", "Yusuf", "student", figures("present", 3600)),
        row("1", "Amina", "student", figures("present", 3600)),
      ],
      expected: [
        {
          identity: "1",
          name: "Amina",
          role: "student",
          before: figures("absent", 0),
          after: figures("present", 3600),
        },
        {
          identity: "2",
          name: "Yusuf",
          role: "student",
          before: figures("absent", 0),
          after: figures("present", 3600),
        },
      ],
    },
  ];
  test.each(cases)("$name", ({ before, after, expected }) => {
    expect(reportChanges(before, after)).toEqual(expected);
  });
});

describe("the changes in words", () => {
  test.each([
    [null, "First calculation."],
    [[], "Nothing changed."],
    [
      [
        {
          identity: "s",
          name: "Sara",
          role: "student",
          before: figures("absent", 180),
          after: figures("partial", 1440),
        },
      ],
      "1 row changed: Sara absent, 5.0 % → partial, 40.0 %.",
    ],
    [
      [
        {
          identity: "a",
          name: "Ali",
          role: "student",
          before: figures("present", 2280),
          after: figures("late", 2280, 12),
        },
        { identity: "lk-guest", name: null, role: "guest", before: null, after: figures("present", 3600) },
        { identity: "z", name: "Zaid", role: "student", before: figures("absent", 0), after: null },
      ],
      "3 rows changed: Ali present, 63.3 % → late (12 min late), 63.3 %; lk-guest added: present, 100.0 %; Zaid removed (was absent, 0.0 %).",
    ],
  ] as [RowChange[] | null, string][])("%j", (changes, words) => {
    expect(describeChanges(changes)).toBe(words);
  });

  test("one change", () => {
    expect(
      changeInWords({
        identity: "a",
        name: null,
        role: "student",
        before: figures("late", 2280, 20),
        after: figures("present", 2280),
      }),
    ).toBe("a late (20 min late), 63.3 % → present, 63.3 %");
  });
});

describe("summarizeChanges: a policy's effect over many classes", () => {
  const change = (
    identity: string,
    from: ReportFigures | null,
    to: ReportFigures | null,
    role: RowChange["role"] = "student",
  ): RowChange => ({
    identity,
    name: identity,
    role,
    before: from,
    after: to,
  });
  const onTime = figures("present", 2280);
  const late = figures("late", 2280, 12);

  test("students counted once per transition, classes once each; classes listed by start", () => {
    const summary = summarizeChanges(5, [
      {
        sessionId: "c",
        title: "C",
        scheduledStart: "2026-11-03T09:00:00.000Z",
        changes: [change("ali", onTime, late), change("omar", onTime, late)],
      },
      {
        sessionId: "a",
        title: "A",
        scheduledStart: "2026-11-01T09:00:00.000Z",
        changes: [change("ali", onTime, late)],
      },
      { sessionId: "b", title: "B", scheduledStart: "2026-11-02T09:00:00.000Z", changes: [] },
      {
        sessionId: "d",
        title: "D",
        scheduledStart: "2026-11-04T09:00:00.000Z",
        changes: [
          change("sara", figures("late", 2280, 16), figures("late", 2280, 12)),
          change("t", figures("present", 3600), figures("late", 3600, 20), "teacher"),
          change("yusuf", figures("absent", 0), figures("partial", 1440)),
        ],
      },
    ]);
    expect(summary).toMatchObject({
      sessions: 5,
      changedSessions: 3,
      changedRows: 6,
      transitions: [
        { from: "present", to: "late", students: 2, classes: 2 },
        { from: "absent", to: "partial", students: 1, classes: 1 },
      ],
      words:
        "2 students in 2 classes: present → late; 1 student in 1 class: absent → partial; 1 student row changes figures only; 1 teacher or guest row changes.",
    });
    expect(summary.sessionsChanged.map((each) => each.sessionId)).toEqual(["a", "c", "d"]);
  });

  test("nothing changes", () => {
    expect(
      summarizeChanges(2, [{ sessionId: "a", title: "A", scheduledStart: "2026-11-01T09:00:00.000Z", changes: [] }]),
    ).toEqual({
      sessions: 2,
      changedSessions: 0,
      changedRows: 0,
      transitions: [],
      words: "No report changes.",
      sessionsChanged: [],
    });
  });

  test("a student whose report appears or goes is a transition from or to no report", () => {
    expect(
      summarizeChanges(1, [{ sessionId: "a", title: "A", scheduledStart: "x", changes: [change("new", null, late)] }])
        .words,
    ).toBe("1 student in 1 class: no report → late.");
  });
});

describe("calculationReason: why a calculation ran, as the session page and attendance:history say it", () => {
  test.each([
    ["scheduled", "scheduled, after the class"],
    ["sweep", "by the background sweep"],
    ["manual", "at a teacher's or the API's request"],
    ["cli", "from the command line"],
    ["policy", "policy version 3 applied to past classes"],
  ] as const)("%s → %s", (trigger, words) => {
    expect(calculationReason({ trigger, policyVersion: 3 })).toBe(words);
  });
});
