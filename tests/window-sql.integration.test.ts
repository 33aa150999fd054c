// The window rule has two implementations: TypeScript (lib/attendance/window.ts, lifecycle.ts) for
// reports and the live view, and SQL (rollcall_window_end, rollcall_session_state in
// prisma/functions/) for lists, the sweep and due times. Thousands
// of generated classes, aimed at the rule's boundaries (ATTENDANCE_RULES.md section 5,
// lib/attendance/README.md decisions 4, 5 and 12), are written straight into the tables in bulk; the
// SQL answers must equal the TypeScript ones computed from the same rows read back as the app reads
// them. A mismatch is reported with its class as a literal, shrunk to the fewest events that still
// disagree.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  dedupeEvents,
  resolveWindow,
  sessionState,
  teacherOf,
  type AttendanceWindow,
  type SessionState,
} from "../lib/attendance/index.ts";
import { sessionCalculationDueAt } from "../lib/calculation/session-due.ts";
import { loadSessionEvents } from "../lib/sessions/session-events.ts";
import { sessionStateSql, sessionTimings } from "../lib/sessions/session-state.ts";
import { createRng, pick, randomInt, type Rng } from "../lib/simulation/random.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { seedAcademy, uniqueName } from "./support/fixtures.ts";

const CLASSES = Number(process.env.ROLLCALL_WINDOW_SQL_CLASSES ?? 3000);
const SEED = Number(process.env.ROLLCALL_WINDOW_SQL_SEED ?? 20261130);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
/** Decision 5: the window is decided from the room's events 60 minutes either side of the schedule. */
const WIDE = 60 * MINUTE;

// ---------------------------------------------------------------------------------------------------
// The generated classes

interface SpecEvent {
  event: string;
  at: number;
  /** The session's room, or another room whose name only starts like it. */
  /** "other-scope": the same room name in another academy's LiveKit scope (signed with its own key). */
  room: "own" | "other" | "other-scope";
  sid: string | null;
  identity: string | null;
  kind: string | null;
  recorder: boolean;
  /** participant.joinedAt[Ms] as the webhook carried it. */
  joinedAt: number | null;
}

interface ClassSpec {
  index: number;
  start: number;
  end: number;
  /** "none": no teacher on the roster; identity null: a teacher person without a LiveKit identity. */
  teacher: "none" | { identity: string | null };
  students: string[];
  cancelled: boolean;
  calculated: boolean;
  events: SpecEvent[];
  /** What the generator aimed at, for the coverage check. */
  tags: string[];
}

function weighted<T>(rng: Rng, options: readonly (readonly [number, T])[]): T {
  const total = options.reduce((sum, [weight]) => sum + weight, 0);
  let r = rng() * total;
  for (const [weight, value] of options) {
    r -= weight;
    if (r < 0) return value;
  }
  return options[options.length - 1]![1];
}

const KINDS: readonly (readonly [number, string | null])[] = [
  [55, null],
  [4, ""],
  [4, "STANDARD"],
  [10, "SIP"],
  [8, "EGRESS"],
  [6, "AGENT"],
  [3, "INGRESS"],
  [2, "UNKNOWN_9"],
  [1, "sip"],
];

