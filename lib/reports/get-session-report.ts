import type { PrismaClient } from "../db.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";
import { toReportView, type ReportView } from "./report-view.ts";

const ROLE_ORDER = { teacher: 0, student: 1, guest: 2 } as const;

/** A session's attendance report: one row per roster person and guest, with its calculation state. */
export async function getSessionReport(db: PrismaClient, { academyId, sessionId, teacherId }: { academyId: string; sessionId: string; teacherId?: string }) {
  const session = await getSessionOrThrow(db, academyId, sessionId, teacherId);
  const reports = await db.attendanceReport.findMany({ where: { sessionId }, include: { person: { select: { id: true, externalId: true, name: true } } } });
  const rows: ReportView[] = reports
    .map(toReportView)
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.person?.name ?? a.identity).localeCompare(b.person?.name ?? b.identity));
  const counts = { present: 0, late: 0, partial: 0, absent: 0, excused: 0 };
  for (const row of rows) if (row.role !== "guest") counts[row.effectiveStatus] += 1;
  return {
    session: { id: session.id, title: session.title, type: session.type, status: session.status, scheduledStart: session.scheduledStart.toISOString(), scheduledEnd: session.scheduledEnd.toISOString() },
    isCalculated: session.isCalculated,
    calculatedAt: session.calculatedAt?.toISOString() ?? null,
    counts,
    reports: rows.filter((row) => row.role !== "guest"),
    guests: rows.filter((row) => row.role === "guest"),
  };
}
