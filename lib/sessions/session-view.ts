import type { Prisma } from "../generated/prisma/client.ts";
import type { PrismaClient } from "../db.ts";
import { AppError } from "../errors.ts";

export const SESSION_VIEW_INCLUDE = {
  teacher: true,
  roster: { include: { person: true }, orderBy: { person: { name: "asc" } } },
} satisfies Prisma.SessionInclude;

type SessionWithRoster = Prisma.SessionGetPayload<{ include: typeof SESSION_VIEW_INCLUDE }>;

interface PersonView {
  id: string;
  externalId: string;
  name: string;
  livekitIdentity: string | null;
  email: string | null;
}

const personView = (person: { id: string; externalId: string; name: string; livekitIdentity: string | null; email: string | null }): PersonView => ({
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
    status: session.status,
    teacher: session.teacher ? personView(session.teacher) : null,
    students: session.roster.filter((entry) => entry.role === "student").map((entry) => personView(entry.person)),
    roomStartedAt: session.roomStartedAt?.toISOString() ?? null,
    roomFinishedAt: session.roomFinishedAt?.toISOString() ?? null,
    isCalculated: session.isCalculated,
    calculatedAt: session.calculatedAt?.toISOString() ?? null,
    cancelledAt: session.cancelledAt?.toISOString() ?? null,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
  };
}
export type SessionView = ReturnType<typeof toSessionView>;

/** A session of this academy; another academy's session is indistinguishable from a missing one. */
/**
 * A session of the academy, or 404. With a teacher, only a session that teacher teaches: another
 * teacher's class is indistinguishable from none.
 */
export async function getSessionOrThrow(
  db: PrismaClient | Prisma.TransactionClient,
  academyId: string,
  sessionId: string,
  teacherId?: string,
): Promise<SessionWithRoster> {
  const session = await db.session.findFirst({ where: { id: sessionId, academyId, ...(teacherId ? { teacherId } : {}) }, include: SESSION_VIEW_INCLUDE });
  if (!session) throw new AppError("not_found", "No such session.");
  return session;
}
