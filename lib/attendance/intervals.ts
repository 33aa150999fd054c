import type { AttendanceEvent, Interval } from "./types.ts";
import { dedupeEvents } from "./events.ts";
import { isCountedParticipant } from "./participants.ts";

export interface ConnectionInterval {
  sid: string;
  start: number;
  end: number;
  /** False when no leave arrived and the end came from closeOpenAt. */
  closed: boolean;
}

interface ConnectionFold {
  identity: string;
  counted: boolean;
  join: number | null;
  leaveJoinedAt: number | null;
  close: number | null;
}

const earliest = (a: number | null, b: number | null | undefined) => (b === null || b === undefined ? a : a === null ? b : Math.min(a, b));

/**
 * Rules section 4, per connection (participant sid) and independent of arrival order: it starts at
 * its earliest participant_joined, or, when no join arrived, at the earliest joinedAt a
 * participant_left carried; an aborted connection with no join never opens. It ends at its earliest
 * left/aborted; with none, at closeOpenAt(start). An end before the start gives an empty interval.
 * Only counted participants (rules section 3) are returned, keyed by identity.
 */
export function buildConnectionIntervals(
  events: readonly AttendanceEvent[],
  closeOpenAt: (start: number) => number,
): Map<string, ConnectionInterval[]> {
  const connections = new Map<string, ConnectionFold>();
  for (const event of dedupeEvents(events)) {
    const isJoin = event.type === "participant_joined";
    const isLeave = event.type === "participant_left";
    const isAbort = event.type === "participant_connection_aborted";
    if ((!isJoin && !isLeave && !isAbort) || !event.participantSid || !event.identity) continue;
    let fold = connections.get(event.participantSid);
    if (!fold) {
      fold = { identity: event.identity, counted: true, join: null, leaveJoinedAt: null, close: null };
      connections.set(event.participantSid, fold);
    }
    // A connection is one participant: if any of its events says it is a recorder or another
    // kind, none of it counts; the smallest identity is kept should events ever disagree.
    if (!isCountedParticipant(event.kind, event.isRecorder)) fold.counted = false;
    if (event.identity < fold.identity) fold.identity = event.identity;
    if (isJoin) fold.join = earliest(fold.join, event.time);
    else {
      fold.close = earliest(fold.close, event.time);
      if (isLeave) fold.leaveJoinedAt = earliest(fold.leaveJoinedAt, event.participantJoinedAt);
    }
  }

  const byIdentity = new Map<string, ConnectionInterval[]>();
  for (const [sid, fold] of connections) {
    const start = fold.join ?? fold.leaveJoinedAt;
    if (!fold.counted || start === null) continue;
    const closed = fold.close !== null;
    const end = Math.max(start, closed ? fold.close! : closeOpenAt(start));
    const list = byIdentity.get(fold.identity);
    const interval = { sid, start, end, closed };
    if (list) list.push(interval);
    else byIdentity.set(fold.identity, [interval]);
  }
  return byIdentity;
}

/** The union of intervals: overlapping or touching ones merge, so two tabs never count twice. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** Milliseconds of merged intervals inside [from, to). */
export function clippedLength(merged: readonly Interval[], from: number, to: number): number {
  let total = 0;
  for (const { start, end } of merged) total += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return total;
}
