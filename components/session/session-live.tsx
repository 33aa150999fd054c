"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { AttendanceTimeline, type TimelineRow } from "../attendance-timeline.tsx";
import { apiFetch } from "../api-fetch.ts";
import { formatDateTime, formatTime } from "../format.ts";
import { StatusBadge } from "../status-badge.tsx";
import { PresencePanel } from "./presence-panel.tsx";
import { ReportTable } from "./report-table.tsx";
import { RECALCULATION_PATIENCE_MS, useLiveUpdates, usePresence, useReport, type SessionReport } from "./use-session-data.ts";
import type { SessionPresence } from "@/lib/presence/get-session-presence.ts";

interface Props {
  sessionId: string;
  timeZone: string;
  scheduledStart: string;
  scheduledEnd: string;
  graceMinutes: number;
  /** ISO end of the class window; the page turns to "ended" by itself when it passes. */
  windowEnd: string;
  cancelled: boolean;
  calculationDueAt: string;
}

const MINUTE = 60_000;


/** Timeline rows from the folded presence: raw connections, so time before the start shows. */
function timelineRows(presence: SessionPresence, report: SessionReport | undefined, now: string): TimelineRow[] {
  const late = new Map((report?.reports ?? []).filter((row) => row.isLate).map((row) => [row.identity, row.firstJoinAt]));
  const people = [...presence.inRoom.map((p) => ({ ...p, open: true })), ...presence.left.map((p) => ({ ...p, open: false }))];
  const order = { teacher: 0, student: 1, guest: 2 } as const;
  return people
    .sort((a, b) => order[a.role] - order[b.role] || (a.name ?? a.identity).localeCompare(b.name ?? b.identity))
    .map((person) => ({
      identity: person.identity,
      name: person.name ?? person.identity,
      role: person.role,
      open: person.open,
      lateAt: late.get(person.identity) ?? null,
      intervals: person.cycles.filter((cycle) => cycle.joinedAt).map((cycle) => ({ start: cycle.joinedAt!, end: cycle.leftAt ?? now })),
    }));
}

