import "server-only";
import type { Prisma } from "../generated/prisma/client.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { sessionTimings, type SessionTiming } from "./session-state.ts";

export const SESSION_VIEW_INCLUDE = {
  teacher: true,
  roster: { include: { person: true }, orderBy: { person: { name: "asc" } } },
} satisfies Prisma.SessionInclude;

export type SessionWithRoster = Prisma.SessionGetPayload<{ include: typeof SESSION_VIEW_INCLUDE }> & SessionTiming;

interface PersonView {
  id: string;
  externalId: string;
  name: string;
  livekitIdentity: string | null;
  email: string | null;
}

const personView = (person: {
  id: string;
  externalId: string;
  name: string;
  livekitIdentity: string | null;
  email: string | null;
}): PersonView => ({
  id: person.id,
  externalId: person.externalId,
  name: person.name,
  livekitIdentity: person.livekitIdentity,
  email: person.email,
});

/** The public shape of a session: only what the API promises, never internal columns. */
export function toSessionView(session: SessionWithRoster) {
  return {
    id: session.id,
    externalId: session.externalId,
    type: session.type,
    title: session.title,
    roomName: session.roomName,
    scheduledStart: session.scheduledStart.toISOString(),
    scheduledEnd: session.scheduledEnd.toISOString(),
    /** scheduled, live, ended (awaiting calculation), calculated or cancelled (decision 12). */
    status: session.state,
    /** The window end as the log knows it now: the scheduled end, or an early room_finished. */
    windowEnd: session.windowEnd.toISOString(),
    endedEarly: session.windowEnd.getTime() < session.scheduledEnd.getTime(),
    teacher: session.teacher ? personView(session.teacher) : null,
    students: session.roster.filter((entry) => entry.role === "student").map((entry) => personView(entry.person)),
    isCalculated: session.isCalculated,
    calculatedAt: session.calculatedAt?.toISOString() ?? null,
    cancelledAt: session.cancelledAt?.toISOString() ?? null,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
  };
}
export type SessionView = ReturnType<typeof toSessionView>;

/** Sessions with their roster and timing, in the order of `ids`. */
export async function getSessionsWithRoster(
  db: PrismaClient | Prisma.TransactionClient,
  ids: readonly string[],
  now = new Date(),
): Promise<SessionWithRoster[]> {
  const [sessions, timings] = await Promise.all([
    db.session.findMany({ where: { id: { in: [...ids] } }, include: SESSION_VIEW_INCLUDE }),
    sessionTimings(db, ids, now),
  ]);
  const byId = new Map(sessions.map((session) => [session.id, session]));
  return ids.flatMap((id) => {
    const session = byId.get(id);
    const timing = timings.get(id);
    return session && timing ? [{ ...session, ...timing }] : [];
  });
}

/**
 * A session as a viewer in `scope` may see it, with its teacher's name and its number of students
 * (the session page's heading); null when it is not in the scope or does not exist.
 */
export function findSessionHeading(
  db: PrismaClient,
  scope: { academyId: string; teacherId?: string },
  sessionId: string,
) {
  return db.session.findFirst({
    where: { id: sessionId, ...scope },
    include: { teacher: { select: { name: true } }, _count: { select: { roster: { where: { role: "student" } } } } },
  });
}

/**
 * A session of the academy, or 404; another academy's session is indistinguishable from a missing
 * one. With a teacher, only a session that teacher teaches.
 */
export async function getSessionOrThrow(
  db: PrismaClient | Prisma.TransactionClient,
  academyId: string,
  sessionId: string,
  teacherId?: string,
  now = new Date(),
): Promise<SessionWithRoster> {
  const session = await db.session.findFirst({
    where: { id: sessionId, academyId, ...(teacherId ? { teacherId } : {}) },
    include: SESSION_VIEW_INCLUDE,
  });
  if (!session) throw new AppError("not_found", "No such session.");
  const timing = (await sessionTimings(db, [session.id], now)).get(session.id);
  if (!timing) throw new AppError("not_found", "No such session.");
  return { ...session, ...timing };
}
