/**
 * Differential test: the pure core (lib/attendance) against the independent reference oracle
 * (tests/support/reference.ts) on thousands of random classes whose events are snapped to the
 * boundaries where the rules are easiest to get wrong.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { calculateAttendance } from "../../lib/attendance/index.ts";
import type { AttendanceEvent, AttendanceInput, AttendancePolicy, RosterEntry } from "../../lib/attendance/types.ts";
import {
  REFERENCE_DEFAULT_POLICY,
  referenceCalculate,
  type ReferencePerson,
  type ReferenceResult,
} from "../support/reference.ts";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const BASE = Date.UTC(2026, 2, 2, 9, 0, 0);

/** Identities a connection can belong to; students beyond the roster's size are guests. */
const IDENTITIES = ["t", "s1", "s2", "s3", "s4", "s5", "s6", "g1", "g2", "rec", "agent", "phone", "egress"] as const;
const DEFAULT_KIND: Record<string, { kind?: string | null; isRecorder?: boolean }> = {
  rec: { isRecorder: true },
  agent: { kind: "AGENT" },
  phone: { kind: "SIP" },
  egress: { kind: "EGRESS" },
};

/** An instant: a boundary of the class (optionally nudged) or a random time around it. */
type TimeSpec = { key: number; nudge: number } | { random: number };
const NUDGES = [0, 0, 0, 0, 1, -1, SEC, -SEC, 500, -500];
const timeSpec: fc.Arbitrary<TimeSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ key: fc.nat(40), nudge: fc.constantFrom(...NUDGES) }) },
  { weight: 2, arbitrary: fc.record({ random: fc.nat(1_000_000_000) }) },
);

type Mode =
  | "normal" // join, leave
  | "normalNoJoinedAt" // join, leave that does not carry joinedAt
  | "lostJoin" // leave with joinedAt only
  | "lostJoinBare" // leave without joinedAt only: ignored
  | "abortedAfterJoin"
  | "abortedNoJoin" // never opens, even with joinedAt
  | "open" // join, no leave
  | "dupJoin" // two joins (distinct ids) for one sid
  | "handover" // DUPLICATE_IDENTITY: leave of the old sid, join of a new one at about the same instant
  | "handoverOpen"
  | "leaveFarAway"; // leave long after the class: not the session's, closes as open

interface ConnPlan {
  who: number;
  mode: Mode;
  join: TimeSpec;
  end: { at: TimeSpec } | { lengthMs: number };
  secondJoin: TimeSpec;
  handoverFraction: number;
  handoverGapMs: number;
  joinInWholeSeconds: boolean;
  leaveRoundsUp: boolean;
  kind: "default" | "AGENT" | "EGRESS" | "recorder" | "SIP" | "STANDARD" | "empty" | "oneEventAgent";
}

const connPlan: fc.Arbitrary<ConnPlan> = fc.record({
  who: fc.nat(IDENTITIES.length * 2), // weighted towards the teacher and the first students below
  mode: fc.constantFrom<Mode>(
    "normal",
    "normal",
    "normal",
    "normalNoJoinedAt",
    "lostJoin",
    "lostJoinBare",
    "abortedAfterJoin",
    "abortedNoJoin",
    "open",
    "open",
    "dupJoin",
    "handover",
    "handoverOpen",
    "leaveFarAway",
  ),
  join: timeSpec,
  end: fc.oneof(
    fc.record({ at: timeSpec }),
    fc.record({ lengthMs: fc.oneof(fc.integer({ min: 0, max: 2 * SEC }), fc.integer({ min: 0, max: 150 * MIN })) }),
  ),
  secondJoin: timeSpec,
  handoverFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  handoverGapMs: fc.constantFrom(0, 0, 0, 1, 250, 999, -1),
  joinInWholeSeconds: fc.boolean(),
  leaveRoundsUp: fc.boolean(),
  kind: fc.constantFrom(
    "default",
    "default",
    "default",
    "default",
    "default",
    "default",
    "default",
    "default",
    "AGENT",
    "EGRESS",
    "recorder",
    "SIP",
    "STANDARD",
    "empty",
    "oneEventAgent",
  ),
});

interface RoomPlan {
  type: "room_finished" | "room_started" | "track_published";
  at: TimeSpec;
}
const roomPlan: fc.Arbitrary<RoomPlan> = fc.record({
  type: fc.constantFrom("room_finished", "room_finished", "room_finished", "room_started", "track_published"),
  at: timeSpec,
});

