import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { getScheduler } from "../scheduling/attendance-scheduler.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";

/**
 * Queues a forced recalculation of an ended session (the button, the API, the CLI). The answer says
 * when it was asked for: the report is new once its calculatedAt is at or after requestedAt.
 */
export async function requestRecalculation(
  db: PrismaClient,
  {
    academyId,
    teacherId,
    sessionId,
    requestedBy,
  }: { academyId: string; teacherId?: string; sessionId: string; requestedBy: string },
): Promise<{
  sessionId: string;
  requestId: string;
  requestedAt: string;
  status: "queued";
  statusUrl: string;
  done: string;
}> {
  const session = await getSessionOrThrow(db, academyId, sessionId, teacherId);
  if (session.state === "cancelled")
    throw new AppError("conflict", "The session is cancelled; there is nothing to calculate.");
  if (session.state === "scheduled" || session.state === "live")
    throw new AppError("conflict", "The class has not ended yet; its attendance is calculated once it has.");
  // The database's clock, which the calculation dates its reports by: instances whose clocks
  // differ still agree on whether a report is newer than the request.
  const [{ now: requestedAt }] = await db.$queryRawUnsafe<[{ now: Date }]>("SELECT clock_timestamp() AS now");
  try {
    const { requestId } = await getScheduler().requestRecalculation(session.id, requestedBy, requestedAt);
    // What to wait for: the report at statusUrl with a calculatedAt at or after requestedAt.
    return {
      sessionId: session.id,
      requestId,
      requestedAt: requestedAt.toISOString(),
      status: "queued",
      statusUrl: `/api/v1/sessions/${session.id}/report`,
      done: "when the report's calculatedAt is at or after requestedAt",
    };
  } catch (error) {
    console.error("[rollcall] recalculation not queued:", (error as Error).message);
    throw new AppError("unavailable", "The recalculation could not be queued; retry later.");
  }
}
