import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { ROLE_ORDER } from "../attendance/index.ts";
import { getSessionOrThrow } from "../sessions/session-view.ts";
import { averageAttendance } from "./average-attendance.ts";
import { resolveOverrideAuthors } from "./override-author.ts";
import type { OverrideEventRow } from "./override-event-view.ts";
import { loadOverrideHistory } from "./override-history.ts";
import { toReportView, type ReportView } from "./report-view.ts";
import { emptyStatusCounts } from "./result-status.ts";
import { readProvenance, type ProvenanceInterval } from "./provenance.ts";
import { loadSessionCalculations } from "../calculation/calculation-history.ts";

/** `?include=provenance` adds each row's `provenance`; other query parameters are ignored, as before. */
export const ZReportQuerySchema = z.object({ include: z.enum(["provenance"]).optional() });

/**
 * A report row, and with provenance asked for, the connections and webhooks behind its intervals
 * (lib/reports/provenance.ts): null for a row calculated before provenance was kept.
 */
export type ReportRowView = ReportView & { provenance?: ProvenanceInterval[] | null };

/**
 * A session's attendance report: one row per roster person and guest, with its calculation state.
 * `counts` are the students' results that count (the override, else the calculated status); the
 * teacher and guests are reported beside them, never in them (decision 9). A class whose window
 * has not ended has no report (rules section 5): a report calculated before its teacher resumed it
 * is stale and not shown. `averagePercentage` is the students' average attendance
 * (averageAttendance: the excused left out), null with no student to count. `includeProvenance`
 * adds each row's provenance (lib/attendance decision 14). `fingerprint` names the calculation's inputs;
 * `calculations` says what each calculation changed.
 */
export async function getSessionReport(
  db: PrismaClient,
  {
    academyId,
    sessionId,
    teacherId,
    includeProvenance = false,
  }: { academyId: string; sessionId: string; teacherId?: string; includeProvenance?: boolean },
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
  const calculations = ended ? await loadSessionCalculations(db, sessionId) : [];
  const authors = await resolveOverrideAuthors(db, [
    ...reports.map((report) => report.overriddenBy),
    ...[...history.values()].flat().map((event) => event.actor),
  ]);
  const rows: ReportRowView[] = reports
    .map((report) => {
      const view = toReportView(report, authors, history.get(report.identity));
      return includeProvenance ? { ...view, provenance: readProvenance(report.intervals) } : view;
    })
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
    /**
     * The SHA-256 of the inputs of the calculation behind the rows (lib/attendance/fingerprint.ts):
     * the same log, window, policy, roster and rules version give the same one. Null before one.
     */
    fingerprint: ended ? session.reportFingerprint : null,
    /** The academy's policy version the rows were calculated with; null before versions were kept. */
    policyVersion: ended ? session.policyVersion : null,
    /**
     * Every calculation of the rows, oldest first: when, why, the policy version, and what it changed
     * since the one before ("2 rows changed: ..."); the last is the one behind the rows.
     */
    calculations,
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
