import { explainAttendance } from "./explain.ts";
import { dedupeEvents } from "./events.ts";
import { buildConnectionIntervals, clippedLength, mergeIntervals, type ConnectionInterval } from "./intervals.ts";
import { decideStatus } from "./status.ts";
import type { AttendanceInput, AttendancePolicy, PersonAttendance, ReportRole, SessionAttendance } from "./types.ts";
import { resolveWindow, roomFinishTimes } from "./window.ts";

/** The first room_finished at or after `start`, by binary search over the sorted finish times. */
function firstAtOrAfter(sorted: readonly number[], start: number): number | null {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < start) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length ? sorted[low]! : null;
}

function personAttendance(
  identity: string,
  personId: string | null,
  role: ReportRole,
  connections: readonly ConnectionInterval[],
  context: { windowStart: number; windowEnd: number; policy: AttendancePolicy; timeZone: string; endedEarlyAt: number | null },
): PersonAttendance {
  const { windowStart, windowEnd, policy, timeZone } = context;
  const windowMs = windowEnd - windowStart;
  const intervals = mergeIntervals(connections);
  const attendedSeconds = Math.floor(clippedLength(intervals, windowStart, windowEnd) / 1000);

  // Lateness looks only at connections that overlap or precede the window: a join in the
  // preparation time is on time, a join after the end is not a late arrival.
  let firstJoin: number | null = null;
  for (const connection of connections) {
    if (connection.start < windowEnd && (firstJoin === null || connection.start < firstJoin)) firstJoin = connection.start;
  }
  const decision = decideStatus({ attendedSeconds, windowMs, firstJoin, windowStart, policy });
  return {
    identity,
    personId,
    role,
    attendedSeconds,
    ratio: decision.ratio,
    percentage: decision.percentage,
    status: decision.status,
    isLate: decision.isLate,
    lateMinutes: decision.lateMinutes,
    firstJoinAt: intervals.length ? intervals[0]!.start : null,
    lastLeaveAt: intervals.length ? Math.max(...intervals.map((interval) => interval.end)) : null,
    intervals,
    connectionCount: connections.length,
    policy: { ...policy },
    explanation: explainAttendance({
      status: decision.status,
      attendedSeconds,
      sessionSeconds: windowMs / 1000,
      percentage: decision.percentage,
      isLate: decision.isLate,
      lateMinutes: decision.lateMinutes,
      firstJoin,
      hasIntervals: intervals.length > 0,
      endedEarlyAt: context.endedEarlyAt,
      policy,
      timeZone,
    }),
  };
}

const ROLE_ORDER: Record<ReportRole, number> = { teacher: 0, student: 1, guest: 2 };

/**
 * ATTENDANCE_RULES.md as a pure function: a session's window, policy, roster and webhook events
 * (any order, duplicates allowed) in; one result per roster person and per guest out. No I/O, no
 * clock: the same input always gives the same output.
 */
export function calculateAttendance(input: AttendanceInput): SessionAttendance {
  const { scheduledStart, scheduledEnd, policy, roster, timeZone = "UTC" } = input;
  if (!(Number.isFinite(scheduledStart) && Number.isFinite(scheduledEnd) && scheduledEnd > scheduledStart)) {
    throw new Error(`A session's scheduled end must be after its start (start ${scheduledStart}, end ${scheduledEnd}).`);
  }
  const events = dedupeEvents(input.events);
  const window = resolveWindow(scheduledStart, scheduledEnd, events);
  const finishes = roomFinishTimes(events);
  // A connection with no leave closes at the room's end if one came after it started, else at the
  // window end, and never later than the window end (rules section 4).
  const closeOpenAt = (start: number) => Math.min(firstAtOrAfter(finishes, start) ?? window.windowEnd, window.windowEnd);
  const byIdentity = buildConnectionIntervals(events, closeOpenAt);

  const context = { windowStart: window.windowStart, windowEnd: window.windowEnd, policy, timeZone, endedEarlyAt: window.endedEarly ? window.windowEnd : null };
  const onRoster = new Set<string>();
  const people = roster
    .map((entry) => {
      onRoster.add(entry.identity);
      return personAttendance(entry.identity, entry.personId, entry.role, byIdentity.get(entry.identity) ?? [], context);
    })
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
  const guests = [...byIdentity.entries()]
    .filter(([identity]) => !onRoster.has(identity))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([identity, connections]) => personAttendance(identity, null, "guest", connections, context));

  return {
    windowStart: window.windowStart,
    windowEnd: window.windowEnd,
    sessionSeconds: (window.windowEnd - window.windowStart) / 1000,
    endedEarly: window.endedEarly,
    roomFinishedAt: window.roomFinishedAt,
    people,
    guests,
  };
}
