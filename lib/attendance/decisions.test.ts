// One test (or table) per decision of lib/attendance/README.md, named by its number. Expected values
// are worked out by hand from the rules; the comments show the arithmetic.
import { describe, expect, test } from "vitest";
import { calculateAttendance, foldSession } from "./calculate-attendance.ts";
import { formatAttendance, formatDuration } from "./explain.ts";
import { sessionState } from "./lifecycle.ts";
import { DEFAULT_POLICY, validatePolicy } from "./policy.ts";
import type { AttendanceEvent, AttendanceInput } from "./types.ts";
import { at, classInput, eventBuilders, student, teacher } from "./events.fixture.ts";

const { join, leave, abort, finished, started } = eventBuilders("D");

const input = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  classInput(events, [teacher, student], overrides);
const result = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  calculateAttendance(input(events, overrides));
const person = (events: AttendanceEvent[], identity = "s1", overrides: Partial<AttendanceInput> = {}) =>
  [...result(events, overrides).people, ...result(events, overrides).guests].find((p) => p.identity === identity)!;

describe("D1 one connection, any arrival order", () => {
  test("D1 a connection starts at its earliest join and closes at its earliest close, whatever the order", () => {
    const events = [leave("a", "10:40"), join("a", "10:10"), leave("a", "10:50"), join("a", "10:05")];
    // 10:05 → 10:40 = 35 min
    expect(person(events)).toMatchObject({ attendedSeconds: 2100, firstJoinAt: at("10:05"), lastLeaveAt: at("10:40") });
    expect(person([...events].reverse())).toMatchObject({ attendedSeconds: 2100 });
  });
  test("D1 a lost join is recovered from the earliest joinedAt a leave carries", () => {
    expect(person([leave("a", "10:30", "s1", { participantJoinedAt: at("10:10") })])).toMatchObject({
      attendedSeconds: 1200,
      firstJoinAt: at("10:10"),
    });
  });
  test("D1 an aborted connection with no join never opens, even with a joinedAt", () => {
    expect(person([abort("a", "10:30", "s1", { participantJoinedAt: at("10:00") })])).toMatchObject({
      attendedSeconds: 0,
      firstJoinAt: null,
      status: "absent",
    });
  });
});

test("D2 a close before its start gives an empty interval at the start", () => {
  expect(person([join("a", "10:10:00.600"), leave("a", "10:10")])).toMatchObject({
    attendedSeconds: 0,
    intervals: [{ start: at("10:10:00.600"), end: at("10:10:00.600") }],
  });
});

describe("D3 an open connection", () => {
  test.each([
    // closes at the first room_finished at or after its start, not a later one
    [
      "at the first room_finished after its start",
      [join("a", "10:00"), finished("10:20"), finished("10:50")],
      { lastLeaveAt: at("10:20"), attendedSeconds: 1200 },
    ],
    [
      "not at a room_finished before its start",
      [finished("09:30"), join("a", "10:00")],
      { lastLeaveAt: at("11:00"), attendedSeconds: 3600 },
    ],
    [
      "with no room_finished, at the window end",
      [join("a", "10:30")],
      { lastLeaveAt: at("11:00"), attendedSeconds: 1800 },
    ],
    [
      "never past the window end (room_finished after it)",
      [join("a", "10:30"), finished("11:20")],
      { lastLeaveAt: at("11:00"), attendedSeconds: 1800 },
    ],
    [
      "opened after the window end: empty",
      [join("a", "11:10")],
      { intervals: [{ start: at("11:10"), end: at("11:10") }], attendedSeconds: 0 },
    ],
  ] as const)("D3 closes %s", (_name, events, expected) => {
    expect(person([...events])).toMatchObject(expected);
  });
});

