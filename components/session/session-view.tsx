"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SessionState } from "@/lib/attendance/lifecycle.ts";
import { ROLE_ORDER } from "@/lib/attendance/types.ts";
import type { SessionPresence } from "@/lib/presence/get-session-presence.ts";
import { queryKeys } from "@/client/query-keys.ts";
import { AttendanceTimeline, type TimelineRow } from "../attendance-timeline.tsx";
import { apiFetch } from "../../client/api-fetch.ts";
import { FailureAlert } from "../failure.tsx";
import { formatDateTime, formatTime } from "../../lib/time/format.ts";
import type { TimelineStatus } from "../../client/status-style.ts";
import { ExpectedPanel } from "./expected-panel.tsx";
import { PresencePanel } from "./presence-panel.tsx";
import { ReportTable } from "./report-table.tsx";
import { EventLogAccess } from "./row-provenance.tsx";
import { describeSource, PROVENANCE_NOT_KEPT } from "@/lib/reports/provenance.ts";
import { ResultSummary } from "./result-summary.tsx";
import { CalculationHistory, LatestCalculation } from "./calculation-history.tsx";
import {
  RECALCULATION_PATIENCE_MS,
  useLiveUpdates,
  usePresence,
  useReport,
  type LiveState,
  type SessionReport,
} from "./use-session-data.ts";

interface Props {
  sessionId: string;
  timeZone: string;
  scheduledStart: string;
  scheduledEnd: string;
  graceMinutes: number;
  /** ISO end of the class window as the server knew it; the presence read carries it from then on. */
  windowEnd: string;
  /** The state the page was rendered in; the presence read's state takes over once it arrives. */
  initialState: SessionState;
  calculationDueAt: string;
  /** An admin's page links each report interval's webhooks into the event log; a teacher's lists them. */
  canOpenEventLog?: boolean;
}

/** What the page is about: who is expected, who is in the room, or the result. */
type Phase = "upcoming" | "live" | "ended" | "cancelled";
const PHASE: Record<SessionState, Phase> = {
  scheduled: "upcoming",
  live: "live",
  ended: "ended",
  calculated: "ended",
  cancelled: "cancelled",
};

const MINUTE = 60_000;

type Person =
  SessionPresence["inRoom"][number] | SessionPresence["left"][number] | SessionPresence["notJoined"][number];

/**
 * Each bar with the webhooks behind it, from the report's provenance: a bar is one connection, found
 * among the report's sources by its start and end (the report closed it as the live read does once
 * the class is over, lib/attendance decision 13).
 */
function withProvenance(rows: TimelineRow[], report: SessionReport | undefined, timeZone: string): TimelineRow[] {
  const byIdentity = new Map([...(report?.reports ?? []), ...(report?.guests ?? [])].map((row) => [row.identity, row]));
  return rows.map((row) => {
    const provenance = byIdentity.get(row.identity)?.provenance;
    if (provenance === undefined) return row;
    const sources = (provenance ?? []).flatMap((interval) => interval.sources);
    return {
      ...row,
      intervals: row.intervals.map((interval) => {
        // By connection id: two devices that joined in the same millisecond are told apart.
        const source = sources.find((each) => each.sid === interval.sid);
        if (provenance === null) return { ...interval, provenance: PROVENANCE_NOT_KEPT };
        return source ? { ...interval, provenance: describeSource(source, timeZone) } : interval;
      }),
    };
  });
}

/**
 * One row per person of the presence read (in the room, left, never came: an empty row), in the
 * report's order, marked with the result once there is one and with where they are before that.
 */
