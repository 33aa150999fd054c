import { describe, expect, it } from "vitest";
import { registerCsv, registerTable } from "./register-export.ts";
import {
  arrangeRows,
  attendanceRate,
  buildRegister,
  cellChangeText,
  cellText,
  courseOf,
  formatRate,
  listSeries,
  registerFileName,
  seriesKey,
  type RegisterCell,
  type RegisterLastChange,
  type RegisterReportInput,
  type RegisterRosterInput,
  type RegisterSessionInput,
  type ResultStatus,
} from "./register-grid.ts";
import { registerRange, ZRegisterFilterSchema, type Register } from "./register.ts";

// Every expected value below is worked out by hand from the definitions in README ("The register").

describe("attendance rate: (present + late) ÷ (calculated classes with a result − excused), whole percent rounded half up", () => {
  it.each([
    {
      counts: { present: 4, late: 0, partial: 0, absent: 1, excused: 0 },
      attended: 4,
      counted: 5,
      percent: 80,
      text: "80 % (4 of 5)",
    },
    // Late counts as attended; partial and absent against; excused neither way: 4 of 6 = 66.67 → 67.
    {
      counts: { present: 3, late: 1, partial: 1, absent: 1, excused: 2 },
      attended: 4,
      counted: 6,
      percent: 67,
      text: "67 % (4 of 6)",
    },
    // 1 of 8 = 12.5 exactly: half up → 13. 5 of 8 = 62.5 → 63. 1 of 3 = 33.33 → 33. 1 of 6 = 16.67 → 17.
    {
      counts: { present: 1, late: 0, partial: 0, absent: 7, excused: 0 },
      attended: 1,
      counted: 8,
      percent: 13,
      text: "13 % (1 of 8)",
    },
    {
      counts: { present: 5, late: 0, partial: 0, absent: 3, excused: 0 },
      attended: 5,
      counted: 8,
      percent: 63,
      text: "63 % (5 of 8)",
    },
    {
      counts: { present: 1, late: 0, partial: 0, absent: 2, excused: 0 },
      attended: 1,
      counted: 3,
      percent: 33,
      text: "33 % (1 of 3)",
    },
    {
      counts: { present: 0, late: 1, partial: 0, absent: 5, excused: 0 },
      attended: 1,
      counted: 6,
      percent: 17,
      text: "17 % (1 of 6)",
    },
    {
      counts: { present: 2, late: 1, partial: 0, absent: 0, excused: 4 },
      attended: 3,
      counted: 3,
      percent: 100,
      text: "100 % (3 of 3)",
    },
    {
      counts: { present: 0, late: 0, partial: 2, absent: 0, excused: 0 },
      attended: 0,
      counted: 2,
      percent: 0,
      text: "0 % (0 of 2)",
    },
    // Only excused classes, or none calculated: nothing to count, no rate.
    {
      counts: { present: 0, late: 0, partial: 0, absent: 0, excused: 3 },
      attended: 0,
      counted: 0,
      percent: null,
      text: "—",
    },
    {
      counts: { present: 0, late: 0, partial: 0, absent: 0, excused: 0 },
      attended: 0,
      counted: 0,
      percent: null,
      text: "—",
    },
  ])("$counts → $text", ({ counts, attended, counted, percent, text }) => {
    const rate = attendanceRate(counts);
    expect(rate).toEqual({ attended, counted, percent });
    expect(formatRate(rate)).toBe(text);
  });
});

describe("a class series is one teacher's course: the title up to its first colon", () => {
  it.each([
    { title: "Tajweed: Surah Al-Mulk", course: "Tajweed" },
    { title: "  Tajweed  :  Surah Al-Qalam: verses 1–10", course: "Tajweed" },
    { title: "Algebra II", course: "Algebra II" },
    { title: ": untitled", course: ": untitled" },
    { title: "Fiqh:", course: "Fiqh" },
  ])("$title → $course", ({ title, course }) => {
    expect(courseOf(title)).toBe(course);
  });

  it("keys a series by teacher and course, and lists each once, by course then teacher", () => {
    const khadija = { id: "t-k", name: "Ustadha Khadija" };
    const daniel = { id: "t-d", name: "Mr Daniel" };
    const sessions = [
      { title: "Tajweed: Al-Mulk", teacher: khadija },
      { title: "Algebra: fractions", teacher: daniel },
      { title: "Tajweed: Al-Qalam", teacher: khadija },
      { title: "Tajweed: Al-Haqqah", teacher: daniel },
      { title: "Open day", teacher: null },
    ];
    expect(seriesKey(sessions[0]!)).toBe("t-k|Tajweed");
    expect(seriesKey(sessions[4]!)).toBe("|Open day");
    expect(listSeries(sessions)).toEqual([
      { key: "t-d|Algebra", label: "Algebra · Mr Daniel" },
      { key: "|Open day", label: "Open day · no teacher" },
      { key: "t-d|Tajweed", label: "Tajweed · Mr Daniel" },
      { key: "t-k|Tajweed", label: "Tajweed · Ustadha Khadija" },
    ]);
  });
});

