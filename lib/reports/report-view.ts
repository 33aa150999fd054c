import { formatAttendance } from "../attendance/index.ts";
import type { AttendanceReport, Person } from "../generated/prisma/client.ts";
import { overrideAuthorName } from "./override-author.ts";
import { toOverrideEventView, type OverrideEventRow } from "./override-event-view.ts";
import { plainIntervals } from "./provenance.ts";

/**
 * The result that counts: the override when there is one, else the calculated status. Every view,
 * count and export takes it from here.
 */
export function effectiveStatus<S extends string, O extends string>(report: {
  status: S;
  overrideStatus: O | null;
}): S | O {
  return report.overrideStatus ?? report.status;
}

export type ReportWithPerson = AttendanceReport & { person: Pick<Person, "id" | "externalId" | "name"> | null };

/**
 * The public shape of one report: calculated values, the override beside them, the result that
 * counts, and the override's history (oldest first, loadOverrideHistory). `authors` names who set
 * overrides (resolveOverrideAuthors), from the current records.
 */
export function toReportView(
  report: ReportWithPerson,
  authors: ReadonlyMap<string, string>,
  history: readonly OverrideEventRow[] = [],
) {
  return {
    identity: report.identity,
    person: report.person
      ? { id: report.person.id, externalId: report.person.externalId, name: report.person.name }
      : null,
    role: report.role,
    /** The override when there is one, else the calculated status. */
    effectiveStatus: effectiveStatus(report),
    status: report.status,
    attendedSeconds: report.attendedSeconds,
    sessionSeconds: report.sessionSeconds,
    /** "59 min 40 s of 60 min": the seconds above in words, the same in every view and the CSV. */
    attended: formatAttendance(report.attendedSeconds, report.sessionSeconds),
    percentage: report.percentage,
    isLate: report.isLate,
    lateMinutes: report.lateMinutes,
    firstJoinAt: report.firstJoinAt?.toISOString() ?? null,
    lastLeaveAt: report.lastLeaveAt?.toISOString() ?? null,
    intervals: plainIntervals(report.intervals),
    connectionCount: report.connectionCount,
    explanation: report.explanation,
    policy: report.policy as Record<string, number>,
    isAutoCalculated: report.isAutoCalculated,
    calculatedAt: report.calculatedAt.toISOString(),
    override: report.overrideStatus
      ? {
          status: report.overrideStatus,
          note: report.overrideNote,
          /** Who set it, by their current name: "Ustadha Khadija (teacher)", `API key "lms"`. */
          by: overrideAuthorName(report.overriddenBy, authors),
          at: report.overriddenAt?.toISOString() ?? null,
        }
      : null,
    /** Every override, removal and recalculation under an override, oldest first; never rewritten. */
    overrideHistory: history.map((event) => toOverrideEventView(event, authors)),
  };
}
export type ReportView = ReturnType<typeof toReportView>;
