import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { calculateAttendance } from "./calculate-attendance.ts";
import { DEFAULT_POLICY, resolvePolicy, validatePolicy } from "./policy.ts";
import type { AttendanceEvent, AttendanceInput, PersonAttendance, RosterEntry } from "./types.ts";
import { at, eventBuilders } from "./events.fixture.ts";

const { join, leave, abort, finished, started } = eventBuilders("EV");

const student: RosterEntry = { identity: "s1", personId: "p1", role: "student" };
function run(events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) {
  return calculateAttendance({
    scheduledStart: at("10:00"),
    scheduledEnd: at("11:00"),
    policy: DEFAULT_POLICY,
    roster: [student],
    events,
    ...overrides,
  });
}
const s1 = (events: AttendanceEvent[], overrides: Partial<AttendanceInput> = {}) =>
  run(events, overrides).people.find((person) => person.identity === "s1")!;

interface Case {
  name: string;
  events: AttendanceEvent[];
  expected: Partial<PersonAttendance>;
  input?: Partial<AttendanceInput>;
}

const twoHours = { scheduledEnd: at("12:00") };

describe("status, percentage and lateness (rules section 6)", () => {
  const cases: Case[] = [
    {
      name: "never joined: absent",
      events: [],
      expected: {
        status: "absent",
        attendedSeconds: 0,
        percentage: 0,
        isLate: false,
        firstJoinAt: null,
        lastLeaveAt: null,
        explanation: "absent: never joined",
      },
    },
    {
      name: "the whole class on time: present",
      events: [join("a", "10:00"), leave("a", "11:00")],
      expected: { status: "present", attendedSeconds: 3600, percentage: 100, isLate: false, lateMinutes: 0 },
    },
    {
      name: "exactly 10 %: partial, not absent",
      events: [join("a", "10:00"), leave("a", "10:06")],
      expected: { status: "partial", attendedSeconds: 360, ratio: 0.1, percentage: 10 },
    },
    {
      name: "one second under 10 %: absent (the percentage still rounds to 10.0)",
      events: [join("a", "10:00"), leave("a", "10:05:59")],
      expected: { status: "absent", attendedSeconds: 359, percentage: 10 },
    },
    {
      name: "exactly 50 %: partial",
      events: [join("a", "10:00"), leave("a", "10:30")],
      expected: { status: "partial", ratio: 0.5, percentage: 50 },
    },
    {
      name: "one second over 50 %, on time: present",
      events: [join("a", "10:00"), leave("a", "10:30:01")],
      expected: { status: "present", attendedSeconds: 1801, percentage: 50 },
    },
    {
      name: "over 50 % and late: late",
      events: [join("a", "10:16"), leave("a", "10:47")],
      expected: { status: "late", isLate: true, lateMinutes: 16, percentage: 51.7 },
    },
    {
      name: "exactly 75 % and late: late",
      events: [join("a", "10:20"), leave("a", "11:50")],
      input: twoHours,
      expected: { status: "late", ratio: 0.75, isLate: true, lateMinutes: 20 },
    },
    {
      name: "one second over 75 % and late: present",
      events: [join("a", "10:20"), leave("a", "11:50:01")],
      input: twoHours,
      expected: { status: "present", isLate: true, lateMinutes: 20, attendedSeconds: 5401 },
    },
    {
      name: "exactly 75 % on time: present",
      events: [join("a", "10:00"), leave("a", "11:30")],
      input: twoHours,
      expected: { status: "present", ratio: 0.75, isLate: false },
    },
    {
      name: "a first join exactly at the end of the grace period is on time",
      events: [join("a", "10:15"), leave("a", "11:00")],
      expected: { isLate: false, lateMinutes: 0, status: "present" },
    },
    {
      name: "a millisecond after the grace period is late",
      events: [join("a", "10:15:00.001"), leave("a", "11:00")],
      expected: { isLate: true, lateMinutes: 15, status: "late" },
    },
    {
      name: "late minutes are floored",
      events: [join("a", "10:17:59"), leave("a", "11:00")],
      expected: { isLate: true, lateMinutes: 17 },
    },
    {
      name: "percentage rounds half up: 441 s of 3600 = 12.25 % → 12.3",
      events: [join("a", "10:00"), leave("a", "10:07:21")],
      expected: { attendedSeconds: 441, percentage: 12.3 },
    },
    {
      name: "percentage rounds half up: 1197 s = 33.25 % → 33.3",
      events: [join("a", "10:00"), leave("a", "10:19:57")],
      expected: { attendedSeconds: 1197, percentage: 33.3 },
    },
    {
      name: "percentage rounds half up: 2403 s = 66.75 % → 66.8",
      events: [join("a", "10:00"), leave("a", "10:40:03")],
      expected: { attendedSeconds: 2403, percentage: 66.8 },
    },
    {
      name: "attended seconds are floored",
      events: [join("a", "10:00:00.300"), leave("a", "10:30")],
      expected: { attendedSeconds: 1799 },
    },
  ];
  test.each(cases)("$name", ({ events, expected, input }) => {
    expect(s1(events, input)).toMatchObject(expected);
  });
});