// A month of one teacher's classes, given out of order: three calculated, one ended awaiting its
// calculation (with a stale report that must not show), one still to come.
const at = (iso: string) => new Date(iso);
const khadija = { id: "t-k", name: "Ustadha Khadija" };
const SESSIONS: RegisterSessionInput[] = [
  {
    id: "s2",
    title: "Tajweed: Al-Qalam",
    type: "quran",
    scheduledStart: at("2026-11-09T17:00:00Z"),
    scheduledEnd: at("2026-11-09T18:00:00Z"),
    teacher: khadija,
    state: "calculated",
  },
  {
    id: "s5",
    title: "Tajweed: Al-Maarij",
    type: "quran",
    scheduledStart: at("2026-11-23T17:00:00Z"),
    scheduledEnd: at("2026-11-23T18:00:00Z"),
    teacher: khadija,
    state: "scheduled",
  },
  {
    id: "s1",
    title: "Tajweed: Al-Mulk",
    type: "quran",
    scheduledStart: at("2026-11-02T17:00:00Z"),
    scheduledEnd: at("2026-11-02T18:00:00Z"),
    teacher: khadija,
    state: "calculated",
  },
  {
    id: "s4",
    title: "Tajweed: Al-Haqqah",
    type: "quran",
    scheduledStart: at("2026-11-16T17:00:00Z"),
    scheduledEnd: at("2026-11-16T18:00:00Z"),
    teacher: khadija,
    state: "ended",
  },
  {
    id: "s3",
    title: "Fiqh: Salah",
    type: "academic",
    scheduledStart: at("2026-11-05T10:00:00Z"),
    scheduledEnd: at("2026-11-05T11:00:00Z"),
    teacher: khadija,
    state: "calculated",
  },
];
const aisha = { id: "p-a", name: "Aisha Rahman", externalId: "s-aisha" };
const omar = { id: "p-o", name: "Omar Haddad", externalId: "s-omar" };
const yusuf = { id: "p-y", name: "Yusuf Karim", externalId: "s-yusuf" };
const zaid = { id: "p-z", name: "Zaid Nasser", externalId: "s-zaid" };
// Two students of one name: ordered by id.
const sara2 = { id: "p-s2", name: "Sara Ali", externalId: "s-sara-2" };
const sara1 = { id: "p-s1", name: "Sara Ali", externalId: "s-sara-1" };
const ROSTER: RegisterRosterInput[] = [
  ...[aisha, omar, yusuf, sara1].map((student) => ({ sessionId: "s1", student })),
  ...[aisha, omar, yusuf].map((student) => ({ sessionId: "s2", student })),
  ...[aisha, zaid].map((student) => ({ sessionId: "s3", student })),
  ...[aisha, omar].map((student) => ({ sessionId: "s4", student })),
  ...[aisha, omar, yusuf].map((student) => ({ sessionId: "s5", student })),
];
const report = (
  sessionId: string,
  student: typeof aisha,
  status: RegisterReportInput["status"],
  override: [RegisterReportInput["overrideStatus"], string | null] = [null, null],
): RegisterReportInput => ({
  sessionId,
  student,
  status,
  overrideStatus: override[0],
  overrideNote: override[1],
});
const REPORTS: RegisterReportInput[] = [
  report("s1", aisha, "present"),
  report("s1", omar, "absent"),
  report("s1", yusuf, "late"),
  report("s1", sara1, "absent", ["excused", "ill"]),
  report("s2", aisha, "partial"),
  report("s2", omar, "absent", ["excused", "doctor's letter"]),
  report("s2", yusuf, "absent"),
  // Removed from the roster after her excuse was recorded: the overridden report stays (README).
  report("s2", sara2, "absent", ["excused", "moved"]),
  report("s3", aisha, "present"),
  report("s3", zaid, "absent"),
  // A stale report of the class awaiting recalculation: not shown, not counted.
  report("s4", aisha, "present"),
];

