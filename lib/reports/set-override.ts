import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";
import { overrideAuthorRef, resolveOverrideAuthors, type OverrideActor } from "./override-author.ts";
import { loadOverrideHistory } from "./override-history.ts";
import { effectiveStatus, toReportView, type ReportView } from "./report-view.ts";
import { EXCUSE_NOTE_REQUIRED, RESULT_STATUSES } from "./result-status.ts";

/**
 * An override: a result and why. "excused" says the absence does not count against the student,
 * which nobody can check later without the reason, so it needs a note (blank after trimming is
 * none); the other results may be set without one. Refused as 422 with `note` as the field.
 */
export const ZOverrideSchema = z
  .strictObject({
    status: z.enum(RESULT_STATUSES),
    note: z.string().trim().max(1000).optional(),
  })
  .superRefine((override, context) => {
    if (override.status === "excused" && !override.note)
      context.addIssue({ code: "custom", path: ["note"], message: EXCUSE_NOTE_REQUIRED });
  });
export type TOverride = z.infer<typeof ZOverrideSchema>;

/**
 * A teacher's own row (the teacher's attendance in a class) is the academy's to judge: only an
 * admin or the academy's API key may override or clear it, never a teacher (who would be judging
 * herself: a teacher sees only the classes she teaches).
 */
function mayOverrideTeacherRows(actor: OverrideActor): boolean {
  return actor.kind !== "user" || actor.role === "admin";
}

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * The change itself, inside the transaction: the report's row is locked first, so the previous
 * value read here is the one replaced and concurrent changes to one report append in order.
 * Clearing a report with no override changes nothing and appends nothing.
 */
async function applyOverride(
  tx: Transaction,
  {
    sessionId,
    identity,
    override,
    actor,
  }: { sessionId: string; identity: string; override: TOverride | null; actor: OverrideActor },
): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM attendance_report WHERE session_id = ${sessionId} AND identity = ${identity} FOR UPDATE`;
  const before = await tx.attendanceReport.findUnique({
    where: { sessionId_identity: { sessionId, identity } },
    select: { role: true, status: true, overrideStatus: true, academyId: true },
  });
  if (!before) throw new AppError("not_found", "This session has no report for that person yet; calculate it first.");
  if (before.role === "teacher" && !mayOverrideTeacherRows(actor))
    throw new AppError("forbidden", "Only an academy admin can override a teacher's attendance.");
  if (!override && before.overrideStatus === null) return;
  const actorRef = overrideAuthorRef(actor);
  const note = override?.note || null;
  // The event is dated by the database's clock, now that the row is locked; the report's override
  // carries the same time.
  const { at } = await tx.overrideEvent.create({
    data: {
      sessionId,
      identity,
      academyId: before.academyId,
      actor: actorRef,
      action: override ? "set" : "remove",
      fromStatus: effectiveStatus(before),
      toStatus: override ? override.status : before.status,
      calculatedStatus: before.status,
      note,
    },
    select: { at: true },
  });
  await tx.attendanceReport.update({
    where: { sessionId_identity: { sessionId, identity } },
    data: override
      ? { overrideStatus: override.status, overrideNote: note, overriddenBy: actorRef, overriddenAt: at }
      : { overrideStatus: null, overrideNote: null, overriddenBy: null, overriddenAt: null },
  });
}

/**
 * Sets (or, with null, clears) an override of one report, recording who (by user or API key id,
 * named from the current record when shown) and when, and appends the change to the report's
 * override history in the same transaction. The calculated values stay beside it and no
 * recalculation removes it (rules section 8).
 */
export async function setOverride(
  db: PrismaClient,
  {
    academyId,
    teacherId,
    sessionId,
    identity,
    override,
    actor,
  }: {
    academyId: string;
    teacherId?: string;
    sessionId: string;
    identity: string;
    override: TOverride | null;
    actor: OverrideActor;
  },
): Promise<ReportView> {
  await getSessionOrThrow(db, academyId, sessionId, teacherId);
  await db.$transaction((tx) => applyOverride(tx, { sessionId, identity, override, actor }));
  const report = await db.attendanceReport.findUniqueOrThrow({
    where: { sessionId_identity: { sessionId, identity } },
    include: { person: { select: { id: true, externalId: true, name: true } } },
  });
  const history = (await loadOverrideHistory(db, { sessionId, identity })).get(identity) ?? [];
  const authors = await resolveOverrideAuthors(db, [report.overriddenBy, ...history.map((event) => event.actor)]);
  return toReportView(report, authors, history);
}