describe("presence intervals (rules section 4) and the window (section 5)", () => {
  const cases: Case[] = [
    {
      name: "a join in the preparation time counts from the start and is on time",
      events: [join("a", "09:50"), leave("a", "10:30")],
      expected: { attendedSeconds: 1800, isLate: false, firstJoinAt: at("09:50"), status: "partial" },
    },
    {
      name: "a join after the end counts nothing and is not late",
      events: [join("a", "11:05"), leave("a", "11:10")],
      expected: {
        attendedSeconds: 0,
        status: "absent",
        isLate: false,
        firstJoinAt: at("11:05"),
        lastLeaveAt: at("11:10"),
      },
    },
    {
      name: "joined and left in the preparation time, back at 10:40: arrival is 10:40, late",
      events: [join("a", "09:50"), leave("a", "09:55"), join("b", "10:40"), leave("b", "11:00")],
      expected: {
        attendedSeconds: 1200,
        isLate: true,
        lateMinutes: 40,
        arrivalAt: at("10:40"),
        status: "partial",
        connectionCount: 2,
        firstJoinAt: at("09:50"),
      },
    },
    {
      name: "many reconnects: only the gaps are lost",
      events: [
        join("a", "10:00"),
        leave("a", "10:10"),
        join("b", "10:11"),
        leave("b", "10:30"),
        join("c", "10:30:30"),
        leave("c", "10:45"),
        join("d", "10:46"),
        leave("d", "11:00"),
      ],
      expected: { attendedSeconds: 3600 - 60 - 30 - 60, connectionCount: 4, status: "present" },
    },
    {
      name: "a tab never closed ends at the window end",
      events: [join("a", "10:05")],
      expected: { attendedSeconds: 3300, lastLeaveAt: at("11:00"), status: "present" },
    },
    {
      name: "a tab never closed ends at the room's end, never after the window",
      events: [join("a", "10:05"), finished("11:03")],
      expected: { attendedSeconds: 3300, lastLeaveAt: at("11:00") },
    },
    {
      name: "two tabs overlapping are not counted twice",
      events: [join("a", "10:00"), join("b", "10:30"), leave("a", "10:40"), leave("b", "11:00")],
      expected: {
        attendedSeconds: 3600,
        percentage: 100,
        connectionCount: 2,
        intervals: [{ start: at("10:00"), end: at("11:00") }],
      },
    },
    {
      name: "a leave whose join was lost starts at the joinedAt it carries",
      events: [leave("a", "10:30", "s1", { participantJoinedAt: at("10:00") })],
      expected: { attendedSeconds: 1800, firstJoinAt: at("10:00") },
    },
    {
      name: "a leave with no join and no joinedAt is ignored",
      events: [leave("a", "10:30")],
      expected: { attendedSeconds: 0, status: "absent", firstJoinAt: null },
    },
    {
      name: "a second join for an open connection changes nothing",
      events: [join("a", "10:00"), join("a", "10:20"), leave("a", "10:40")],
      expected: { attendedSeconds: 2400, connectionCount: 1 },
    },
    {
      name: "a DUPLICATE_IDENTITY handover is continuous presence",
      events: [
        join("a", "10:00"),
        join("b", "10:20"),
        leave("a", "10:20:01", "s1", { participantJoinedAt: at("10:00") }),
        leave("b", "11:00"),
      ],
      expected: { attendedSeconds: 3600, status: "present", intervals: [{ start: at("10:00"), end: at("11:00") }] },
    },
    {
      name: "an aborted connection without a join adds nothing",
      events: [abort("a", "10:00:15", "s1", { participantJoinedAt: at("10:00") })],
      expected: { attendedSeconds: 0, firstJoinAt: null, status: "absent" },
    },
    {
      name: "an aborted connection with a join closes it like a leave",
      events: [join("a", "10:00"), abort("a", "10:30")],
      expected: { attendedSeconds: 1800 },
    },
    {
      name: "a leave before its join in the same second gives an empty interval",
      events: [join("a", "10:00:00.700"), leave("a", "10:00")],
      expected: { attendedSeconds: 0, intervals: [{ start: at("10:00:00.700"), end: at("10:00:00.700") }] },
    },
    {
      name: "a phone dial-in (SIP) counts",
      events: [join("a", "10:00", "s1", { kind: "SIP" }), leave("a", "11:00", "s1", { kind: "SIP" })],
      expected: { attendedSeconds: 3600, status: "present" },
    },
    {
      name: "the same identity as a recorder does not count",
      events: [join("a", "10:00", "s1", { isRecorder: true }), leave("a", "11:00", "s1", { isRecorder: true })],
      expected: { attendedSeconds: 0, status: "absent" },
    },
    {
      name: "the same identity as an agent does not count",
      events: [join("a", "10:00", "s1", { kind: "AGENT" }), leave("a", "11:00", "s1", { kind: "AGENT" })],
      expected: { attendedSeconds: 0 },
    },
    {
      name: "a kind LiveKit adds later does not count",
      events: [join("a", "10:00", "s1", { kind: "HOLOGRAM" }), leave("a", "11:00", "s1", { kind: "HOLOGRAM" })],
      expected: { attendedSeconds: 0 },
    },
    {
      name: "a room that finished early shortens the window",
      events: [join("a", "10:00"), finished("10:40")],
      expected: {
        attendedSeconds: 2400,
        percentage: 100,
        status: "present",
        explanation: "present: on time, attended 40 min of 40 min = 100 %; class ended early at 10:40",
      },
    },
    {
      name: "a room_finished exactly at the start does not shorten the window",
      events: [join("a", "10:00"), leave("a", "10:30"), finished("10:00")],
      expected: { percentage: 50 },
    },
    {
      name: "a room_finished exactly at the scheduled end is no early end",
      events: [join("a", "10:00"), leave("a", "10:30"), finished("11:00")],
      expected: { percentage: 50 },
    },
    {
      name: "a student rejoining the emptied room does not reopen the class: the window ends at the finish, the later time is not counted",
      events: [
        join("a", "10:00"),
        leave("a", "10:30"),
        finished("10:30:30"),
        started("10:35"),
        join("b", "10:35"),
        leave("b", "11:00"),
      ],
      expected: { attendedSeconds: 1800, percentage: 98.4, status: "present", lastLeaveAt: at("11:00") },
    },
    {
      name: "the teacher rejoining before the scheduled end resumes the class: the scheduled window stands",
      events: [
        join("a", "10:00"),
        leave("a", "10:30"),
        join("t", "10:00", "t1"),
        leave("t", "10:30", "t1"),
        finished("10:30:30"),
        join("tt", "10:35", "t1"),
        join("b", "10:35"),
        leave("b", "11:00"),
      ],
      input: { roster: [student, { identity: "t1", personId: "pt", role: "teacher" }] },
      expected: { attendedSeconds: 3300, percentage: 91.7, status: "present" },
    },
  ];
  test.each(cases)("$name", ({ events, expected, input }) => {
    expect(s1(events, input)).toMatchObject(expected);
  });

  test("the window reports its early end", () => {
    const result = run([join("a", "10:00"), finished("10:40"), finished("10:20")]);
    expect(result).toMatchObject({
      windowEnd: at("10:20"),
      sessionSeconds: 1200,
      endedEarly: true,
      roomFinishedAt: at("10:20"),
      roomFinishes: [{ at: at("10:20"), resumedAt: null }],
    });
  });
});

