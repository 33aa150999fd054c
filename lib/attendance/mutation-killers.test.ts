// Tests for the mutants StrykerJS found surviving in lib/attendance (npm run test:mutation). Each
// expected value is worked out by hand from docs/ATTENDANCE_RULES.md ("§") and lib/attendance/README.md
// ("D" + decision number); the comments show the arithmetic. The mutants left alive on purpose are
// listed, with the reason, in stryker.config.mjs.
import { describe, expect, test } from "vitest";
import { calculateAttendance, foldSession } from "./calculate-attendance.ts";
import { explainedPercentage } from "./explain.ts";
import { codePointLess, mergeIntervals } from "./intervals.ts";
import { DEFAULT_POLICY, validatePolicy } from "./policy.ts";
import { arrivalTime } from "./status.ts";
import type { AttendanceEvent, AttendanceInput } from "./types.ts";
import { at, classInput, eventBuilders, student, teacher } from "./events.fixture.ts";

const { join, leave, abort, finished } = eventBuilders("MK");

const input = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  classInput(events, [student], overrides);
const result = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  calculateAttendance(input(events, overrides));
const s1 = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  result(events, overrides).people.find((person) => person.identity === "s1")!;

describe("§5 the schedule", () => {
  test.each([
    ["an endless class", { scheduledEnd: Number.POSITIVE_INFINITY }],
    ["a class with no beginning", { scheduledStart: Number.NEGATIVE_INFINITY }],
  ])("%s has no positive, finite sessionSeconds and is refused", (_name, schedule) => {
    expect(() => result([], schedule)).toThrow(/after its start/);
  });
});

describe("D10 two webhooks sharing an id but differing: the same one is kept whatever the order", () => {
  // Each pair differs in one field, and in a way that changes the report (checked first), so keeping
  // "the first one seen" or "the last one seen" would make the report depend on arrival order.
  const pairs: [string, AttendanceEvent, AttendanceEvent, AttendanceEvent[]][] = [
    ["time", join("a", "10:00", "s1", { id: "X1" }), join("a", "10:20", "s1", { id: "X1" }), [leave("a", "10:40")]],
    [
      "participant sid",
      join("a", "10:00", "s1", { id: "X2" }),
      join("b", "10:00", "s1", { id: "X2" }),
      [leave("a", "10:30")],
    ],
    ["identity", join("a", "10:00", "s1", { id: "X3" }), join("a", "10:00", "g1", { id: "X3" }), []],
    [
      "kind",
      join("a", "10:00", "s1", { id: "X4", kind: "SIP" }),
      join("a", "10:00", "s1", { id: "X4", kind: "EGRESS" }),
      [leave("a", "11:00")],
    ],
    [
      "the joinedAt a leave carries",
      leave("a", "10:40", "s1", { id: "X5", participantJoinedAt: at("10:00") }),
      leave("a", "10:40", "s1", { id: "X5", participantJoinedAt: at("10:20") }),
      [],
    ],
  ];
  test.each(pairs)("differing in %s", (_field, first, second, rest) => {
    expect(result([first, ...rest])).not.toEqual(result([second, ...rest]));
    expect(result([first, second, ...rest])).toEqual(result([second, first, ...rest]));
    expect(result([...rest, second, first])).toEqual(result([first, second, ...rest]));
  });
});