describe("buildRegister", () => {
  const grid = buildRegister({ sessions: SESSIONS, roster: ROSTER, reports: REPORTS });

  it("puts the sessions in time order and counts each calculated class's students", () => {
    expect(grid.columns.map((column) => [column.id, column.state, column.counts])).toEqual([
      ["s1", "calculated", { present: 1, late: 1, partial: 0, absent: 1, excused: 1 }],
      ["s3", "calculated", { present: 1, late: 0, partial: 0, absent: 1, excused: 0 }],
      ["s2", "calculated", { present: 0, late: 0, partial: 1, absent: 1, excused: 2 }],
      ["s4", "ended", null],
      ["s5", "scheduled", null],
    ]);
  });

  it("rows are students by name (ties by id); cells are results, states, or not on the roster", () => {
    const table = grid.rows.map((row) => [row.student.id, ...row.cells.map(cellText)]);
    expect(table).toEqual([
      ["p-a", "present", "present", "partial", "ended, awaiting calculation", "scheduled"],
      ["p-o", "absent", "", "excused (doctor's letter)", "ended, awaiting calculation", "scheduled"],
      ["p-s1", "excused (ill)", "", "", "", ""],
      ["p-s2", "", "", "excused (moved)", "", ""],
      ["p-y", "late", "", "absent", "", "scheduled"],
      ["p-z", "", "absent", "", "", ""],
    ]);
    expect(grid.rows[1]!.cells[2]).toEqual({
      kind: "result",
      status: "excused",
      calculatedStatus: "absent",
      overridden: true,
      note: "doctor's letter",
      lastChange: null,
    });
  });

  it("totals per student: each status, missed (absent + excused) and the rate", () => {
    const totals = Object.fromEntries(
      grid.rows.map((row) => [row.student.id, { ...row.totals, rate: formatRate(row.totals.rate) }]),
    );
    expect(totals).toEqual({
      "p-a": { present: 2, late: 0, partial: 1, absent: 0, excused: 0, missed: 0, rate: "67 % (2 of 3)" },
      "p-o": { present: 0, late: 0, partial: 0, absent: 1, excused: 1, missed: 2, rate: "0 % (0 of 1)" },
      "p-s1": { present: 0, late: 0, partial: 0, absent: 0, excused: 1, missed: 1, rate: "—" },
      "p-s2": { present: 0, late: 0, partial: 0, absent: 0, excused: 1, missed: 1, rate: "—" },
      "p-y": { present: 0, late: 1, partial: 0, absent: 1, excused: 0, missed: 1, rate: "50 % (1 of 2)" },
      "p-z": { present: 0, late: 0, partial: 0, absent: 1, excused: 0, missed: 1, rate: "0 % (0 of 1)" },
    });
  });

  it.each([
    { sort: "name", missedOver: undefined, ids: ["p-a", "p-o", "p-s1", "p-s2", "p-y", "p-z"] },
    { sort: "missed", missedOver: undefined, ids: ["p-o", "p-s1", "p-s2", "p-y", "p-z", "p-a"] },
    { sort: "missed", missedOver: 1, ids: ["p-o"] },
    { sort: "name", missedOver: 0, ids: ["p-o", "p-s1", "p-s2", "p-y", "p-z"] },
    { sort: "missed", missedOver: 2, ids: [] },
  ] as const)("sort $sort, missed more than $missedOver → $ids", ({ sort, missedOver, ids }) => {
    expect(arrangeRows(grid.rows, { sort, missedOver }).map((row) => row.student.id)).toEqual(ids);
  });

  it("a class with no calculated session and no roster has columns and no rows", () => {
    const empty = buildRegister({ sessions: [SESSIONS[1]!], roster: [], reports: [] });
    expect(empty.rows).toEqual([]);
    expect(empty.columns.map((column) => [column.id, column.counts])).toEqual([["s5", null]]);
  });
});