describe("D4 the window", () => {
  test("D4 an early room_finished with no teacher return ends the class", () => {
    expect(result([join("a", "10:00"), finished("10:40")])).toMatchObject({
      windowEnd: at("10:40"),
      endedEarly: true,
      sessionSeconds: 2400,
    });
  });
  test("D4 the teacher connecting again before the scheduled end resumes the class", () => {
    const r = result([join("a", "10:00"), finished("10:40"), join("t2", "10:45", "t1")]);
    expect(r).toMatchObject({
      windowEnd: at("11:00"),
      endedEarly: false,
      roomFinishes: [{ at: at("10:40"), resumedAt: at("10:45") }],
    });
  });
  test("D4 a student or a room_started after the finish does not resume it", () => {
    expect(
      result([
        join("a", "10:00"),
        finished("10:40"),
        started("10:41"),
        join("b", "10:42"),
        join("g", "10:43", "guest"),
      ]),
    ).toMatchObject({ windowEnd: at("10:40") });
  });
  test("D4 the teacher's return recovered from a leave's joinedAt counts", () => {
    // Class 10:00–12:00; the rejoin's join webhook was lost; its leave (11:50) carries joinedAt 10:25.
    const r = result([finished("10:20"), leave("t2", "11:50", "t1", { participantJoinedAt: at("10:25") })], {
      scheduledEnd: at("12:00"),
    });
    expect(r.windowEnd).toBe(at("12:00"));
  });
  test("D4 the next room_finished is considered the same way", () => {
    // Resumed after 10:20 (teacher back 10:25); not after 10:40.
    const r = result([finished("10:20"), join("t2", "10:25", "t1"), finished("10:40")]);
    expect(r).toMatchObject({
      windowEnd: at("10:40"),
      roomFinishes: [
        { at: at("10:20"), resumedAt: at("10:25") },
        { at: at("10:40"), resumedAt: null },
      ],
    });
  });
  test("D4 a teacher connecting exactly at the finish or at the scheduled end does not resume it", () => {
    expect(result([finished("10:40"), join("t2", "10:40", "t1")]).windowEnd).toBe(at("10:40"));
    expect(result([finished("10:40"), join("t2", "11:00", "t1")]).windowEnd).toBe(at("10:40"));
  });
  test("D4 a recorder with the teacher's identity does not resume it", () => {
    expect(result([finished("10:40"), join("t2", "10:45", "t1", { isRecorder: true })]).windowEnd).toBe(at("10:40"));
  });
  test("D4 without a teacher on the roster the first early finish ends the class", () => {
    expect(result([finished("10:40"), join("t2", "10:45", "t1")], { roster: [student] }).windowEnd).toBe(at("10:40"));
  });
  test("D4 a room_finished exactly at the start or at the scheduled end changes nothing", () => {
    expect(result([finished("10:00")]).windowEnd).toBe(at("11:00"));
    expect(result([finished("11:00")]).windowEnd).toBe(at("11:00"));
    expect(result([finished("10:00:01")]).windowEnd).toBe(at("10:00:01"));
  });
});

describe("D5 which events are the session's", () => {
  test("D5 a leave exactly 60 min after the window end is the session's", () => {
    expect(person([join("a", "10:30"), leave("a", "12:00")])).toMatchObject({
      lastLeaveAt: at("12:00"),
      attendedSeconds: 1800,
    });
  });
  test("D5 a leave one second later is not: the connection closes as an open one", () => {
    expect(person([join("a", "10:30"), leave("a", "12:00:01")])).toMatchObject({
      lastLeaveAt: at("11:00"),
      attendedSeconds: 1800,
    });
  });
  test("D5 after an early end the range follows the window end", () => {
    // Window ends 10:40; 11:40 is the last moment of the range, so the 11:41 leave is not the session's.
    expect(person([join("a", "10:00"), finished("10:40"), leave("a", "11:41")])).toMatchObject({
      lastLeaveAt: at("10:40"),
      attendedSeconds: 2400,
    });
  });
  test("D5 a join more than 60 min before the start is not the session's; its leave's joinedAt still opens the connection", () => {
    expect(
      person([join("a", "08:59:59"), leave("a", "10:30", "s1", { participantJoinedAt: at("08:59:59") })]),
    ).toMatchObject({ firstJoinAt: at("08:59:59"), attendedSeconds: 1800 });
    expect(person([join("a", "08:59:59")])).toMatchObject({ firstJoinAt: null, status: "absent" });
  });
  test("D5 back-to-back classes in one room each count their own time", () => {
    const events = [join("a", "10:30"), leave("a", "11:30")];
    expect(person(events)).toMatchObject({ attendedSeconds: 1800, status: "partial" });
    const next = person(events, "s1", { scheduledStart: at("11:00"), scheduledEnd: at("12:00") });
    expect(next).toMatchObject({ attendedSeconds: 1800, status: "partial", isLate: false });
  });
});

describe("D6 arrival and lateness", () => {
  test.each([
    [
      "connected since the preparation time arrives at the start",
      [join("a", "09:30"), leave("a", "11:00")],
      { arrivalAt: at("10:00"), isLate: false, lateMinutes: 0 },
    ],
    [
      "popped in during preparation, back at 10:20: arrives 10:20",
      [join("a", "09:40"), leave("a", "09:50"), join("b", "10:20"), leave("b", "11:00")],
      { arrivalAt: at("10:20"), isLate: true, lateMinutes: 20 },
    ],
    [
      "a visit that ended exactly at the start is no arrival",
      [join("a", "09:40"), leave("a", "10:00"), join("b", "10:16"), leave("b", "11:00")],
      { arrivalAt: at("10:16"), isLate: true },
    ],
    [
      "arriving exactly at start + grace is on time",
      [join("a", "10:15"), leave("a", "11:00")],
      { isLate: false, lateMinutes: 0 },
    ],
    [
      "one millisecond later is late",
      [join("a", "10:15:00.001"), leave("a", "11:00")],
      { isLate: true, lateMinutes: 15 },
    ],
    [
      "no time inside the window: not late",
      [join("a", "11:05"), leave("a", "11:10")],
      { arrivalAt: null, isLate: false, lateMinutes: 0 },
    ],
  ] as const)("D6 %s", (_name, events, expected) => {
    expect(person([...events])).toMatchObject(expected);
  });
});