/** One class aimed at the window rule's boundaries; deterministic for a seed and an index. */
function generateClass(rng: Rng, index: number): ClassSpec {
  const tags = new Set<string>();
  const tag = (name: string) => tags.add(name);

  let start = Date.UTC(2024, 0, 1) + randomInt(rng, 0, 300 * 24 * 60) * MINUTE;
  const precision = weighted(rng, [
    [2, "minute"],
    [1, "second"],
    [1, "ms"],
  ] as const);
  if (precision === "second") start += randomInt(rng, 1, 59) * SECOND;
  if (precision === "ms") start += randomInt(rng, 1, 59_999);
  const durationKind = weighted(rng, [
    [10, "sub-second"],
    [5, "about-a-second"],
    [62, "usual"],
    [18, "any"],
    [5, "a-day"],
  ] as const);
  const duration =
    durationKind === "sub-second"
      ? pick(rng, [1, 2, 3, 500, 999])
      : durationKind === "about-a-second"
        ? pick(rng, [1000, 1001, 1999])
        : durationKind === "usual"
          ? pick(rng, [30, 45, 60, 90]) * MINUTE + pick(rng, [0, 0, 0, 1, -1, randomInt(rng, 1, 59_999)])
          : durationKind === "any"
            ? randomInt(rng, 1, 240 * MINUTE)
            : DAY;
  tag(`schedule:${durationKind}`);
  const end = start + duration;
  const inside = () => (duration > 1 ? start + randomInt(rng, 1, duration - 1) : end);

  const mode = weighted(rng, [
    [78, "normal"],
    [6, "none"],
    [6, "null-identity"],
    [5, "astral"],
    [5, "bmp-unicode"],
  ] as const);
  tag(`teacher:${mode}`);
  const plain = `c${index}.teacher`;
  // The identity the teacher connects with, on the roster or not.
  const joinsAs =
    mode === "astral" ? `\u{1F469}\u200D\u{1F3EB}${index}` : mode === "bmp-unicode" ? `\uFFFD-Ünïcödé-${index}` : plain;
  const teacher: ClassSpec["teacher"] =
    mode === "none" ? "none" : { identity: mode === "null-identity" ? null : joinsAs };
  const students = Array.from({ length: randomInt(rng, 0, 3) }, (_, k) => `c${index}.s${k}`);

  const events: SpecEvent[] = [];
  let sids = 0;
  const nextSid = () => `PA_${index}_${sids++}`;
  const add = (event: Partial<SpecEvent> & Pick<SpecEvent, "event" | "at">) =>
    events.push({ room: "own", sid: null, identity: null, kind: null, recorder: false, joinedAt: null, ...event });

  // room_finished: exactly at the start and the scheduled end, a millisecond and a second either
  // side, inside, in the preparation hour and after the end, at and beyond the 60-minute bounds.
  const finishCount = weighted(rng, [
    [12, 0],
    [38, 1],
    [25, 2],
    [15, 3],
    [10, 4],
  ] as const);
  const finishes: number[] = [];
  for (let k = 0; k < finishCount; k++) {
    const [name, at] = weighted(rng, [
      [8, ["finish@start", start]],
      [8, ["finish@start+1ms", start + 1]],
      [3, ["finish@start-1ms", start - 1]],
      [3, ["finish@start+1s", start + SECOND]],
      [2, ["finish@start-1s", start - SECOND]],
      [8, ["finish@end", end]],
      [8, ["finish@end-1ms", end - 1]],
      [3, ["finish@end+1ms", end + 1]],
      [3, ["finish@end-1s", end - SECOND]],
      [2, ["finish@end+1s", end + SECOND]],
      [36, ["finish:inside", inside()]],
      [2, ["finish:preparation", start - randomInt(rng, 1, 59) * MINUTE]],
      [2, ["finish:after-end", end + randomInt(rng, 1, 59) * MINUTE]],
      [2, ["finish@start-60min", start - WIDE]],
      [2, ["finish:before-range", start - WIDE - 1]],
      [2, ["finish@end+60min", end + WIDE]],
      [2, ["finish:after-range", end + WIDE + 1]],
      [6, ["finish:same-time-again", finishes.length ? pick(rng, finishes) : inside()]],
    ] as const);
    tag(name);
    finishes.push(at);
    add({ event: "room_finished", at });
  }
  const early = [...new Set(finishes.filter((at) => at > start && at < end))].sort((a, b) => a - b);
  if (early.length > 1) tag("finishes:several-early");
  if (rng() < 0.04) {
    tag("finish:other-room");
    add({ event: "room_finished", at: inside(), room: "other" });
  }
  if (rng() < 0.04) {
    tag("finish:other-scope");
    add({ event: "room_finished", at: inside(), room: "other-scope" });
  }
  if (rng() < 0.3) add({ event: "room_started", at: start - randomInt(rng, 0, 10) * MINUTE });

  // When a connection starts: around an early finish (exactly at it, a millisecond or second
  // either side, later before the end), or around the schedule and the 60-minute bounds.
  const connectionStart = (prefix: string): number => {
    if (early.length && rng() < 0.7) {
      const at = pick(rng, early);
      const [name, time] = weighted(rng, [
        [15, ["@finish", at]],
        [25, ["@finish+1ms", at + 1]],
        [10, ["@finish-1ms", at - 1]],
        [8, ["@finish+1s", at + SECOND]],
        [25, [":between-finish-and-end", at + randomInt(rng, 1, Math.max(1, end - at - 1))]],
        [8, ["@end", end]],
        [9, ["@end-1ms", end - 1]],
      ] as const);
      tag(`${prefix}${name}`);
      return time;
    }
    const [name, time] = weighted(rng, [
      [10, ["@end", end]],
      [10, ["@end-1ms", end - 1]],
      [6, ["@end+1ms", end + 1]],
      [12, ["@start", start]],
      [6, ["@start-1ms", start - 1]],
      [12, [":before-start", start - randomInt(rng, 1, 59) * MINUTE]],
      [30, [":inside", inside()]],
      [4, ["@start-60min", start - WIDE]],
      [4, [":before-range", start - WIDE - 1]],
      [3, ["@end+60min", end + WIDE]],
      [3, [":after-range", end + WIDE + 1]],
    ] as const);
    tag(`${prefix}${name}`);
    return time;
  };
  const leaveAfter = (at: number) => {
    const leave = at + pick(rng, [0, 1, 999, SECOND, randomInt(rng, 1, 30 * MINUTE)]);
    // A leave's createdAt is whole seconds in LiveKit; sometimes keep the milliseconds anyway.
    return rng() < 0.5 ? Math.ceil(leave / SECOND) * SECOND : leave;
  };

  // One connection of `identity` in shapes that exercise decision 1: a join, a join and its leave,
  // a leave only (lost join: it carries joinedAt), a leave without joinedAt, aborts, two joins, a
  // leave beyond the range, a join before the range with its leave inside.
  const connection = (identity: string, at: number, who: string, room: SpecEvent["room"] = "own") => {
    const sid = nextSid();
    const kind = weighted(rng, KINDS);
    const recorder = rng() < 0.08;
    if (recorder) tag(`${who} recorder`);
    tag(`${who} kind:${kind === null ? "none" : kind === "" ? "empty" : kind}`);
    const shape = weighted(rng, [
      [30, "join"],
      [25, "join+leave"],
      [14, "lost-join"],
      [4, "leave-without-joinedAt"],
      [4, "abort-only"],
      [5, "join+abort"],
      [4, "two-joins"],
      [4, "leave-after-range"],
      [5, "join-before-range+leave"],
      [5, "join-without-joinedAt"],
    ] as const);
    tag(`${who} shape:${shape}`);
    const base = { sid, identity, kind, recorder, room };
    const mine: SpecEvent[] = [];
    const push = (event: Omit<SpecEvent, keyof typeof base>) => mine.push({ ...base, ...event });
    switch (shape) {
      case "join":
        push({ event: "participant_joined", at, joinedAt: at });
        break;
      case "join+leave":
        push({ event: "participant_joined", at, joinedAt: at });
        push({ event: "participant_left", at: leaveAfter(at), joinedAt: rng() < 0.8 ? at : null });
        break;
      case "lost-join":
        push({ event: "participant_left", at: leaveAfter(at), joinedAt: at });
        break;
      case "leave-without-joinedAt":
        push({ event: "participant_left", at: leaveAfter(at), joinedAt: null });
        break;
      case "abort-only":
        push({ event: "participant_connection_aborted", at: leaveAfter(at), joinedAt: at });
        break;
      case "join+abort":
        push({ event: "participant_joined", at, joinedAt: at });
        push({ event: "participant_connection_aborted", at: leaveAfter(at), joinedAt: at });
        break;
      case "two-joins": {
        const other = at + pick(rng, [-1, 1, -SECOND, SECOND, -WIDE, WIDE]);
        push({ event: "participant_joined", at, joinedAt: at });
        push({ event: "participant_joined", at: other, joinedAt: other });
        break;
      }
      case "leave-after-range":
        push({ event: "participant_left", at: end + WIDE + pick(rng, [0, 1, SECOND]), joinedAt: at });
        break;
      case "join-before-range+leave": {
        const join = start - WIDE - pick(rng, [1, SECOND, 30 * MINUTE]);
        push({ event: "participant_joined", at: join, joinedAt: join });
        // Its leave carries the connection's start (after the join in LiveKit; `at` here).
        push({ event: "participant_left", at: Math.max(leaveAfter(at), join), joinedAt: rng() < 0.5 ? at : join });
        break;
      }
      case "join-without-joinedAt":
        push({ event: "participant_joined", at, joinedAt: null });
        break;
    }
    // A connection whose events disagree on its kind or the recorder grant counts not at all.
    if (mine.length > 1 && rng() < 0.12) {
      tag(`${who} mixed-kind`);
      const target = mine[randomInt(rng, 0, mine.length - 1)]!;
      if (rng() < 0.5) target.kind = pick(rng, ["EGRESS", "AGENT", null, "SIP"]);
      else target.recorder = !target.recorder;
    }
    return mine;
  };

  const teacherConnections = weighted(rng, [
    [12, 0],
    [35, 1],
    [30, 2],
    [16, 3],
    [7, 4],
  ] as const);
  for (let k = 0; k < teacherConnections; k++) {
    const mine = connection(joinsAs, connectionStart("teacher"), "teacher");
    // A connection whose events disagree on the identity (LiveKit never sends it; the log could
    // hold it): both sides keep the smallest identity.
    if (mine.length > 1 && rng() < (mode === "astral" ? 0.35 : 0.03)) {
      const target = mine[randomInt(rng, 0, mine.length - 1)]!;
      if (mode === "astral") {
        // U+FFFD sorts after U+1F469 in UTF-16 order and before it in code point (UTF-8) order.
        target.identity = `\uFFFD${joinsAs.slice(2)}`;
        tag("teacher-identity-disagrees:collation");
      } else {
        target.identity = rng() < 0.5 ? `${joinsAs}~` : `!${joinsAs}`;
        tag("teacher-identity-disagrees");
      }
    }
    events.push(...mine);
  }

  // Students, guests and look-alikes connecting after an early finish never resume the class; nor
  // does the teacher in another room, a teacher's non-participant webhook or a room_started.
  for (const at of early) {
    const after = at + pick(rng, [1, SECOND, randomInt(rng, 1, Math.max(1, end - at))]);
    if (students.length && rng() < 0.3) {
      tag("student-after-finish");
      events.push(...connection(pick(rng, students), after, "student"));
    }
    if (rng() < 0.2) {
      tag("guest-after-finish");
      events.push(...connection(`c${index}.guest`, after, "guest"));
    }
    if (rng() < 0.08) {
      tag("teacher-look-alike-after-finish");
      const lookAlike = joinsAs.toUpperCase() !== joinsAs ? joinsAs.toUpperCase() : `${joinsAs} `;
      events.push(...connection(lookAlike, after, "look-alike"));
    }
    if (rng() < 0.06) {
      tag("teacher-in-other-room-after-finish");
      events.push(...connection(joinsAs, after, "teacher-in-other-room", "other"));
    }
    if (rng() < 0.06) {
      tag("teacher-in-other-scope-after-finish");
      events.push(...connection(joinsAs, after, "teacher-in-other-scope", "other-scope"));
    }
    if (rng() < 0.05) {
      tag("teacher-track-published-after-finish");
      add({ event: "track_published", at: after, sid: nextSid(), identity: joinsAs });
    }
    if (rng() < 0.05) {
      tag("room-started-after-finish");
      add({ event: "room_started", at: after });
    }
  }
  // Ordinary attendance, unrelated to the finishes.
  for (const student of students)
    if (rng() < 0.5) events.push(...connection(student, pick(rng, [start, start - MINUTE, inside()]), "student"));

  const cancelled = rng() < 0.1;
  const calculated = rng() < 0.3;
  return { index, start, end, teacher, students, cancelled, calculated, events, tags: [...tags] };
}

