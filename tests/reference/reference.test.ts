/**
 * Hand-worked examples of the reference oracle (tests/support/reference.ts), so that the oracle the
 * core is compared with is not trusted blindly. Every expected literal below was worked out by hand
 * from docs/ATTENDANCE_RULES.md and the decisions of lib/attendance/README.md (cited as Dn).
 */
import { describe, expect, test } from "vitest";
import type { AttendanceEvent, AttendanceInput, AttendancePolicy, RosterEntry } from "../../lib/attendance/types.ts";
import {
  REFERENCE_DEFAULT_POLICY,
  referenceAttendance,
  referenceCalculate,
  type ReferencePerson,
} from "../support/reference.ts";

const S = Date.UTC(2026, 2, 2, 9, 0, 0); // 09:00:00.000
const SEC = 1000;
const MIN = 60 * SEC;
const E = S + 60 * MIN; // a 60-minute class: 3,600 s

const ROSTER: RosterEntry[] = [
  { identity: "s2", personId: "p-s2", role: "student" },
  { identity: "t", personId: "p-t", role: "teacher" },
  { identity: "s1", personId: "p-s1", role: "student" },
];

let nextId = 0;
const id = () => `EV_${++nextId}`;
const join = (identity: string, sid: string, time: number, extra: Partial<AttendanceEvent> = {}): AttendanceEvent => ({
  id: id(),
  type: "participant_joined",
  time,
  participantSid: sid,
  identity,
  ...extra,
});
const left = (
  identity: string,
  sid: string,
  time: number,
  participantJoinedAt: number | null = null,
  extra: Partial<AttendanceEvent> = {},
): AttendanceEvent => ({
  id: id(),
  type: "participant_left",
  time,
  participantSid: sid,
  identity,
  participantJoinedAt,
  ...extra,
});
const aborted = (
  identity: string,
  sid: string,
  time: number,
  participantJoinedAt: number | null = null,
): AttendanceEvent => ({
  id: id(),
  type: "participant_connection_aborted",
  time,
  participantSid: sid,
  identity,
  participantJoinedAt,
});
const finished = (time: number): AttendanceEvent => ({ id: id(), type: "room_finished", time });
const started = (time: number): AttendanceEvent => ({ id: id(), type: "room_started", time });

function calc(events: AttendanceEvent[], over: Partial<AttendanceInput> = {}) {
  return referenceCalculate({
    scheduledStart: S,
    scheduledEnd: E,
    policy: REFERENCE_DEFAULT_POLICY,
    roster: ROSTER,
    events,
    ...over,
  });
}
function person(result: ReturnType<typeof calc>, identity: string): ReferencePerson {
  const found = [...result.people, ...result.guests].find((p) => p.identity === identity);
  if (!found) throw new Error(`no result for ${identity}`);
  return found;
}
const absentNever = (identity: string, role: ReferencePerson["role"] = "student"): ReferencePerson => ({
  identity,
  role,
  status: "absent",
  attendedSeconds: 0,
  percentage: 0,
  isLate: false,
  lateMinutes: 0,
  firstJoinAt: null,
  lastLeaveAt: null,
});

