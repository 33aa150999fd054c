import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { ZInstantSchema } from "../instant.ts";
import { getScheduler } from "../scheduling/attendance-scheduler.ts";
import { SESSION_TYPES } from "../sessions/session-schemas.ts";
import { sessionStateSql } from "../sessions/session-state.ts";

/** The most sessions one request may name or select: four of the calculation's batches. */
export const MAX_BULK_SESSIONS = 1000;
const MAX_RANGE_DAYS = 366;

/**
 * Which sessions to recalculate: a list of ids, or the academy's ended classes that started in
 * [from, to) (optionally of one type). Exactly one of the two.
 */
export const ZBulkRecalculationSchema = z
  .strictObject({
    sessionIds: z
      .array(z.string().min(1).max(200))
      .min(1, "name at least one session")
      .max(MAX_BULK_SESSIONS, `at most ${MAX_BULK_SESSIONS} sessions at a time`)
      .optional(),
    from: ZInstantSchema.optional(),
    to: ZInstantSchema.optional(),
    type: z.enum(SESSION_TYPES).optional(),
  })
  .superRefine((body, context) => {
    const byRange = body.from !== undefined || body.to !== undefined || body.type !== undefined;
    if (body.sessionIds && byRange)
      context.addIssue({ code: "custom", path: ["sessionIds"], message: "give sessionIds or from and to, not both" });
    if (!body.sessionIds && (!body.from || !body.to))
      context.addIssue({
        code: "custom",
        path: [body.from ? "to" : "from"],
        message: "give sessionIds, or from and to",
      });
    if (body.from && body.to && body.to <= body.from)
      context.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    if (body.from && body.to && body.to.getTime() - body.from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      context.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_RANGE_DAYS} days after from` });
  });
export type TBulkRecalculation = z.infer<typeof ZBulkRecalculationSchema>;

interface Candidate {
  id: string;
  state: string;
}

const ENDED = new Set(["ended", "calculated"]);

/** The named sessions of the academy, each with its state; refuses unknown ids (another academy's among them) and unended ones. */
async function namedSessions(db: PrismaClient, academyId: string, ids: string[], now: Date): Promise<string[]> {
  const unique = [...new Set(ids)];
  const rows = await db.$queryRawUnsafe<Candidate[]>(
    `SELECT s.id, ${sessionStateSql("s", "$3::timestamptz")} AS state FROM session s WHERE s.academy_id = $1 AND s.id = ANY($2::text[])`,
    academyId,
    unique,
    now,
  );
  const found = new Map(rows.map((row) => [row.id, row.state]));
  const unknown = unique.filter((id) => !found.has(id));
  if (unknown.length)
    throw new AppError("not_found", `No session of this academy has the id ${unknown.slice(0, 10).join(", ")}.`, [
      { path: "sessionIds", message: `${unknown.length} unknown` },
    ]);
  const unended = unique.filter((id) => !ENDED.has(found.get(id)!));
  if (unended.length)
    throw new AppError(
      "conflict",
      `Only ended classes are calculated; not ended or cancelled: ${unended.slice(0, 10).join(", ")}.`,
    );
  return unique;
}

/** The academy's ended classes that started in [from, to), of one type or all, by start. */
async function sessionsInRange(
  db: PrismaClient,
  academyId: string,
  { from, to, type }: { from: Date; to: Date; type?: string },
  now: Date,
): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<Candidate[]>(
    `SELECT id, state FROM (
       SELECT s.id, s.scheduled_start, ${sessionStateSql("s", "$5::timestamptz")} AS state FROM session s
       WHERE s.academy_id = $1 AND s.scheduled_start >= $2 AND s.scheduled_start < $3 AND ($4::text IS NULL OR s.type::text = $4)
     ) x WHERE state IN ('ended', 'calculated') ORDER BY scheduled_start, id LIMIT ${MAX_BULK_SESSIONS + 1}`,
    academyId,
    from,
    to,
    type ?? null,
    now,
  );
  if (rows.length > MAX_BULK_SESSIONS)
    throw new AppError("validation_failed", `More than ${MAX_BULK_SESSIONS} classes in the range; split it.`, [
      { path: "to", message: `at most ${MAX_BULK_SESSIONS} classes at a time` },
    ]);
  return rows.map((row) => row.id);
}

export interface BulkRecalculationAnswer {
  id: string;
  requestedAt: string;
  sessions: number;
  statusUrl: string;
  done: string;
}

/**
 * Queues one forced recalculation of many sessions (the LMS's "recalculate last week"), recorded
 * so one GET says how far it has come. Each session is recalculated as the button does it (the
 * version it was calculated with, an override kept), in the calculation's batches.
 */
export async function requestBulkRecalculation(
  db: PrismaClient,
  { academyId, request, requestedBy }: { academyId: string; request: TBulkRecalculation; requestedBy: string },
): Promise<BulkRecalculationAnswer> {
  const [{ now: requestedAt }] = await db.$queryRawUnsafe<[{ now: Date }]>("SELECT clock_timestamp() AS now");
  const ids = request.sessionIds
    ? await namedSessions(db, academyId, request.sessionIds, requestedAt)
    : await sessionsInRange(db, academyId, { from: request.from!, to: request.to!, type: request.type }, requestedAt);
  const record = await db.recalculationRequest.create({
    data: { academyId, requestedAt, requestedBy, sessionIds: ids },
  });
  if (ids.length) {
    try {
      await getScheduler().requestBulkRecalculation(ids, requestedBy, requestedAt, record.id);
    } catch (error) {
      console.error("[rollcall] bulk recalculation not queued:", (error as Error).message);
      throw new AppError("unavailable", "The recalculation could not be queued; retry later.");
    }
  }
  return {
    id: record.id,
    requestedAt: requestedAt.toISOString(),
    sessions: ids.length,
    statusUrl: `/api/v1/recalculations/${record.id}`,
    done: "when the status's pending is 0",
  };
}

export interface BulkRecalculationStatus {
  id: string;
  requestedAt: string;
  sessions: number;
  /** Recalculated since the request (calculatedAt at or after requestedAt). */
  done: number;
  /** Cancelled since the request: never calculated, so not waited for. */
  cancelled: number;
  pending: number;
  /** The sessions not yet recalculated (the first 100). */
  pendingIds: string[];
}

/** How far a bulk recalculation has come, from the sessions themselves; null for another academy's or none. */
export async function getBulkRecalculation(
  db: PrismaClient,
  { academyId, id }: { academyId: string; id: string },
): Promise<BulkRecalculationStatus | null> {
  const record = await db.recalculationRequest.findFirst({ where: { id, academyId } });
  if (!record) return null;
  const sessions = await db.session.findMany({
    where: { id: { in: record.sessionIds } },
    select: { id: true, calculatedAt: true, cancelledAt: true },
  });
  const doneIds = new Set(
    sessions.filter((s) => s.calculatedAt && s.calculatedAt >= record.requestedAt).map((s) => s.id),
  );
  const cancelledIds = new Set(sessions.filter((s) => !doneIds.has(s.id) && s.cancelledAt).map((s) => s.id));
  const pending = record.sessionIds.filter((sessionId) => !doneIds.has(sessionId) && !cancelledIds.has(sessionId));
  return {
    id: record.id,
    requestedAt: record.requestedAt.toISOString(),
    sessions: record.sessionIds.length,
    done: doneIds.size,
    cancelled: cancelledIds.size,
    pending: pending.length,
    pendingIds: pending.slice(0, 100),
  };
}
