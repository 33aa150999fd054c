import "server-only";
import {
  arrivalTime,
  foldSession,
  lateness,
  ROLE_ORDER,
  sessionState,
  type ClosedBy,
  type ConnectionInterval,
  type SessionState,
} from "../attendance/index.ts";
import type { PrismaClient } from "../db/client.ts";
import { getAcademyPolicy } from "../policy/academy-policy.ts";
import { loadSessionEvents, viaPrisma } from "../sessions/session-events.ts";
import { getSessionOrThrow, type SessionWithRoster } from "../sessions/session-view.ts";

export interface PresencePerson {
  identity: string;
  personId: string | null;
  name: string | null;
  role: "teacher" | "student" | "guest";
}

/** One connection as the rules close it so far; `leftAt` null while it is open. */
export interface PresenceCycle {
  /** LiveKit's connection id (the participant's sid): what a report's provenance names the connection by. */
  sid: string;
  joinedAt: string;
  leftAt: string | null;
  closedBy: ClosedBy | null;
}

/**
 * When the person arrived inside the window so far and whether that is late, by the report's own
 * rules (section 6: `arrivalTime`, `lateness`) and the session type's current grace period, so a
 * live class shows its late arrivals before any report exists.
 */
export interface PresenceArrival {
  arrivedAt: string | null;
  isLate: boolean;
  lateMinutes: number;
}

type Tally = { roster: number; inRoom: number; left: number; notJoined: number };