describe("reference oracle: hand-worked examples", () => {
  test("everyone on the roster gets a result, the teacher first, then by identity; never joined is absent with no times", () => {
    const result = calc([]);
    expect(result).toEqual({
      windowStart: S,
      windowEnd: E,
      sessionSeconds: 3600,
      people: [absentNever("t", "teacher"), absentNever("s1"), absentNever("s2")],
      guests: [],
    });
  });

  test("connected since the preparation time with no leave: arrives at the start, closes at the window end", () => {
    const result = calc([join("s1", "A", S - 10 * MIN)]);
    expect(person(result, "s1")).toEqual({
      identity: "s1",
      role: "student",
      status: "present",
      attendedSeconds: 3600,
      percentage: 100,
      isLate: false,
      lateMinutes: 0,
      firstJoinAt: S - 10 * MIN,
      lastLeaveAt: E,
    });
  });

  test("1,800 of 3,600 s is 50 % and partial; 1,801 s is 50.0 % and present", () => {
    const result = calc([
      join("s1", "A", S),
      left("s1", "A", S + 1800 * SEC),
      join("s2", "B", S),
      left("s2", "B", S + 1801 * SEC),
    ]);
    expect(person(result, "s1")).toMatchObject({
      status: "partial",
      attendedSeconds: 1800,
      percentage: 50,
      isLate: false,
    });
    expect(person(result, "s2")).toMatchObject({
      status: "present",
      attendedSeconds: 1801,
      percentage: 50,
      isLate: false,
    });
  });

  test("late and at most 75 %: late, with whole late minutes", () => {
    // Joins 09:20:30, stays to the end: 2,370 s = 65.83 % → 65.8, late 20 min.
    const result = calc([join("s1", "A", S + 20 * MIN + 30 * SEC), left("s1", "A", E)]);
    expect(person(result, "s1")).toEqual({
      identity: "s1",
      role: "student",
      status: "late",
      attendedSeconds: 2370,
      percentage: 65.8,
      isLate: true,
      lateMinutes: 20,
      firstJoinAt: S + 20 * MIN + 30 * SEC,
      lastLeaveAt: E,
    });
  });

  test("late but above 75 % is present, still flagged late", () => {
    const end = S + 120 * MIN; // 7,200 s
    const result = calc([join("s1", "A", S + 20 * MIN), left("s1", "A", end)], { scheduledEnd: end });
    // 6,000 / 7,200 = 83.33 %
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 6000,
      percentage: 83.3,
      isLate: true,
      lateMinutes: 20,
    });
  });

  test("grace boundary: at start + 15 min on time, one millisecond later late", () => {
    const result = calc([
      join("s1", "A", S + 15 * MIN),
      left("s1", "A", E),
      join("s2", "B", S + 15 * MIN + 1),
      left("s2", "B", E),
    ]);
    // s1: 2,700 s = 75 % exactly, not above 75 %, not late → present.
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 2700,
      percentage: 75,
      isLate: false,
      lateMinutes: 0,
    });
    // s2: 2,699.999 s → 2,699 s = 74.97 % → 75.0 shown, late by 15 min → late.
    expect(person(result, "s2")).toMatchObject({
      status: "late",
      attendedSeconds: 2699,
      percentage: 75,
      isLate: true,
      lateMinutes: 15,
    });
  });

  test("absent boundary: 359 s is shown as 10.0 % and absent; 360 s is partial (D7)", () => {
    const result = calc([
      join("s1", "A", S),
      left("s1", "A", S + 359 * SEC),
      join("s2", "B", S),
      left("s2", "B", S + 360 * SEC),
    ]);
    expect(person(result, "s1")).toMatchObject({ status: "absent", attendedSeconds: 359, percentage: 10 });
    expect(person(result, "s2")).toMatchObject({ status: "partial", attendedSeconds: 360, percentage: 10 });
  });

  test("percentage is rounded half-up: 441 s of 3,600 is 12.25 % → 12.3 (D7)", () => {
    const result = calc([join("s1", "A", S + 10 * MIN), left("s1", "A", S + 10 * MIN + 441 * SEC)]);
    expect(person(result, "s1")).toMatchObject({
      status: "partial",
      attendedSeconds: 441,
      percentage: 12.3,
      isLate: false,
    });
  });

  test("a DUPLICATE_IDENTITY handover (leave of the old sid, join of a new one at the same instant) is no absence", () => {
    const result = calc([
      join("s1", "A", S),
      left("s1", "A", S + 20 * MIN),
      join("s1", "B", S + 20 * MIN),
      left("s1", "B", E - 10 * MIN),
    ]);
    expect(person(result, "s1")).toEqual({
      identity: "s1",
      role: "student",
      status: "present",
      attendedSeconds: 3000,
      percentage: 83.3,
      isLate: false,
      lateMinutes: 0,
      firstJoinAt: S,
      lastLeaveAt: E - 10 * MIN,
    });
  });

  test("two devices at once are counted once (union)", () => {
    // [0, 40] ∪ [20, 50] minutes = 50 min = 3,000 s.
    const result = calc([
      join("s1", "A", S),
      join("s1", "B", S + 20 * MIN),
      left("s1", "A", S + 40 * MIN),
      left("s1", "B", S + 50 * MIN),
    ]);
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 3000,
      percentage: 83.3,
      firstJoinAt: S,
      lastLeaveAt: S + 50 * MIN,
    });
  });

  test("a lost join is recovered from the leave's joinedAt; a leave without it is ignored (D1)", () => {
    const result = calc([left("s1", "A", S + 30 * MIN, S + 10 * MIN), left("s2", "B", S + 30 * MIN)]);
    expect(person(result, "s1")).toEqual({
      identity: "s1",
      role: "student",
      status: "partial",
      attendedSeconds: 1200,
      percentage: 33.3,
      isLate: false,
      lateMinutes: 0,
      firstJoinAt: S + 10 * MIN,
      lastLeaveAt: S + 30 * MIN,
    });
    expect(person(result, "s2")).toEqual(absentNever("s2"));
  });

  test("an aborted connection without a join never opens, even with joinedAt; after a join it closes like a leave (D1)", () => {
    const result = calc([
      aborted("s1", "A", S + 30 * MIN, S + 1 * MIN),
      aborted("g", "G", S + 30 * MIN, S),
      join("s2", "B", S),
      aborted("s2", "B", S + 30 * MIN),
    ]);
    expect(person(result, "s1")).toEqual(absentNever("s1"));
    expect(person(result, "s2")).toMatchObject({
      status: "partial",
      attendedSeconds: 1800,
      percentage: 50,
      firstJoinAt: S,
      lastLeaveAt: S + 30 * MIN,
    });
    expect(result.guests).toEqual([]); // g never opened a connection
  });

  test("popped in during the preparation time and left before the start: no arrival, absent, actual times kept", () => {
    const result = calc([
      join("s1", "A", S - 30 * MIN),
      left("s1", "A", S - 5 * MIN),
      join("s2", "B", S - 30 * MIN),
      left("s2", "B", S),
    ]);
    expect(person(result, "s1")).toEqual({
      identity: "s1",
      role: "student",
      status: "absent",
      attendedSeconds: 0,
      percentage: 0,
      isLate: false,
      lateMinutes: 0,
      firstJoinAt: S - 30 * MIN,
      lastLeaveAt: S - 5 * MIN,
    });
    // Leaving exactly at windowStart: the interval does not end after windowStart, so no arrival either.
    expect(person(result, "s2")).toMatchObject({
      status: "absent",
      attendedSeconds: 0,
      isLate: false,
      firstJoinAt: S - 30 * MIN,
      lastLeaveAt: S,
    });
  });

  test("an early room_finished ends the window; an open connection closes there; a student's later join is not counted", () => {
    const rf = S + 40 * MIN;
    const result = calc([
      join("t", "T", S - 2 * MIN),
      join("s1", "A", S),
      finished(rf),
      join("s2", "B", S + 45 * MIN),
      left("s2", "B", S + 50 * MIN),
    ]);
    expect(result.windowEnd).toBe(rf);
    expect(result.sessionSeconds).toBe(2400);
    expect(person(result, "t")).toMatchObject({
      role: "teacher",
      status: "present",
      attendedSeconds: 2400,
      percentage: 100,
      lastLeaveAt: rf,
    });
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 2400,
      percentage: 100,
      firstJoinAt: S,
      lastLeaveAt: rf,
    });
    // s2 joined the emptied room: nothing inside the window, but the actual times are kept.
    expect(person(result, "s2")).toEqual({
      ...absentNever("s2"),
      firstJoinAt: S + 45 * MIN,
      lastLeaveAt: S + 50 * MIN,
    });
  });

  test("the teacher joining again after an early finish resumes the class; open connections still close at the first finish after their start", () => {
    const rf = S + 30 * MIN;
    const result = calc([
      join("t", "T1", S),
      finished(rf),
      join("t", "T2", S + 35 * MIN),
      join("s1", "A", S),
      join("s1", "B", S + 36 * MIN),
    ]);
    expect(result.windowEnd).toBe(E);
    // s1: A = [0, 30] (closed by the finish), B = [36, 60] (closed at the window end): 1,800 + 1,440 = 3,240 s = 90 %.
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 3240,
      percentage: 90,
      firstJoinAt: S,
      lastLeaveAt: E,
    });
    // t: [0, 30] + [35, 60] = 3,300 s = 91.7 %.
    expect(person(result, "t")).toMatchObject({
      status: "present",
      attendedSeconds: 3300,
      percentage: 91.7,
      isLate: false,
    });
  });

  test("after a resumption the next early finish is considered the same way", () => {
    const result = calc([
      join("t", "T1", S),
      finished(S + 20 * MIN),
      join("t", "T2", S + 25 * MIN),
      finished(S + 50 * MIN),
      join("s1", "A", S + 51 * MIN),
    ]);
    expect(result.windowEnd).toBe(S + 50 * MIN);
    expect(result.sessionSeconds).toBe(3000);
    // t: [0, 20] + [25, 50] = 2,700 of 3,000 s = 90 %.
    expect(person(result, "t")).toMatchObject({ status: "present", attendedSeconds: 2700, percentage: 90 });
    // s1 joined after the end: its open connection closes at its own start (empty).
    expect(person(result, "s1")).toEqual({
      ...absentNever("s1"),
      firstJoinAt: S + 51 * MIN,
      lastLeaveAt: S + 51 * MIN,
    });
  });

  test("a student, a guest, a room_started or a teacher who is a recorder never resume a class", () => {
    const rf = S + 30 * MIN;
    const result = calc([
      join("t", "T1", S),
      finished(rf),
      join("s1", "A", S + 31 * MIN),
      join("guest", "G", S + 31 * MIN),
      started(S + 32 * MIN),
      join("t", "T2", S + 33 * MIN, { isRecorder: true }),
    ]);
    expect(result.windowEnd).toBe(rf);
  });

  test("a teacher joining exactly at the finish does not resume (strictly after); one millisecond later does", () => {
    const rf = S + 30 * MIN;
    expect(calc([finished(rf), join("t", "T", rf)]).windowEnd).toBe(rf);
    expect(calc([finished(rf), join("t", "T", rf + 1)]).windowEnd).toBe(E);
    // A teacher who had not been there before but connects after the finish also resumes (D4).
    expect(calc([join("s1", "A", S), finished(rf), left("t", "T", S + 40 * MIN, rf + 5 * SEC)]).windowEnd).toBe(E);
  });

  test("room_finished exactly at the start or at the scheduled end does not move the window; one at the start still closes older open connections (D3)", () => {
    const result = calc([join("s1", "A", S - 10 * MIN), finished(S), join("s2", "B", S + 1 * MIN), finished(E)]);
    expect(result.windowEnd).toBe(E);
    expect(person(result, "s1")).toMatchObject({
      status: "absent",
      attendedSeconds: 0,
      firstJoinAt: S - 10 * MIN,
      lastLeaveAt: S,
    });
    // s2: [1, 60] minutes = 3,540 s = 98.3 %.
    expect(person(result, "s2")).toMatchObject({
      status: "present",
      attendedSeconds: 3540,
      percentage: 98.3,
      lastLeaveAt: E,
    });
  });

  test("a session without a teacher on its roster ends at its first early finish", () => {
    const roster: RosterEntry[] = [{ identity: "s1", personId: "p", role: "student" }];
    const result = calc(
      [join("s1", "A", S), finished(S + 20 * MIN), join("s1", "B", S + 21 * MIN), finished(S + 40 * MIN)],
      { roster },
    );
    expect(result.windowEnd).toBe(S + 20 * MIN);
    // A = [0, 20] closed by the first finish; B, opened after the window end, is empty at its start.
    expect(result.people).toEqual([
      {
        ...absentNever("s1"),
        status: "present",
        attendedSeconds: 1200,
        percentage: 100,
        firstJoinAt: S,
        lastLeaveAt: S + 21 * MIN,
      },
    ]);
  });

  test("the session's events: from 60 min before the start to 60 min after the window end, both included (D5)", () => {
    const result = calc([
      join("t", "T", S - 61 * MIN), // before the range: not the session's
      join("s1", "A", S),
      left("s1", "A", E + 60 * MIN + 1 * SEC), // after the range: A closes as an open connection, at the window end
      join("s2", "B", S),
      left("s2", "B", E + 60 * MIN), // exactly at the bound: the session's
    ]);
    expect(person(result, "t")).toEqual(absentNever("t", "teacher"));
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 3600,
      firstJoinAt: S,
      lastLeaveAt: E,
    });
    expect(person(result, "s2")).toMatchObject({
      status: "present",
      attendedSeconds: 3600,
      firstJoinAt: S,
      lastLeaveAt: E + 60 * MIN,
    });
  });

  test("after an early end the range ends 60 min after the window end, not the scheduled end (D5)", () => {
    const rf = S + 30 * MIN;
    const result = calc([
      join("s1", "A", S),
      finished(rf),
      left("s1", "A", rf + 60 * MIN + 1 * SEC),
      join("s2", "B", S),
      left("s2", "B", rf + 60 * MIN),
    ]);
    expect(result.windowEnd).toBe(rf);
    // s1's leave is outside the range: A is open and closes at the first finish after its start.
    expect(person(result, "s1")).toMatchObject({ attendedSeconds: 1800, percentage: 100, lastLeaveAt: rf });
    // s2's leave is inside: unclipped lastLeaveAt, clipped attended time.
    expect(person(result, "s2")).toMatchObject({ attendedSeconds: 1800, percentage: 100, lastLeaveAt: rf + 60 * MIN });
  });

  test("who counts: STANDARD, SIP and no kind count; recorders, agents, egress and any connection with one such event do not (D8)", () => {
    const result = calc([
      join("s1", "A", S, { kind: "SIP" }),
      join("s2", "B", S, { kind: "STANDARD" }),
      left("s2", "B", E, null, { kind: "EGRESS" }), // one event of B is not counted → all of B is not
      join("bot", "C", S, { kind: "AGENT" }),
      join("rec", "D", S, { isRecorder: true }),
      join("phone", "P", S + 20 * MIN, { kind: "SIP" }),
      join("Phone", "Q", S + 50 * MIN, { kind: "" }),
      join("t", "T", S, { kind: "standard" }), // kinds are compared exactly: not STANDARD
    ]);
    expect(person(result, "s1")).toMatchObject({ status: "present", attendedSeconds: 3600 });
    expect(person(result, "s2")).toEqual(absentNever("s2"));
    expect(person(result, "t")).toEqual(absentNever("t", "teacher"));
    // Guests by identity (code units: "P" < "p"); the agent and the recorder are neither students nor guests.
    expect(result.guests).toEqual([
      {
        identity: "Phone",
        role: "guest",
        status: "partial",
        attendedSeconds: 600,
        percentage: 16.7,
        isLate: true,
        lateMinutes: 50,
        firstJoinAt: S + 50 * MIN,
        lastLeaveAt: E,
      },
      {
        identity: "phone",
        role: "guest",
        status: "late",
        attendedSeconds: 2400,
        percentage: 66.7,
        isLate: true,
        lateMinutes: 20,
        firstJoinAt: S + 20 * MIN,
        lastLeaveAt: E,
      },
    ]);
  });

  test("duplicate ids change nothing; a second join of an open sid changes nothing; the earliest join starts a connection (D1, D10)", () => {
    const first = join("s1", "A", S + 10 * MIN);
    const result = calc([
      left("s1", "A", S + 40 * MIN),
      first,
      { ...first },
      join("s1", "A", S + 20 * MIN),
      join("s1", "A", S + 5 * MIN),
      { ...first },
    ]);
    // A = [5, 40] minutes = 2,100 s = 58.3 %.
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 2100,
      percentage: 58.3,
      isLate: false,
      firstJoinAt: S + 5 * MIN,
    });
  });

  test("a leave in the same second as a millisecond join gives an empty interval at the join (D2)", () => {
    const result = calc([join("s1", "A", S + 600 * SEC + 500), left("s1", "A", S + 600 * SEC)]);
    expect(person(result, "s1")).toEqual({ ...absentNever("s1"), firstJoinAt: S + 600_500, lastLeaveAt: S + 600_500 });
  });

  test("a guest who connected only after the window is a guest with an empty interval (D3, D9)", () => {
    const result = calc([join("visitor", "V", E + 10 * MIN)]);
    expect(result.guests).toEqual([
      { ...absentNever("visitor", "guest"), firstJoinAt: E + 10 * MIN, lastLeaveAt: E + 10 * MIN },
    ]);
  });

  test("a start with a millisecond offset: the window in ms, the ratio exact, the percentage half-up", () => {
    const start = S + 250;
    // The window is 3,599.75 s; s1 covers it all (3,599 whole s = 99.979 % → 100.0); s2 has 1,800 s = 50.003 % → 50.0, above half.
    const result = calc([join("s1", "A", S), join("s2", "B", start), left("s2", "B", start + 1800 * SEC)], {
      scheduledStart: start,
    });
    expect(result).toMatchObject({ windowStart: start, windowEnd: E, sessionSeconds: 3599.75 });
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 3599,
      percentage: 100,
      isLate: false,
    });
    expect(person(result, "s2")).toMatchObject({ status: "present", attendedSeconds: 1800, percentage: 50 });
  });

  test("a custom policy: no grace (1 ms late is late, 0 late minutes), thresholds read as decimals", () => {
    const policy: AttendancePolicy = { graceMinutes: 0, absentBelow: 0.2, partialAtOrBelow: 0.6, presentAbove: 0.9 };
    const result = calc(
      [
        join("s1", "A", S + 1),
        join("s2", "B", S + 6 * MIN),
        left("s2", "B", E),
        join("t", "T", S),
        left("t", "T", S + 720 * SEC),
      ],
      { policy },
    );
    // s1: 3,599 s = 99.97 % → above 0.9 → present, though late by 0 whole minutes.
    expect(person(result, "s1")).toMatchObject({
      status: "present",
      attendedSeconds: 3599,
      percentage: 100,
      isLate: true,
      lateMinutes: 0,
    });
    // s2: 3,240 s = exactly 0.9, not above it, late → late.
    expect(person(result, "s2")).toMatchObject({
      status: "late",
      attendedSeconds: 3240,
      percentage: 90,
      isLate: true,
      lateMinutes: 6,
    });
    // t: 720 s = exactly 0.2: not below it → partial.
    expect(person(result, "t")).toMatchObject({
      status: "partial",
      attendedSeconds: 720,
      percentage: 20,
      isLate: false,
    });
  });

  test("a zero absent threshold: 0 s with an interval inside the window is partial, none at all is absent", () => {
    const policy: AttendancePolicy = { graceMinutes: 15, absentBelow: 0, partialAtOrBelow: 0.5, presentAbove: 0.75 };
    const result = calc([join("s1", "A", S + 10 * MIN), left("s1", "A", S + 10 * MIN + 800)], { policy });
    expect(person(result, "s1")).toMatchObject({ status: "partial", attendedSeconds: 0, percentage: 0, isLate: false });
    expect(person(result, "s2")).toEqual(absentNever("s2"));
  });

  test("webhook bodies in (protobuf JSON, int64 as strings) give the same as the normalized events", () => {
    const body = (event: string, idText: string, createdAt: number, participant?: Record<string, unknown>) =>
      JSON.stringify({
        event,
        id: idText,
        createdAt: String(createdAt / 1000),
        room: { name: "room-1" },
        ...(participant ? { participant } : {}),
      });
    const bodies = [
      body("participant_joined", "W1", S + 20 * MIN + 1000, {
        sid: "PA_1",
        identity: "s1",
        joinedAt: String((S + 20 * MIN) / 1000),
        joinedAtMs: String(S + 20 * MIN + 400),
      }),
      body("participant_left", "W2", S + 50 * MIN, {
        sid: "PA_1",
        identity: "s1",
        joinedAt: String((S + 20 * MIN) / 1000),
        joinedAtMs: String(S + 20 * MIN + 400),
      }),
      body("participant_left", "W3", S + 45 * MIN, {
        sid: "PA_2",
        identity: "s2",
        joinedAt: String((S + 5 * MIN) / 1000),
      }),
      body("participant_joined", "W4", S, { sid: "PA_3", identity: "rec", permission: { recorder: true } }),
      body("room_finished", "W5", S + 55 * MIN),
    ];
    const result = referenceAttendance(bodies, { start: S, end: E, roster: ROSTER });
    expect(result.windowEnd).toBe(S + 55 * MIN);
    // s1: joinedAtMs 09:20:00.400 to 09:50:00 → 1,799.6 s → 1,799 s of 3,300 = 54.52 % → 54.5, late 20.
    expect(person(result, "s1")).toMatchObject({
      status: "late",
      attendedSeconds: 1799,
      percentage: 54.5,
      isLate: true,
      lateMinutes: 20,
      firstJoinAt: S + 20 * MIN + 400,
    });
    // s2: lost join recovered from joinedAt (seconds): 09:05 to 09:45 = 2,400 of 3,300 s = 72.7 %.
    expect(person(result, "s2")).toMatchObject({
      status: "present",
      attendedSeconds: 2400,
      percentage: 72.7,
      isLate: false,
    });
    expect(result.guests).toEqual([]);
  });
});
