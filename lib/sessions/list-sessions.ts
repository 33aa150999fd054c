import "server-only";
import type { PrismaClient } from "../db/client.ts";
import type { z } from "zod";
import { findSessions } from "./find-sessions.ts";
import type { ZListSessionsQuerySchema } from "./session-schemas.ts";
import { getSessionsWithRoster, toSessionView, type SessionView } from "./session-view.ts";

/** An academy's sessions by scheduled start, optionally within [from, to) and of one type or state. */
export async function listSessions(
  db: PrismaClient,
  { academyId, query, now = new Date() }: { academyId: string; query: z.infer<typeof ZListSessionsQuerySchema>; now?: Date },
): Promise<SessionView[]> {
  const found = await findSessions(db, {
    academyId,
    type: query.type,
    from: query.from,
    to: query.to,
    states: query.status ? [query.status] : undefined,
    order: "asc",
    limit: query.limit,
    now,
  });
  const sessions = await getSessionsWithRoster(
    db,
    found.map((row) => row.id),
    now,
  );
  return sessions.map(toSessionView);
}