describe("D7 ratio and percentage", () => {
  test.each([
    [441, 12.3], // 12.25 half-up
    [359, 10], // 9.972 → 10.0, still absent
    [3599, 100], // 99.97 → 100.0
    [1, 0], // 0.028 → 0.0
  ])("D7 %i s of 3,600 is %d %%", (seconds, percentage) => {
    const r = person([
      join("a", "10:00"),
      leave("a", `10:${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`),
    ]);
    expect(r.percentage).toBe(percentage);
  });
  test("D7 the status follows the seconds, not the rounded percentage", () => {
    expect(person([join("a", "10:00"), leave("a", "10:05:59")])).toMatchObject({ percentage: 10, status: "absent" });
  });
});

test("D8 a connection counts only if every event of it is STANDARD or SIP without the recorder grant", () => {
  expect(person([join("a", "10:00"), leave("a", "11:00", "s1", { kind: "EGRESS" })])).toMatchObject({
    attendedSeconds: 0,
  });
  expect(person([join("a", "10:00", "s1", { kind: "SIP" }), leave("a", "11:00", "s1", { kind: "SIP" })])).toMatchObject(
    { attendedSeconds: 3600 },
  );
  expect(person([join("a", "10:00", "S1"), leave("a", "11:00", "S1")])).toMatchObject({ attendedSeconds: 0 });
});

test("D9 every roster entry gets a result, the teacher first; guests apart", () => {
  const r = result([join("g", "10:00", "zz-guest"), leave("g", "10:30", "zz-guest"), leave("h", "10:30", "no-start")]);
  expect(r.people.map((p) => [p.identity, p.role, p.status, p.explanation])).toEqual([
    ["t1", "teacher", "absent", "absent: never joined"],
    ["s1", "student", "absent", "absent: never joined"],
  ]);
  expect(r.guests.map((g) => [g.identity, g.role, g.attendedSeconds])).toEqual([["zz-guest", "guest", 1800]]);
});

test("D10 duplicate webhook ids count once, whichever copy arrives first", () => {
  const j = join("a", "10:00");
  const l = leave("a", "10:30");
  expect(person([j, l, { ...l }, { ...j }])).toMatchObject({ attendedSeconds: 1800, connectionCount: 1 });
});

test.each([
  [0, "0 s"],
  [59, "59 s"],
  [60, "1 min"],
  [3580, "59 min 40 s"],
  [5400, "90 min"],
])("D11 %i s is written %s", (seconds, text) => {
  expect(formatDuration(seconds)).toBe(text);
  expect(formatAttendance(seconds, 3600)).toBe(`${text} of 60 min`);
});

describe("D12 session state", () => {
  const base = { scheduledStart: at("10:00"), windowEnd: at("11:00"), cancelled: false, calculated: false };
  test.each([
    ["before the start: scheduled", { now: at("09:59:59") }, "scheduled"],
    ["at the start: live", { now: at("10:00") }, "live"],
    ["one ms before the window end: live", { now: at("10:59:59.999") }, "live"],
    ["at the window end: ended", { now: at("11:00") }, "ended"],
    ["ended with a current report: calculated", { now: at("11:10"), calculated: true }, "calculated"],
    ["a current report before the window end (resumed class): live", { now: at("10:50"), calculated: true }, "live"],
    ["cancelled wins", { now: at("10:30"), cancelled: true }, "cancelled"],
    ["finished early: ended at the early end", { now: at("10:41"), windowEnd: at("10:40") }, "ended"],
  ] as const)("D12 %s", (_name, change, state) => {
    expect(sessionState({ ...base, ...change })).toBe(state);
  });
});