describe("§4 presence intervals", () => {
  test("a webhook other than join, left or aborted never opens or closes a connection, even when it names it", () => {
    const trackPublished: AttendanceEvent = {
      id: "MK_track",
      type: "track_published",
      time: at("10:10"),
      participantSid: "a",
      identity: "s1",
    };
    // 10:00 → 10:50 = 50 min
    expect(s1([join("a", "10:00"), trackPublished, leave("a", "10:50")])).toMatchObject({
      attendedSeconds: 3000,
      lastLeaveAt: at("10:50"),
    });
  });

  test("D1 a leave that carries no joinedAt does not erase the joinedAt another leave of the connection carried", () => {
    const events = [
      leave("a", "10:40", "s1", { participantJoinedAt: at("10:20") }),
      leave("a", "10:50", "s1", { participantJoinedAt: null }),
    ];
    // starts at the only joinedAt carried (10:20), closes at the earliest leave (10:40): 20 min
    const expected = { attendedSeconds: 1200, firstJoinAt: at("10:20"), lastLeaveAt: at("10:40") };
    expect(s1(events)).toMatchObject(expected);
    expect(s1([...events].reverse())).toMatchObject(expected);
  });

  test("each connection says how it ended: its own leave, its own abort", () => {
    const events = [join("a", "10:00"), leave("a", "10:30"), join("b", "10:40"), abort("b", "10:50")];
    expect(s1(events).connections).toEqual([
      { sid: "a", start: at("10:00"), end: at("10:30"), closedBy: "left" },
      { sid: "b", start: at("10:40"), end: at("10:50"), closedBy: "aborted" },
    ]);
  });

  test("D1 a leave and an abort of one connection at the same time: the same result in either order", () => {
    const events = [join("a", "10:00"), leave("a", "10:30"), abort("a", "10:30")];
    const inOrder = s1(events);
    expect(inOrder).toMatchObject({ attendedSeconds: 1800, lastLeaveAt: at("10:30") });
    expect(s1([events[0]!, events[2]!, events[1]!])).toEqual(inOrder);
  });

  test.each([
    // §4 / D3: the first room_finished after it started, here one in the preparation time
    [
      "a room_finished before the window",
      [join("a", "09:30"), finished("09:45")],
      { start: at("09:30"), end: at("09:45"), closedBy: "room_finished" },
    ],
    // D3: a room_finished exactly at the window end is still the room_finished that closed it
    [
      "a room_finished exactly at the window end",
      [join("a", "10:00"), finished("11:00")],
      { start: at("10:00"), end: at("11:00"), closedBy: "room_finished" },
    ],
    // §4 never extended past the window: the room finished later, the window end closed it
    [
      "a room_finished after the window end",
      [join("a", "10:00"), finished("11:20")],
      { start: at("10:00"), end: at("11:00"), closedBy: "window_end" },
    ],
  ])("D3 an open connection closed by %s", (_name, events, closed) => {
    expect(s1(events).connections).toEqual([{ sid: "a", ...closed }]);
  });

  test("connections are listed by start, not by sid", () => {
    const events = [join("b", "10:00"), leave("b", "10:10"), join("a", "10:30"), leave("a", "10:40")];
    expect(s1(events).connections.map((connection) => connection.sid)).toEqual(["b", "a"]);
  });

  test("two connections opened at the same instant are listed the same way whatever the arrival order", () => {
    const events = [join("x", "10:00"), join("y", "10:00"), leave("x", "10:20"), leave("y", "10:40")];
    const inOrder = s1(events).connections;
    expect(inOrder.map((connection) => connection.start)).toEqual([at("10:00"), at("10:00")]);
    expect(s1([events[1]!, events[0]!, events[3]!, events[2]!]).connections).toEqual(inOrder);
  });

  test("touching intervals are one interval of the union (a handover at the same instant)", () => {
    const events = [join("a", "10:00"), leave("a", "10:30"), join("b", "10:30"), leave("b", "11:00")];
    expect(s1(events)).toMatchObject({ attendedSeconds: 3600, intervals: [{ start: at("10:00"), end: at("11:00") }] });
  });

  test("the union of intervals given in any order is sorted and merged", () => {
    const intervals = [
      { start: at("10:30"), end: at("10:40") },
      { start: at("10:00"), end: at("10:10") },
      { start: at("10:05"), end: at("10:20") },
    ];
    expect(mergeIntervals(intervals)).toEqual([
      { start: at("10:00"), end: at("10:20") },
      { start: at("10:30"), end: at("10:40") },
    ]);
  });
});

