import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { effectiveStatus } from "../reports/report-view.ts";
import { averageAttendance } from "../reports/average-attendance.ts";
import { emptyStatusCounts, type ResultStatus } from "../reports/result-status.ts";
import { pageOf, type SessionCursor } from "../sessions/session-cursor.ts";
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

/** How many of the student's classes one page of the table shows; the rest are a cursor away. */
export const STUDENT_PAGE = 100;

/**
 * One student's attendance across the sessions the viewer may see, in a range of days (open ends
 * allowed): totals, the average and the trend (the last sessions of the range, oldest first, for the
 * chart) over the whole range, and the rows newest first, a page at a time (`after`: the `nextAfter`
 * of the page before). An impossible range throws the AppError the page shows.
 */
export async function getStudentAttendance(
  db: PrismaClient,
  {
    scope,
    personId,
    range = {},
    timeZone,
    after,
  }: { scope: Scope; personId: string; range?: DayRange; timeZone: string; after?: SessionCursor },
) {
  const person = await findVisibleStudent(db, { scope, personId });
  checkDayRange(range);
  const { from, to } = dayRangeInstants(range, timeZone);
  const where = {
    // The academy on the report itself too, so the (academy_id, person_id) index is used whole.
    academyId: scope.academyId,
    personId,
    session: {
      academyId: scope.academyId,
      ...(scope.teacherId ? { teacherId: scope.teacherId } : {}),
      ...(from || to ? { scheduledStart: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    },
  };
  const newestFirst = [{ session: { scheduledStart: "desc" as const } }, { sessionId: "desc" as const }];
  // Every report of the range, in its few columns: the totals never stop at a page.
  const all = await db.attendanceReport.findMany({
    where,
    select: {
      status: true,
      overrideStatus: true,
      percentage: true,
      attendedSeconds: true,
      lateMinutes: true,
      session: { select: { id: true, title: true, scheduledStart: true } },
    },
    orderBy: newestFirst,
  });
  const reports = await db.attendanceReport.findMany({
    where: after
      ? {
          ...where,
          OR: [
            { session: { scheduledStart: { lt: after.scheduledStart } } },
            { session: { scheduledStart: after.scheduledStart }, sessionId: { lt: after.id } },
          ],
        }
      : where,
    include: { session: { select: { id: true, title: true, type: true, scheduledStart: true, scheduledEnd: true } } },
    orderBy: newestFirst,
    take: STUDENT_PAGE + 1,
  });
  const { page, nextAfter } = pageOf(
    reports.map((report) => ({ ...report, id: report.sessionId, scheduledStart: report.session.scheduledStart })),
    STUDENT_PAGE,
  );
  const rows = page.map((report) => ({
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
  return { person, rows, nextAfter, ...summaryOf(all) };
}

type SummaryRow = {
  status: ResultStatus;
  overrideStatus: ResultStatus | null;
  percentage: number;
  attendedSeconds: number;
  lateMinutes: number;
  session: { id: string; title: string; scheduledStart: Date };
};

/** Totals, the average (the same rule as a class's: lib/reports/average-attendance.ts) and the chart's trend. */
function summaryOf(reports: readonly SummaryRow[]) {
  const totals = { sessions: reports.length, ...emptyStatusCounts(), attendedSeconds: 0, lateMinutes: 0 };
  const counted = reports.map((report) => ({ ...report, effectiveStatus: effectiveStatus(report) }));
  for (const report of counted) {
    totals[report.effectiveStatus] += 1;
    totals.attendedSeconds += report.attendedSeconds;
    totals.lateMinutes += report.lateMinutes;
  }
  const trend = counted
    .slice(0, TREND_SESSIONS)
    .reverse()
    .map((report) => ({
      sessionId: report.session.id,
      title: report.session.title,
      at: report.session.scheduledStart.toISOString(),
      percentage: report.percentage,
      status: report.effectiveStatus,
    }));
  return { totals, averagePercentage: averageAttendance(counted), trend };
}