/** After an early finish: the teacher (or a student) coming back. */
interface RejoinPlan {
  who: number;
  afterFinish: number;
  delayMs: number;
  lengthMs: number | null;
}
const rejoinPlan: fc.Arbitrary<RejoinPlan> = fc.record({
  who: fc.constantFrom(0, 0, 0, 1, 2, 7),
  afterFinish: fc.nat(3),
  delayMs: fc.oneof(fc.constantFrom(0, 1, SEC, -SEC), fc.integer({ min: 0, max: 40 * MIN })),
  lengthMs: fc.option(fc.integer({ min: 0, max: 60 * MIN }), { nil: null }),
});

const policyArb: fc.Arbitrary<AttendancePolicy> = fc.oneof(
  fc.constant(REFERENCE_DEFAULT_POLICY),
  fc
    .record({
      graceMinutes: fc.integer({ min: 0, max: 30 }),
      scale: fc.constantFrom(100, 100, 1000, 20),
      thresholds: fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000)),
    })
    .map(({ graceMinutes, scale, thresholds }) => {
      const [a, b, c] = thresholds.map((value) => value % (scale + 1)).sort((x, y) => x - y) as [
        number,
        number,
        number,
      ];
      return { graceMinutes, absentBelow: a / scale, partialAtOrBelow: b / scale, presentAbove: c / scale };
    }),
);

interface ClassPlan {
  startSecond: number;
  startMs: number;
  endMs: number;
  lengthMinutes: number;
  lengthExtraSeconds: number;
  students: number;
  policy: AttendancePolicy;
  room: RoomPlan[];
  connections: ConnPlan[];
  rejoins: RejoinPlan[];
  duplicates: number[];
  shuffleSeed: number;
}

const classPlan: fc.Arbitrary<ClassPlan> = fc.record({
  startSecond: fc.nat(30 * 24 * 3600),
  startMs: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }) },
  ),
  endMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }) }),
  lengthMinutes: fc.integer({ min: 30, max: 120 }),
  lengthExtraSeconds: fc.oneof(
    { weight: 3, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 59 }) },
  ),
  students: fc.integer({ min: 1, max: 6 }),
  policy: policyArb,
  room: fc.array(roomPlan, { maxLength: 4 }),
  connections: fc.array(connPlan, { maxLength: 18 }),
  rejoins: fc.array(rejoinPlan, { maxLength: 3 }),
  duplicates: fc.array(fc.nat(), { maxLength: 4 }),
  shuffleSeed: fc.nat(),
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const floorSecond = (t: number) => Math.floor(t / SEC) * SEC;
const ceilSecond = (t: number) => Math.ceil(t / SEC) * SEC;