describe("D1 / D8 identities compared exactly, by code point", () => {
  test.each([
    ["s1", "s2", true],
    ["s2", "s1", false],
    ["ab", "ac", true], // the first code points are equal; the second decides
    ["s1", "s10", true], // a prefix comes first
    ["s10", "s1", false],
    ["s1", "s1", false], // strictly less
    ["\uFFFD", "\u{1F469}", true], // U+FFFD < U+1F469, although in UTF-16 0xFFFD > 0xD83D
    ["\u{1F469}", "\uFFFD", false],
  ])("%j is less than %j: %s", (a, b, less) => {
    expect(codePointLess(a, b)).toBe(less);
  });
});

describe("§6 arrival", () => {
  test("the earliest moment present, whatever order the intervals come in", () => {
    const intervals = [
      { start: at("10:40"), end: at("11:00") },
      { start: at("10:20"), end: at("10:30") },
    ];
    expect(arrivalTime(intervals, at("10:00"), at("11:00"))).toBe(at("10:20"));
  });
});

describe("§5 / D4 the window", () => {
  test("a room_finished exactly at the scheduled end is not an early end", () => {
    const report = result([join("a", "10:00"), leave("a", "10:30"), finished("11:00")]);
    expect(report).toMatchObject({ windowEnd: at("11:00"), endedEarly: false, roomFinishedAt: null, roomFinishes: [] });
    expect(report.people[0]!.explanation).toBe("partial: attended 30 min of 60 min = 50 % (50 % or less)");
  });

  test("the class resumed at the teacher's first return after the finish, whatever the arrival order", () => {
    const events = [
      join("t", "10:00", "t1"),
      leave("t", "10:30", "t1"),
      finished("10:30:30"),
      join("t3", "10:45", "t1"), // the later return arrives first
      join("t2", "10:35", "t1"),
    ];
    const fold = foldSession({
      scheduledStart: at("10:00"),
      scheduledEnd: at("11:00"),
      roster: [teacher, student],
      events,
    });
    expect(fold.window).toMatchObject({
      windowEnd: at("11:00"),
      endedEarly: false,
      roomFinishes: [{ at: at("10:30:30"), resumedAt: at("10:35") }],
    });
  });
});

describe("§2 / §5 only a counted connection of the teacher resumes an emptied class", () => {
  test("a recorder joining under the teacher's identity after an early finish does not reopen the class", () => {
    // §2: a recorder (egress) is nobody; §5: only the teacher joining again before the scheduled end
    // resumes the class. The room finishes at 10:30 and the recorder joins at 10:40 as "t1": the class
    // ended at 10:30, so the student's 10:00–10:30 is 30 of 30 min.
    const fold = foldSession({
      scheduledStart: at("10:00"),
      scheduledEnd: at("11:00"),
      roster: [teacher, student],
      events: [
        join("t", "10:00", "t1"),
        join("a", "10:00", "s1"),
        leave("t", "10:30", "t1"),
        leave("a", "10:30", "s1"),
        finished("10:30"),
        join("rec", "10:40", "t1", { kind: "EGRESS" }),
      ],
    });
    expect(fold.window).toMatchObject({
      windowEnd: at("10:30"),
      endedEarly: true,
      roomFinishes: [{ at: at("10:30"), resumedAt: null }],
    });
  });
});

describe("D7 / D11 the percentage in the explanation", () => {
  test("as many decimals as it takes not to land on the threshold: 7,201 s of 4 h", () => {
    // 7201 / 14400 = 50.00694… %: 50.0 and 50.00 would read as exactly the 50 % threshold, 50.006 does not.
    // Joined at the start, ratio 0.50007: over 50 %, not over 75 %, not late → present.
    const person = s1([join("a", "10:00"), leave("a", "12:00:01")], { scheduledEnd: at("14:00") });
    expect(person).toMatchObject({ attendedSeconds: 7201, status: "present", percentage: 50 });
    expect(person.explanation).toBe("present: on time, attended 120 min 1 s of 240 min = 50.006 %");
    expect(explainedPercentage(7201, 4 * 3_600_000, DEFAULT_POLICY)).toBe("50.006 %");
  });
});

