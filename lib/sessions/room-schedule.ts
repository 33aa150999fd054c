import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";

/**
 * Rules section 1: two sessions of one room whose scheduled windows overlap are refused, since the
 * room's webhooks could not be told apart; back to back (one ends when the next starts) is fine.
 * Serialized per room name within the caller's transaction, so two requests cannot both pass.
 */
export async function assertRoomFree(
  tx: Prisma.TransactionClient,
  { roomName, scheduledStart, scheduledEnd, exceptSessionId }: { roomName: string; scheduledStart: Date; scheduledEnd: Date; exceptSessionId?: string },
): Promise<void> {
  await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", `room/${roomName}`);
  const clash = await tx.session.findFirst({
    where: {
      roomName,
      cancelledAt: null,
      id: exceptSessionId ? { not: exceptSessionId } : undefined,
      scheduledStart: { lt: scheduledEnd },
      scheduledEnd: { gt: scheduledStart },
    },
    select: { id: true },
  });
  if (clash) {
    throw new AppError("conflict", `The room ${JSON.stringify(roomName)} already has a session at an overlapping time; use another room name or time.`);
  }
}