/** Turns a plan into a session's input: schedule, policy, roster and the room's events. */
function buildInput(plan: ClassPlan): AttendanceInput {
  const start = BASE + plan.startSecond * SEC + plan.startMs;
  const end = BASE + plan.startSecond * SEC + plan.lengthMinutes * MIN + plan.lengthExtraSeconds * SEC + plan.endMs;
  const length = end - start;
  const policy = plan.policy;
  const grace = start + policy.graceMinutes * MIN;

  const scheduleKeys = [
    start,
    grace,
    grace + 1,
    grace + SEC,
    end,
    start - HOUR,
    end + HOUR,
    start + Math.round(policy.absentBelow * length),
    start + Math.round(policy.partialAtOrBelow * length),
    start + Math.round(policy.presentAbove * length),
    end - Math.round(policy.absentBelow * length),
    end - Math.round(policy.partialAtOrBelow * length),
    end - Math.round(policy.presentAbove * length),
    start + Math.floor(length / 2),
    start - 5 * MIN,
    end + 5 * MIN,
  ];
  const resolve = (spec: TimeSpec, keys: number[]): number => {
    if ("random" in spec) return start - 90 * MIN + (spec.random % (length + 180 * MIN));
    return (keys[spec.key % keys.length] as number) + spec.nudge;
  };

  const events: AttendanceEvent[] = [];
  let nextEvent = 0;
  const push = (event: Omit<AttendanceEvent, "id">) => events.push({ id: `EV_${++nextEvent}`, ...event });

  // Room events, in whole seconds (createdAt).
  const finishes: number[] = [];
  for (const room of plan.room) {
    const time = floorSecond(resolve(room.at, scheduleKeys));
    if (room.type === "room_finished") finishes.push(time);
    push({ type: room.type, time });
  }
  finishes.sort((a, b) => a - b);
  const keys = [...scheduleKeys, ...finishes, ...finishes.map((f) => f + HOUR), ...finishes.map((f) => f + HOUR + SEC)];

  const rosterSize = 1 + plan.students;
  const identityOf = (who: number) => {
    // Half of the draws go to the teacher and the first students, which keeps rosters busy.
    const index = who < IDENTITIES.length ? who % Math.min(IDENTITIES.length, rosterSize + 1) : who - IDENTITIES.length;
    return IDENTITIES[index % IDENTITIES.length] as string;
  };

  let nextSid = 0;
  const sid = () => `PA_${++nextSid}`;
  const kindFields = (
    identity: string,
    plan: ConnPlan,
    first: boolean,
  ): { kind: string | null; isRecorder: boolean } => {
    const base = {
      kind: DEFAULT_KIND[identity]?.kind ?? null,
      isRecorder: DEFAULT_KIND[identity]?.isRecorder ?? false,
    };
    switch (plan.kind) {
      case "default":
        return base;
      case "recorder":
        return { ...base, isRecorder: true };
      case "empty":
        return { ...base, kind: "" };
      case "oneEventAgent":
        return first ? { ...base, kind: "AGENT" } : base;
      default:
        return { ...base, kind: plan.kind };
    }
  };

  const addConnection = (
    identity: string,
    c: ConnPlan,
    joinAt: number,
    leaveAt: number | null,
    options: { carriesJoinedAt: boolean; join: boolean; closeType?: string },
  ) => {
    const id = sid();
    let first = true;
    const fields = () => {
      const f = kindFields(identity, c, first);
      first = false;
      return f;
    };
    if (options.join)
      push({
        type: "participant_joined",
        time: joinAt,
        participantSid: id,
        identity,
        participantJoinedAt: joinAt,
        ...fields(),
      });
    if (leaveAt !== null) {
      push({
        type: options.closeType ?? "participant_left",
        time: leaveAt,
        participantSid: id,
        identity,
        participantJoinedAt: options.carriesJoinedAt ? joinAt : null,
        ...fields(),
      });
    }
    return id;
  };

  for (const c of plan.connections) {
    const identity = identityOf(c.who);
    let joinAt = resolve(c.join, keys);
    if (c.joinInWholeSeconds) joinAt = floorSecond(joinAt);
    const rawEnd = "at" in c.end ? resolve(c.end.at, keys) : joinAt + c.end.lengthMs;
    const leaveAt = c.leaveRoundsUp ? ceilSecond(rawEnd) : floorSecond(rawEnd);
    switch (c.mode) {
      case "normal":
        addConnection(identity, c, joinAt, leaveAt, { carriesJoinedAt: true, join: true });
        break;
      case "normalNoJoinedAt":
        addConnection(identity, c, joinAt, leaveAt, { carriesJoinedAt: false, join: true });
        break;
      case "lostJoin":
        addConnection(identity, c, joinAt, leaveAt, { carriesJoinedAt: true, join: false });
        break;
      case "lostJoinBare":
        addConnection(identity, c, joinAt, leaveAt, { carriesJoinedAt: false, join: false });
        break;
      case "abortedAfterJoin":
        addConnection(identity, c, joinAt, leaveAt, {
          carriesJoinedAt: true,
          join: true,
          closeType: "participant_connection_aborted",
        });
        break;
      case "abortedNoJoin":
        addConnection(identity, c, joinAt, leaveAt, {
          carriesJoinedAt: true,
          join: false,
          closeType: "participant_connection_aborted",
        });
        break;
      case "open":
        addConnection(identity, c, joinAt, null, { carriesJoinedAt: true, join: true });
        break;
      case "dupJoin": {
        const id = addConnection(identity, c, joinAt, leaveAt, { carriesJoinedAt: true, join: true });
        const again = resolve(c.secondJoin, keys);
        push({
          type: "participant_joined",
          time: again,
          participantSid: id,
          identity,
          participantJoinedAt: again,
          ...kindFields(identity, c, false),
        });
        break;
      }
      case "handover":
      case "handoverOpen": {
        const middle = floorSecond(joinAt + Math.max(0, leaveAt - joinAt) * c.handoverFraction);
        addConnection(identity, c, joinAt, middle, { carriesJoinedAt: true, join: true });
        const next = middle + c.handoverGapMs;
        addConnection(identity, c, next, c.mode === "handover" ? Math.max(leaveAt, ceilSecond(next)) : null, {
          carriesJoinedAt: true,
          join: true,
        });
        break;
      }
      case "leaveFarAway":
        addConnection(
          identity,
          c,
          joinAt,
          ceilSecond(Math.max(end, ...finishes) + HOUR + 1) + Math.abs(c.handoverGapMs) * SEC,
          { carriesJoinedAt: true, join: true },
        );
        break;
    }
  }

  // Coming back after an early finish: the teacher (resuming the class) or a student (not resuming it).
  for (const r of plan.rejoins) {
    if (finishes.length === 0) break;
    const finish = finishes[r.afterFinish % finishes.length] as number;
    const identity = IDENTITIES[r.who] as string;
    const joinAt = finish + r.delayMs;
    const id = sid();
    push({ type: "participant_joined", time: joinAt, participantSid: id, identity, participantJoinedAt: joinAt });
    if (r.lengthMs !== null)
      push({
        type: "participant_left",
        time: ceilSecond(joinAt + r.lengthMs),
        participantSid: id,
        identity,
        participantJoinedAt: joinAt,
      });
  }

  const random = mulberry32(plan.shuffleSeed);
  // Exact copies of some webhooks (same id), as a retrying sender delivers them.
  for (const pick of plan.duplicates) {
    if (events.length === 0) break;
    events.push({ ...(events[pick % events.length] as AttendanceEvent) });
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j] as AttendanceEvent, events[i] as AttendanceEvent];
  }

  const roster: RosterEntry[] = [{ identity: "t", personId: "p-t", role: "teacher" }];
  for (let i = 1; i <= plan.students; i++) roster.push({ identity: `s${i}`, personId: `p-s${i}`, role: "student" });
  // The roster in no particular order: the result orders it.
  roster.sort(() => (random() < 0.5 ? -1 : 1));
  return { scheduledStart: start, scheduledEnd: end, policy, roster, events, timeZone: "UTC" };
}

