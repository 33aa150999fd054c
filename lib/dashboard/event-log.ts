import { z } from "zod";
import type { PrismaClient } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export const ZEventLogFilterSchema = z.object({
  event: z.string().max(64).regex(/^[a-z_]+$/).optional().catch(undefined),
  room: z.string().max(256).optional().catch(undefined),
  identity: z.string().max(256).optional().catch(undefined),
  session: z.string().max(64).optional().catch(undefined),
  matched: z.enum(["yes", "no"]).optional().catch(undefined),
  /** Show events for rooms no session has (only offered where the deployment has one academy). */
  unknownRooms: z.enum(["1"]).optional().catch(undefined),
  /** Cursor "receivedAt|id" of the last row of the previous page (receivedAt alone can tie). */
  before: z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z\|[^|]{1,256}$/).optional().catch(undefined),
});
export type TEventLogFilter = z.infer<typeof ZEventLogFilterSchema>;

export const EVENT_LOG_PAGE = 50;

/**
 * Events for rooms no session has carry no academy. They are shown only where the deployment has a
 * single academy, where they can be nobody else's; with several academies, room names and identities
 * of one school must not reach another's admins (operators read them in the database).
 */
export async function canSeeUnknownRooms(db: PrismaClient): Promise<boolean> {
  return (await db.academy.count()) === 1;
}

/** A page of the academy's webhook log, newest first, with the raw payloads. */
export async function listEventLog(db: PrismaClient, { academyId, filter }: { academyId: string; filter: TEventLogFilter }) {
  const showUnknown = filter.unknownRooms === "1" && (await canSeeUnknownRooms(db));
  const where: Prisma.WebhookEventWhereInput = showUnknown ? { academyId: null } : { academyId };
  if (filter.event) where.event = filter.event;
  if (filter.room) where.roomName = { contains: filter.room };
  if (filter.identity) where.identity = { contains: filter.identity };
  if (filter.session) where.sessionId = filter.session;
  if (filter.matched) where.matched = filter.matched === "yes";
  if (filter.before) {
    const [at, id] = filter.before.split("|") as [string, string];
    const receivedAt = new Date(at);
    where.OR = [{ receivedAt: { lt: receivedAt } }, { receivedAt, id: { lt: id } }];
  }
  const rows = await db.webhookEvent.findMany({
    where,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: EVENT_LOG_PAGE + 1,
  });
  const page = rows.slice(0, EVENT_LOG_PAGE);
  // The log has no foreign key (it is immutable and outlives sessions), so titles are looked up.
  const sessionIds = [...new Set(page.flatMap((row) => (row.sessionId ? [row.sessionId] : [])))];
  const sessions = new Map(
    (await db.session.findMany({ where: { id: { in: sessionIds }, academyId }, select: { id: true, title: true } })).map((s) => [s.id, s]),
  );
  return {
    events: page.map((row) => ({
      id: row.id,
      event: row.event,
      eventTime: row.eventTime.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
      roomName: row.roomName,
      identity: row.identity,
      participantKind: row.participantKind,
      isRecorder: row.isRecorder,
      matched: row.matched,
      note: row.note,
      session: row.sessionId ? (sessions.get(row.sessionId) ?? null) : null,
      rawBody: row.rawBody,
    })),
    nextBefore: rows.length > EVENT_LOG_PAGE ? `${page.at(-1)!.receivedAt.toISOString()}|${page.at(-1)!.id}` : null,
  };
}