// ---------------------------------------------------------------------------------------------------
// Writing them, in bulk

interface Stored {
  spec: ClassSpec;
  sessionId: string;
  roomName: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Sessions, people, rosters and webhook rows for `specs` under a new academy: five statements. */
async function store(db: BackendDb, specs: readonly ClassSpec[]): Promise<Stored[]> {
  const { academy } = await seedAcademy(db.prisma, "Window SQL Academy");
  const prefix = uniqueName("wsql");
  const stored = specs.map((spec, n) => ({ spec, sessionId: `${prefix}-${n}`, roomName: `${prefix}-${n}-room` }));

  const people: { id: string; role: "teacher" | "student"; identity: string | null }[] = [];
  const roster: { sessionId: string; personId: string; role: "teacher" | "student" }[] = [];
  for (const { spec, sessionId } of stored) {
    if (spec.teacher !== "none") {
      people.push({ id: `${sessionId}-t`, role: "teacher", identity: spec.teacher.identity });
      roster.push({ sessionId, personId: `${sessionId}-t`, role: "teacher" });
    }
    spec.students.forEach((identity, k) => {
      people.push({ id: `${sessionId}-s${k}`, role: "student", identity });
      roster.push({ sessionId, personId: `${sessionId}-s${k}`, role: "student" });
    });
  }
  await db.pool.query(
    `INSERT INTO person (id, academy_id, external_id, role, name, livekit_identity)
     SELECT x.id, $1, x.id, x.role::"PersonRole", 'Person ' || x.id, x.identity FROM unnest($2::text[], $3::text[], $4::text[]) AS x(id, role, identity)`,
    [academy.id, people.map((p) => p.id), people.map((p) => p.role), people.map((p) => p.identity)],
  );
  await db.pool.query(
    `INSERT INTO session (id, academy_id, type, title, room_name, scheduled_start, scheduled_end, teacher_id, is_calculated, cancelled_at)
     SELECT x.id, $1, 'quran'::"SessionType", 'Window class', x.room, x.start_at, x.end_at, x.teacher_id, x.calculated, x.cancelled_at
     FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::boolean[], $8::timestamptz[])
       AS x(id, room, start_at, end_at, teacher_id, calculated, cancelled_at)`,
    [
      academy.id,
      stored.map((s) => s.sessionId),
      stored.map((s) => s.roomName),
      stored.map((s) => iso(s.spec.start)),
      stored.map((s) => iso(s.spec.end)),
      stored.map((s) => (s.spec.teacher === "none" ? null : `${s.sessionId}-t`)),
      stored.map((s) => s.spec.calculated),
      stored.map((s) => (s.spec.cancelled ? iso(s.spec.start - DAY) : null)),
    ],
  );
  await db.pool.query(
    `INSERT INTO session_roster (session_id, person_id, role)
     SELECT x.session_id, x.person_id, x.role::"RosterRole" FROM unnest($1::text[], $2::text[], $3::text[]) AS x(session_id, person_id, role)`,
    [roster.map((r) => r.sessionId), roster.map((r) => r.personId), roster.map((r) => r.role)],
  );

  const columns: unknown[][] = Array.from({ length: 15 }, () => []);
  for (const { spec, sessionId, roomName } of stored) {
    spec.events.forEach((e, k) => {
      const id = `${sessionId}-e${k}`;
      const row = [
        id,
        e.event,
        iso(e.at),
        // A join's createdAt is whole seconds; its event time is the joinedAt (rules section 2).
        iso(e.event === "participant_joined" && e.joinedAt !== null ? Math.floor(e.at / SECOND) * SECOND : e.at),
        iso(e.at + 40),
        e.room === "other" ? `${roomName}-other` : roomName,
        `RM_${sessionId}`,
        e.sid === null ? null : `${sessionId}-${e.sid}`,
        e.identity,
        e.kind,
        e.recorder,
        isoOrNull(e.joinedAt),
        e.event === "participant_left" ? "CLIENT_INITIATED" : null,
        JSON.stringify({ event: e.event, id }),
        e.room === "other-scope" ? "another-academy" : "shared",
      ];
      row.forEach((value, c) => columns[c]!.push(value));
    });
  }
  await db.pool.query(
    `INSERT INTO webhook_event (id, event, event_time, created_at, received_at, room_name, room_sid, participant_sid, identity,
       participant_kind, is_recorder, participant_joined_at, disconnect_reason, raw_body, livekit_scope)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::boolean[], $12::timestamptz[], $13::text[], $14::text[], $15::text[])`,
    columns,
  );
  return stored;
}

// ---------------------------------------------------------------------------------------------------
// Comparing the two rules

/** The TypeScript window of each stored session, from its rows read back as the app reads them. */
async function typescriptWindows(db: BackendDb, stored: readonly Stored[]): Promise<Map<string, AttendanceWindow>> {
  const ids = stored.map((s) => s.sessionId);
  const sessions = (
    await db.pool.query<{
      id: string;
      livekit_scope: string;
      room_name: string;
      scheduled_start: Date;
      scheduled_end: Date;
    }>(`SELECT id, livekit_scope, room_name, scheduled_start, scheduled_end FROM session WHERE id = ANY($1::text[])`, [
      ids,
    ])
  ).rows;
  // As lib/calculation/calculate-sessions.ts builds the roster: people without an identity are left out.
  const rosterRows = (
    await db.pool.query<{ session_id: string; role: string; livekit_identity: string | null }>(
      `SELECT r.session_id, r.role, p.livekit_identity FROM session_roster r JOIN person p ON p.id = r.person_id WHERE r.session_id = ANY($1::text[])`,
      [ids],
    )
  ).rows;
  const rosters = new Map<string, { identity: string; role: string }[]>();
  for (const row of rosterRows) {
    if (!row.livekit_identity) continue;
    const list = rosters.get(row.session_id) ?? [];
    list.push({ identity: row.livekit_identity, role: row.role });
    rosters.set(row.session_id, list);
  }
  const events = await loadSessionEvents(
    db.pool,
    sessions.map((s) => ({
      id: s.id,
      livekitScope: s.livekit_scope,
      roomName: s.room_name,
      scheduledStart: s.scheduled_start,
      scheduledEnd: s.scheduled_end,
    })),
  );
  const windows = new Map<string, AttendanceWindow>();
  for (const s of sessions) {
    const schedule = { scheduledStart: s.scheduled_start.getTime(), scheduledEnd: s.scheduled_end.getTime() };
    windows.set(
      s.id,
      resolveWindow(schedule, dedupeEvents(events.get(s.id) ?? []), teacherOf(rosters.get(s.id) ?? [])),
    );
  }
  return windows;
}

async function sqlWindowEnds(db: BackendDb, stored: readonly Stored[]): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ id: string; window_end: Date }>(
    `SELECT id, rollcall_window_end(p_session_id => id) AS window_end FROM session WHERE id = ANY($1::text[])`,
    [stored.map((s) => s.sessionId)],
  );
  return new Map(rows.map((row) => [row.id, row.window_end.getTime()]));
}

