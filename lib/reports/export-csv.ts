import { z } from "zod";
import { formatAttendance } from "../attendance/index.ts";
import type { PrismaClient } from "../db.ts";
import { AppError } from "../errors.ts";
import { ZInstantSchema } from "../instant.ts";
import { overrideAuthorName, resolveOverrideAuthors } from "./override-author.ts";

export const ZExportQuerySchema = z.strictObject({
  from: ZInstantSchema,
  to: ZInstantSchema,
  type: z.enum(["quran", "academic", "interactive"]).optional(),
});

const COLUMNS = [
  "session_id", "session_title", "session_type", "scheduled_start", "scheduled_end", "person_external_id", "person_name",
  "livekit_identity", "role", "status", "calculated_status", "override_status", "override_note", "overridden_by",
  "attended", "attended_seconds", "session_seconds", "percentage", "is_late", "late_minutes", "first_join_at",
  "last_leave_at", "explanation", "calculated_at",
] as const;

// RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula.
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const MAX_RANGE_DAYS = 366;

/**
 * Reports as CSV, one row per person per session: for one session, or for every session of the
 * academy scheduled in [from, to). Guests are included with role "guest".
 */
export async function exportReportsCsv(
  db: PrismaClient,
  { academyId, sessionId, range }: { academyId: string; sessionId?: string; range?: z.infer<typeof ZExportQuerySchema> },
): Promise<string> {
  if (range && range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError("validation_failed", "Export at most a year at a time.", [{ path: "to", message: "at most 366 days after from" }]);
  }
  if (range && range.to <= range.from) throw new AppError("validation_failed", "The range is empty.", [{ path: "to", message: "must be after from" }]);
  const reports = await db.attendanceReport.findMany({
    where: {
      academyId,
      ...(sessionId ? { sessionId } : {}),
      ...(range ? { session: { scheduledStart: { gte: range.from, lt: range.to }, ...(range.type ? { type: range.type } : {}) } } : {}),
    },
    include: { session: true, person: true },
    orderBy: [{ session: { scheduledStart: "asc" } }, { sessionId: "asc" }, { role: "asc" }, { identity: "asc" }],
  });
  const authors = await resolveOverrideAuthors(db, reports.map((report) => report.overriddenBy));
  const lines = [COLUMNS.join(",")];
  for (const r of reports) {
    lines.push(
      [
        r.sessionId, r.session.title, r.session.type, r.session.scheduledStart, r.session.scheduledEnd, r.person?.externalId, r.person?.name,
        r.identity, r.role, r.overrideStatus ?? r.status, r.status, r.overrideStatus, r.overrideNote, overrideAuthorName(r.overriddenBy, authors),
        formatAttendance(r.attendedSeconds, r.sessionSeconds), r.attendedSeconds, r.sessionSeconds, r.percentage.toFixed(1), r.isLate, r.lateMinutes,
        r.firstJoinAt, r.lastLeaveAt, r.explanation, r.calculatedAt,
      ].map(csvCell).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