describe("D13 live presence is the same fold at the current time", () => {
  const events = [join("a", "10:00"), join("t", "10:00", "t1"), leave("t", "11:00", "t1")];
  const fold = (now: number) =>
    foldSession({ scheduledStart: at("10:00"), scheduledEnd: at("11:00"), roster: [teacher, student], events, now });
  test("D13 a connection with no leave is open while the class runs and for the hour after it", () => {
    expect(fold(at("10:30")).connections.get("s1")).toEqual([
      { sid: "a", start: at("10:00"), end: null, closedBy: null },
    ]);
    expect(fold(at("11:59:59")).connections.get("s1")![0]!.end).toBeNull();
  });
  test("D13 an hour after the window end it is closed at the window end, as in the report", () => {
    expect(fold(at("12:00")).connections.get("s1")).toEqual([
      { sid: "a", start: at("10:00"), end: at("11:00"), closedBy: "window_end" },
    ]);
    const report = calculateAttendance({ ...input(events) }).people.find((p) => p.identity === "s1")!;
    expect(report.connections).toEqual(fold(at("12:00")).connections.get("s1"));
  });
  test("D13 a room_finished closes it in the live view at once", () => {
    const live = foldSession({
      scheduledStart: at("10:00"),
      scheduledEnd: at("11:00"),
      roster: [teacher, student],
      events: [join("a", "10:00"), finished("10:40")],
      now: at("10:41"),
    });
    expect(live.connections.get("s1")).toEqual([
      { sid: "a", start: at("10:00"), end: at("10:40"), closedBy: "room_finished" },
    ]);
  });
});

test("D6 no interval inside the window is absent, even when the policy's absent threshold is 0", () => {
  const policy = { graceMinutes: 0, absentBelow: 0, partialAtOrBelow: 0, presentAbove: 0 };
  expect(person([], "s1", { policy })).toMatchObject({ status: "absent" });
  expect(person([join("a", "09:30"), leave("a", "09:50")], "s1", { policy })).toMatchObject({
    status: "absent",
    arrivalAt: null,
  });
});

test("D1 when the events of one connection name different identities, the smallest by code point is kept, whatever the order", () => {
  // "\uFFFD…" sorts before "\u{1F469}…" by code point (as PostgreSQL's C collation does), after it in UTF-16.
  const a = "\u{1F469}x";
  const b = "\uFFFDx";
  const events = [join("a", "10:00", a), leave("a", "10:30", b)];
  const r = result(events, { roster: [student] });
  expect(r.guests.map((g) => [g.identity, g.attendedSeconds])).toEqual([[b, 1800]]);
  expect(result([...events].reverse(), { roster: [student] }).guests.map((g) => g.identity)).toEqual([b]);
});

test("D7 a threshold with more than four decimals is refused, so every explanation can be written on the right side of it", () => {
  expect(() => validatePolicy({ ...DEFAULT_POLICY, partialAtOrBelow: 0.33333333333 })).toThrow(/at most four decimals/);
  expect(() => validatePolicy({ ...DEFAULT_POLICY, partialAtOrBelow: 0.3333 })).not.toThrow();
  // 1,200 s of 3,600 is 33.333…%, over a 33.33 % threshold: present; 33.3 and 33.33 would read as at or under it, 33.333 does not.
  const policy = { ...DEFAULT_POLICY, absentBelow: 0.1, partialAtOrBelow: 0.3333, presentAbove: 0.3333 };
  expect(person([join("a", "10:00"), leave("a", "10:20")], "s1", { policy }).explanation).toBe(
    "present: on time, attended 20 min of 60 min = 33.333 %",
  );
});

test("D10 copies of one webhook id that differ are told apart whatever their fields contain", () => {
  const first: AttendanceEvent = {
    id: "X",
    type: "participant_joined",
    time: at("10:00"),
    participantSid: "a|b",
    identity: "c",
  };
  const second: AttendanceEvent = {
    id: "X",
    type: "participant_joined",
    time: at("10:00"),
    participantSid: "a",
    identity: "b|c",
  };
  const forward = result([first, second, leave("a", "11:00", "b|c"), leave("a|b", "11:00", "c")], {
    roster: [student],
  });
  const backward = result([second, first, leave("a", "11:00", "b|c"), leave("a|b", "11:00", "c")], {
    roster: [student],
  });
  expect(backward.guests).toEqual(forward.guests);
});

test.each([
  // 3,599 of 3,600 s is 99.972 %: the report's figure rounds to 100.0, the explanation does not claim all of it.
  [[join("a", "10:00"), leave("a", "10:59:59")], "present: on time, attended 59 min 59 s of 60 min = 99.97 %"],
  // 1 s of 3,600 is 0.028 %: the report's figure rounds to 0.0, the explanation does not claim none.
  [[join("a", "10:00"), leave("a", "10:00:01")], "absent: attended 1 s of 60 min = 0.02 % (below 10 %)"],
])("D7 an explanation never writes 100 %% or 0 %% for time that is not all or none: %#", (events, explanation) => {
  expect(person(events).explanation).toBe(explanation);
});
