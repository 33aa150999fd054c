import "server-only";
import { z } from "zod";
import { formatAttendance } from "../attendance/index.ts";
import { zonedIso } from "../time/zoned-time.ts";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { ZInstantSchema } from "../instant.ts";
import { compareText } from "../words.ts";
import { overrideAuthorName, resolveOverrideAuthors } from "./override-author.ts";
import { lastChangeKey, loadLastOverrideChanges } from "./override-history.ts";
import { effectiveStatus } from "./report-view.ts";

export const ZExportQuerySchema = z.strictObject({
  from: ZInstantSchema,
  to: ZInstantSchema,
  type: z.enum(["quran", "academic", "interactive"]).optional(),
});

const COLUMNS = [
  "session_id",
  "session_title",
  "session_type",
  "scheduled_start",
  "scheduled_end",
  "person_external_id",
  "person_name",
  "livekit_identity",
  "role",
  "status",
  "calculated_status",
  "override_status",
  "override_note",
  "overridden_by",
  "attended",
  "attended_seconds",
  "session_seconds",
  "percentage",
  "is_late",
  "late_minutes",
  "first_join_at",
  "last_leave_at",
  "explanation",
  "calculated_at",
  // The last override set or removed (the history's last change by hand): "set" or "remove", who, when.
  "last_change",
  "last_changed_by",
  "last_changed_at",
  // The fingerprint of the calculation behind the session's reports (lib/attendance/fingerprint.ts).
  "report_fingerprint",
  // The academy's policy version the session's reports were calculated with (empty before versions were kept).
  "policy_version",
] as const;

// RFC 4180 quoting, and a leading quote on anything a spreadsheet would run as a formula.
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const MAX_RANGE_DAYS = 366;

/** The academy API's range export: a non-empty range of at most a year. */
export function checkExportRange(range: { from: Date; to: Date }): void {
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw new AppError("validation_failed", "Export at most a year at a time.", [
      { path: "to", message: "at most 366 days after from" },
    ]);
  }
  if (range.to <= range.from)
    throw new AppError("validation_failed", "The range is empty.", [{ path: "to", message: "must be after from" }]);
}

export interface ExportReportsCsvOptions {
  academyId: string;
  /** One session's reports. */
  sessionId?: string;
  /** One person's reports (a student's page). */
  personId?: string;
  /** A teacher's export: the classes she teaches only. */
  teacherId?: string;
  /** Sessions scheduled in [from, to); either end open. */
  from?: Date;
  to?: Date;
  type?: "quran" | "academic" | "interactive";
}

interface Named {
  person: { name: string } | null;
  identity: string;
}

/** By name (people the roster names, in reading order), then those with no name (guests) by identity. */
const byName = (a: Named, b: Named) => {
  if (a.person && !b.person) return -1;
  if (!a.person && b.person) return 1;
  return (a.person && b.person ? compareText(a.person.name, b.person.name) : 0) || compareText(a.identity, b.identity);
};

/**
 * Reports as CSV, one row per person per session: for one session, one person, or every session of
 * the academy (a teacher's own) scheduled in a range. Sessions in time order; within a session,
 * rows by name. Times are the academy's wall clock with the offset ("2026-11-25T17:03:27+00:00").
 * Guests are included with role "guest".
 */
export async function exportReportsCsv(
  db: PrismaClient,
  { academyId, sessionId, personId, teacherId, from, to, type }: ExportReportsCsvOptions,
): Promise<string> {
  const academy = await db.academy.findUniqueOrThrow({ where: { id: academyId }, select: { timezone: true } });
  const reports = await db.attendanceReport.findMany({
    where: {
      academyId,
      ...(sessionId ? { sessionId } : {}),
      ...(personId ? { personId } : {}),
      session: {
        ...(teacherId ? { teacherId } : {}),
        ...(type ? { type } : {}),
        ...(from || to ? { scheduledStart: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
      },
    },
    include: { session: true, person: true },
    orderBy: [{ session: { scheduledStart: "asc" } }, { sessionId: "asc" }, { identity: "asc" }],
  });
  reports.sort(
    (a, b) =>
      a.session.scheduledStart.getTime() - b.session.scheduledStart.getTime() ||
      compareText(a.sessionId, b.sessionId) ||
      byName(a, b),
  );
  const lastChanges = await loadLastOverrideChanges(db, [...new Set(reports.map((report) => report.sessionId))]);
  const authors = await resolveOverrideAuthors(db, [
    ...reports.map((report) => report.overriddenBy),
    ...[...lastChanges.values()].map((change) => change.actor),
  ]);
  const at = (instant: Date | null) => (instant ? zonedIso(instant, academy.timezone, "second") : null);
  const lines = [COLUMNS.join(",")];
  for (const r of reports) {
    const last = lastChanges.get(lastChangeKey(r.sessionId, r.identity));
    lines.push(
      [
        r.sessionId,
        r.session.title,
        r.session.type,
        at(r.session.scheduledStart),
        at(r.session.scheduledEnd),
        r.person?.externalId,
        r.person?.name,
        r.identity,
        r.role,
        effectiveStatus(r),
        r.status,
        r.overrideStatus,
        r.overrideNote,
        overrideAuthorName(r.overriddenBy, authors),
        formatAttendance(r.attendedSeconds, r.sessionSeconds),
        r.attendedSeconds,
        r.sessionSeconds,
        r.percentage.toFixed(1),
        r.isLate,
        r.lateMinutes,
        at(r.firstJoinAt),
        at(r.lastLeaveAt),
        r.explanation,
        at(r.calculatedAt),
        last?.action,
        last ? overrideAuthorName(last.actor, authors) : null,
        at(last?.at ?? null),
        r.session.reportFingerprint,
        r.session.policyVersion,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
