import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { ROLE_ORDER } from "../attendance/index.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";
import { averageAttendance } from "./average-attendance.ts";
import { resolveOverrideAuthors } from "./override-author.ts";
import type { OverrideEventRow } from "./override-event-view.ts";
import { loadOverrideHistory } from "./override-history.ts";
import { toReportView, type ReportView } from "./report-view.ts";
import { emptyStatusCounts } from "./result-status.ts";

/**
 * A session's attendance report: one row per roster person and guest, with its calculation state.
 * `counts` are the students' results that count (the override, else the calculated status); the
 * teacher and guests are reported beside them, never in them (decision 9). A class whose window
 * has not ended has no report (rules section 5): a report calculated before its teacher resumed it
 * is stale and not shown. `averagePercentage` is the students' average attendance
 * (averageAttendance: the excused left out), null with no student to count.
 */
export async function getSessionReport(
  db: PrismaClient,
  { academyId, sessionId, teacherId }: { academyId: string; sessionId: string; teacherId?: string },
) {
  const session = await getSessionOrThrow(db, academyId, sessionId, teacherId);
  const ended = session.state === "ended" || session.state === "calculated";
  const reports = ended
    ? await db.attendanceReport.findMany({
        where: { sessionId },
        include: { person: { select: { id: true, externalId: true, name: true } } },
      })
    : [];
  const history = ended ? await loadOverrideHistory(db, { sessionId }) : new Map<string, OverrideEventRow[]>();
  const authors = await resolveOverrideAuthors(db, [
    ...reports.map((report) => report.overriddenBy),
    ...[...history.values()].flat().map((event) => event.actor),
  ]);
  const rows: ReportView[] = reports
    .map((report) => toReportView(report, authors, history.get(report.identity)))
    .sort(
      (a, b) =>
        ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
        (a.person?.name ?? a.identity).localeCompare(b.person?.name ?? b.identity),
    );
  const counts = emptyStatusCounts();
  for (const row of rows) if (row.role === "student") counts[row.effectiveStatus] += 1;
  const teacher = rows.find((row) => row.role === "teacher") ?? null;
  const students = rows.filter((row) => row.role === "student");
  const guests = rows.filter((row) => row.role === "guest");
  return {
    session: {
      id: session.id,
      title: session.title,
      type: session.type,
      status: session.state,
      scheduledStart: session.scheduledStart.toISOString(),
      scheduledEnd: session.scheduledEnd.toISOString(),
      windowEnd: session.windowEnd.toISOString(),
    },
    /** True when the rows are current: calculated after the last webhook or change that matters. */
    isCalculated: ended && session.isCalculated,
    calculatedAt: ended ? (session.calculatedAt?.toISOString() ?? null) : null,
    counts,
    averagePercentage: averageAttendance(students),
    teacher: teacher
      ? {
          identity: teacher.identity,
          name: teacher.person?.name ?? null,
          status: teacher.effectiveStatus,
          percentage: teacher.percentage,
        }
      : null,
    guestCount: guests.length,
    reports: rows.filter((row) => row.role !== "guest"),
    guests,
  };
}
