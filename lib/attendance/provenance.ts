import type { FoldedConnection } from "./intervals.ts";
import type {
  AttendanceEvent,
  ConnectionInterval,
  ConnectionSource,
  Interval,
  OpenedBy,
  TracedInterval,
} from "./types.ts";

/** The webhooks whose times opened and closed one connection (decision 14). */
export interface ConnectionOrigin {
  openedBy: OpenedBy;
  openEventId: string;
  /** The leave, abort or room_finished that closed it; null at the window end or while it is open. */
  closeEventId: string | null;
}

/** Each room_finished time and the webhook of that time; of two at one instant, the smaller id. */
function roomFinishIds(events: readonly AttendanceEvent[]): Map<number, string> {
  const ids = new Map<number, string>();
  for (const event of events) {
    if (event.type !== "room_finished") continue;
    const kept = ids.get(event.time);
    if (kept === undefined || event.id < kept) ids.set(event.time, event.id);
  }
  return ids;
}

/**
 * By sid, the webhooks behind each closed connection: its own join or the leave that recovered it,
 * and its own leave or abort, or the room_finished whose time closed it (decision 3 closes an open
 * connection at a room_finished's exact time, so the time finds it).
 */
export function connectionOrigins(
  folded: readonly FoldedConnection[],
  closed: ReadonlyMap<string, readonly ConnectionInterval[]>,
  events: readonly AttendanceEvent[],
): Map<string, ConnectionOrigin> {
  const finishIds = roomFinishIds(events);
  const foldedBySid = new Map(folded.map((connection) => [connection.sid, connection]));
  const origins = new Map<string, ConnectionOrigin>();
  for (const connections of closed.values()) {
    for (const connection of connections) {
      const fold = foldedBySid.get(connection.sid)!;
      const closeEventId =
        connection.closedBy === "left" || connection.closedBy === "aborted"
          ? fold.closeEventId
          : connection.closedBy === "room_finished" && connection.end !== null
            ? (finishIds.get(connection.end) ?? null)
            : null;
      origins.set(connection.sid, { openedBy: fold.openedBy!, openEventId: fold.openEventId!, closeEventId });
    }
  }
  return origins;
}

/**
 * The merged intervals, each with the connections it is made of (by start): a connection lies in
 * exactly one merged interval, the one holding its start, since merged intervals neither overlap
 * nor touch. A connection with no end (only in the live view) is traced to the window end.
 */
export function traceIntervals(
  merged: readonly Interval[],
  connections: readonly ConnectionInterval[],
  origins: ReadonlyMap<string, ConnectionOrigin>,
  windowEnd: number,
): TracedInterval[] {
  return merged.map(({ start, end }) => ({
    start,
    end,
    sources: connections
      .filter((connection) => connection.start >= start && connection.start <= end)
      .map((connection): ConnectionSource => ({
        sid: connection.sid,
        start: connection.start,
        end: connection.end ?? windowEnd,
        ...origins.get(connection.sid)!,
        closedBy: connection.closedBy ?? "window_end",
      })),
  }));
}
