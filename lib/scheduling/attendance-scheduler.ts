import "server-only";
import { randomUUID } from "node:crypto";
import { bulkRecalculationRequested, calculationDue, inngest, recalculationRequested } from "./inngest-client.ts";
import { getPool } from "../db/client.ts";
import { isInngestConfigured } from "../env.ts";
import { calculateSessions } from "../calculation/calculate-sessions.ts";

/** Where background attendance work goes: Inngest when configured, else this process. */
export interface AttendanceScheduler {
  readonly kind: "inngest" | "in-process";
  /** A session was created, rescheduled or its room finished: calculate it at `dueAt`. */
  scheduleCalculation(sessionId: string, dueAt: Date, reason: "scheduled" | "room-finished"): Promise<void>;
  /**
   * Someone asked for a recalculation at `requestedAt` (the database's clock); it queues behind a
   * running one, and is answered without calculating again by a run that started after it.
   */
  requestRecalculation(sessionId: string, requestedBy: string, requestedAt: Date): Promise<{ requestId: string }>;
  /** The same for many sessions at once (a recorded bulk request, `requestId`), in the calculation's batches. */
  requestBulkRecalculation(
    sessionIds: string[],
    requestedBy: string,
    requestedAt: Date,
    requestId: string,
  ): Promise<void>;
}

/** Sessions per bulk event and per in-process batch: the calculation's own batch size. */
const BULK_BATCH = 250;

const inngestScheduler: AttendanceScheduler = {
  kind: "inngest",
  async scheduleCalculation(sessionId, dueAt, reason) {
    // The id makes a repeat for the same due time harmless; a new due time is a new event.
    await inngest.send(
      calculationDue.create(
        { sessionId, dueAt: dueAt.toISOString(), reason },
        { id: `calc:${sessionId}:${dueAt.getTime()}`, ts: dueAt.getTime() },
      ),
    );
  },
  async requestRecalculation(sessionId, requestedBy, requestedAt) {
    const requestId = randomUUID();
    await inngest.send(
      recalculationRequested.create(
        { sessionId, requestedBy, requestId, requestedAt: requestedAt.toISOString() },
        { id: `recalc:${sessionId}:${requestId}` },
      ),
    );
    return { requestId };
  },
  async requestBulkRecalculation(sessionIds, requestedBy, requestedAt, requestId) {
    const events = [];
    for (let offset = 0; offset < sessionIds.length; offset += BULK_BATCH)
      events.push(
        bulkRecalculationRequested.create(
          {
            sessionIds: sessionIds.slice(offset, offset + BULK_BATCH),
            requestedBy,
            requestId,
            requestedAt: requestedAt.toISOString(),
          },
          { id: `recalc-bulk:${requestId}:${offset}` },
        ),
      );
    await inngest.send(events);
  },
};

// Single-process mode: the runner's sweep calculates sessions once they are due, so scheduling is
// implicit; a recalculation runs right away in the background (the database lock queues it).
const inProcessScheduler: AttendanceScheduler = {
  kind: "in-process",
  async scheduleCalculation() {},
  async requestRecalculation(sessionId, requestedBy, requestedAt) {
    const requestId = randomUUID();
    void calculateSessions({
      pool: getPool(),
      sessionIds: [sessionId],
      force: true,
      requestedAt,
      trigger: "manual",
    }).catch((error: unknown) =>
      console.error(`[rollcall] recalculation of ${sessionId} for ${requestedBy} failed:`, (error as Error).message),
    );
    return { requestId };
  },
  async requestBulkRecalculation(sessionIds, requestedBy, requestedAt) {
    void calculateSessions({
      pool: getPool(),
      sessionIds,
      force: true,
      requestedAt,
      trigger: "manual",
      batchSize: BULK_BATCH,
    }).catch((error: unknown) =>
      console.error(`[rollcall] bulk recalculation for ${requestedBy} failed:`, (error as Error).message),
    );
  },
};

export function getScheduler(): AttendanceScheduler {
  return isInngestConfigured() ? inngestScheduler : inProcessScheduler;
}

/**
 * Schedules without ever failing the caller: the sweep calculates any session whose event was
 * lost, so a scheduling failure is logged, not surfaced.
 */
export async function scheduleCalculationSafely(
  sessionId: string,
  dueAt: Date,
  reason: "scheduled" | "room-finished",
): Promise<void> {
  try {
    await getScheduler().scheduleCalculation(sessionId, dueAt, reason);
  } catch (error) {
    console.error(
      `[rollcall] could not schedule the calculation of ${sessionId} (the sweep will):`,
      (error as Error).message,
    );
  }
}