describe("who counts (rules section 3)", () => {
  const roster: RosterEntry[] = [
    { identity: "t1", personId: "pt", role: "teacher" },
    { identity: "s2", personId: "p2", role: "student" },
    student,
  ];
  const events = [
    join("t", "09:55", "t1"),
    join("a", "10:00", "s1"),
    join("g", "10:05", "visitor"),
    leave("g", "10:35", "visitor"),
    join("r", "10:00", "EG_recorder", { kind: "EGRESS", isRecorder: true }),
    join("i", "10:00", "stream-in", { kind: "INGRESS" }),
  ];

  test("every roster entry gets a result, the teacher first; guests apart; recorders nowhere", () => {
    const result = run(events, { roster });
    expect(result.people.map((person) => [person.identity, person.role, person.status])).toEqual([
      ["t1", "teacher", "present"],
      ["s1", "student", "present"],
      ["s2", "student", "absent"],
    ]);
    expect(result.guests.map((guest) => [guest.identity, guest.role, guest.personId, guest.attendedSeconds])).toEqual([
      ["visitor", "guest", null, 1800],
    ]);
  });

  test("the same person in two sessions at once gets full credit in each", () => {
    const both = [join("a", "10:00"), leave("a", "11:00")];
    const other = calculateAttendance({
      scheduledStart: at("10:00"),
      scheduledEnd: at("11:00"),
      policy: DEFAULT_POLICY,
      roster: [student],
      events: [join("x", "10:00"), leave("x", "11:00")],
    });
    expect(s1(both).status).toBe("present");
    expect(other.people[0]).toMatchObject({ status: "present", attendedSeconds: 3600 });
  });

  test("a window that is not positive is refused", () => {
    expect(() => run([], { scheduledEnd: at("10:00") })).toThrow(/after its start/);
  });
});

