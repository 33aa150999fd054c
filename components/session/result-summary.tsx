import { RESULT_STATUSES } from "@/lib/reports/result-status.ts";
import { formatDateTime } from "../../lib/time/format.ts";
import { StatusBadge } from "../status-badge.tsx";
import type { SessionReport } from "./use-session-data.ts";

/**
 * An ended class at a glance, every figure as the report read gives it: the students' results,
 * their average attendance, the teacher's own attendance apart, and the guests.
 */
export function ResultSummary({ report, timeZone }: { report: SessionReport; timeZone: string }) {
  const tile = "rounded-lg border border-slate-200 bg-white p-3";
  return (
    <div data-testid="report-counts">
      <p className="text-sm text-slate-700">
        The students&apos; results
        {report.guestCount ? `; ${report.guestCount} guest${report.guestCount === 1 ? "" : "s"} counted apart` : ""}:
      </p>
      <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
        {RESULT_STATUSES.map((status) => (
          <div key={status} className={tile}>
            <dt>
              <StatusBadge status={status} />
            </dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`summary-${status}`}>
              {report.counts[status]}
            </dd>
          </div>
        ))}
        <div className={tile}>
          <dt className="text-xs font-medium text-slate-700">Average attendance</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid="summary-average">
            {report.averagePercentage === null ? "—" : `${report.averagePercentage.toFixed(1)} %`}
          </dd>
        </div>
        <div className={tile}>
          <dt className="text-xs font-medium text-slate-700">Teacher</dt>
          <dd className="mt-1" data-testid="summary-teacher">
            {report.teacher ? (
              <span className="flex flex-wrap items-center gap-x-2">
                <StatusBadge status={report.teacher.status} />
                <span className="text-lg font-semibold tabular-nums">{report.teacher.percentage.toFixed(1)} %</span>
              </span>
            ) : (
              <span className="text-slate-700">no teacher on the roster</span>
            )}
          </dd>
        </div>
      </dl>
      <p className="mt-2 text-sm text-slate-700">
        Calculated {report.calculatedAt ? formatDateTime(report.calculatedAt, timeZone) : "—"}
        {report.isCalculated ? "." : " · new webhooks since: a recalculation is due."}
      </p>
    </div>
  );
}