describe("the register's CSV", () => {
  // Omar's excuse in s2 was set at 09:30 UTC on 10 November (14:30 in Karachi, +05:00); an override
  // of Yusuf's absence in s2 was removed at 10:00 UTC (15:00 in Karachi). Sara's excuses carry no
  // recorded change.
  const changed = REPORTS.map((r): RegisterReportInput => {
    if (r.sessionId === "s2" && r.student === omar)
      return { ...r, lastChange: { action: "set", by: "Ustadha Khadija (teacher)", at: "2026-11-10T09:30:00.000Z" } };
    if (r.sessionId === "s2" && r.student === yusuf)
      return { ...r, lastChange: { action: "remove", by: 'API key "lms"', at: "2026-11-10T10:00:00.000Z" } };
    return r;
  });

  it("writes the grid as hand-checked rows: header with each start in the academy's zone and offset, students by name, class totals below, then each class's change by hand", () => {
    const grid = buildRegister({ sessions: SESSIONS.filter((s) => s.id !== "s3"), roster: ROSTER, reports: changed });
    const register: Register = {
      range: { from: "2026-11-01", to: "2026-11-30" },
      filter: ZRegisterFilterSchema.parse({}),
      series: [],
      course: null,
      teacherName: null,
      columns: grid.columns,
      // Given most-missed first: the file is still by name.
      rows: arrangeRows(grid.rows, { sort: "missed" }),
      studentCount: grid.rows.length,
    };
    const csv = registerCsv(registerTable(register, { timeZone: "Asia/Karachi", origin: "https://rollcall.example" }));
    expect(csv.split("\r\n")).toEqual([
      "Student,LMS id,2026-11-02T22:00+05:00 Tajweed: Al-Mulk,2026-11-09T22:00+05:00 Tajweed: Al-Qalam,2026-11-16T22:00+05:00 Tajweed: Al-Haqqah,2026-11-23T22:00+05:00 Tajweed: Al-Maarij,Present,Late,Partial,Absent,Excused,Missed,Rate %,Attendance rate," +
        "Change by hand: 2026-11-02T22:00+05:00 Tajweed: Al-Mulk,Change by hand: 2026-11-09T22:00+05:00 Tajweed: Al-Qalam,Change by hand: 2026-11-16T22:00+05:00 Tajweed: Al-Haqqah,Change by hand: 2026-11-23T22:00+05:00 Tajweed: Al-Maarij",
      'Aisha Rahman,s-aisha,present,partial,"ended, awaiting calculation",scheduled,1,0,1,0,0,0,50,50 % (1 of 2),,,,',
      'Omar Haddad,s-omar,absent,excused (doctor\'s letter),"ended, awaiting calculation",scheduled,0,0,0,1,1,2,0,0 % (0 of 1),' +
        ',"excused, calculated absent; set by Ustadha Khadija (teacher) on 10 Nov, 14:30:00",,',
      // Overridden with no change recorded: nothing to say beyond the cell (as on the page and in the XLSX).
      "Sara Ali,s-sara-1,excused (ill),,,,0,0,0,0,1,1,,—,,,,",
      "Sara Ali,s-sara-2,,excused (moved),,,0,0,0,0,1,1,,—,,,,",
      "Yusuf Karim,s-yusuf,late,absent,,scheduled,0,1,0,1,0,1,50,50 % (1 of 2)," +
        ',"absent, calculated absent; override removed by API key ""lms"" on 10 Nov, 15:00:00",,',
      "Class total: present,,1,0,,,,,,,,,,,,,,",
      "Class total: late,,1,0,,,,,,,,,,,,,,",
      "Class total: partial,,0,1,,,,,,,,,,,,,,",
      "Class total: absent,,1,1,,,,,,,,,,,,,,",
      "Class total: excused,,1,2,,,,,,,,,,,,,,",
      'Class state,,calculated,calculated,"ended, awaiting calculation",scheduled,,,,,,,,,,,,',
      "Teacher,,Ustadha Khadija,Ustadha Khadija,Ustadha Khadija,Ustadha Khadija,,,,,,,,,,,,",
      "Session id,,s1,s2,s4,s5,,,,,,,,,,,,",
      "Report,,https://rollcall.example/sessions/s1,https://rollcall.example/sessions/s2,https://rollcall.example/sessions/s4,https://rollcall.example/sessions/s5,,,,,,,,,,,,",
      "",
    ]);
  });
});