export function SessionLive(props: Props) {
  const { sessionId, timeZone } = props;
  const live = useLiveUpdates(sessionId);
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const [requestedAt, setRequestedAt] = useState<string | null>(null);
  const presence = usePresence(sessionId);
  // The window end moves with the log (an early finish, the teacher's return): the presence carries it.
  const windowEnded = clock >= Date.parse(presence.data?.windowEnd ?? props.windowEnd);
  const report = useReport(sessionId, requestedAt);
  const recalculate = useMutation({
    mutationFn: () => apiFetch<{ requestedAt: string }>(`/api/dashboard/sessions/${encodeURIComponent(sessionId)}/recalculate`, { method: "POST" }),
    onSuccess: (answer) => setRequestedAt(answer.requestedAt),
  });
  const recalculating = requestedAt !== null && !(report.data?.calculatedAt && report.data.calculatedAt >= requestedAt);
  const slow = recalculating && clock - Date.parse(requestedAt) > RECALCULATION_PATIENCE_MS;
  const now = new Date(clock).toISOString();
  const earliestJoin = presence.data
    ? Math.min(...[...presence.data.inRoom, ...presence.data.left].map((p) => Date.parse(p.firstJoinAt)), Date.parse(props.scheduledStart))
    : Date.parse(props.scheduledStart);
  const preparationMinutes = Math.min(60, Math.max(10, Math.ceil((Date.parse(props.scheduledStart) - earliestJoin) / MINUTE)));

  return (
    <div className="mt-6 space-y-8">
      <section aria-labelledby="presence-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="presence-heading" className="text-lg font-semibold">
            Who is in the room
          </h2>
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status" aria-live="polite">
            <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${live === "live" ? "bg-emerald-500" : "bg-amber-500"}`} />
            {live === "live" ? "Live: updates as LiveKit reports joins and leaves" : live === "connecting" ? "Connecting to live updates…" : "Reconnecting to live updates…"}
          </p>
        </div>
        <div className="mt-3">
          {presence.isPending ? (
            <p className="text-slate-600">Loading presence…</p>
          ) : presence.error ? (
            <p role="alert" className="rounded-md bg-rose-50 p-3 text-rose-800">
              Presence could not be loaded: {presence.error.message}
            </p>
          ) : (
            <PresencePanel presence={presence.data} timeZone={timeZone} />
          )}
        </div>
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        <p className="text-sm text-slate-600">Every connection against the class window; time before the start is preparation and is not counted.</p>
        <div className="mt-3 rounded-lg border border-slate-200 bg-white p-3">
          {presence.data ? (
            <AttendanceTimeline
              scheduledStart={props.scheduledStart}
              scheduledEnd={props.scheduledEnd}
              preparationMinutes={preparationMinutes}
              graceMinutes={props.graceMinutes}
              now={windowEnded ? undefined : now}
              rows={timelineRows(presence.data, report.data, now)}
              timeZone={timeZone}
            />
          ) : (
            <p className="text-slate-600">Loading…</p>
          )}
        </div>
      </section>

      <section aria-labelledby="report-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="report-heading" className="text-lg font-semibold">
            Attendance report
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            <a
              href={`/api/dashboard/sessions/${encodeURIComponent(sessionId)}/report.csv`}
              download
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            >
              Download CSV
            </a>
            {windowEnded && !props.cancelled ? (
              <button
                type="button"
                onClick={() => recalculate.mutate()}
                disabled={recalculating || recalculate.isPending}
                className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
              >
                {recalculating || recalculate.isPending ? "Recalculating…" : "Recalculate"}
              </button>
            ) : null}
          </div>
        </div>
        <div role="status" aria-live="polite" className="mt-1 text-sm text-slate-700">
          {recalculate.error ? <span className="text-rose-800">{recalculate.error.message}</span> : null}
          {recalculating && !slow ? "Recalculating from the webhook log…" : null}
          {slow ? "The recalculation is taking longer than usual; the new report appears here when it is done." : null}
          {!recalculating && requestedAt && report.data?.calculatedAt ? `Recalculated at ${formatDateTime(report.data.calculatedAt, timeZone)}.` : null}
        </div>
        <div className="mt-3">
          {report.isPending ? (
            <p className="text-slate-600">Loading the report…</p>
          ) : report.error ? (
            <p role="alert" className="rounded-md bg-rose-50 p-3 text-rose-800">
              The report could not be loaded: {report.error.message}
            </p>
          ) : report.data.reports.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
              {props.cancelled
                ? "This class was cancelled; it has no report."
                : windowEnded
                  ? "Not calculated yet: the report appears within a few minutes, or press Recalculate."
                  : `The report is calculated after the class, at about ${formatTime(props.calculationDueAt, timeZone)}.`}
            </p>
          ) : (
            <>
              <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="report-counts">
                <span className="font-medium">Students:</span>
                {(["present", "late", "partial", "absent", "excused"] as const).map((status) => (
                  <span key={status} className="flex items-center gap-1">
                    <StatusBadge status={status} /> <span className="tabular-nums">{report.data.counts[status]}</span>
                  </span>
                ))}
                {report.data.teacher ? (
                  <span className="flex items-center gap-1">
                    · teacher <StatusBadge status={report.data.teacher.status} />
                  </span>
                ) : null}
                {report.data.guestCount ? <span>· {report.data.guestCount} guest{report.data.guestCount === 1 ? "" : "s"}</span> : null}
                <span className="text-slate-600">
                  · calculated {report.data.calculatedAt ? formatDateTime(report.data.calculatedAt, timeZone) : "—"}
                  {report.data.isCalculated ? "" : " · new webhooks since: a recalculation is due"}
                </span>
              </p>
              <ReportTable sessionId={sessionId} rows={report.data.reports} timeZone={timeZone} />
            </>
          )}
        </div>
      </section>
    </div>
  );
}