function project(result: ReferenceResult | ReturnType<typeof calculateAttendance>) {
  const person = (p: ReferencePerson) => ({
    identity: p.identity,
    role: p.role,
    status: p.status,
    attendedSeconds: p.attendedSeconds,
    percentage: p.percentage,
    isLate: p.isLate,
    lateMinutes: p.lateMinutes,
    firstJoinAt: p.firstJoinAt,
    lastLeaveAt: p.lastLeaveAt,
  });
  return {
    windowStart: result.windowStart,
    windowEnd: result.windowEnd,
    sessionSeconds: result.sessionSeconds,
    people: result.people.map(person),
    guests: result.guests.map(person),
  };
}

describe("core vs reference oracle", () => {
  test("the builder hits the boundaries it is meant to", () => {
    // A sanity check of the generator itself, so the differential test below is not vacuous.
    const seen = {
      earlyFinish: 0,
      resumed: 0,
      guests: 0,
      late: 0,
      statuses: new Set<string>(),
      duplicates: 0,
      outside: 0,
    };
    fc.assert(
      fc.property(classPlan, (plan) => {
        const input = buildInput(plan);
        const result = referenceCalculate(input);
        if (result.windowEnd < input.scheduledEnd) seen.earlyFinish++;
        const early = input.events.some(
          (e) => e.type === "room_finished" && e.time > input.scheduledStart && e.time < input.scheduledEnd,
        );
        if (early && result.windowEnd === input.scheduledEnd) seen.resumed++;
        if (result.guests.length > 0) seen.guests++;
        for (const p of result.people) {
          seen.statuses.add(p.status);
          if (p.isLate) seen.late++;
        }
        if (new Set(input.events.map((e) => e.id)).size < input.events.length) seen.duplicates++;
        if (input.events.some((e) => e.time < input.scheduledStart - HOUR || e.time > input.scheduledEnd + HOUR))
          seen.outside++;
      }),
      { numRuns: 1000, seed: 1 },
    );
    expect(seen.statuses).toEqual(new Set(["present", "late", "partial", "absent"]));
    for (const [what, count] of Object.entries(seen))
      if (typeof count === "number") expect(count, what).toBeGreaterThan(20);
  });

  test("calculateAttendance agrees with the reference on every field, for 5,000 random classes", () => {
    fc.assert(
      fc.property(classPlan, (plan) => {
        const input = buildInput(plan);
        const expected = project(referenceCalculate(input));
        const actual = project(calculateAttendance(input));
        expect(actual, `input: ${JSON.stringify(input)}`).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  }, 300_000);
});
