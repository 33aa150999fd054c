import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { effectiveStatus } from "../reports/report-view.ts";
import { emptyStatusCounts } from "../reports/result-status.ts";
import { checkDayRange, dayRangeInstants, ZDaySchema, type DayRange } from "../time/day-range.ts";

/** A student page's (and its export's) filter: days in the academy's zone, both included, either end open. */
export const ZStudentFilterSchema = z.object({ from: ZDaySchema, to: ZDaySchema });

/** How many of the last sessions the chart shows. */
export const TREND_SESSIONS = 20;

type Scope = { academyId: string; teacherId?: string };

/**
 * The student, if the viewer may see them: an admin any student of the academy, a teacher only a
 * student on the roster of one of her classes. Otherwise not found, like a student who does not exist.
 */
export async function findVisibleStudent(db: PrismaClient, { scope, personId }: { scope: Scope; personId: string }) {
  const person = await db.person.findFirst({
    where: { id: personId, academyId: scope.academyId, role: "student" },
    select: { id: true, name: true, externalId: true, livekitIdentity: true },
  });
  if (!person) throw new AppError("not_found", "No such student.");
  if (scope.teacherId) {
    const enrolled = await db.sessionRoster.count({
      where: { personId, session: { academyId: scope.academyId, teacherId: scope.teacherId } },
    });
    if (enrolled === 0) throw new AppError("not_found", "No such student.");
  }
  return person;
}

/**
 * One student's attendance across the sessions the viewer may see, in a range of days (open ends
 * allowed), newest first, with totals and a trend (the last sessions of the range, oldest first, for
 * the chart). An impossible range throws the AppError the page shows.
 */
export async function getStudentAttendance(
  db: PrismaClient,
  { scope, personId, range = {}, timeZone }: { scope: Scope; personId: string; range?: DayRange; timeZone: string },
) {
  const person = await findVisibleStudent(db, { scope, personId });
  checkDayRange(range);
  const { from, to } = dayRangeInstants(range, timeZone);
  const reports = await db.attendanceReport.findMany({
    where: {
      // The academy on the report itself too, so the (academy_id, person_id) index is used whole.
      academyId: scope.academyId,
      personId,
      session: {
        academyId: scope.academyId,
        ...(scope.teacherId ? { teacherId: scope.teacherId } : {}),
        ...(from || to ? { scheduledStart: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
      },
    },
    include: { session: { select: { id: true, title: true, type: true, scheduledStart: true, scheduledEnd: true } } },
    orderBy: [{ session: { scheduledStart: "desc" } }, { sessionId: "desc" }],
    take: 500,
  });
  const rows = reports.map((report) => ({
    session: {
      ...report.session,
      scheduledStart: report.session.scheduledStart.toISOString(),
      scheduledEnd: report.session.scheduledEnd.toISOString(),
    },
    status: effectiveStatus(report),
    calculatedStatus: report.status,
    overridden: report.overrideStatus !== null,
    attendedSeconds: report.attendedSeconds,
    percentage: report.percentage,
    lateMinutes: report.lateMinutes,
  }));
  const totals = { sessions: rows.length, ...emptyStatusCounts(), attendedSeconds: 0, lateMinutes: 0 };
  for (const row of rows) {
    totals[row.status] += 1;
    totals.attendedSeconds += row.attendedSeconds;
    totals.lateMinutes += row.lateMinutes;
  }
  const counted = rows.filter((row) => row.status !== "excused");
  const averagePercentage = counted.length
    ? counted.reduce((sum, row) => sum + row.percentage, 0) / counted.length
    : null;
  const trend = rows
    .slice(0, TREND_SESSIONS)
    .reverse()
    .map((row) => ({
      sessionId: row.session.id,
      title: row.session.title,
      at: row.session.scheduledStart,
      percentage: row.percentage,
      status: row.status,
    }));
  return { person, rows, totals, averagePercentage, trend };
}