function timelineRows(
  presence: SessionPresence,
  report: SessionReport | undefined,
  phase: Phase,
  now: string,
): TimelineRow[] {
  const results = new Map([...(report?.reports ?? []), ...(report?.guests ?? [])].map((row) => [row.identity, row]));
  const inRoom = new Set(presence.inRoom.map((person) => person.identity));
  const people: Person[] = [...presence.inRoom, ...presence.left, ...presence.notJoined];
  return people
    .sort(
      (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.name ?? a.identity).localeCompare(b.name ?? b.identity),
    )
    .map((person) => {
      const cycles = "cycles" in person ? person.cycles : [];
      const result = results.get(person.identity);
      const isIn = inRoom.has(person.identity);
      let status: TimelineStatus;
      if (person.role === "guest") status = "guest";
      else if (phase === "ended") status = result ? result.effectiveStatus : cycles.length ? "joined" : "not joined";
      else status = isIn ? "in the room" : cycles.length ? "left" : phase === "upcoming" ? "expected" : "not joined";
      // The late marker: the report's verdict once there is one, the live read's before.
      const arrival = "arrivedAt" in person ? person : null;
      const isLate = result ? result.isLate : (arrival?.isLate ?? false);
      return {
        identity: person.identity,
        name: person.name ?? person.identity,
        role: person.role,
        status,
        lateAt: isLate ? (arrival?.arrivedAt ?? result?.firstJoinAt ?? null) : null,
        intervals: cycles.map((cycle) => ({
          sid: cycle.sid,
          start: cycle.joinedAt,
          end: cycle.leftAt ?? now,
          open: cycle.leftAt === null,
        })),
      };
    });
}

/**
 * "Live" only while the page both hears the stream and has the presence it announces: with the
 * presence still loading it is connecting, and with the presence failed it says nothing (the
 * failure says what to do).
 */
function LiveIndicator({ live, presence }: { live: LiveState; presence: "pending" | "error" | "success" }) {
  if (presence === "error") return null;
  const isLive = live === "live" && presence === "success";
  return (
    <p className="flex items-center gap-2 text-sm text-slate-700" role="status" aria-live="polite">
      <span
        aria-hidden
        className={`inline-block h-2 w-2 rounded-full ${isLive ? "bg-emerald-500" : "bg-amber-500"}`}
        data-testid={isLive ? "live-dot" : undefined}
      />
      {isLive
        ? "Live: updates as LiveKit reports joins and leaves"
        : live === "reconnecting"
          ? "Reconnecting to live updates…"
          : "Connecting to live updates…"}
    </p>
  );
}

/** The clock the page ticks by, and a re-read of the session when it passes the start or the window end. */
function useSessionClock(sessionId: string, state: SessionState, scheduledStart: string, windowEnd: string) {
  const queryClient = useQueryClient();
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  // The state is the server's (lib/attendance/lifecycle.ts): when the clock passes the start or the
  // window end, ask it again rather than deciding here.
  const boundary = state === "scheduled" ? Date.parse(scheduledStart) : state === "live" ? Date.parse(windowEnd) : null;
  const isPastBoundary = boundary !== null && clock >= boundary;
  useEffect(() => {
    if (isPastBoundary) void queryClient.invalidateQueries({ queryKey: queryKeys.session(sessionId) });
  }, [isPastBoundary, clock, queryClient, sessionId]);
  return clock;
}

/** Recalculate on request, and whether the new report has landed yet (or is taking long). */
function useRecalculation(
  sessionId: string,
  report: ReturnType<typeof useReport>,
  requestedAt: string | null,
  setRequestedAt: (at: string) => void,
  clock: number,
) {
  const recalculate = useMutation({
    mutationFn: () =>
      apiFetch<{ requestedAt: string }>(`/api/dashboard/sessions/${encodeURIComponent(sessionId)}/recalculate`, {
        method: "POST",
      }),
    onSuccess: (answer) => setRequestedAt(answer.requestedAt),
  });
  const recalculating = requestedAt !== null && !(report.data?.calculatedAt && report.data.calculatedAt >= requestedAt);
  const slow = recalculating && clock - Date.parse(requestedAt) > RECALCULATION_PATIENCE_MS;
  return { recalculate, recalculating, slow };
}

/** Minutes of preparation the timeline shows before the start: enough for the earliest join, 10 to 60. */
function preparationMinutesOf(presence: SessionPresence | undefined, scheduledStart: string): number {
  const start = Date.parse(scheduledStart);
  const earliestJoin = presence
    ? Math.min(...[...presence.inRoom, ...presence.left].map((p) => Date.parse(p.firstJoinAt)), start)
    : start;
  return Math.min(60, Math.max(10, Math.ceil((start - earliestJoin) / MINUTE)));
}

