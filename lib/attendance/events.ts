import type { AttendanceEvent } from "./types.ts";

// A stable key so that which copy of a duplicated id survives never depends on arrival order.
const canonical = (event: AttendanceEvent) =>
  `${event.type}|${event.time}|${event.participantSid ?? ""}|${event.identity ?? ""}|${event.kind ?? ""}|${event.isRecorder ? 1 : 0}|${event.participantJoinedAt ?? ""}`;

/** One event per webhook id (rules section 4: duplicates change nothing), whatever the order. */
export function dedupeEvents(events: readonly AttendanceEvent[]): AttendanceEvent[] {
  const byId = new Map<string, AttendanceEvent>();
  for (const event of events) {
    const kept = byId.get(event.id);
    if (!kept) byId.set(event.id, event);
    else if (canonical(event) < canonical(kept)) byId.set(event.id, event);
  }
  return [...byId.values()];
}
