import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { getSessionOrThrow, toSessionView, type SessionView } from "./session-view.ts";

/**
 * Cancels a session. Idempotent; its log and presence are kept, and no attendance is calculated
 * for it.
 */
export async function cancelSession(
  db: PrismaClient,
  { academyId, sessionId }: { academyId: string; sessionId: string },
): Promise<SessionView> {
  await getSessionOrThrow(db, academyId, sessionId);
  await db.session.updateMany({
    where: { id: sessionId, academyId, cancelledAt: null },
    data: { cancelledAt: new Date() },
  });
  return toSessionView(await getSessionOrThrow(db, academyId, sessionId));
}
