import { z } from "zod";
import type { PrismaClient } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { hasWindowEnded } from "../reports/session-due.ts";
import { ZSessionTypeSchema } from "../sessions/session-schemas.ts";
import { zonedDayRange, zonedToday } from "./zoned-time.ts";

export const SESSION_VIEWS = ["today", "live", "upcoming", "ended", "all"] as const;

/** The sessions page's filters, from its query string; anything malformed falls back to the default. */
export const ZSessionsFilterSchema = z.object({
  view: z.enum(SESSION_VIEWS).catch("today"),
  type: ZSessionTypeSchema.optional().catch(undefined),
  teacher: z.string().max(64).optional().catch(undefined),
  date: z.iso.date().optional().catch(undefined),
});
export type TSessionsFilter = z.infer<typeof ZSessionsFilterSchema>;

export type SessionState = "scheduled" | "live" | "awaiting-calculation" | "calculated" | "cancelled";
export type StatusCounts = { present: number; late: number; partial: number; absent: number; excused: number };

export interface SessionOverview {
  id: string;
  title: string;
  type: string;
  roomName: string;
  scheduledStart: string;
  scheduledEnd: string;
  teacher: { id: string; name: string } | null;
  state: SessionState;
  inRoom: number;
  rosterSize: number;
  counts: StatusCounts | null;
  calculatedAt: string | null;
}

const PAGE_SIZE = 200;

/**
 * The sessions a viewer may see (an admin: the academy; a teacher: their own), with each one's
 * state: scheduled, live with N in the room, awaiting calculation, or calculated with its counts.
 */
export async function listSessionsOverview(
  db: PrismaClient,
  { scope, timeZone, filter, now = new Date() }: { scope: { academyId: string; teacherId?: string }; timeZone: string; filter: TSessionsFilter; now?: Date },
): Promise<SessionOverview[]> {
  const where: Prisma.SessionWhereInput = { academyId: scope.academyId, type: filter.type };
  if (scope.teacherId) where.teacherId = scope.teacherId;
  else if (filter.teacher) where.teacherId = filter.teacher;

  let orderBy: Prisma.SessionOrderByWithRelationInput = { scheduledStart: "asc" };
  if (filter.date || filter.view === "today") {
    const { from, to } = zonedDayRange(filter.date ?? zonedToday(timeZone, now), timeZone);
    where.scheduledStart = { gte: from, lt: to };
  }
  if (filter.view === "live") where.status = "live";
  if (filter.view === "upcoming") Object.assign(where, { status: "scheduled", scheduledStart: { ...(where.scheduledStart as object), gt: now } });
  if (filter.view === "ended") {
    where.status = { not: "cancelled" };
    where.scheduledEnd = { lte: now };
    orderBy = { scheduledStart: "desc" };
  }
  if (filter.view === "all") orderBy = { scheduledStart: "desc" };

  const sessions = await db.session.findMany({
    where,
    orderBy: [orderBy, { id: "asc" }],
    take: PAGE_SIZE,
    include: { teacher: { select: { id: true, name: true } }, _count: { select: { roster: { where: { role: "student" } } } } },
  });
  const ids = sessions.map((session) => session.id);
  const [inRoomRows, countRows] = ids.length
    ? await Promise.all([
        db.sessionAttendee.groupBy({ by: ["sessionId"], where: { sessionId: { in: ids }, openConnections: { gt: 0 } }, _count: { _all: true } }),
        db.$queryRaw<{ session_id: string; status: keyof StatusCounts; n: bigint }[]>`
          SELECT session_id, coalesce(override_status::text, status::text) AS status, count(*) AS n
          FROM attendance_report WHERE session_id = ANY(${ids}::text[]) AND role = 'student'
          GROUP BY 1, 2`,
      ])
    : [[], []];
  const inRoom = new Map(inRoomRows.map((row) => [row.sessionId, row._count._all]));
  const counts = new Map<string, StatusCounts>();
  for (const row of countRows) {
    const entry = counts.get(row.session_id) ?? { present: 0, late: 0, partial: 0, absent: 0, excused: 0 };
    entry[row.status] = Number(row.n);
    counts.set(row.session_id, entry);
  }

  return sessions.map((session) => {
    let state: SessionState = "scheduled";
    if (session.status === "cancelled") state = "cancelled";
    else if (session.status === "live") state = "live";
    else if (session.isCalculated) state = "calculated";
    else if (session.status === "ended" || hasWindowEnded(session, now)) state = "awaiting-calculation";
    return {
      id: session.id,
      title: session.title,
      type: session.type,
      roomName: session.roomName,
      scheduledStart: session.scheduledStart.toISOString(),
      scheduledEnd: session.scheduledEnd.toISOString(),
      teacher: session.teacher,
      state,
      inRoom: inRoom.get(session.id) ?? 0,
      rosterSize: session._count.roster,
      counts: session.isCalculated ? (counts.get(session.id) ?? { present: 0, late: 0, partial: 0, absent: 0, excused: 0 }) : null,
      calculatedAt: session.calculatedAt?.toISOString() ?? null,
    };
  });
}

/** The academy's teachers, for the teacher filter. */
export function listTeachers(db: PrismaClient, academyId: string) {
  return db.person.findMany({ where: { academyId, role: "teacher" }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}
