import type { PrismaClient } from "../db.ts";
import { AppError } from "../errors.ts";
import { effectiveStatus } from "../reports/report-view.ts";

/**
 * One student's attendance across the sessions the viewer may see, newest first, with totals and
 * a trend (attendance percentage per calculated session, oldest first, for the sparkline).
 */
export async function getStudentAttendance(
  db: PrismaClient,
  { scope, personId }: { scope: { academyId: string; teacherId?: string }; personId: string },
) {
  const person = await db.person.findFirst({
    where: { id: personId, academyId: scope.academyId, role: "student" },
    select: { id: true, name: true, externalId: true, livekitIdentity: true },
  });
  if (!person) throw new AppError("not_found", "No such student.");
  const sessionWhere = { academyId: scope.academyId, ...(scope.teacherId ? { teacherId: scope.teacherId } : {}) };
  // A teacher sees a student only through a class of theirs the student is on.
  const enrolled = await db.sessionRoster.count({ where: { personId, session: sessionWhere } });
  if (scope.teacherId && enrolled === 0) throw new AppError("not_found", "No such student.");

  const reports = await db.attendanceReport.findMany({
    where: { personId, session: sessionWhere },
    include: { session: { select: { id: true, title: true, type: true, scheduledStart: true, scheduledEnd: true } } },
    orderBy: { session: { scheduledStart: "desc" } },
    take: 500,
  });
  const rows = reports.map((report) => ({
    session: { ...report.session, scheduledStart: report.session.scheduledStart.toISOString(), scheduledEnd: report.session.scheduledEnd.toISOString() },
    status: effectiveStatus(report),
    calculatedStatus: report.status,
    overridden: report.overrideStatus !== null,
    attendedSeconds: report.attendedSeconds,
    percentage: report.percentage,
    lateMinutes: report.lateMinutes,
  }));
  const totals = { sessions: rows.length, present: 0, late: 0, partial: 0, absent: 0, excused: 0, attendedSeconds: 0, lateMinutes: 0 };
  for (const row of rows) {
    totals[row.status] += 1;
    totals.attendedSeconds += row.attendedSeconds;
    totals.lateMinutes += row.lateMinutes;
  }
  const counted = rows.filter((row) => row.status !== "excused");
  const averagePercentage = counted.length ? counted.reduce((sum, row) => sum + row.percentage, 0) / counted.length : null;
  const trend = rows
    .slice(0, 20)
    .reverse()
    .map((row) => ({ at: row.session.scheduledStart, percentage: row.percentage, status: row.status }));
  return { person, rows, totals, averagePercentage, trend };
}
