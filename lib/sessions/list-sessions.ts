import "server-only";
import type { PrismaClient } from "../db/client.ts";
import type { z } from "zod";
import { findSessions } from "./find-sessions.ts";
import { pageOf } from "./session-cursor.ts";
import type { ZListSessionsQuerySchema } from "./session-schemas.ts";
import { getSessionsWithRoster, toSessionView, type SessionView } from "./session-view.ts";

/**
 * A page of an academy's sessions by scheduled start (then id), optionally within [from, to) and of
 * one type or state, after a cursor; `nextAfter` is the next page's cursor, null on the last page.
 */
export async function listSessions(
  db: PrismaClient,
  {
    academyId,
    query,
    now = new Date(),
  }: { academyId: string; query: z.infer<typeof ZListSessionsQuerySchema>; now?: Date },
): Promise<{ sessions: SessionView[]; nextAfter: string | null }> {
  const found = await findSessions(db, {
    academyId,
    type: query.type,
    from: query.from,
    to: query.to,
    states: query.status ? [query.status] : undefined,
    order: "asc",
    // One more than the page, to know whether another follows.
    limit: query.limit + 1,
    after: query.after,
    now,
  });
  const sessions = await getSessionsWithRoster(
    db,
    found.map((row) => row.id),
    now,
  );
  const { page, nextAfter } = pageOf(sessions, query.limit);
  return { sessions: page.map(toSessionView), nextAfter };
}
