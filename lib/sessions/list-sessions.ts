import type { PrismaClient } from "../db.ts";
import type { z } from "zod";
import type { ZListSessionsQuerySchema } from "./session-schemas.ts";
import { SESSION_VIEW_INCLUDE, toSessionView, type SessionView } from "./session-view.ts";

/** An academy's sessions by scheduled start, optionally within [from, to) and of one type or status. */
export async function listSessions(
  db: PrismaClient,
  { academyId, query }: { academyId: string; query: z.infer<typeof ZListSessionsQuerySchema> },
): Promise<SessionView[]> {
  const sessions = await db.session.findMany({
    where: {
      academyId,
      type: query.type,
      status: query.status,
      scheduledStart: { gte: query.from, lt: query.to },
    },
    include: SESSION_VIEW_INCLUDE,
    orderBy: [{ scheduledStart: "asc" }, { id: "asc" }],
    take: query.limit,
  });
  return sessions.map(toSessionView);
}