interface WindowMismatch {
  stored: Stored;
  sql: number | undefined;
  typescript: number | undefined;
}

async function compareWindows(db: BackendDb, stored: readonly Stored[]) {
  const [typescript, sql] = [await typescriptWindows(db, stored), await sqlWindowEnds(db, stored)];
  const mismatches: WindowMismatch[] = [];
  for (const s of stored) {
    const ts = typescript.get(s.sessionId)?.windowEnd;
    const fromSql = sql.get(s.sessionId);
    if (ts === undefined || fromSql === undefined || ts !== fromSql)
      mismatches.push({ stored: s, sql: fromSql, typescript: ts });
  }
  return { typescript, mismatches };
}

/** Fewer events and students that still disagree: each candidate is stored afresh and compared. */
async function shrink(db: BackendDb, spec: ClassSpec): Promise<ClassSpec> {
  const fails = async (candidate: ClassSpec) =>
    (await compareWindows(db, await store(db, [candidate]))).mismatches.length > 0;
  let current = spec;
  let trials = 0;
  for (let progress = true; progress && trials < 400;) {
    progress = false;
    const candidates: ClassSpec[] = [
      ...current.events.map((_, k) => ({ ...current, events: current.events.filter((_e, j) => j !== k) })),
      ...current.students.map((_, k) => ({ ...current, students: current.students.filter((_s, j) => j !== k) })),
    ];
    for (const candidate of candidates) {
      trials++;
      if (await fails(candidate)) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}

/** A class as a literal to paste into a unit test: times as instants and as offsets from the start. */
function literal(spec: ClassSpec): string {
  const offset = (ms: number) => {
    const fromStart = ms - spec.start;
    const fromEnd = ms - spec.end;
    const show = (base: string, d: number) => (d === 0 ? base : `${base}${d > 0 ? "+" : ""}${d}ms`);
    return Math.abs(fromEnd) < Math.abs(fromStart) ? show("end", fromEnd) : show("start", fromStart);
  };
  const lines = [
    `scheduledStart: ${iso(spec.start)}, scheduledEnd: ${iso(spec.end)} (${spec.end - spec.start} ms)`,
    `teacher on roster: ${spec.teacher === "none" ? "none" : JSON.stringify(spec.teacher.identity)}, students: ${JSON.stringify(spec.students)}`,
    ...spec.events.map((e) =>
      [
        `  ${e.event} at ${iso(e.at)} (${offset(e.at)})`,
        e.room === "other" ? "room=OTHER" : null,
        e.sid === null ? null : `sid=${e.sid}`,
        e.identity === null ? null : `identity=${JSON.stringify(e.identity)}`,
        e.kind === null ? null : `kind=${JSON.stringify(e.kind)}`,
        e.recorder ? "recorder" : null,
        e.joinedAt === null ? null : `joinedAt=${iso(e.joinedAt)} (${offset(e.joinedAt)})`,
      ]
        .filter(Boolean)
        .join(" "),
    ),
  ];
  return lines.join("\n");
}

async function describeWindowMismatch(db: BackendDb, mismatch: WindowMismatch): Promise<string> {
  const minimal = await shrink(db, mismatch.stored.spec);
  const again = (await compareWindows(db, await store(db, [minimal]))).mismatches[0];
  const show = (ms: number | undefined) => (ms === undefined ? "missing" : iso(ms));
  return [
    `class ${mismatch.stored.spec.index}: SQL ${show(mismatch.sql)} vs TypeScript ${show(mismatch.typescript)}`,
    `minimal case: SQL ${show(again?.sql)} vs TypeScript ${show(again?.typescript)}`,
    literal(minimal),
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------------

describe.each(backends())("the SQL window rule equals the TypeScript one on $name", (backend) => {
  let db: BackendDb;
  beforeAll(() => {
    db = connectBackend(backend);
  });
  afterAll(() => db.close());

  test(`${CLASSES} generated classes: window end, state and due time agree (seed ${SEED})`, async () => {
    const clock = performance.now();
    const lap = () => `${Math.round(performance.now() - clock)} ms`;
    const rng = createRng(SEED);
    const specs = Array.from({ length: CLASSES }, (_, index) => generateClass(rng, index));
    const stored = await store(db, specs);
    const rows = specs.reduce((sum, spec) => sum + spec.events.length, 0);
    const storedAt = lap();

    // 1. The window end: one query for the SQL side, the app's own read for the TypeScript side.
    const { typescript, mismatches } = await compareWindows(db, stored);
    const windowsAt = lap();

    // 2. The session state (decision 12) at the start and the window end, a millisecond either
    // side, and at the scheduled end, for live, calculated and cancelled sessions, through the
    // expression the lists use (lib/sessions/session-state.ts) with the flags as parameters.
    const probes: { k: number; sessionId: string; now: number; cancelled: boolean; calculated: boolean }[] = [];
    for (const s of stored) {
      const window = typescript.get(s.sessionId);
      if (!window) continue;
      const nows = new Set<number>();
      for (const at of [s.spec.start, window.windowEnd, s.spec.end, ...window.roomFinishes.map((f) => f.at)])
        for (const d of [-1, 0, 1]) nows.add(at + d);
      for (const now of nows) {
        for (const [cancelled, calculated] of [
          [false, false],
          [false, true],
          [true, s.spec.calculated],
        ] as const) {
          probes.push({ k: probes.length, sessionId: s.sessionId, now, cancelled, calculated });
        }
      }
    }
    const { rows: states } = await db.pool.query<{ k: number; state: SessionState }>(
      `SELECT v.k, ${sessionStateSql("v", "v.now")} AS state
       FROM (SELECT x.k, s.id, s.scheduled_start, s.scheduled_end, x.cancelled_at, x.is_calculated, x.now
             FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::boolean[]) AS x(k, id, now, cancelled_at, is_calculated)
             JOIN session s ON s.id = x.id) v`,
      [
        probes.map((p) => p.k),
        probes.map((p) => p.sessionId),
        probes.map((p) => iso(p.now)),
        probes.map((p) => (p.cancelled ? iso(p.now - DAY) : null)),
        probes.map((p) => p.calculated),
      ],
    );
    const sqlState = new Map(states.map((row) => [row.k, row.state]));
    const byId = new Map(stored.map((s) => [s.sessionId, s]));
    const stateMismatches: string[] = [];
    for (const p of probes) {
      const s = byId.get(p.sessionId)!;
      const expected = sessionState({
        now: p.now,
        scheduledStart: s.spec.start,
        windowEnd: typescript.get(p.sessionId)!.windowEnd,
        cancelled: p.cancelled,
        calculated: p.calculated,
      });
      if (sqlState.get(p.k) !== expected) {
        stateMismatches.push(
          `class ${s.spec.index} at ${iso(p.now)} cancelled=${p.cancelled} calculated=${p.calculated}: SQL ${sqlState.get(p.k)} vs TypeScript ${expected}\n${literal(s.spec)}`,
        );
      }
    }
    const statesAt = lap();

    // 3. The same through sessionTimings (the rows' own flags) at a few instants across the classes.
    const timingNows = [...stored.slice(0, 5).map((s) => typescript.get(s.sessionId)!.windowEnd), Date.UTC(2024, 5, 1)];
    let timingComparisons = 0;
    for (const now of timingNows) {
      const timings = await sessionTimings(
        db.prisma,
        stored.map((s) => s.sessionId),
        new Date(now),
      );
      for (const s of stored) {
        const window = typescript.get(s.sessionId)!;
        const expected = sessionState({
          now,
          scheduledStart: s.spec.start,
          windowEnd: window.windowEnd,
          cancelled: s.spec.cancelled,
          calculated: s.spec.calculated,
        });
        const got = timings.get(s.sessionId);
        timingComparisons += 1;
        if (got?.state !== expected || got.windowEnd.getTime() !== window.windowEnd) {
          stateMismatches.push(
            `class ${s.spec.index} at ${iso(now)} via sessionTimings: SQL ${got?.state} ${got?.windowEnd.toISOString()} vs TypeScript ${expected} ${iso(window.windowEnd)}\n${literal(s.spec)}`,
          );
        }
      }
    }

    // 4. The due time (lib/calculation/session-due.ts) of every tenth class: the window end plus the delay.
    const dueMismatches: string[] = [];
    let dueComparisons = 0;
    for (let n = 0; n < stored.length; n += 10) {
      const s = stored[n]!;
      const delay = [5, 0, 7.5, 60][(n / 10) % 4]!;
      const due = await sessionCalculationDueAt(db.prisma, s.sessionId, delay);
      const expected = s.spec.cancelled ? null : typescript.get(s.sessionId)!.windowEnd + delay * MINUTE;
      dueComparisons += 1;
      if ((due?.getTime() ?? null) !== expected) {
        dueMismatches.push(
          `class ${s.spec.index} delay ${delay} min: SQL ${due?.toISOString() ?? null} vs TypeScript ${expected === null ? null : iso(expected)}\n${literal(s.spec)}`,
        );
      }
    }
    const dueAt = lap();

    // The generator must keep hitting what it aims at: every boundary, and every outcome.
    const coverage = new Map<string, number>();
    const count = (name: string) => coverage.set(name, (coverage.get(name) ?? 0) + 1);
    for (const s of stored) {
      for (const name of s.spec.tags) count(name);
      const window = typescript.get(s.sessionId)!;
      const resumed = window.roomFinishes.some((f) => f.resumedAt !== null);
      count(
        window.endedEarly
          ? resumed
            ? "outcome:resumed-then-ended-early"
            : "outcome:ended-early"
          : resumed
            ? "outcome:resumed-to-scheduled-end"
            : "outcome:scheduled-end",
      );
      if (window.roomFinishes.filter((f) => f.resumedAt !== null).length > 1) count("outcome:resumed-twice");
    }
    console.log(
      [
        `[window-sql ${backend.name}] ${CLASSES} classes, ${rows} webhook rows; ${stored.length} window comparisons, ` +
          `${probes.length} state comparisons (+${timingComparisons} via sessionTimings), ${dueComparisons} due-time comparisons`,
        `  stored in ${storedAt}, windows compared by ${windowsAt}, states by ${statesAt}, due times by ${dueAt}`,
        `  coverage: ${[...coverage.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, n]) => `${name} ${n}`)
          .join(", ")}`,
      ].join("\n"),
    );

    const described = [];
    for (const mismatch of mismatches.slice(0, 3)) described.push(await describeWindowMismatch(db, mismatch));
    expect(described, `${mismatches.length} window ends differ; the first, shrunk:\n${described.join("\n\n")}`).toEqual(
      [],
    );
    expect(stateMismatches.slice(0, 5), `${stateMismatches.length} states differ`).toEqual([]);
    expect(dueMismatches.slice(0, 5), `${dueMismatches.length} due times differ`).toEqual([]);

    if (CLASSES >= 1000) {
      const aimedAt = [
        "finish@start",
        "finish@start+1ms",
        "finish@start-1ms",
        "finish@end",
        "finish@end-1ms",
        "finish@end+1ms",
        "finish@end-1s",
        "finish:before-range",
        "finish:after-range",
        "finishes:several-early",
        "teacher@finish",
        "teacher@finish+1ms",
        "teacher@finish-1ms",
        "teacher@end",
        "teacher@end-1ms",
        "teacher:before-range",
        "teacher:after-range",
        "teacher shape:lost-join",
        "teacher shape:leave-after-range",
        "teacher shape:join-before-range+leave",
        "teacher recorder",
        "teacher kind:EGRESS",
        "teacher kind:AGENT",
        "teacher kind:SIP",
        "teacher mixed-kind",
        "teacher:none",
        "teacher:null-identity",
        "student-after-finish",
        "guest-after-finish",
        "teacher-in-other-room-after-finish",
        "schedule:sub-second",
        "outcome:ended-early",
        "outcome:resumed-then-ended-early",
        "outcome:resumed-to-scheduled-end",
        "outcome:resumed-twice",
        "outcome:scheduled-end",
      ];
      expect(aimedAt.filter((name) => !coverage.get(name))).toEqual([]);
    }
  }, 900_000);
});
