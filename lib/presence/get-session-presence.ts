import type { PrismaClient } from "../db.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";

export interface PresencePerson {
  identity: string;
  personId: string | null;
  name: string | null;
  role: "teacher" | "student" | "guest";
}

/** One connection as folded so far: the raw join/leave cycle, not the calculated interval. */
export interface PresenceCycle {
  joinedAt: string | null;
  leftAt: string | null;
}

export interface SessionPresence {
  sessionId: string;
  status: string;
  roomName: string;
  scheduledStart: string;
  scheduledEnd: string;
  inRoom: (PresencePerson & { since: string; connections: number; firstJoinAt: string; joinCount: number; cycles: PresenceCycle[] })[];
  left: (PresencePerson & { firstJoinAt: string; lastLeaveAt: string | null; joinCount: number; cycles: PresenceCycle[] })[];
  notJoined: PresencePerson[];
  counts: { inRoom: number; left: number; notJoined: number; roster: number };
  updatedAt: string;
}

/**
 * Who is in the room now, since when and on how many connections; who came and left; who on the
 * roster has not come. Read from the presence folded at ingest, never from LiveKit.
 */
export async function getSessionPresence(
  db: PrismaClient,
  { academyId, sessionId, teacherId }: { academyId: string; sessionId: string; teacherId?: string },
): Promise<SessionPresence> {
  const session = await getSessionOrThrow(db, academyId, sessionId, teacherId);
  const attendees = await db.sessionAttendee.findMany({
    where: { sessionId, firstJoinAt: { not: null } },
    orderBy: [{ firstJoinAt: "asc" }, { identity: "asc" }],
  });

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
  // Identities not on the roster may still be people of the academy (a substitute teacher, a
  // student of another group): show their names, but as guests.
  const guestIdentities = attendees.map((attendee) => attendee.identity).filter((identity) => !rosterByIdentity.has(identity));
  const knownGuests = guestIdentities.length
    ? await db.person.findMany({ where: { academyId, livekitIdentity: { in: guestIdentities } }, select: { id: true, name: true, livekitIdentity: true } })
    : [];
  const guestByIdentity = new Map(knownGuests.map((person) => [person.livekitIdentity, person]));
  const describe = (identity: string): PresencePerson =>
    rosterByIdentity.get(identity) ?? {
      identity,
      personId: guestByIdentity.get(identity)?.id ?? null,
      name: guestByIdentity.get(identity)?.name ?? null,
      role: "guest",
    };

  const inRoom: SessionPresence["inRoom"] = [];
  const left: SessionPresence["left"] = [];
  const seen = new Set<string>();
  for (const attendee of attendees) {
    seen.add(attendee.identity);
    const person = describe(attendee.identity);
    const firstJoinAt = attendee.firstJoinAt!.toISOString();
    const cycles = (attendee.cycles as { joinedAt?: string | null; leftAt?: string | null }[]).map((cycle) => ({
      joinedAt: cycle.joinedAt ?? null,
      leftAt: cycle.leftAt ?? null,
    }));
    if (attendee.openConnections > 0 && attendee.presentSince) {
      inRoom.push({ ...person, since: attendee.presentSince.toISOString(), connections: attendee.openConnections, firstJoinAt, joinCount: attendee.joinCount, cycles });
    } else {
      left.push({ ...person, firstJoinAt, lastLeaveAt: attendee.lastLeaveAt?.toISOString() ?? null, joinCount: attendee.joinCount, cycles });
    }
  }
  const roleOrder = { teacher: 0, student: 1, guest: 2 };
  const notJoined = [...rosterByIdentity.values()]
    .filter((person) => !seen.has(person.identity))
    .sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || (a.name ?? "").localeCompare(b.name ?? ""));

  return {
    sessionId: session.id,
    status: session.status,
    roomName: session.roomName,
    scheduledStart: session.scheduledStart.toISOString(),
    scheduledEnd: session.scheduledEnd.toISOString(),
    inRoom,
    left,
    notJoined,
    counts: { inRoom: inRoom.length, left: left.length, notJoined: notJoined.length, roster: rosterByIdentity.size },
    updatedAt: session.updatedAt.toISOString(),
  };
}