describe("registerRange: from and to are days in the academy's zone, both included", () => {
  const now = new Date("2026-11-30T21:30:00Z");
  it.each([
    // Default: this month where the academy is (already December in Karachi).
    { filter: {}, zone: "UTC", from: "2026-11-01", to: "2026-11-30" },
    { filter: {}, zone: "Asia/Karachi", from: "2026-12-01", to: "2026-12-31" },
    // One end given: the month of that end.
    { filter: { from: "2028-02-10" }, zone: "UTC", from: "2028-02-10", to: "2028-02-29" },
    { filter: { to: "2026-02-14" }, zone: "UTC", from: "2026-02-01", to: "2026-02-14" },
    { filter: { from: "2026-09-01", to: "2027-07-31" }, zone: "UTC", from: "2026-09-01", to: "2027-07-31" },
    { filter: { from: "2026-11-05", to: "2026-11-05" }, zone: "UTC", from: "2026-11-05", to: "2026-11-05" },
  ])("$filter in $zone → $from to $to", ({ filter, zone, from, to }) => {
    expect(registerRange(filter, zone, now)).toEqual({ from, to });
  });

  it.each([
    {
      filter: { from: "2026-11-30", to: "2026-11-01" },
      message: "The range ends (2026-11-01) before it starts (2026-11-30): choose an end on or after the start.",
    },
    // 2028 is a leap year: 1 Jan 2028 to 1 Jan 2029 is 367 days.
    {
      filter: { from: "2028-01-01", to: "2029-01-01" },
      message: "The range is 367 days long: a register covers at most 366 days.",
    },
  ])("$filter is refused", ({ filter, message }) => {
    expect(() => registerRange(filter, "UTC", now)).toThrow(message);
  });

  it("ignores malformed filters, as the other pages do", () => {
    expect(
      ZRegisterFilterSchema.parse({
        from: "2026-02-30",
        to: "1999-01-01",
        teacher: "",
        series: "",
        type: "yoga",
        sort: "age",
        missedOver: "-1",
      }),
    ).toEqual({
      from: undefined,
      to: undefined,
      teacher: undefined,
      series: undefined,
      type: undefined,
      sort: "name",
      missedOver: undefined,
    });
    expect(ZRegisterFilterSchema.parse({ missedOver: "2", sort: "missed", type: "quran" })).toMatchObject({
      missedOver: 2,
      sort: "missed",
      type: "quran",
    });
  });
});

describe("registerFileName", () => {
  it.each([
    { input: { from: "2026-11-01", to: "2026-11-30" }, ext: "csv", name: "register-2026-11-01-to-2026-11-30.csv" },
    {
      input: { from: "2026-11-01", to: "2026-11-30", type: "quran", teacherName: "Ustadha Khadija", course: "Tajweed" },
      ext: "xlsx",
      name: "register-quran-ustadha-khadija-tajweed-2026-11-01-to-2026-11-30.xlsx",
    },
    {
      input: { from: "2026-09-01", to: "2027-07-31", teacherName: "Zoë Brontë-O'Neil" },
      ext: "csv",
      name: "register-zoe-bronte-o-neil-2026-09-01-to-2027-07-31.csv",
    },
    // A name with no Latin letters is left out rather than written as dashes.
    {
      input: { from: "2026-11-01", to: "2026-11-30", teacherName: "أستاذة خديجة", course: "تجويد" },
      ext: "csv",
      name: "register-2026-11-01-to-2026-11-30.csv",
    },
  ] as const)("$name", ({ input, ext, name }) => {
    expect(registerFileName(input, ext)).toBe(name);
  });
});

describe("cellChangeText: the calculated value and the last change by hand, in the academy's zone", () => {
  const result = (lastChange: RegisterLastChange | null, status: ResultStatus = "excused"): RegisterCell => ({
    kind: "result",
    status,
    calculatedStatus: "absent",
    overridden: status !== "absent",
    note: null,
    lastChange,
  });
  // 3 December 2026, 10:04:05 UTC: the same in London (GMT), 21:04:05 in Sydney (+11:00).
  const at = "2026-12-03T10:04:05.000Z";
  it.each<[string, RegisterCell, string, string | null]>([
    [
      "an excuse",
      result({ action: "set", by: "Ustadha Khadija (teacher)", at }),
      "Europe/London",
      "excused, calculated absent; set by Ustadha Khadija (teacher) on 3 Dec, 10:04:05",
    ],
    [
      "a removal, back to the calculated value",
      result({ action: "remove", by: 'API key "lms"', at }, "absent"),
      "Australia/Sydney",
      'absent, calculated absent; override removed by API key "lms" on 3 Dec, 21:04:05',
    ],
    ["a result nobody changed", result(null, "absent"), "Europe/London", null],
    ["a class not calculated", { kind: "state", state: "scheduled" }, "Europe/London", null],
    ["not on the roster", { kind: "none" }, "Europe/London", null],
  ])("%s", (_name, cell, timeZone, text) => {
    expect(cellChangeText(cell, timeZone)).toBe(text);
  });
});