describe("policy validation", () => {
  // The ranges: a whole grace period of 0 to 240 minutes, thresholds that are ratios from 0 to 1 and
  // rise (absentBelow <= partialAtOrBelow <= presentAbove), bounds included — as the academy policy API accepts them.
  test.each([
    ["no grace period", { graceMinutes: 0 }],
    ["the longest grace period", { graceMinutes: 240 }],
    ["nobody absent by the ratio alone", { absentBelow: 0 }],
    ["nobody present by the ratio alone", { presentAbove: 1 }],
    ["no partial band", { absentBelow: 0.5, partialAtOrBelow: 0.5 }],
    ["no band where lateness decides", { partialAtOrBelow: 0.75, presentAbove: 0.75 }],
  ])("%s is valid", (_name, change) => {
    expect(() => validatePolicy({ ...DEFAULT_POLICY, ...change })).not.toThrow();
  });

  test.each([
    ["a grace period over 240 minutes", { graceMinutes: 241 }, /grace period/],
    ["a ratio over 1 that still rises", { presentAbove: 1.5 }, /presentAbove must be a ratio from 0 to 1/],
    ["a negative ratio that still rises", { absentBelow: -0.1 }, /absentBelow must be a ratio from 0 to 1/],
    ["a ratio that is not a number", { presentAbove: Number.NaN }, /presentAbove must be a ratio from 0 to 1/],
    ["thresholds that fall", { partialAtOrBelow: 0.8, presentAbove: 0.75 }, /must rise/],
  ])("%s is refused with a message that names it", (_name, change, message) => {
    expect(() => validatePolicy({ ...DEFAULT_POLICY, ...change })).toThrow(message);
  });
});

describe("D1 two closes, or two recovered joins, of one connection: the earliest wins whatever the order", () => {
  // Each case is tried in the order given and reversed; s1's one connection and its seconds.
  test.each<[string, AttendanceEvent[], { start: string; end: string; seconds: number }]>([
    // Aborted at 10:20, a stray leave at 10:40: closed at 10:20, 20 min = 1,200 s.
    [
      "an abort, then a later leave",
      [join("a", "10:00"), abort("a", "10:20"), leave("a", "10:40")],
      { start: "10:00", end: "10:20", seconds: 1200 },
    ],
    // Two leaves, the later with the smaller id: closed at the earlier, 10:30, 30 min = 1,800 s.
    [
      "two leaves, the later one with the smaller id",
      [join("a", "10:00"), leave("a", "10:30", "s1", { id: "MK_L9" }), leave("a", "10:40", "s1", { id: "MK_L1" })],
      { start: "10:00", end: "10:30", seconds: 1800 },
    ],
    // No join: two leaves recover it, from 10:05 (carried by the 10:40 leave) and 10:10 (by the 10:30
    // one). Opened at the earliest joinedAt, 10:05, closed at the earliest leave, 10:30: 25 min = 1,500 s.
    [
      "two leaves recovering a lost join",
      [
        leave("a", "10:40", "s1", { participantJoinedAt: at("10:05") }),
        leave("a", "10:30", "s1", { participantJoinedAt: at("10:10") }),
      ],
      { start: "10:05", end: "10:30", seconds: 1500 },
    ],
  ])("%s", (_name, events, { start, end, seconds }) => {
    for (const order of [events, [...events].reverse()]) {
      const person = s1(order);
      expect(person.intervals).toEqual([{ start: at(start), end: at(end) }]);
      expect(person.attendedSeconds).toBe(seconds);
    }
  });
});