describe("explanations", () => {
  const cases: [string, AttendanceEvent[], string, Partial<AttendanceInput>?][] = [
    [
      "late",
      [join("a", "10:17"), leave("a", "11:00")],
      "late: arrived 10:17, 17 min after the start; grace 15 min; attended 43 min of 60 min = 71.7 %",
    ],
    [
      "absent with some time",
      [join("a", "10:00"), leave("a", "10:04")],
      "absent: attended 4 min of 60 min = 6.7 % (below 10 %)",
    ],
    [
      "partial",
      [join("a", "10:00"), leave("a", "10:25")],
      "partial: attended 25 min of 60 min = 41.7 % (50 % or less)",
    ],
    [
      "partial and late",
      [join("a", "10:40"), leave("a", "11:00")],
      "partial: attended 20 min of 60 min = 33.3 % (50 % or less); arrived 10:40, 40 min after the start",
    ],
    [
      "present on time",
      [join("a", "10:00"), leave("a", "10:58")],
      "present: on time, attended 58 min of 60 min = 96.7 %",
    ],
    [
      "seconds are written, never rounded away",
      [join("a", "10:00"), leave("a", "10:59:40")],
      "present: on time, attended 59 min 40 s of 60 min = 99.4 %",
    ],
    [
      "under 10 % but rounding to 10.0: more decimals, same side",
      [join("a", "10:00"), leave("a", "10:05:59")],
      "absent: attended 5 min 59 s of 60 min = 9.97 % (below 10 %)",
    ],
    [
      "exactly 50 %",
      [join("a", "10:00"), leave("a", "10:30")],
      "partial: attended 30 min of 60 min = 50 % (50 % or less)",
    ],
    [
      "one second over 50 %",
      [join("a", "10:00"), leave("a", "10:30:01")],
      "present: on time, attended 30 min 1 s of 60 min = 50.02 %",
    ],
    [
      "present although late, in the academy's time zone",
      [join("a", "10:16"), leave("a", "11:00")],
      "present although late (arrived 13:16, 16 min after the start): attended 44 min of 60 min = 73.3 % (more than 70 %)",
      { timeZone: "Asia/Riyadh", policy: { ...DEFAULT_POLICY, presentAbove: 0.7 } },
    ],
  ];
  test.each(cases)("%s", (_name, events, explanation, input) => {
    expect(s1(events, input).explanation).toBe(explanation);
  });
});

describe("policy", () => {
  test("a session type overrides the academy field by field", () => {
    expect(resolvePolicy(DEFAULT_POLICY, { graceMinutes: 5, absentBelow: null })).toEqual({
      ...DEFAULT_POLICY,
      graceMinutes: 5,
    });
    expect(resolvePolicy(DEFAULT_POLICY, null)).toEqual(DEFAULT_POLICY);
  });

  test("a stricter grace period makes the same join late", () => {
    const events = [join("a", "10:06"), leave("a", "10:50")];
    expect(s1(events).status).toBe("present");
    expect(s1(events, { policy: { ...DEFAULT_POLICY, graceMinutes: 5 } })).toMatchObject({
      status: "late",
      lateMinutes: 6,
    });
  });

  test("each report carries the policy it was calculated with", () => {
    const policy = { ...DEFAULT_POLICY, presentAbove: 0.9 };
    expect(s1([join("a", "10:00"), leave("a", "10:50")], { policy })).toMatchObject({ status: "present", policy });
  });

  test.each([
    [{ graceMinutes: -1 }, /grace/],
    [{ graceMinutes: 2.5 }, /grace/],
    [{ absentBelow: 1.5 }, /absentBelow/],
    [{ partialAtOrBelow: 0.05 }, /rise/],
    [{ presentAbove: Number.NaN }, /presentAbove/],
  ])("invalid policy %j is refused", (change, message) => {
    expect(() => validatePolicy({ ...DEFAULT_POLICY, ...change })).toThrow(message);
  });

  test("the defaults are valid", () => {
    expect(() => validatePolicy(DEFAULT_POLICY)).not.toThrow();
  });
});

