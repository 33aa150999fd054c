import "server-only";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { academyLivekitScope, livekitKeysLock, SHARED_SCOPE } from "../livekit/credentials.ts";

/**
 * Rules section 1: two sessions of one room whose scheduled windows overlap are refused, since the
 * room's webhooks could not be told apart; back to back (one ends when the next starts) is fine.
 * A room is a name within a LiveKit scope (DESIGN.md, "Tenancy"): an academy on its own key has its
 * rooms to itself, so its answer never depends on another academy's sessions; academies on the
 * server-wide key share one LiveKit project and so its room names. Serialized per scope and room
 * within the caller's transaction, so two requests cannot both pass. Returns the scope the session
 * gets.
 */
export async function claimRoom(
  tx: Prisma.TransactionClient,
  {
    academyId,
    roomName,
    scheduledStart,
    scheduledEnd,
    exceptSessionId,
  }: { academyId: string; roomName: string; scheduledStart: Date; scheduledEnd: Date; exceptSessionId?: string },
): Promise<string> {
  // Read under the academy's keys lock: a first key registered meanwhile (which moves the sessions
  // not yet started) waits for this one to be stored, or is already committed and seen here.
  await tx.$executeRawUnsafe(
    "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))",
    livekitKeysLock(academyId),
  );
  const livekitScope = await academyLivekitScope(tx, academyId);
  await tx.$executeRawUnsafe(
    "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
    `room/${livekitScope}/${roomName}`,
  );
  const clash = await tx.session.findFirst({
    where: {
      livekitScope,
      roomName,
      cancelledAt: null,
      id: exceptSessionId ? { not: exceptSessionId } : undefined,
      scheduledStart: { lt: scheduledEnd },
      scheduledEnd: { gt: scheduledStart },
    },
    select: { id: true },
  });
  if (clash) {
    // On the shared key the clash may be another academy's session: the answer names neither it
    // nor its academy, only that the shared project's room is taken then.
    throw new AppError(
      "conflict",
      livekitScope === SHARED_SCOPE
        ? `The room ${JSON.stringify(roomName)} is taken at an overlapping time on the LiveKit project this academy shares; use another room name or time.`
        : `The room ${JSON.stringify(roomName)} already has a session at an overlapping time; use another room name or time.`,
    );
  }
  return livekitScope;
}
