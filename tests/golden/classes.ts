// The golden set: classes whose attendance was worked out BY HAND from docs/ATTENDANCE_RULES.md and
// the decisions D1–D13 of lib/attendance/README.md, written down as literals. Nothing here is
// computed by the app's code; tests/golden.integration.test.ts delivers each class through the real
// HTTP routes and compares the report with these values, field by field.
//
// Conventions:
// - Every time is a UTC clock time on GOLDEN_DATE: "HH:MM", "HH:MM:SS" or "HH:MM:SS.mmm".
// - Identities are short ("t", "s1", "g1"); the test prefixes them per run and class. The roster is
//   the keys of `people`: the one with role "teacher" is the session's teacher, the rest students.
// - join(sid, identity, at) is a participant_joined whose joinedAtMs (and createdAt, floored to the
//   second) is `at`. leave(sid, identity, at) is a participant_left with createdAt `at`; unless told
//   otherwise its participant carries the joinedAt of the join of the same sid in the stream (as
//   LiveKit writes it), or no joinedAt at all when the stream has no join for that sid
//   (`joinedAt: null` forces none). A leave copies the kind and recorder grant of its join.
// - Webhooks are delivered in time order unless `delivery` says otherwise.
// - The default policy is grace 15 min, absent below 0.10, partial at or below 0.50, present above 0.75.
// - Each class carries a comment with the hand calculation. "T" is the teacher. A percentage is
//   attendedSeconds / sessionSeconds × 100 rounded half-up to one decimal.
import type { DisconnectReason } from "../../lib/simulation/webhook-payloads.ts";

export const GOLDEN_DATE = "2026-11-02";

export type Clock = string;
export type Status = "present" | "late" | "partial" | "absent";
export type Role = "teacher" | "student";

export type GoldenEvent =
  | { type: "join"; sid: string; identity: string; at: Clock; kind?: string; recorder?: boolean }
  | { type: "leave"; sid: string; identity: string; at: Clock; joinedAt?: Clock | null; reason: DisconnectReason }
  | { type: "aborted"; sid: string; identity: string; at: Clock; joinedAt?: Clock | null }
  | { type: "roomStarted"; at: Clock }
  | { type: "roomFinished"; at: Clock };

export interface ExpectedPerson {
  role: Role;
  status: Status;
  attendedSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
  firstJoinAt: Clock | null;
  lastLeaveAt: Clock | null;
}

export interface ExpectedGuest {
  identity: string;
  attendedSeconds: number;
  status: Status;
}

export interface GoldenPolicy {
  graceMinutes: number;
  absentBelow: number;
  partialAtOrBelow: number;
  presentAbove: number;
}

export interface GoldenSession {
  /** Names the session inside a group ("A", "B"); "class" for a single one. */
  label: string;
  start: Clock;
  end: Clock;
  sessionSeconds: number;
  people: Record<string, ExpectedPerson>;
  guests: ExpectedGuest[];
}

export interface GoldenCase {
  name: string;
  /** One webhook stream for the room; a group's sessions share it (back-to-back classes). */
  events: GoldenEvent[];
  sessions: GoldenSession[];
  /** The academy's policy, when not the default (set with PUT /api/v1/policy). */
  policy?: GoldenPolicy;
  /** The session is created through the API only after every webhook was posted. */
  createSessionAfterWebhooks?: boolean;
  /** The session is created with another room name and PATCHed to the webhooks' room afterwards. */
  renameRoomAfter?: boolean;
  /** Order of delivery (default: time order) and duplicate deliveries (same webhook id). */
  delivery?: { order?: "time" | "reverse" | "shuffle"; duplicate?: "all" | "roomFinished" };
}

export const DEFAULT_POLICY: GoldenPolicy = {
  graceMinutes: 15,
  absentBelow: 0.1,
  partialAtOrBelow: 0.5,
  presentAbove: 0.75,
};
const STRICT_POLICY: GoldenPolicy = { graceMinutes: 5, absentBelow: 0.2, partialAtOrBelow: 0.6, presentAbove: 0.8 };

// ---- the stream ----------------------------------------------------------------------------

export const join = (
  sid: string,
  identity: string,
  at: Clock,
  options: { kind?: string; recorder?: boolean } = {},
): GoldenEvent => ({
  type: "join",
  sid,
  identity,
  at,
  ...options,
});
export const leave = (
  sid: string,
  identity: string,
  at: Clock,
  options: { joinedAt?: Clock | null; reason?: DisconnectReason } = {},
): GoldenEvent => ({
  type: "leave",
  sid,
  identity,
  at,
  joinedAt: options.joinedAt,
  reason: options.reason ?? "CLIENT_INITIATED",
});
export const aborted = (
  sid: string,
  identity: string,
  at: Clock,
  options: { joinedAt?: Clock | null } = {},
): GoldenEvent => ({
  type: "aborted",
  sid,
  identity,
  at,
  joinedAt: options.joinedAt,
});
export const roomStarted = (at: Clock): GoldenEvent => ({ type: "roomStarted", at });
export const roomFinished = (at: Clock): GoldenEvent => ({ type: "roomFinished", at });
/** A join and its leave. */
const stay = (
  sid: string,
  identity: string,
  from: Clock,
  to: Clock,
  options: { kind?: string; recorder?: boolean; reason?: DisconnectReason } = {},
): GoldenEvent[] => [
  join(sid, identity, from, { kind: options.kind, recorder: options.recorder }),
  leave(sid, identity, to, { reason: options.reason }),
];

// ---- the expectations ----------------------------------------------------------------------

const person =
  (role: Role) =>
  (
    status: Status,
    attendedSeconds: number,
    percentage: number,
    isLate: boolean,
    lateMinutes: number,
    firstJoinAt: Clock | null,
    lastLeaveAt: Clock | null,
  ): ExpectedPerson => ({
    role,
    status,
    attendedSeconds,
    percentage,
    isLate,
    lateMinutes,
    firstJoinAt,
    lastLeaveAt,
  });
/** teacher(status, attendedSeconds, percentage, isLate, lateMinutes, firstJoinAt, lastLeaveAt) */
const teacher = person("teacher");
/** student(status, attendedSeconds, percentage, isLate, lateMinutes, firstJoinAt, lastLeaveAt) */
const student = person("student");
/** On the roster, never present on a counted connection: absent with no times. */
const neverJoined = (role: Role): ExpectedPerson => ({
  role,
  status: "absent",
  attendedSeconds: 0,
  percentage: 0,
  isLate: false,
  lateMinutes: 0,
  firstJoinAt: null,
  lastLeaveAt: null,
});
const guest = (identity: string, attendedSeconds: number, status: Status): ExpectedGuest => ({
  identity,
  attendedSeconds,
  status,
});

/** A case with one session. */
function single(
  name: string,
  spec: {
    start?: Clock;
    end?: Clock;
    sessionSeconds: number;
    events: GoldenEvent[];
    people: Record<string, ExpectedPerson>;
    guests?: ExpectedGuest[];
  } & Omit<GoldenCase, "name" | "events" | "sessions">,
): GoldenCase {
  const { start = "10:00", end = "11:00", sessionSeconds, events, people, guests = [], ...rest } = spec;
  return { name, events, sessions: [{ label: "class", start, end, sessionSeconds, people, guests }], ...rest };
}

// The teacher of most classes: 09:55–11:05 covers the whole 10:00–11:00 window = 3600 s, 100 %, on time.
const T_WHOLE = stay("T1", "t", "09:55", "11:05");
const t_whole = teacher("present", 3600, 100, false, 0, "09:55", "11:05");

