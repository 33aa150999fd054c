import type { AttendanceEvent, Schedule } from "./types.ts";

const MINUTE = 60_000;
/** Rules section 1: a session's webhooks start 60 minutes before its start (preparation)… */
export const PREPARATION_MS = 60 * MINUTE;
/** …and end 60 minutes after its window end (reconciliation, section 9). */
export const RECONCILIATION_MS = 60 * MINUTE;

// A stable key so that which copy of a duplicated id survives never depends on arrival order.
// JSON, not a joined string: no field's content can imitate a separator.
const canonical = (event: AttendanceEvent) =>
  JSON.stringify([
    event.type,
    event.time,
    event.participantSid ?? null,
    event.identity ?? null,
    event.kind ?? null,
    Boolean(event.isRecorder),
    event.participantJoinedAt ?? null,
  ]);

/** One event per webhook id (rules section 4: duplicates change nothing), whatever the order. */
export function dedupeEvents(events: readonly AttendanceEvent[]): AttendanceEvent[] {
  const byId = new Map<string, AttendanceEvent>();
  for (const event of events) {
    const kept = byId.get(event.id);
    if (!kept || canonical(event) < canonical(kept)) byId.set(event.id, event);
  }
  return [...byId.values()];
}

/**
 * The span of event times that can matter to a session: 60 minutes before its scheduled start to 60
 * minutes after its scheduled end. The window is decided from these (decision 5), and a reader of
 * the log fetches these; the window end can only be earlier than the scheduled end.
 */
export function widestEventRange({ scheduledStart, scheduledEnd }: Schedule): { from: number; to: number } {
  return { from: scheduledStart - PREPARATION_MS, to: scheduledEnd + RECONCILIATION_MS };
}

/** Rules section 1, decision 5: the session's events, from 60 min before its start to 60 min after its window end, bounds included. */
export function sessionEventRange(scheduledStart: number, windowEnd: number): { from: number; to: number } {
  return { from: scheduledStart - PREPARATION_MS, to: windowEnd + RECONCILIATION_MS };
}

export function eventsWithin(
  events: readonly AttendanceEvent[],
  { from, to }: { from: number; to: number },
): AttendanceEvent[] {
  return events.filter((event) => event.time >= from && event.time <= to);
}