function PresenceSection({
  phase,
  live,
  presence,
  timeZone,
}: {
  phase: "live" | "upcoming";
  live: LiveState;
  presence: ReturnType<typeof usePresence>;
  timeZone: string;
}) {
  return (
    <section aria-labelledby="presence-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="presence-heading" className="text-lg font-semibold">
          {phase === "live" ? "Who is in the room" : "Who is expected"}
        </h2>
        <LiveIndicator live={live} presence={presence.status} />
      </div>
      <div className="mt-3">
        {presence.error ? (
          <FailureAlert
            what="load who is in the room"
            error={presence.error}
            onRetry={() => void presence.refetch()}
            isRetrying={presence.isFetching}
          />
        ) : presence.isPending ? (
          <p className="text-slate-700">Loading who is in the room…</p>
        ) : phase === "live" ? (
          <PresencePanel presence={presence.data} timeZone={timeZone} />
        ) : (
          <ExpectedPanel presence={presence.data} timeZone={timeZone} />
        )}
      </div>
    </section>
  );
}

function TimelineSection(
  props: Props & {
    phase: Phase;
    presence: ReturnType<typeof usePresence>;
    report: SessionReport | undefined;
    now: string;
    failureShownAbove: boolean;
  },
) {
  const { presence, phase, now } = props;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" className="text-lg font-semibold">
        Timeline
      </h2>
      <p className="text-sm text-slate-700">
        Every connection against the class window; time before the start is preparation and is not counted.
      </p>
      <div className="mt-3 rounded-lg border border-slate-200 bg-white p-3">
        {presence.error && props.failureShownAbove ? (
          // The panel above says what failed, with its Retry: one failure, one alert.
          <p className="text-slate-700">The timeline appears once who is in the room has loaded.</p>
        ) : presence.error ? (
          <FailureAlert
            what="draw the timeline"
            error={presence.error}
            onRetry={() => void presence.refetch()}
            isRetrying={presence.isFetching}
          />
        ) : presence.isPending ? (
          <p className="text-slate-700">Loading the timeline…</p>
        ) : (
          <AttendanceTimeline
            scheduledStart={props.scheduledStart}
            scheduledEnd={props.scheduledEnd}
            preparationMinutes={preparationMinutesOf(presence.data, props.scheduledStart)}
            graceMinutes={props.graceMinutes}
            now={phase === "ended" ? undefined : now}
            rows={withProvenance(timelineRows(presence.data, props.report, phase, now), props.report, props.timeZone)}
            roomFinishes={presence.data.roomFinishes}
            timeZone={props.timeZone}
          />
        )}
      </div>
    </section>
  );
}

interface ResultProps {
  sessionId: string;
  timeZone: string;
  calculationDueAt: string;
  report: ReturnType<typeof useReport>;
  requestedAt: string | null;
  recalculation: ReturnType<typeof useRecalculation>;
}

/** An ended class's result: Recalculate and the CSV, what the recalculation is doing, the summary. */
function ResultSection({ sessionId, timeZone, calculationDueAt, report, requestedAt, recalculation }: ResultProps) {
  const { recalculate, recalculating, slow } = recalculation;
  const hasReport = report.data !== undefined && report.data.reports.length > 0;
  return (
    <section aria-labelledby="result-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="result-heading" className="text-lg font-semibold">
          Result
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          {hasReport ? (
            <a
              href={`/api/dashboard/sessions/${encodeURIComponent(sessionId)}/report.csv`}
              download
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            >
              Download CSV
            </a>
          ) : null}
          <button
            type="button"
            onClick={() => recalculate.mutate()}
            disabled={recalculating || recalculate.isPending}
            className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60"
          >
            {recalculating || recalculate.isPending ? "Recalculating…" : "Recalculate"}
          </button>
        </div>
      </div>
      <div role="status" aria-live="polite" className="mt-1 text-sm text-slate-700">
        {recalculating && !slow ? "Recalculating from the webhook log…" : null}
        {slow ? "The recalculation is taking longer than usual; the new report appears here when it is done." : null}
        {!recalculating && requestedAt && report.data?.calculatedAt
          ? `Recalculated at ${formatDateTime(report.data.calculatedAt, timeZone)}. ${report.data.calculations.at(-1)?.words ?? ""}`
          : null}
      </div>
      {recalculate.error ? (
        <div className="mt-2">
          <FailureAlert
            what="recalculate"
            error={recalculate.error}
            onRetry={() => recalculate.mutate()}
            isRetrying={recalculate.isPending}
          />
        </div>
      ) : null}
      <div className="mt-3">
        {report.error ? (
          <FailureAlert
            what="load the result"
            error={report.error}
            onRetry={() => void report.refetch()}
            isRetrying={report.isFetching}
          />
        ) : report.isPending ? (
          <p className="text-slate-700">Loading the result…</p>
        ) : hasReport ? (
          <>
            <ResultSummary report={report.data} timeZone={timeZone} />
            <LatestCalculation calculations={report.data.calculations} policyVersion={report.data.policyVersion} />
            <CalculationHistory calculations={report.data.calculations} timeZone={timeZone} />
          </>
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
            Not calculated yet: the report appears at about {formatTime(calculationDueAt, timeZone)}, or press
            Recalculate.
          </p>
        )}
      </div>
    </section>
  );
}

