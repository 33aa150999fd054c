import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";
import { overrideAuthorRef, resolveOverrideAuthors, type OverrideActor } from "./override-author.ts";
import { toReportView, type ReportView } from "./report-view.ts";
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
  return actor.kind === "api-key" || actor.role === "admin";
}

/**
 * Sets (or, with null, clears) an override of one report, recording who (by user or API key id,
 * named from the current record when shown) and when. The calculated values stay beside it and no
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
  const teacherRows = mayOverrideTeacherRows(actor);
  const { count } = await db.attendanceReport.updateMany({
    // The role is part of the condition, so the check and the change are one statement.
    where: { sessionId, identity, ...(teacherRows ? {} : { role: { not: "teacher" } }) },
    data: override
      ? {
          overrideStatus: override.status,
          overrideNote: override.note || null,
          overriddenBy: overrideAuthorRef(actor),
          overriddenAt: new Date(),
        }
      : { overrideStatus: null, overrideNote: null, overriddenBy: null, overriddenAt: null },
  });
  if (count === 0) {
    const exists = await db.attendanceReport.findUnique({
      where: { sessionId_identity: { sessionId, identity } },
      select: { role: true },
    });
    if (exists?.role === "teacher" && !teacherRows)
      throw new AppError("forbidden", "Only an academy admin can override a teacher's attendance.");
    throw new AppError("not_found", "This session has no report for that person yet; calculate it first.");
  }
  const report = await db.attendanceReport.findUniqueOrThrow({
    where: { sessionId_identity: { sessionId, identity } },
    include: { person: { select: { id: true, externalId: true, name: true } } },
  });
  return toReportView(report, await resolveOverrideAuthors(db, [report.overriddenBy]));
}