export interface SessionPresence {
  sessionId: string;
  status: SessionState;
  roomName: string;
  scheduledStart: string;
  scheduledEnd: string;
  /** The window end as the log knows it now (rules section 5). */
  windowEnd: string;
  endedEarly: boolean;
  /** Each room_finished inside the scheduled window and when the teacher came back, if they did. */
  roomFinishes: { at: string; resumedAt: string | null }[];
  inRoom: (PresencePerson &
    PresenceArrival & {
      since: string;
      connections: number;
      firstJoinAt: string;
      joinCount: number;
      cycles: PresenceCycle[];
    })[];
  left: (PresencePerson &
    PresenceArrival & {
      firstJoinAt: string;
      lastLeaveAt: string | null;
      joinCount: number;
      cycles: PresenceCycle[];
    })[];
  notJoined: PresencePerson[];
  /** Students, the teacher and guests apart (decision 9); "in the room" counts people, not devices. */
  counts: { students: Tally; teachers: Tally; guests: { inRoom: number; left: number } };
  updatedAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Who is in the room now, since when and on how many connections; who came and left; who on the
 * roster has not come. The session's webhooks folded at `now` by the same code as the report
 * (lib/attendance, decision 13), never read from LiveKit.
 */
export async function getSessionPresence(
  db: PrismaClient,
  {
    academyId,
    sessionId,
    teacherId,
    now = new Date(),
  }: { academyId: string; sessionId: string; teacherId?: string; now?: Date },
): Promise<SessionPresence> {
  const session = await getSessionOrThrow(db, academyId, sessionId, teacherId, now);
  const [events, policy] = await Promise.all([
    loadSessionEvents(viaPrisma(db), [session]),
    getAcademyPolicy(db, session.academyId),
  ]);
  return presenceOf(db, session, events.get(session.id) ?? [], now, {
    guestNames: true,
    graceMinutes: policy.types[session.type].effective.graceMinutes,
  });
}

/** The roster by LiveKit identity (people without one cannot be in a room). */
function rosterOf(session: SessionWithRoster): Map<string, PresencePerson> {
  const rosterByIdentity = new Map<string, PresencePerson>();
  for (const entry of session.roster) {
    if (!entry.person.livekitIdentity) continue;
    rosterByIdentity.set(entry.person.livekitIdentity, {
      identity: entry.person.livekitIdentity,
      personId: entry.person.id,
      name: entry.person.name,
      role: entry.role,
    });
  }
  return rosterByIdentity;
}

/**
 * Who an identity is: the roster's person, or a guest. Identities not on the roster may still be
 * people of the academy (a substitute teacher, a student of another group): their names are shown,
 * but as guests.
 */
async function guestDescriber(
  db: PrismaClient,
  session: SessionWithRoster,
  identities: string[],
  rosterByIdentity: Map<string, PresencePerson>,
  guestNames: boolean,
) {
  const guestIdentities = identities.filter((identity) => !rosterByIdentity.has(identity));
  const knownGuests =
    guestNames && guestIdentities.length
      ? await db.person.findMany({
          where: { academyId: session.academyId, livekitIdentity: { in: guestIdentities } },
          select: { id: true, name: true, livekitIdentity: true },
        })
      : [];
  const guestByIdentity = new Map(knownGuests.map((person) => [person.livekitIdentity, person]));
  return (identity: string): PresencePerson =>
    rosterByIdentity.get(identity) ?? {
      identity,
      personId: guestByIdentity.get(identity)?.id ?? null,
      name: guestByIdentity.get(identity)?.name ?? null,
      role: "guest",
    };
}

function countsOf(
  rosterByIdentity: Map<string, PresencePerson>,
  inRoom: SessionPresence["inRoom"],
  left: SessionPresence["left"],
  notJoined: SessionPresence["notJoined"],
): SessionPresence["counts"] {
  const tally = (role: "student" | "teacher"): Tally => ({
    roster: [...rosterByIdentity.values()].filter((person) => person.role === role).length,
    inRoom: inRoom.filter((person) => person.role === role).length,
    left: left.filter((person) => person.role === role).length,
    notJoined: notJoined.filter((person) => person.role === role).length,
  });
  return {
    students: tally("student"),
    teachers: tally("teacher"),
    guests: {
      inRoom: inRoom.filter((person) => person.role === "guest").length,
      left: left.filter((person) => person.role === "guest").length,
    },
  };
}

async function presenceOf(
  db: PrismaClient,
  session: SessionWithRoster,
  events: Parameters<typeof foldSession>[0]["events"],
  now: Date,
  // graceMinutes null: only the counts are read (the lists), and nobody is marked late.
  { guestNames, graceMinutes }: { guestNames: boolean; graceMinutes: number | null },
): Promise<SessionPresence> {
  const rosterByIdentity = rosterOf(session);
  const fold = foldSession({
    scheduledStart: session.scheduledStart.getTime(),
    scheduledEnd: session.scheduledEnd.getTime(),
    roster: [...rosterByIdentity.values()].map((person) => ({
      identity: person.identity,
      personId: person.personId!,
      role: person.role as "teacher" | "student",
    })),
    events,
    now: now.getTime(),
  });

  const describe = await guestDescriber(db, session, [...fold.connections.keys()], rosterByIdentity, guestNames);

  const { window } = fold;
  const arrivalOf = (connections: readonly ConnectionInterval[]): PresenceArrival => {
    // A connection still open has lasted until now so far.
    const arrival = arrivalTime(
      connections.map((c) => ({ start: c.start, end: c.end ?? Math.max(now.getTime(), c.start) })),
      window.windowStart,
      window.windowEnd,
    );
    return {
      arrivedAt: arrival === null ? null : iso(arrival),
      ...(graceMinutes === null
        ? { isLate: false, lateMinutes: 0 }
        : lateness(arrival, window.windowStart, graceMinutes)),
    };
  };
  const inRoom: SessionPresence["inRoom"] = [];
  const left: SessionPresence["left"] = [];
  const people = [...fold.connections.entries()].sort(
    ([a, x], [b, y]) => x[0]!.start - y[0]!.start || (a < b ? -1 : 1),
  );
  for (const [identity, connections] of people) {
    const person = describe(identity);
    const cycles = connections.map((c: ConnectionInterval) => ({
      sid: c.sid,
      joinedAt: iso(c.start),
      leftAt: c.end === null ? null : iso(c.end),
      closedBy: c.closedBy,
    }));
    const open = connections.filter((c) => c.end === null);
    const firstJoinAt = iso(connections[0]!.start);
    if (open.length) {
      inRoom.push({
        ...person,
        ...arrivalOf(connections),
        since: iso(Math.min(...open.map((c) => c.start))),
        connections: open.length,
        firstJoinAt,
        joinCount: connections.length,
        cycles,
      });
    } else {
      left.push({
        ...person,
        ...arrivalOf(connections),
        firstJoinAt,
        lastLeaveAt: iso(Math.max(...connections.map((c) => c.end!))),
        joinCount: connections.length,
        cycles,
      });
    }
  }
  const seen = new Set(fold.connections.keys());
  const notJoined = [...rosterByIdentity.values()]
    .filter((person) => !seen.has(person.identity))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.name ?? "").localeCompare(b.name ?? ""));

  return {
    sessionId: session.id,
    // From the window the fold just resolved: the same rule the lists evaluate in SQL.
    status: sessionState({
      now: now.getTime(),
      scheduledStart: session.scheduledStart.getTime(),
      windowEnd: window.windowEnd,
      cancelled: session.cancelledAt !== null,
      calculated: session.isCalculated,
    }),
    roomName: session.roomName,
    scheduledStart: session.scheduledStart.toISOString(),
    scheduledEnd: session.scheduledEnd.toISOString(),
    windowEnd: iso(window.windowEnd),
    endedEarly: window.endedEarly,
    roomFinishes: window.roomFinishes.map((finish) => ({
      at: iso(finish.at),
      resumedAt: finish.resumedAt === null ? null : iso(finish.resumedAt),
    })),
    inRoom,
    left,
    notJoined,
    counts: countsOf(rosterByIdentity, inRoom, left, notJoined),
    updatedAt: now.toISOString(),
  };
}

/** Students (and the teacher, and guests) in the room now, for many sessions: the list pages' "N in the room". */
export async function countInRoom(
  db: PrismaClient,
  sessions: SessionWithRoster[],
  now = new Date(),
): Promise<Map<string, SessionPresence["counts"]>> {
  const events = await loadSessionEvents(viaPrisma(db), sessions);
  const counts = new Map<string, SessionPresence["counts"]>();
  // Counts need no names: no person lookup per session.
  for (const session of sessions)
    counts.set(
      session.id,
      (await presenceOf(db, session, events.get(session.id) ?? [], now, { guestNames: false, graceMinutes: null }))
        .counts,
    );
  return counts;
}