/**
 * The session page below its header. An ended class opens on its result (summary, then the report);
 * a live one on who is in the room; an upcoming one on who is expected. Presence and report are
 * re-read whenever the live stream announces a change, and when the class starts or ends.
 */
export function SessionView(props: Props) {
  const { sessionId, timeZone } = props;
  const live = useLiveUpdates(sessionId);
  const [requestedAt, setRequestedAt] = useState<string | null>(null);
  const presence = usePresence(sessionId);
  const report = useReport(sessionId, requestedAt);
  const state = presence.data?.status ?? props.initialState;
  const phase = PHASE[state];
  const clock = useSessionClock(sessionId, state, props.scheduledStart, presence.data?.windowEnd ?? props.windowEnd);
  const recalculation = useRecalculation(sessionId, report, requestedAt, setRequestedAt, clock);
  const now = new Date(clock).toISOString();
  const presenceSection =
    phase === "live" || phase === "upcoming" ? (
      <PresenceSection phase={phase} live={live} presence={presence} timeZone={timeZone} />
    ) : null;
  const timelineSection = (
    <TimelineSection
      {...props}
      phase={phase}
      presence={presence}
      report={report.data}
      now={now}
      failureShownAbove={presenceSection !== null}
    />
  );

  if (phase === "cancelled") {
    return (
      <div className="mt-6 space-y-8">
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          This class was cancelled; it has no report.
        </p>
        {timelineSection}
      </div>
    );
  }

  if (phase !== "ended") {
    return (
      <div className="mt-6 space-y-8">
        {presenceSection}
        {timelineSection}
        <section aria-labelledby="report-heading">
          <h2 id="report-heading" className="text-lg font-semibold">
            Attendance report
          </h2>
          <p className="mt-2 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
            The report is calculated after the class, at about {formatTime(props.calculationDueAt, timeZone)}.
          </p>
        </section>
      </div>
    );
  }

  return (
    <EventLogAccess.Provider value={props.canOpenEventLog === true}>
      <div className="mt-6 space-y-8">
        <ResultSection
          sessionId={sessionId}
          timeZone={timeZone}
          calculationDueAt={props.calculationDueAt}
          report={report}
          requestedAt={requestedAt}
          recalculation={recalculation}
        />
        {report.data && report.data.reports.length > 0 ? (
          <section aria-labelledby="report-heading">
            <h2 id="report-heading" className="text-lg font-semibold">
              Attendance report
            </h2>
            <div className="mt-3">
              <ReportTable sessionId={sessionId} rows={report.data.reports} timeZone={timeZone} />
            </div>
          </section>
        ) : null}

        {timelineSection}

        {presence.data ? (
          <details className="rounded-lg border border-slate-200 bg-white p-4">
            <summary className="cursor-pointer font-semibold">Who joined the room, from the webhooks</summary>
            <div className="mt-3">
              <PresencePanel presence={presence.data} timeZone={timeZone} />
            </div>
          </details>
        ) : null}
      </div>
    </EventLogAccess.Provider>
  );
}