export const goldenCases: GoldenCase[] = [
  // s1 10:00–11:00 = 3600 of 3600 = 100 % → present; s2 never joined → absent, no times.
  single("01 baseline: on time for the whole class, and a student who never joined", {
    sessionSeconds: 3600,
    events: [...T_WHOLE, ...stay("A1", "s1", "10:00", "11:00")],
    people: {
      t: t_whole,
      s1: student("present", 3600, 100, false, 0, "10:00", "11:00"),
      s2: neverJoined("student"),
    },
  }),

  // 359 s = 0.0997 < 0.10 → absent (9.97 → shown 10.0); 360 s = 0.10 exactly → partial 10.0; 361 s → partial 10.0 (10.03).
  single("02 absent/partial boundary: 359, 360 and 361 s of 3600 (ratio 0.10 exactly, one second either side)", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00:00", "10:05:59"),
      ...stay("B1", "s2", "10:00:00", "10:06:00"),
      ...stay("C1", "s3", "10:00:00", "10:06:01"),
    ],
    people: {
      t: t_whole,
      s1: student("absent", 359, 10.0, false, 0, "10:00:00", "10:05:59"),
      s2: student("partial", 360, 10.0, false, 0, "10:00:00", "10:06:00"),
      s3: student("partial", 361, 10.0, false, 0, "10:00:00", "10:06:01"),
    },
  }),

  // On time (arrival 10:00): 1799 s (49.97 → 50.0) partial; 1800 s = 0.50 exactly → partial 50.0; 1801 s > 0.50, not late → present 50.0.
  single("03 partial/present boundary on time: 1799, 1800 and 1801 s (ratio 0.50 exactly, one second either side)", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00:00", "10:29:59"),
      ...stay("B1", "s2", "10:00:00", "10:30:00"),
      ...stay("C1", "s3", "10:00:00", "10:30:01"),
    ],
    people: {
      t: t_whole,
      s1: student("partial", 1799, 50.0, false, 0, "10:00:00", "10:29:59"),
      s2: student("partial", 1800, 50.0, false, 0, "10:00:00", "10:30:00"),
      s3: student("present", 1801, 50.0, false, 0, "10:00:00", "10:30:01"),
    },
  }),

  // All arrive 10:20 (> 10:15 grace → late, 20 min): 1799 s partial; 1800 s = 0.50 → partial (rule 2 before rule 4); 1801 s → late. All 50.0 %.
  single("04 partial/late boundary when late: 1800 s is partial, 1801 s is late", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:20:00", "10:49:59"),
      ...stay("B1", "s2", "10:20:00", "10:50:00"),
      ...stay("C1", "s3", "10:20:00", "10:50:01"),
    ],
    people: {
      t: t_whole,
      s1: student("partial", 1799, 50.0, true, 20, "10:20:00", "10:49:59"),
      s2: student("partial", 1800, 50.0, true, 20, "10:20:00", "10:50:00"),
      s3: student("late", 1801, 50.0, true, 20, "10:20:00", "10:50:01"),
    },
  }),

  // 80-min class (4800 s; 0.75 = 3600 s). s1 10:20–11:20 = 3600 = 0.75 → not > 0.75, late 20 → late 75.0;
  // s2 10:19:59 → 3601 > 0.75 → present although late (19 min: 1199 s / 60 floored), 75.02 → 75.0;
  // s3 10:20:01 → 3599 → late, 20 min (1201 s), 74.98 → 75.0.
  single(
    "05 late/present boundary: exactly 0.75 of an 80-minute class is late, one second more is present (even late)",
    {
      end: "11:20",
      sessionSeconds: 4800,
      events: [
        ...stay("T1", "t", "09:55", "11:25"),
        ...stay("A1", "s1", "10:20:00", "11:20:00"),
        ...stay("B1", "s2", "10:19:59", "11:20:00"),
        ...stay("C1", "s3", "10:20:01", "11:20:00"),
      ],
      people: {
        t: teacher("present", 4800, 100, false, 0, "09:55", "11:25"),
        s1: student("late", 3600, 75.0, true, 20, "10:20:00", "11:20:00"),
        s2: student("present", 3601, 75.0, true, 19, "10:19:59", "11:20:00"),
        s3: student("late", 3599, 75.0, true, 20, "10:20:01", "11:20:00"),
      },
    },
  ),

  // On time and above 0.50 is present whether or not above 0.75: 2700 s (75.0), 2699 s (74.97 → 75.0);
  // s3 arrives 10:14:59 (≤ 10:15 → on time), 10:14:59–10:45:00 = 1801 s > 0.50 → present 50.0.
  single("06 on time between 0.50 and 0.75 is present: 2700, 2699 and 1801 s", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00:00", "10:45:00"),
      ...stay("B1", "s2", "10:00:00", "10:44:59"),
      ...stay("C1", "s3", "10:14:59", "10:45:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 2700, 75.0, false, 0, "10:00:00", "10:45:00"),
      s2: student("present", 2699, 75.0, false, 0, "10:00:00", "10:44:59"),
      s3: student("present", 1801, 50.0, false, 0, "10:14:59", "10:45:00"),
    },
  }),

  // s1 arrives 10:15:00 = start + grace → on time; 2700 s = 0.75 → present 75.0.
  // s2 arrives 10:15:01 → late (901 s → 15 min); 2699 s → late 75.0 (74.97).
  // s3 arrives 10:15:00.001 → late by one ms (D6); 2699.999 s floored 2699 → late 75.0, 15 min.
  single("07 grace boundary: arrival exactly 10:15:00 is on time, 10:15:01 and 10:15:00.001 are late", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:15:00", "11:00:00"),
      ...stay("B1", "s2", "10:15:01", "11:00:00"),
      ...stay("C1", "s3", "10:15:00.001", "11:00:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 2700, 75.0, false, 0, "10:15:00", "11:00:00"),
      s2: student("late", 2699, 75.0, true, 15, "10:15:01", "11:00:00"),
      s3: student("late", 2699, 75.0, true, 15, "10:15:00.001", "11:00:00"),
    },
  }),

  // s1 10:29:59 → 1799 s after start → 29 min (floor 29.98); 1801 s → late 50.0.
  // s2 10:17:59.900 → 1079.9 s → 17 min; 2520.1 s floored 2520 = 0.70 → late 70.0.
  // s3 10:16:00 → 16 min; 2640 s = 0.7333 → late 73.3.
  single("08 lateMinutes floors: 29 min 59 s late is 29, 17 min 59.9 s is 17", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:29:59", "11:00:00"),
      ...stay("B1", "s2", "10:17:59.900", "11:00:00"),
      ...stay("C1", "s3", "10:16:00", "11:00:00"),
    ],
    people: {
      t: t_whole,
      s1: student("late", 1801, 50.0, true, 29, "10:29:59", "11:00:00"),
      s2: student("late", 2520, 70.0, true, 17, "10:17:59.900", "11:00:00"),
      s3: student("late", 2640, 73.3, true, 16, "10:16:00", "11:00:00"),
    },
  }),

  // Half-up to one decimal: 441 s = 12.25 % → 12.3 (partial); 459 s = 12.75 → 12.8 (partial);
  // 135 s = 3.75 → 3.8 (absent); 2277 s = 63.25 → 63.3 (on time, > 0.50 → present).
  single("09 percentage rounds half-up: 441 s of 3600 = 12.25 % → 12.3, and 12.75, 3.75, 63.25", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00:00", "10:07:21"),
      ...stay("B1", "s2", "10:00:00", "10:07:39"),
      ...stay("C1", "s3", "10:00:00", "10:02:15"),
      ...stay("D1", "s4", "10:00:00", "10:37:57"),
    ],
    people: {
      t: t_whole,
      s1: student("partial", 441, 12.3, false, 0, "10:00:00", "10:07:21"),
      s2: student("partial", 459, 12.8, false, 0, "10:00:00", "10:07:39"),
      s3: student("absent", 135, 3.8, false, 0, "10:00:00", "10:02:15"),
      s4: student("present", 2277, 63.3, false, 0, "10:00:00", "10:37:57"),
    },
  }),

  // 1629 s = 45.25 → 45.3 partial; 3573 s = 99.25 → 99.3 present; 2349 s = 65.25 → 65.3 present (on time); 9 s = 0.25 → 0.3 absent.
  single("10 percentage half-up where binary floating point is inexact: 45.25, 99.25, 65.25, 0.25", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00:00", "10:27:09"),
      ...stay("B1", "s2", "10:00:00", "10:59:33"),
      ...stay("C1", "s3", "10:00:00", "10:39:09"),
      ...stay("D1", "s4", "10:00:00", "10:00:09"),
    ],
    people: {
      t: t_whole,
      s1: student("partial", 1629, 45.3, false, 0, "10:00:00", "10:27:09"),
      s2: student("present", 3573, 99.3, false, 0, "10:00:00", "10:59:33"),
      s3: student("present", 2349, 65.3, false, 0, "10:00:00", "10:39:09"),
      s4: student("absent", 9, 0.3, false, 0, "10:00:00", "10:00:09"),
    },
  }),

  // s1 10:00:00.600–10:40:00 = 2399.4 s → 2399 (66.64 → 66.6, on time → present).
  // s2 10:00:00.500–10:20:00 (1199.5) + 10:30:00.500–10:50:00 (1199.5) = 2399.0 → 2399 (flooring the union, not each interval: 2398) → present 66.6.
  // s3 joins 10:10:00.800 and its leave says 10:10:00 (same second, D2: empty, not negative), then 10:12–10:40 = 1680 s → 46.7 partial.
  single(
    "11 attendedSeconds floors the union of ms intervals; a leave in the join's own second gives an empty interval (D2)",
    {
      sessionSeconds: 3600,
      events: [
        ...T_WHOLE,
        ...stay("A1", "s1", "10:00:00.600", "10:40:00"),
        ...stay("B1", "s2", "10:00:00.500", "10:20:00"),
        ...stay("B2", "s2", "10:30:00.500", "10:50:00"),
        ...stay("C1", "s3", "10:10:00.800", "10:10:00"),
        ...stay("C2", "s3", "10:12:00", "10:40:00"),
      ],
      people: {
        t: t_whole,
        s1: student("present", 2399, 66.6, false, 0, "10:00:00.600", "10:40:00"),
        s2: student("present", 2399, 66.6, false, 0, "10:00:00.500", "10:50:00"),
        s3: student("partial", 1680, 46.7, false, 0, "10:10:00.800", "10:40:00"),
      },
    },
  ),

  // Joins before 10:00 count from 10:00 and arrive at 10:00 (on time). s1 09:45–10:40 → 2400 = 66.7 present;
  // s2 09:59:59–10:30 → 1800 = 50.0 partial; s3 09:30–11:30 → 3600 = 100 present; first/last unclipped.
  single("12 a join in the preparation time counts from the start and is on time", {
    sessionSeconds: 3600,
    events: [
      ...stay("T1", "t", "09:50", "11:05"),
      ...stay("A1", "s1", "09:45", "10:40"),
      ...stay("B1", "s2", "09:59:59", "10:30"),
      ...stay("C1", "s3", "09:30", "11:30"),
    ],
    people: {
      t: teacher("present", 3600, 100, false, 0, "09:50", "11:05"),
      s1: student("present", 2400, 66.7, false, 0, "09:45", "10:40"),
      s2: student("partial", 1800, 50.0, false, 0, "09:59:59", "10:30"),
      s3: student("present", 3600, 100, false, 0, "09:30", "11:30"),
    },
  }),

  // An interval ending at or before 10:00 is no arrival. s1 09:50–09:55, back 10:20–11:00: arrival 10:20 → late 20, 2400 s = 66.7 → late.
  // s2 09:50–10:00:00 (ends exactly at the start), back 10:16–11:00: arrival 10:16 → late 16, 2640 s = 73.3 → late.
  // s3 09:50–10:00:01 (ends 1 s after the start: arrival 10:00), back 10:30–11:00: 1 + 1800 = 1801 s → on time → present 50.0.
  single("13 popped in during preparation and left before the start, came back late: arrival is the return", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "09:50", "09:55"),
      ...stay("A2", "s1", "10:20", "11:00"),
      ...stay("B1", "s2", "09:50", "10:00:00"),
      ...stay("B2", "s2", "10:16", "11:00"),
      ...stay("C1", "s3", "09:50", "10:00:01"),
      ...stay("C2", "s3", "10:30", "11:00"),
    ],
    people: {
      t: t_whole,
      s1: student("late", 2400, 66.7, true, 20, "09:50", "11:00"),
      s2: student("late", 2640, 73.3, true, 16, "09:50", "11:00"),
      s3: student("present", 1801, 50.0, false, 0, "09:50", "11:00"),
    },
  }),

  // s1 11:05–11:10 and s2 11:00:00–11:20 start at or after the window end: 0 s, no arrival → absent, not late; times unclipped.
  // s3 10:59–11:30: 60 s = 1.7 % → absent; arrival 10:59 > 10:15 → isLate, 59 min (lateness is independent of the status).
  single("14 joined after the end: not counted and not late; one minute before the end: 60 s and late", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "11:05", "11:10"),
      ...stay("B1", "s2", "11:00:00", "11:20"),
      ...stay("C1", "s3", "10:59", "11:30"),
    ],
    people: {
      t: t_whole,
      s1: student("absent", 0, 0, false, 0, "11:05", "11:10"),
      s2: student("absent", 0, 0, false, 0, "11:00:00", "11:20"),
      s3: student("absent", 60, 1.7, true, 59, "10:59", "11:30"),
    },
  }),

  // s1 10:00–10:20 + 10:25–10:45 + 10:50–11:00 = 1200 + 1200 + 600 = 3000 = 83.3 present.
  // s2 10:05–10:10 + 10:12–10:30 + 10:40–10:41 = 300 + 1080 + 60 = 1440 = 40.0 partial.
  // s3 10:20–10:30 + 10:35–10:55 + 10:58–11:00 = 600 + 1200 + 120 = 1920 = 53.3, arrival 10:20 → late 20.
  single("15 reconnects: gaps are not counted, the connections are summed", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00", "10:20", { reason: "SIGNAL_CLOSE" }),
      ...stay("A2", "s1", "10:25", "10:45", { reason: "CONNECTION_TIMEOUT" }),
      ...stay("A3", "s1", "10:50", "11:00"),
      ...stay("B1", "s2", "10:05", "10:10", { reason: "SIGNAL_CLOSE" }),
      ...stay("B2", "s2", "10:12", "10:30", { reason: "SIGNAL_CLOSE" }),
      ...stay("B3", "s2", "10:40", "10:41"),
      ...stay("C1", "s3", "10:20", "10:30", { reason: "CONNECTION_TIMEOUT" }),
      ...stay("C2", "s3", "10:35", "10:55", { reason: "SIGNAL_CLOSE" }),
      ...stay("C3", "s3", "10:58", "11:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3000, 83.3, false, 0, "10:00", "11:00"),
      s2: student("partial", 1440, 40.0, false, 0, "10:05", "10:41"),
      s3: student("late", 1920, 53.3, true, 20, "10:20", "11:00"),
    },
  }),

  // Union, not sum: s1 10:00–10:40 ∪ 10:20–11:00 = 3600 (sum 4800) → 100; s2 10:10–10:30 ∪ 10:20–10:40 = 1800 (sum 2400) → partial 50.0;
  // s3 10:00–10:50 ∪ 10:10–10:20 = 3000 → 83.3; s4 09:50–11:10 ∪ 09:55–11:05 clipped = 3600 (sum 7200) → 100, never above.
  single("16 two devices at once count once (union), and 100 % is the most", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00", "10:40"),
      ...stay("A2", "s1", "10:20", "11:00"),
      ...stay("B1", "s2", "10:10", "10:30"),
      ...stay("B2", "s2", "10:20", "10:40"),
      ...stay("C1", "s3", "10:00", "10:50"),
      ...stay("C2", "s3", "10:10", "10:20"),
      ...stay("D1", "s4", "09:50", "11:10"),
      ...stay("D2", "s4", "09:55", "11:05"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3600, 100, false, 0, "10:00", "11:00"),
      s2: student("partial", 1800, 50.0, false, 0, "10:10", "10:40"),
      s3: student("present", 3000, 83.3, false, 0, "10:00", "10:50"),
      s4: student("present", 3600, 100, false, 0, "09:50", "11:10"),
    },
  }),

  // s1 A 10:00–10:30:00 (DUPLICATE_IDENTITY), B joined 10:29:59.400–11:00 → union 10:00–11:00 = 3600 → 100 present.
  // s2 A 10:00–10:20:00 (DUPLICATE_IDENTITY), B 10:20:01–11:00 → 3599 (99.97 → 100.0) present.
  // s3 A 10:20–10:40:01, B 10:40:00.250–10:50 → 10:20–10:50 = 1800 → partial 50.0, late 20.
  single("17 DUPLICATE_IDENTITY handover (reload, second tab) is no absence", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      join("A1", "s1", "10:00:00"),
      join("A2", "s1", "10:29:59.400"),
      leave("A1", "s1", "10:30:00", { reason: "DUPLICATE_IDENTITY" }),
      leave("A2", "s1", "11:00:00"),
      join("B1", "s2", "10:00:00"),
      leave("B1", "s2", "10:20:00", { reason: "DUPLICATE_IDENTITY" }),
      ...stay("B2", "s2", "10:20:01", "11:00:00"),
      join("C1", "s3", "10:20:00"),
      join("C2", "s3", "10:40:00.250"),
      leave("C1", "s3", "10:40:01", { reason: "DUPLICATE_IDENTITY" }),
      leave("C2", "s3", "10:50:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3600, 100, false, 0, "10:00:00", "11:00:00"),
      s2: student("present", 3599, 100.0, false, 0, "10:00:00", "11:00:00"),
      s3: student("partial", 1800, 50.0, true, 20, "10:20:00", "10:50:00"),
    },
  }),

  // s1 only a leave at 10:45 carrying joinedAt 10:05 → 10:05–10:45 = 2400 = 66.7 present (arrival 10:05, on time).
  // s2 only a leave with no joinedAt → ignored → never joined. g1 likewise → no guest.
  // s3 leave at 10:50 with joinedAtMs 10:20:00.250 → 1799.75 → 1799 = 49.97 → 50.0 partial, late 20.
  // s4 10:00–10:30 normally, then only a leave at 10:58 with joinedAt 10:35 → 1800 + 1380 = 3180 = 88.3 present.
  single("18 a lost join is recovered from the leave's joinedAt; a leave with neither join nor joinedAt is ignored", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      leave("A1", "s1", "10:45:00", { joinedAt: "10:05:00" }),
      leave("B1", "s2", "10:50:00", { joinedAt: null }),
      leave("C1", "s3", "10:50:00", { joinedAt: "10:20:00.250" }),
      ...stay("D1", "s4", "10:00", "10:30"),
      leave("D2", "s4", "10:58:00", { joinedAt: "10:35:00" }),
      leave("G1", "g1", "10:40:00", { joinedAt: null }),
    ],
    people: {
      t: t_whole,
      s1: student("present", 2400, 66.7, false, 0, "10:05:00", "10:45:00"),
      s2: neverJoined("student"),
      s3: student("partial", 1799, 50.0, true, 20, "10:20:00.250", "10:50:00"),
      s4: student("present", 3180, 88.3, false, 0, "10:00", "10:58:00"),
    },
  }),

  // s1 aborted A1 at 10:05 (carrying joinedAt 10:04:59, no join: never opens, D1), then 10:06–10:56 = 3000 = 83.3 present, first 10:06.
  // s2 joined B1 10:00:00, aborted 10:00:10 → 10 s; B2 10:00:20–10:30 = 1780 → 1790 = 49.7 partial.
  // s3 only an aborted connection → never joined. s4 joined 10:20, aborted 10:45 → 1500 = 41.7 partial, late 20.
  single("19 connection_aborted: without a join it adds nothing (even with a joinedAt); with one it closes it", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      aborted("A1", "s1", "10:05:00", { joinedAt: "10:04:59" }),
      ...stay("A2", "s1", "10:06:00", "10:56:00"),
      join("B1", "s2", "10:00:00"),
      aborted("B1", "s2", "10:00:10"),
      ...stay("B2", "s2", "10:00:20", "10:30:00"),
      aborted("C1", "s3", "10:10:00", { joinedAt: "10:09:58" }),
      join("D1", "s4", "10:20:00"),
      aborted("D1", "s4", "10:45:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3000, 83.3, false, 0, "10:06:00", "10:56:00"),
      s2: student("partial", 1790, 49.7, false, 0, "10:00:00", "10:30:00"),
      s3: neverJoined("student"),
      s4: student("partial", 1500, 41.7, true, 20, "10:20:00", "10:45:00"),
    },
  }),

  // No leave, no room_finished: every connection closes at the window end 11:00 (D3). T 09:55–11:00 = 3600;
  // s1 10:10–11:00 = 3000 = 83.3 present; s2 10:40–11:00 = 1200 = 33.3 partial, late 40;
  // s3 joined 11:10 after the window: closes at its own start (never before it) → empty, 0 s, not late, first = last = 11:10.
  single("20 a join never closed closes at the window end; one opened after the window is empty", {
    sessionSeconds: 3600,
    events: [join("T1", "t", "09:55"), join("A1", "s1", "10:10"), join("B1", "s2", "10:40"), join("C1", "s3", "11:10")],
    people: {
      t: teacher("present", 3600, 100, false, 0, "09:55", "11:00"),
      s1: student("present", 3000, 83.3, false, 0, "10:10", "11:00"),
      s2: student("partial", 1200, 33.3, true, 40, "10:40", "11:00"),
      s3: student("absent", 0, 0, false, 0, "11:10", "11:10"),
    },
  }),

  // room_finished 10:30, T back 10:35 (after it, before 11:00) → resumed; room_finished 11:00 = scheduled end → nothing. Window 10:00–11:00.
  // T 10:00–10:29 (1740) + 10:35–11:00 (1500) = 3240 = 90.0 present. s1 joined 10:00, never left → closes at the FIRST
  // room_finished after its start, 10:30 → 1800 = 50.0 partial. s2 joined 10:40, never left → closes at 11:00 → 1200 = 33.3 partial, late 40.
  single(
    "21 an open join closes at the first room_finished after it started, not a later one (teacher resumed in between)",
    {
      sessionSeconds: 3600,
      events: [
        ...stay("T1", "t", "09:55", "10:29:00"),
        join("A1", "s1", "10:00"),
        roomFinished("10:30:00"),
        ...stay("T2", "t", "10:35:00", "11:00:00"),
        join("B1", "s2", "10:40:00"),
        roomFinished("11:00:00"),
      ],
      people: {
        t: teacher("present", 3240, 90.0, false, 0, "09:55", "11:00:00"),
        s1: student("partial", 1800, 50.0, false, 0, "10:00", "10:30:00"),
        s2: student("partial", 1200, 33.3, true, 40, "10:40:00", "11:00:00"),
      },
    },
  ),

  // The session's events run to 11:00 + 60 min = 12:00, both bounds included (D5).
  // s1 10:30–11:45 clipped to 11:00 = 1800 = 50.0 partial, late 30; last leave unclipped 11:45.
  // s2 10:00–12:00:00 (leave exactly at the bound, the session's) = 3600 = 100, last 12:00:00.
  // s3 10:00 with a leave at 12:00:01 (not the session's): closes as open at the window end 11:00 → 3600 = 100, last 11:00:00.
  single(
    "22 never past the window; a leave more than 60 min after the window end is not the session's (12:00:00 is, 12:00:01 is not)",
    {
      sessionSeconds: 3600,
      events: [
        ...T_WHOLE,
        ...stay("A1", "s1", "10:30", "11:45"),
        ...stay("B1", "s2", "10:00", "12:00:00"),
        ...stay("C1", "s3", "10:00", "12:00:01"),
      ],
      people: {
        t: t_whole,
        s1: student("partial", 1800, 50.0, true, 30, "10:30", "11:45"),
        s2: student("present", 3600, 100, false, 0, "10:00", "12:00:00"),
        s3: student("present", 3600, 100, false, 0, "10:00", "11:00:00"),
      },
    },
  ),

  // room_finished 10:40, no teacher after it → window 10:00–10:40 = 2400; the session's events run to 11:40.
  // T 10:00–10:39 = 2340 = 97.5 present. s1 10:00, leave 11:50 is not the session's → open → closes at room_finished 10:40 → 2400 = 100, last 10:40.
  // s2 10:10, leave 11:40:00 (the bound, the session's) → 10:10–10:40 = 1800 = 0.75, on time → present 75.0, last 11:40.
  single("23 early end: a leave more than 60 min after the early end is not the session's; exactly 60 min after is", {
    sessionSeconds: 2400,
    events: [
      ...stay("T1", "t", "09:55", "10:39:00"),
      ...stay("A1", "s1", "10:00", "11:50:00"),
      ...stay("B1", "s2", "10:10", "11:40:00"),
      roomFinished("10:40:00"),
    ],
    people: {
      t: teacher("present", 2340, 97.5, false, 0, "09:55", "10:39:00"),
      s1: student("present", 2400, 100, false, 0, "10:00", "10:40:00"),
      s2: student("present", 1800, 75.0, false, 0, "10:10", "11:40:00"),
    },
  }),

  // The session's events start at 10:00 − 60 min = 09:00 (included). s1 joined 08:30 (not the session's) but its leave at 10:30
  // carries joinedAt 08:30 → 08:30–10:30 clipped = 1800 = 50.0 partial, on time, first 08:30.
  // s2 joined 09:00:00 (the bound), never left → closes at 11:00 → 3600 = 100. s3 joined 08:59:59, never left → no event of the session → never joined.
  single(
    "24 a join more than 60 min before the start is not the session's: its leave's joinedAt recovers it, an open one is lost",
    {
      sessionSeconds: 3600,
      events: [
        ...T_WHOLE,
        ...stay("A1", "s1", "08:30", "10:30"),
        join("B1", "s2", "09:00:00"),
        join("C1", "s3", "08:59:59"),
      ],
      people: {
        t: t_whole,
        s1: student("partial", 1800, 50.0, false, 0, "08:30", "10:30"),
        s2: student("present", 3600, 100, false, 0, "09:00:00", "11:00"),
        s3: neverJoined("student"),
      },
    },
  ),

  // s1 by phone (SIP) 10:00–10:50 = 3000 = 83.3 present. s2 (a student's identity) only as INGRESS → not counted → never joined.
  // Recorder, EGRESS, AGENT, BRIDGE and an unknown kind are neither students nor guests. g1 by SIP 10:10–10:40 = 1800 → guest partial.
  single("25 SIP counts; recorder, EGRESS, INGRESS, AGENT, BRIDGE and an unknown kind never count and are no guests", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:00", "10:50", { kind: "SIP" }),
      ...stay("B1", "s2", "10:00", "11:00", { kind: "INGRESS" }),
      ...stay("R1", "rec", "09:58", "11:01", { recorder: true }),
      ...stay("E1", "egress", "10:00", "11:00", { kind: "EGRESS" }),
      ...stay("G1", "agent", "10:01", "10:59", { kind: "AGENT" }),
      ...stay("H1", "bridge", "10:02", "10:58", { kind: "BRIDGE" }),
      ...stay("K1", "future", "10:03", "10:57", { kind: "HOLOGRAM" }),
      ...stay("P1", "g1", "10:10", "10:40", { kind: "SIP" }),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3000, 83.3, false, 0, "10:00", "10:50"),
      s2: neverJoined("student"),
    },
    guests: [guest("g1", 1800, "partial")],
  }),

  // g1 10:00–11:00 = 3600 → guest present; "S1" ≠ roster "s1" (case-sensitive) 10:20–10:40 = 1200 = 0.33 → guest partial;
  // g3 11:30–11:40 (the session's events, after the window) → guest with 0 s, absent; g4 12:30–12:40 is after 12:00 → no guest.
  single(
    "26 guests are reported apart; identities are case-sensitive; a guest after the end has 0 s; one outside the session's events is none",
    {
      sessionSeconds: 3600,
      events: [
        ...T_WHOLE,
        ...stay("G1", "g1", "10:00", "11:00"),
        ...stay("G2", "S1", "10:20", "10:40"),
        ...stay("G3", "g3", "11:30", "11:40"),
        ...stay("G4", "g4", "12:30", "12:40"),
      ],
      people: {
        t: t_whole,
        s1: neverJoined("student"),
      },
      guests: [guest("S1", 1200, "partial"), guest("g1", 3600, "present"), guest("g3", 0, "absent")],
    },
  ),

  // T 10:20–11:00 = 2400 = 66.7, arrival 10:20 → late 20. s1 10:00–11:00 = 100 present. s2 10:21–10:55 = 2040 = 56.7, late 21.
  single("27 the teacher is reported with role teacher and a status of their own (late teacher)", {
    sessionSeconds: 3600,
    events: [
      ...stay("T1", "t", "10:20", "11:00"),
      ...stay("A1", "s1", "10:00", "11:00"),
      ...stay("B1", "s2", "10:21", "10:55"),
    ],
    people: {
      t: teacher("late", 2400, 66.7, true, 20, "10:20", "11:00"),
      s1: student("present", 3600, 100, false, 0, "10:00", "11:00"),
      s2: student("late", 2040, 56.7, true, 21, "10:21", "10:55"),
    },
  }),

  // room_finished 10:45 (teacher gone, never back) → window 10:00–10:45 = 2700. T 10:00–10:44:30 = 2670 = 98.9 present;
  // s1 10:00–10:44 = 2640 = 97.8 present; s2 10:20–10:44 = 1440 = 53.3, late 20 → late; s3 10:30–10:40 = 600 = 22.2 partial, late 30.
  single("28 room_finished before the scheduled end ends the class early (2700 s)", {
    sessionSeconds: 2700,
    events: [
      ...stay("T1", "t", "09:55", "10:44:30"),
      ...stay("A1", "s1", "10:00", "10:44"),
      ...stay("B1", "s2", "10:20", "10:44"),
      ...stay("C1", "s3", "10:30", "10:40"),
      roomFinished("10:45:00"),
    ],
    people: {
      t: teacher("present", 2670, 98.9, false, 0, "09:55", "10:44:30"),
      s1: student("present", 2640, 97.8, false, 0, "10:00", "10:44"),
      s2: student("late", 1440, 53.3, true, 20, "10:20", "10:44"),
      s3: student("partial", 600, 22.2, true, 30, "10:30", "10:40"),
      s4: neverJoined("student"),
    },
  }),

  // room_finished at exactly 10:00:00 (the start) changes nothing: window 10:00–11:00.
  // T 10:01–11:00 = 3540 = 98.3 present. s1 09:50–09:58 then 10:05–11:00 = 3300 = 91.7 present (arrival 10:05).
  // s2 joined 10:30, never left; the 10:00 room_finished is before its start → closes at 11:00 → 1800 = 50.0 partial, late 30.
  single("29 room_finished exactly at the start changes nothing", {
    sessionSeconds: 3600,
    events: [
      ...stay("A1", "s1", "09:50", "09:58"),
      roomFinished("10:00:00"),
      ...stay("T1", "t", "10:01", "11:00"),
      ...stay("A2", "s1", "10:05", "11:00"),
      join("B1", "s2", "10:30"),
    ],
    people: {
      t: teacher("present", 3540, 98.3, false, 0, "10:01", "11:00"),
      s1: student("present", 3300, 91.7, false, 0, "09:50", "11:00"),
      s2: student("partial", 1800, 50.0, true, 30, "10:30", "11:00"),
    },
  }),

  // room_finished at exactly 11:00:00 (the scheduled end) changes nothing; open joins close at it.
  // T 09:55→11:00 = 3600; s1 10:00→11:00 = 3600; s2 10:50→11:00 = 600 = 16.7 partial, late 50.
  single("30 room_finished exactly at the scheduled end changes nothing; open joins close at it", {
    sessionSeconds: 3600,
    events: [join("T1", "t", "09:55"), join("A1", "s1", "10:00"), join("B1", "s2", "10:50"), roomFinished("11:00:00")],
    people: {
      t: teacher("present", 3600, 100, false, 0, "09:55", "11:00:00"),
      s1: student("present", 3600, 100, false, 0, "10:00", "11:00:00"),
      s2: student("partial", 600, 16.7, true, 50, "10:50", "11:00:00"),
    },
  }),

  // room_finished 10:59:59 → window 3599 s. T 09:55→10:59:59 (open) = 3599 = 100. s1 10:00–10:59:59 = 3599 = 100.
  // s2 10:15:00 (on time) → 10:59:59 open = 2699 of 3599 = 0.74993 (< 0.75) → present 75.0.
  // s3 10:15:01 (late 15) → 10:59:59 = 2698 = 0.74965 → late 75.0.
  // s4 10:29:59 → 10:59:59 = 1800 of 3599 = 0.50014 (> 0.50!) → late 50.0, 29 min.
  single("31 room_finished one second before the scheduled end ends the class: 3599 s, and 1800 s is then above half", {
    sessionSeconds: 3599,
    events: [
      join("T1", "t", "09:55"),
      ...stay("A1", "s1", "10:00:00", "10:59:59"),
      join("B1", "s2", "10:15:00"),
      ...stay("C1", "s3", "10:15:01", "10:59:59"),
      ...stay("D1", "s4", "10:29:59", "10:59:59"),
      roomFinished("10:59:59"),
    ],
    people: {
      t: teacher("present", 3599, 100, false, 0, "09:55", "10:59:59"),
      s1: student("present", 3599, 100, false, 0, "10:00:00", "10:59:59"),
      s2: student("present", 2699, 75.0, false, 0, "10:15:00", "10:59:59"),
      s3: student("late", 2698, 75.0, true, 15, "10:15:01", "10:59:59"),
      s4: student("late", 1800, 50.0, true, 29, "10:29:59", "10:59:59"),
    },
  }),

  // room_finished 10:40, only students come back → the class stays ended: window 2400.
  // T 10:00–10:39 = 2340 = 97.5. s1 10:00–10:39:30 = 2370 = 98.75 → 98.8 present; 10:45–10:58 not counted, last leave 10:58.
  // s2 only 10:45–10:59 (after the end) → 0, absent, not late. s3 10:10–10:40 = 1800 = 0.75, on time → present 75.0.
  single(
    "32 early finish, then a student rejoins the emptied room: the class stays ended and nobody's percentage changes",
    {
      sessionSeconds: 2400,
      events: [
        ...stay("T1", "t", "09:55", "10:39:00"),
        ...stay("A1", "s1", "10:00", "10:39:30"),
        ...stay("C1", "s3", "10:10", "10:40:00"),
        roomFinished("10:40:00"),
        roomStarted("10:45:00"),
        ...stay("A2", "s1", "10:45", "10:58"),
        ...stay("B1", "s2", "10:45", "10:59"),
        roomFinished("11:02:00"),
      ],
      people: {
        t: teacher("present", 2340, 97.5, false, 0, "09:55", "10:39:00"),
        s1: student("present", 2370, 98.8, false, 0, "10:00", "10:58"),
        s2: student("absent", 0, 0, false, 0, "10:45", "10:59"),
        s3: student("present", 1800, 75.0, false, 0, "10:10", "10:40:00"),
      },
    },
  ),

  // room_finished 10:30, T back 10:33 (< 11:00) → resumed; room_finished 11:01 is after the end. Window 3600.
  // T 10:00–10:29 (1740) + 10:33–11:00 (1620) = 3360 = 93.3. s1 10:00–10:29:30 (1770) + 10:34–11:00 (1560) = 3330 = 92.5 present.
  // s2 10:00–10:29:30 = 1770 = 49.2 partial. s3 10:35–11:00 = 1500 = 41.7 partial, late 35.
  single(
    "33 early finish, then the teacher rejoins before the scheduled end: the class resumed and the scheduled end stands",
    {
      sessionSeconds: 3600,
      events: [
        ...stay("T1", "t", "09:55", "10:29:00"),
        ...stay("A1", "s1", "10:00", "10:29:30"),
        ...stay("B1", "s2", "10:00", "10:29:30"),
        roomFinished("10:30:00"),
        roomStarted("10:33:00"),
        ...stay("T2", "t", "10:33:00", "11:00:00"),
        ...stay("A2", "s1", "10:34", "11:00"),
        ...stay("C1", "s3", "10:35", "11:00"),
        roomFinished("11:01:00"),
      ],
      people: {
        t: teacher("present", 3360, 93.3, false, 0, "09:55", "11:00:00"),
        s1: student("present", 3330, 92.5, false, 0, "10:00", "11:00"),
        s2: student("partial", 1770, 49.2, false, 0, "10:00", "10:29:30"),
        s3: student("partial", 1500, 41.7, true, 35, "10:35", "11:00"),
      },
    },
  ),

  // room_finished 10:20 → T back 10:25 → resumed; room_finished 10:50 → no teacher after it → ends at 10:50: window 3000.
  // T 10:00–10:19 (1140) + 10:25–10:49 (1440) = 2580 = 86.0. s1 10:00–10:19:30 (1170) + 10:26–10:49:30 (1410) = 2580 = 86.0.
  // s2 10:52–10:58 (after the end) → 0 absent. s3 10:30–10:49:30 = 1170 = 39.0 partial, late 30.
  single("34 two early finishes, the teacher resumed after the first only: the class ends at the second", {
    sessionSeconds: 3000,
    events: [
      ...stay("T1", "t", "09:55", "10:19:00"),
      ...stay("A1", "s1", "10:00", "10:19:30"),
      roomFinished("10:20:00"),
      ...stay("T2", "t", "10:25", "10:49:00"),
      ...stay("A2", "s1", "10:26", "10:49:30"),
      ...stay("C1", "s3", "10:30", "10:49:30"),
      roomFinished("10:50:00"),
      ...stay("B1", "s2", "10:52", "10:58"),
    ],
    people: {
      t: teacher("present", 2580, 86.0, false, 0, "09:55", "10:49:00"),
      s1: student("present", 2580, 86.0, false, 0, "10:00", "10:49:30"),
      s2: student("absent", 0, 0, false, 0, "10:52", "10:58"),
      s3: student("partial", 1170, 39.0, true, 30, "10:30", "10:49:30"),
    },
  }),

  // room_finished 10:15 (T back 10:17) and 10:40 (T back 10:42) → resumed both times; 11:00:30 is after the end. Window 3600.
  // T 10:00–10:14 (840) + 10:17–10:39 (1320) + 10:42–11:00 (1080) = 3240 = 90.0.
  // s1 open 10:00 → first room_finished after it 10:15 (900); open 10:18 → 10:40 (1320); 10:43–10:59 (960) = 3180 = 88.3; last 10:59.
  // s2 open 10:45 → next room_finished 11:00:30, capped at the window end 11:00 → 900 = 25.0 partial, late 45.
  single(
    "35 the teacher resumed after both early finishes: the scheduled end stands; open joins close at the first room_finished after them",
    {
      sessionSeconds: 3600,
      events: [
        ...stay("T1", "t", "09:55", "10:14:00"),
        join("A1", "s1", "10:00"),
        roomFinished("10:15:00"),
        ...stay("T2", "t", "10:17", "10:39:00"),
        join("A2", "s1", "10:18"),
        roomFinished("10:40:00"),
        ...stay("T3", "t", "10:42", "11:00:00"),
        ...stay("A3", "s1", "10:43", "10:59:00"),
        join("B1", "s2", "10:45"),
        roomFinished("11:00:30"),
      ],
      people: {
        t: teacher("present", 3240, 90.0, false, 0, "09:55", "11:00:00"),
        s1: student("present", 3180, 88.3, false, 0, "10:00", "10:59:00"),
        s2: student("partial", 900, 25.0, true, 45, "10:45", "11:00:00"),
      },
    },
  ),

  // room_finished 10:20 while only students had been there; the teacher's first join 10:30 (< 11:00) → the class went on (D4). Window 3600.
  // T 10:30–11:00 = 1800 = 50.0 partial, late 30. s1 10:00–10:19 (1140) + 10:31–11:00 (1740) = 2880 = 80.0 present.
  // s2 10:00–10:19 = 1140 = 31.7 partial.
  single("36 a teacher who had not been there joins after an early finish: the class went on", {
    sessionSeconds: 3600,
    events: [
      ...stay("A1", "s1", "10:00", "10:19"),
      ...stay("B1", "s2", "10:00", "10:19"),
      roomFinished("10:20:00"),
      ...stay("T1", "t", "10:30", "11:00"),
      ...stay("A2", "s1", "10:31", "11:00"),
    ],
    people: {
      t: teacher("partial", 1800, 50.0, true, 30, "10:30", "11:00"),
      s1: student("present", 2880, 80.0, false, 0, "10:00", "11:00"),
      s2: student("partial", 1140, 31.7, false, 0, "10:00", "10:19"),
    },
  }),

  // room_finished 10:40:00; T rejoins at 10:40:00.000 (not strictly after it) and at 11:00:00 (not strictly before the end) → not resumed.
  // Window 10:00–10:40 = 2400. T 10:00–10:39:30 = 2370 = 98.75 → 98.8 present; the later connections add 0; last leave 11:05.
  // s1 10:05–10:39 = 2040 = 85.0 present.
  single(
    "37 the teacher rejoining in the room_finished's own second or at the scheduled end does not resume the class",
    {
      sessionSeconds: 2400,
      events: [
        ...stay("T1", "t", "09:55", "10:39:30"),
        ...stay("A1", "s1", "10:05", "10:39:00"),
        roomFinished("10:40:00"),
        ...stay("T2", "t", "10:40:00.000", "10:41:00"),
        ...stay("T3", "t", "11:00:00", "11:05:00"),
      ],
      people: {
        t: teacher("present", 2370, 98.8, false, 0, "09:55", "11:05:00"),
        s1: student("present", 2040, 85.0, false, 0, "10:05", "10:39:00"),
      },
    },
  ),

  // room_finished 10:40; T rejoins 10:59:59 (after it, before 11:00) → resumed, window 3600.
  // T 10:00–10:39:30 (2370) + 10:59:59–11:00 (1) = 2371 = 65.86 → 65.9, on time → present. s1 10:00–10:39:50 = 2390 = 66.4 present.
  single("38 the teacher rejoining one second before the scheduled end resumes the class", {
    sessionSeconds: 3600,
    events: [
      ...stay("T1", "t", "09:55", "10:39:30"),
      ...stay("A1", "s1", "10:00", "10:39:50"),
      roomFinished("10:40:00"),
      ...stay("T2", "t", "10:59:59", "11:00:30"),
    ],
    people: {
      t: teacher("present", 2371, 65.9, false, 0, "09:55", "11:00:30"),
      s1: student("present", 2390, 66.4, false, 0, "10:00", "10:39:50"),
    },
  }),

  // room_finished 10:30; a room_started at 10:35 (a student reopened the room) does not resume: window 10:00–10:30 = 1800.
  // T 10:00–10:29 = 1740 = 96.7 present. s1 10:00–10:29:30 = 1770 = 98.3 present; 10:35–10:50 not counted.
  single("39 a room_started after an early finish does not reopen the class", {
    sessionSeconds: 1800,
    events: [
      roomStarted("09:50:00"),
      ...stay("T1", "t", "09:55", "10:29:00"),
      ...stay("A1", "s1", "10:00", "10:29:30"),
      roomFinished("10:30:00"),
      roomStarted("10:35:00"),
      ...stay("A2", "s1", "10:35", "10:50"),
      roomFinished("10:51:00"),
    ],
    people: {
      t: teacher("present", 1740, 96.7, false, 0, "09:55", "10:29:00"),
      s1: student("present", 1770, 98.3, false, 0, "10:00", "10:50"),
    },
  }),

  // Back to back in one room, one stream, same roster. A 10:00–11:00 (events 09:00–12:00), B 11:00–12:00 (events 10:00–13:00).
  // A: T joined 09:55, its leave 12:05 is not A's → closes as open at A's end 11:00 → 3600, last 11:00. a 10:00–10:50 = 3000 = 83.3.
  //    p 10:30–11:30 → 10:30–11:00 = 1800 = 50.0 partial, late 30. b 11:05–12:00 (A's events, after A) → 0 absent, not late.
  // B: T's join 09:55 is not B's; the leave 12:05 carries joinedAt 09:55 → 09:55–12:05 → 3600, first 09:55. a 10:00–10:50 (join at
  //    B's bound 10:00) → 0 absent. p → 11:00–11:30 = 1800 = 50.0 partial, arrival 11:00 (connected since before) → not late.
  //    b 11:05–12:00 = 3300 = 91.7 present. The room_finished 12:06 is after both ends.
  {
    name: "40 back-to-back classes in one room (A 10:00–11:00, B 11:00–12:00): one person connected 10:30–11:30 counts 30 min in each",
    events: [
      roomStarted("09:54:00"),
      join("T1", "t", "09:55"),
      ...stay("A1", "a", "10:00", "10:50"),
      ...stay("P1", "p", "10:30", "11:30"),
      ...stay("B1", "b", "11:05", "12:00"),
      leave("T1", "t", "12:05"),
      roomFinished("12:06:00"),
    ],
    sessions: [
      {
        label: "A",
        start: "10:00",
        end: "11:00",
        sessionSeconds: 3600,
        people: {
          t: teacher("present", 3600, 100, false, 0, "09:55", "11:00"),
          a: student("present", 3000, 83.3, false, 0, "10:00", "10:50"),
          p: student("partial", 1800, 50.0, true, 30, "10:30", "11:30"),
          b: student("absent", 0, 0, false, 0, "11:05", "12:00"),
        },
        guests: [],
      },
      {
        label: "B",
        start: "11:00",
        end: "12:00",
        sessionSeconds: 3600,
        people: {
          t: teacher("present", 3600, 100, false, 0, "09:55", "12:05"),
          a: student("absent", 0, 0, false, 0, "10:00", "10:50"),
          p: student("partial", 1800, 50.0, false, 0, "10:30", "11:30"),
          b: student("present", 3300, 91.7, false, 0, "11:05", "12:00"),
        },
        guests: [],
      },
    ],
  },

  // A 10:00–10:45 (2700; events 09:00–11:45), B 11:00–11:45 (2700; events 10:00–12:45), same roster.
  // T one connection 09:55–11:45: A (leave at A's bound 11:45, included) 2700 = 100; B (join not B's, leave's joinedAt recovers) 2700 = 100.
  // p 10:40–11:10: A 300 = 11.1 partial, late 40; B 600 = 22.2 partial, arrival 11:00 → not late.
  // q 10:00–10:45 and 11:00–11:45: A 2700 = 100 (last leave 11:45, A's event); B (Q1 joined at B's bound 10:00, included) 2700 = 100, first 10:00.
  {
    name: "41 back-to-back classes with a gap (A 10:00–10:45, B 11:00–11:45): connected across both, on time in B",
    events: [
      join("T1", "t", "09:55"),
      ...stay("Q1", "q", "10:00", "10:45"),
      ...stay("P1", "p", "10:40", "11:10"),
      ...stay("Q2", "q", "11:00", "11:45"),
      leave("T1", "t", "11:45:00"),
    ],
    sessions: [
      {
        label: "A",
        start: "10:00",
        end: "10:45",
        sessionSeconds: 2700,
        people: {
          t: teacher("present", 2700, 100, false, 0, "09:55", "11:45:00"),
          p: student("partial", 300, 11.1, true, 40, "10:40", "11:10"),
          q: student("present", 2700, 100, false, 0, "10:00", "11:45"),
        },
        guests: [],
      },
      {
        label: "B",
        start: "11:00",
        end: "11:45",
        sessionSeconds: 2700,
        people: {
          t: teacher("present", 2700, 100, false, 0, "09:55", "11:45:00"),
          p: student("partial", 600, 22.2, false, 0, "10:40", "11:10"),
          q: student("present", 2700, 100, false, 0, "10:00", "11:45"),
        },
        guests: [],
      },
    ],
  },

  // Same arithmetic as any class: s1 10:00–10:45 = 2700 = 75.0 present (on time); s2 10:20–11:00 = 2400 = 66.7, late 20 → late; s3 never.
  single("42 the session is created after its webhooks arrived and still gets them", {
    createSessionAfterWebhooks: true,
    sessionSeconds: 3600,
    events: [...T_WHOLE, ...stay("A1", "s1", "10:00", "10:45"), ...stay("B1", "s2", "10:20", "11:00")],
    people: {
      t: t_whole,
      s1: student("present", 2700, 75.0, false, 0, "10:00", "10:45"),
      s2: student("late", 2400, 66.7, true, 20, "10:20", "11:00"),
      s3: neverJoined("student"),
    },
  }),

  // Created afterwards; room_finished 10:30 with no teacher after it → window 1800.
  // T 10:00–10:29 = 1740 = 96.7; s1 10:00–10:29 = 1740 = 96.7; s2 10:10–10:20 = 600 = 33.3 partial.
  single(
    "43 the session is created after its webhooks, including an early room_finished: the window comes from the log",
    {
      createSessionAfterWebhooks: true,
      sessionSeconds: 1800,
      events: [
        ...stay("T1", "t", "09:55", "10:29:00"),
        ...stay("A1", "s1", "10:00", "10:29:00"),
        ...stay("B1", "s2", "10:10", "10:20"),
        roomFinished("10:30:00"),
      ],
      people: {
        t: teacher("present", 1740, 96.7, false, 0, "09:55", "10:29:00"),
        s1: student("present", 1740, 96.7, false, 0, "10:00", "10:29:00"),
        s2: student("partial", 600, 33.3, false, 0, "10:10", "10:20"),
      },
    },
  ),

  // Renamed to the webhooks' room afterwards. T 10:00–11:00 = 100; s1 10:05–10:55 = 3000 = 83.3; s2 10:40–10:50 = 600 = 16.7 partial, late 40.
  single("44 the session's room is renamed after the webhooks arrived and it gets them", {
    renameRoomAfter: true,
    sessionSeconds: 3600,
    events: [
      ...stay("T1", "t", "10:00", "11:00"),
      ...stay("A1", "s1", "10:05", "10:55"),
      ...stay("B1", "s2", "10:40", "10:50"),
    ],
    people: {
      t: teacher("present", 3600, 100, false, 0, "10:00", "11:00"),
      s1: student("present", 3000, 83.3, false, 0, "10:05", "10:55"),
      s2: student("partial", 600, 16.7, true, 40, "10:40", "10:50"),
    },
  }),

  // Shuffled, every webhook twice. T 09:55–11:01 = 3600. s1 joined A1 10:00, a second join for the open A1 at 10:10 changes nothing, left 10:40 → 2400 = 66.7.
  // s2 10:20–10:50 = 1800 = 50.0 partial, late 20. s3 joined 10:05, two leaves 10:59 and 11:03 → the earliest closes: 3240 = 90.0, last 10:59.
  // s4 10:00–10:30:00 (DUPLICATE_IDENTITY), 10:30:00.500–11:00 → 3599.5 → 3599 = 100.0 present.
  single(
    "45 shuffled delivery and every webhook twice; a second join of an open connection and a second leave change nothing",
    {
      delivery: { order: "shuffle", duplicate: "all" },
      sessionSeconds: 3600,
      events: [
        ...stay("T1", "t", "09:55", "11:01"),
        join("A1", "s1", "10:00:00"),
        join("A1", "s1", "10:10:00"),
        leave("A1", "s1", "10:40:00"),
        ...stay("B1", "s2", "10:20", "10:50"),
        join("C1", "s3", "10:05"),
        leave("C1", "s3", "10:59:00"),
        leave("C1", "s3", "11:03:00"),
        join("D1", "s4", "10:00:00"),
        leave("D1", "s4", "10:30:00", { reason: "DUPLICATE_IDENTITY" }),
        ...stay("D2", "s4", "10:30:00.500", "11:00:00"),
      ],
      people: {
        t: teacher("present", 3600, 100, false, 0, "09:55", "11:01"),
        s1: student("present", 2400, 66.7, false, 0, "10:00:00", "10:40:00"),
        s2: student("partial", 1800, 50.0, true, 20, "10:20", "10:50"),
        s3: student("present", 3240, 90.0, false, 0, "10:05", "10:59:00"),
        s4: student("present", 3599, 100.0, false, 0, "10:00:00", "11:00:00"),
      },
    },
  ),

  // Reverse order, room_finished delivered twice. room_finished 10:25 → T back 10:28 → resumed; room_finished 10:59 → nobody after → window 10:00–10:59 = 3540.
  // T 10:00–10:24 (1440) + 10:28–10:58 (1800) = 3240 of 3540 = 91.5 present.
  // s1 10:00–10:24:30 (1470) + open 10:29 → closes at 10:59 (1800) = 3270 = 92.37 → 92.4 present; last 10:59.
  // s2 10:40–10:58:30 = 1110 = 31.36 → 31.4 partial, late 40.
  single("46 reverse delivery of a class that resumed after one early finish and ended at a second one (3540 s)", {
    delivery: { order: "reverse", duplicate: "roomFinished" },
    sessionSeconds: 3540,
    events: [
      ...stay("T1", "t", "09:58", "10:24:00"),
      ...stay("A1", "s1", "10:00", "10:24:30"),
      roomFinished("10:25:00"),
      ...stay("T2", "t", "10:28", "10:58:00"),
      join("A2", "s1", "10:29"),
      ...stay("B1", "s2", "10:40:00", "10:58:30"),
      roomFinished("10:59:00"),
    ],
    people: {
      t: teacher("present", 3240, 91.5, false, 0, "09:58", "10:58:00"),
      s1: student("present", 3270, 92.4, false, 0, "10:00", "10:59:00"),
      s2: student("partial", 1110, 31.4, true, 40, "10:40:00", "10:58:30"),
    },
  }),

  // Policy grace 5, absent < 0.2, partial ≤ 0.6, present > 0.8.
  // s1 10:05:00 (= start + 5, on time)–11:00 = 3300 = 91.7 present. s2 10:05:01 (late 5)–10:50:01 = 2700 = 0.75 ≤ 0.8 → late 75.0.
  // s3 10:00–10:12 = 720 = 0.20 → partial 20.0. s4 10:00–10:11:59 = 719 = 0.1997 → absent 20.0.
  // s5 10:00–10:36 = 2160 = 0.60 → partial 60.0. s6 10:10 (late 10)–10:58 = 2880 = 0.80 → not > 0.8 → late 80.0.
  single("47 academy policy grace 5 min, thresholds 0.2 / 0.6 / 0.8: each boundary exactly", {
    policy: STRICT_POLICY,
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:05:00", "11:00:00"),
      ...stay("B1", "s2", "10:05:01", "10:50:01"),
      ...stay("C1", "s3", "10:00:00", "10:12:00"),
      ...stay("D1", "s4", "10:00:00", "10:11:59"),
      ...stay("E1", "s5", "10:00:00", "10:36:00"),
      ...stay("F1", "s6", "10:10:00", "10:58:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 3300, 91.7, false, 0, "10:05:00", "11:00:00"),
      s2: student("late", 2700, 75.0, true, 5, "10:05:01", "10:50:01"),
      s3: student("partial", 720, 20.0, false, 0, "10:00:00", "10:12:00"),
      s4: student("absent", 719, 20.0, false, 0, "10:00:00", "10:11:59"),
      s5: student("partial", 2160, 60.0, false, 0, "10:00:00", "10:36:00"),
      s6: student("late", 2880, 80.0, true, 10, "10:10:00", "10:58:00"),
    },
  }),

  // Same policy. s1 10:10 (late 10)–10:58:01 = 2881 = 0.80028 > 0.8 → present although late, 80.0.
  // s2 10:00–10:36:01 = 2161 = 0.60028 > 0.6, on time → present 60.0. s3 10:06 (late 6)–10:42:01 = 2161 → late 60.0.
  // s4 10:05:00 (exactly grace)–10:50:00 = 2700 = 0.75 → on time → present 75.0.
  single("48 academy policy grace 5 min, thresholds 0.2 / 0.6 / 0.8: one second over each", {
    policy: STRICT_POLICY,
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:10:00", "10:58:01"),
      ...stay("B1", "s2", "10:00:00", "10:36:01"),
      ...stay("C1", "s3", "10:06:00", "10:42:01"),
      ...stay("D1", "s4", "10:05:00", "10:50:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 2881, 80.0, true, 10, "10:10:00", "10:58:01"),
      s2: student("present", 2161, 60.0, false, 0, "10:00:00", "10:36:01"),
      s3: student("late", 2161, 60.0, true, 6, "10:06:00", "10:42:01"),
      s4: student("present", 2700, 75.0, false, 0, "10:05:00", "10:50:00"),
    },
  }),

  // Only a room_started: nobody counted. Everyone on the roster, the teacher too, is absent with no times.
  single("49 nobody came: everyone on the roster is absent with no times, the teacher too", {
    sessionSeconds: 3600,
    events: [roomStarted("09:59:00")],
    people: {
      t: neverJoined("teacher"),
      s1: neverJoined("student"),
      s2: neverJoined("student"),
    },
  }),

  // 45-min class (2700 s; 0.10 = 270 s). s1 270 s = 0.10 → partial 10.0; s2 269 s = 0.0996 → absent 10.0 (9.96).
  // s3 10:15:00 (on time)–10:45 = 1800 = 66.7 present; s4 10:15:01 (late 15)–10:45 = 1799 = 66.63 → 66.6 late.
  single("50 a 45-minute class: 0.10 is 270 s, and the grace boundary with a 2700 s window", {
    end: "10:45",
    sessionSeconds: 2700,
    events: [
      ...stay("T1", "t", "09:55", "10:50"),
      ...stay("A1", "s1", "10:00:00", "10:04:30"),
      ...stay("B1", "s2", "10:00:00", "10:04:29"),
      ...stay("C1", "s3", "10:15:00", "10:45:00"),
      ...stay("D1", "s4", "10:15:01", "10:45:00"),
    ],
    people: {
      t: teacher("present", 2700, 100, false, 0, "09:55", "10:50"),
      s1: student("partial", 270, 10.0, false, 0, "10:00:00", "10:04:30"),
      s2: student("absent", 269, 10.0, false, 0, "10:00:00", "10:04:29"),
      s3: student("present", 1800, 66.7, false, 0, "10:15:00", "10:45:00"),
      s4: student("late", 1799, 66.6, true, 15, "10:15:01", "10:45:00"),
    },
  }),

  // 90-min class (5400 s; 0.75 = 4050 s). s1 10:00–11:07:30 = 4050 = 0.75, on time → present 75.0.
  // s2 10:22:30 (late, 1350 s → 22 min)–11:30 = 4050 = 0.75 → late 75.0. s3 10:22:29 (1349 s → 22 min)–11:30 = 4051 → present 75.0 (75.02).
  single("51 a 90-minute class: 0.75 is 4050 s, late or present", {
    end: "11:30",
    sessionSeconds: 5400,
    events: [
      ...stay("T1", "t", "09:55", "11:35"),
      ...stay("A1", "s1", "10:00:00", "11:07:30"),
      ...stay("B1", "s2", "10:22:30", "11:30:00"),
      ...stay("C1", "s3", "10:22:29", "11:30:00"),
    ],
    people: {
      t: teacher("present", 5400, 100, false, 0, "09:55", "11:35"),
      s1: student("present", 4050, 75.0, false, 0, "10:00:00", "11:07:30"),
      s2: student("late", 4050, 75.0, true, 22, "10:22:30", "11:30:00"),
      s3: student("present", 4051, 75.0, true, 22, "10:22:29", "11:30:00"),
    },
  }),

  // Arrival = the earliest in-window start over all intervals. s1 10:10–10:11 (60) + 10:30–11:00 (1800) = 1860 = 51.7, arrival 10:10 → on time → present.
  // s2 10:16–10:17 + 10:30–11:00 = 1860 = 51.7, arrival 10:16 → late 16. s3 09:40–09:50 (no arrival) + 10:14:59–10:45 = 1801 = 50.0, arrival 10:14:59 → present.
  single("52 arrival is the earliest moment present in the window, even a brief visit", {
    sessionSeconds: 3600,
    events: [
      ...T_WHOLE,
      ...stay("A1", "s1", "10:10", "10:11"),
      ...stay("A2", "s1", "10:30", "11:00"),
      ...stay("B1", "s2", "10:16", "10:17"),
      ...stay("B2", "s2", "10:30", "11:00"),
      ...stay("C1", "s3", "09:40", "09:50"),
      ...stay("C2", "s3", "10:14:59", "10:45:00"),
    ],
    people: {
      t: t_whole,
      s1: student("present", 1860, 51.7, false, 0, "10:10", "11:00"),
      s2: student("late", 1860, 51.7, true, 16, "10:16", "11:00"),
      s3: student("present", 1801, 50.0, false, 0, "09:40", "10:45:00"),
    },
  }),

  // room_finished 10:30; the teacher's identity then connects only with the recorder grant (10:35–10:55): not a counted
  // connection (D8) → no resumption, window 1800, and not in the teacher's times. T 10:00–10:29 = 1740 = 96.7.
  // s1 10:00–10:29:30 = 1770 = 98.3 present; 10:36–10:55 after the end, not counted.
  single(
    "53 a non-counted connection of the teacher's identity (recorder) after an early finish does not resume the class",
    {
      sessionSeconds: 1800,
      events: [
        ...stay("T1", "t", "09:55", "10:29:00"),
        ...stay("A1", "s1", "10:00", "10:29:30"),
        roomFinished("10:30:00"),
        ...stay("T2", "t", "10:35", "10:55", { recorder: true }),
        ...stay("A2", "s1", "10:36", "10:55"),
      ],
      people: {
        t: teacher("present", 1740, 96.7, false, 0, "09:55", "10:29:00"),
        s1: student("present", 1770, 98.3, false, 0, "10:00", "10:55"),
      },
    },
  ),
];