describe("arrival order and duplicates (property)", () => {
  const minute = 60_000;
  const start = at("10:00");
  const connection = fc.record({
    who: fc.integer({ min: 0, max: 4 }),
    from: fc.integer({ min: -15, max: 70 }),
    length: fc.integer({ min: 0, max: 80 }),
    leave: fc.constantFrom("left", "lost", "leave-only", "aborted", "aborted-only"),
    kind: fc.constantFrom(undefined, undefined, undefined, "SIP", "EGRESS", "AGENT"),
    recorder: fc.integer({ min: 0, max: 5 }).map((value) => value === 0),
    seconds: fc.integer({ min: 0, max: 59 }),
  });
  const classArbitrary = fc.record({
    connections: fc.array(connection, { maxLength: 14 }),
    finishAt: fc.option(fc.integer({ min: 5, max: 75 })),
    reopenAt: fc.option(fc.integer({ min: 5, max: 75 })),
    rosterSize: fc.integer({ min: 1, max: 4 }),
  });

  type ClassSpec = typeof classArbitrary extends fc.Arbitrary<infer T> ? T : never;

  function eventsOf(spec: ClassSpec): AttendanceEvent[] {
    const events: AttendanceEvent[] = [];
    spec.connections.forEach((c, i) => {
      const identity = `s${c.who}`;
      const sid = `PA_${i}`;
      const joinedAt = start + c.from * minute + c.seconds * 1000 + 123;
      const leftAt = start + (c.from + c.length) * minute;
      const extra = { kind: c.kind ?? null, isRecorder: c.recorder };
      const j = { id: `J${i}`, type: "participant_joined", time: joinedAt, participantSid: sid, identity, ...extra };
      const l = {
        id: `L${i}`,
        type: "participant_left",
        time: leftAt,
        participantSid: sid,
        identity,
        participantJoinedAt: joinedAt,
        ...extra,
      };
      const a = {
        id: `A${i}`,
        type: "participant_connection_aborted",
        time: leftAt,
        participantSid: sid,
        identity,
        participantJoinedAt: joinedAt,
        ...extra,
      };
      if (c.leave === "left") events.push(j, l);
      else if (c.leave === "lost") events.push(j);
      else if (c.leave === "leave-only") events.push(l);
      else if (c.leave === "aborted") events.push(j, a);
      else events.push(a);
    });
    if (spec.finishAt !== null) events.push({ id: "F", type: "room_finished", time: start + spec.finishAt * minute });
    if (spec.reopenAt !== null) events.push({ id: "R", type: "room_started", time: start + spec.reopenAt * minute });
    return events;
  }

  test("shuffling the events and duplicating some never changes a result; invariants hold", () => {
    fc.assert(
      fc.property(classArbitrary, fc.array(fc.nat(), { maxLength: 10 }), fc.nat(), (spec, duplicates, seed) => {
        const roster = Array.from({ length: spec.rosterSize }, (_, i): RosterEntry => ({
          identity: `s${i}`,
          personId: `p${i}`,
          role: i === 0 ? "teacher" : "student",
        }));
        const events = eventsOf(spec);
        const input = {
          scheduledStart: start,
          scheduledEnd: start + 60 * minute,
          policy: DEFAULT_POLICY,
          roster,
          events,
        };
        const reference = calculateAttendance(input);

        const noisy = [
          ...events,
          ...duplicates.filter(() => events.length > 0).map((d) => ({ ...events[d % events.length]! })),
        ];
        let state = seed || 1;
        const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
        for (let i = noisy.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [noisy[i], noisy[j]] = [noisy[j]!, noisy[i]!];
        }
        expect(calculateAttendance({ ...input, events: noisy })).toEqual(reference);

        for (const person of [...reference.people, ...reference.guests]) {
          expect(person.attendedSeconds).toBeGreaterThanOrEqual(0);
          expect(person.attendedSeconds).toBeLessThanOrEqual(reference.sessionSeconds);
          expect(person.percentage).toBeLessThanOrEqual(100);
          const expectedStatus =
            person.ratio < 0.1
              ? "absent"
              : person.ratio <= 0.5
                ? "partial"
                : person.ratio > 0.75
                  ? "present"
                  : person.isLate
                    ? "late"
                    : "present";
          expect(person.status).toBe(expectedStatus);
          expect(person.lateMinutes > 0).toBe(person.isLate);
        }
        expect(reference.guests.every((guest) => !guest.identity.startsWith("EG_"))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
