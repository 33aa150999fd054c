import { dedupeEvents, eventsWithin, sessionEventRange } from "./events.ts";
import { explainAttendance } from "./explain.ts";
import {
  clippedLength,
  closeConnections,
  codePointLess,
  foldConnections,
  mergeIntervals,
  openConnectionRule,
  type FoldedConnection,
} from "./intervals.ts";
import { isReconciled } from "./lifecycle.ts";
import { connectionOrigins, traceIntervals } from "./provenance.ts";
import { arrivalTime, decideStatus } from "./status.ts";
import type {
  AttendanceEvent,
  AttendanceInput,
  AttendancePolicy,
  ConnectionInterval,
  PersonAttendance,
  ReportRole,
  RosterEntry,
  Schedule,
  SessionAttendance,
} from "./types.ts";
import { ROLE_ORDER } from "./types.ts";
import { resolveWindow, teacherOf, type AttendanceWindow } from "./window.ts";

// Code point order, as PostgreSQL's "C" collation sorts identities.
const byIdentity = (a: string, b: string) => (codePointLess(a, b) ? -1 : codePointLess(b, a) ? 1 : 0);

function checkSchedule({ scheduledStart, scheduledEnd }: Schedule) {
  if (!(Number.isFinite(scheduledStart) && Number.isFinite(scheduledEnd) && scheduledEnd > scheduledStart)) {
    throw new Error(
      `A session's scheduled end must be after its start (start ${scheduledStart}, end ${scheduledEnd}).`,
    );
  }
}

export interface SessionFold {
  window: AttendanceWindow;
  /** The session's events (rules section 1), deduplicated. */
  events: AttendanceEvent[];
  /** Counted connections by identity, closed as the rules close them (or open, in the live view). */
  connections: Map<string, ConnectionInterval[]>;
  /** Every connection as the webhooks opened and closed it, before the rules closed them: what provenance reads. */
  folded: FoldedConnection[];
}

/**
 * The one fold of a session's events, for the report and the live view alike (decision 13): the
 * window, the session's events within it, and every connection closed by section 4. `now` given:
 * the live view, where a connection with no leave stays open until a room_finished or
 * reconciliation closes it; omitted: the report, where it closes at the window end.
 */
export function foldSession(
  input: Schedule & { roster: readonly RosterEntry[]; events: readonly AttendanceEvent[]; now?: number },
): SessionFold {
  checkSchedule(input);
  const all = dedupeEvents(input.events);
  const window = resolveWindow(input, all, teacherOf(input.roster));
  const events = eventsWithin(all, sessionEventRange(input.scheduledStart, window.windowEnd));
  const finishes = events.filter((event) => event.type === "room_finished").map((event) => event.time);
  const closeAtWindowEnd = input.now === undefined || isReconciled(input.now, window.windowEnd);
  const folded = foldConnections(events);
  const connections = closeConnections(folded, openConnectionRule(finishes, window.windowEnd, closeAtWindowEnd));
  // Provenance is the report's alone (calculateAttendance): the live view, which folds on every read, never pays for it.
  return { window, events, connections, folded };
}

function personAttendance(
  identity: string,
  personId: string | null,
  role: ReportRole,
  connections: readonly ConnectionInterval[],
  context: { window: AttendanceWindow; policy: AttendancePolicy; timeZone: string },
): PersonAttendance {
  const { window, policy, timeZone } = context;
  const { windowStart, windowEnd } = window;
  const windowMs = windowEnd - windowStart;
  // Closed for the report: every end is known.
  const closed = connections.map((connection) => ({ start: connection.start, end: connection.end ?? windowEnd }));
  const intervals = mergeIntervals(closed);
  const attendedSeconds = Math.floor(clippedLength(intervals, windowStart, windowEnd) / 1000);
  const arrival = arrivalTime(closed, windowStart, windowEnd);
  const decision = decideStatus({ attendedSeconds, windowMs, arrival, windowStart, policy });
  return {
    identity,
    personId,
    role,
    attendedSeconds,
    ratio: decision.ratio,
    percentage: decision.percentage,
    status: decision.status,
    arrivalAt: arrival,
    isLate: decision.isLate,
    lateMinutes: decision.lateMinutes,
    firstJoinAt: intervals.length ? intervals[0]!.start : null,
    lastLeaveAt: intervals.length ? Math.max(...intervals.map((interval) => interval.end)) : null,
    intervals,
    connections: [...connections],
    connectionCount: connections.length,
    policy: { ...policy },
    explanation: explainAttendance({
      status: decision.status,
      attendedSeconds,
      windowMs,
      isLate: decision.isLate,
      lateMinutes: decision.lateMinutes,
      arrival,
      hasIntervals: intervals.length > 0,
      endedEarlyAt: window.endedEarly ? windowEnd : null,
      policy,
      timeZone,
    }),
  };
}

/**
 * ATTENDANCE_RULES.md as a pure function: a session's schedule, policy, roster and its room's
 * webhook events (any order, duplicates allowed) in; one result per roster person and per guest
 * out. No I/O, no clock: the same input always gives the same output.
 */
export function calculateAttendance(input: AttendanceInput): SessionAttendance {
  const { policy, roster, timeZone = "UTC" } = input;
  const { window, events, connections, folded } = foldSession({
    scheduledStart: input.scheduledStart,
    scheduledEnd: input.scheduledEnd,
    roster,
    events: input.events,
  });
  const context = { window, policy, timeZone };
  const origins = connectionOrigins(folded, connections, events);
  const onRoster = new Set(roster.map((entry) => entry.identity));
  const people = roster
    .map((entry) =>
      personAttendance(entry.identity, entry.personId, entry.role, connections.get(entry.identity) ?? [], context),
    )
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || byIdentity(a.identity, b.identity));
  const guests = [...connections.entries()]
    .filter(([identity]) => !onRoster.has(identity))
    .sort(([a], [b]) => byIdentity(a, b))
    .map(([identity, list]) => personAttendance(identity, null, "guest", list, context));

  return {
    windowStart: window.windowStart,
    windowEnd: window.windowEnd,
    sessionSeconds: (window.windowEnd - window.windowStart) / 1000,
    endedEarly: window.endedEarly,
    roomFinishedAt: window.roomFinishedAt,
    roomFinishes: window.roomFinishes,
    people,
    guests,
    provenance: new Map(
      [...people, ...guests].map((person) => [
        person.identity,
        traceIntervals(person.intervals, person.connections, origins, window.windowEnd),
      ]),
    ),
  };
}
