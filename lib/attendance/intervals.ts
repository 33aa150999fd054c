import type { AttendanceEvent, ClosedBy, ConnectionInterval, Interval } from "./types.ts";
import { isCountedParticipant } from "./participants.ts";

/** One connection (participant sid) folded from its events, before any closing rule applies. */
export interface FoldedConnection {
  sid: string;
  identity: string;
  counted: boolean;
  /** The earliest join, else the earliest joinedAt a leave carried; null: it never opened. */
  start: number | null;
  /** The earliest leave or abort. */
  close: number | null;
  closedBy: "left" | "aborted" | null;
}

interface Fold {
  identity: string;
  counted: boolean;
  join: number | null;
  leaveJoinedAt: number | null;
  close: number | null;
  closedBy: "left" | "aborted" | null;
}

/** Code point order, as PostgreSQL's "C" collation sorts, not JavaScript's UTF-16 order. */
export function codePointLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! < y[i]!.codePointAt(0)!;
  }
  return x.length < y.length;
}

const earliest = (a: number | null, b: number | null | undefined) =>
  b === null || b === undefined ? a : a === null ? b : Math.min(a, b);

/**
 * Rules section 4 and decision 1, per connection and independent of arrival order: the earliest
 * join opens it, or, when no join arrived, the earliest joinedAt a participant_left carried (an
 * aborted connection with no join never opens); the earliest left/aborted closes it. Events must be
 * deduplicated already.
 */
export function foldConnections(events: readonly AttendanceEvent[]): FoldedConnection[] {
  const folds = new Map<string, Fold>();
  for (const event of events) {
    const isJoin = event.type === "participant_joined";
    const isLeave = event.type === "participant_left";
    const isAbort = event.type === "participant_connection_aborted";
    if ((!isJoin && !isLeave && !isAbort) || !event.participantSid || !event.identity) continue;
    let fold = folds.get(event.participantSid);
    if (!fold) {
      fold = { identity: event.identity, counted: true, join: null, leaveJoinedAt: null, close: null, closedBy: null };
      folds.set(event.participantSid, fold);
    }
    // A connection is one participant: if any of its events says it is a recorder or another
    // kind, none of it counts; the smallest identity (by code point, as the SQL twin of the window
    // rule takes it) is kept should events ever disagree.
    if (!isCountedParticipant(event.kind, event.isRecorder)) fold.counted = false;
    if (codePointLess(event.identity, fold.identity)) fold.identity = event.identity;
    if (isJoin) {
      fold.join = earliest(fold.join, event.time);
      continue;
    }
    // On a tie a leave wins over an abort, so the source named does not depend on arrival order.
    const kind = isLeave ? "left" : "aborted";
    if (fold.close === null || event.time < fold.close || (event.time === fold.close && kind === "left")) {
      fold.close = event.time;
      fold.closedBy = kind;
    }
    if (isLeave) fold.leaveJoinedAt = earliest(fold.leaveJoinedAt, event.participantJoinedAt);
  }
  return [...folds.entries()].map(([sid, fold]) => ({
    sid,
    identity: fold.identity,
    counted: fold.counted,
    start: fold.join ?? fold.leaveJoinedAt,
    close: fold.close,
    closedBy: fold.closedBy,
  }));
}

/** The first of the sorted times at or after `start`, by binary search. */
export function firstAtOrAfter(sorted: readonly number[], start: number): number | null {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < start) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length ? sorted[low]! : null;
}

/** Where a connection with no leave ends: a time and why, or null while it is still open (live view). */
export type OpenConnectionRule = (start: number) => { end: number; closedBy: ClosedBy } | null;

/**
 * Decision 3: a connection with no leave closes at the first room_finished at or after its start,
 * capped at the window end; with none, at the window end, or, in the live view, stays open until
 * reconciliation (`closeAtWindowEnd` false). Never before its own start.
 */
export function openConnectionRule(
  roomFinishes: readonly number[],
  windowEnd: number,
  closeAtWindowEnd: boolean,
): OpenConnectionRule {
  const sorted = [...roomFinishes].sort((a, b) => a - b);
  return (start) => {
    const finish = firstAtOrAfter(sorted, start);
    if (finish !== null && finish < windowEnd) return { end: Math.max(start, finish), closedBy: "room_finished" };
    if (finish !== null || closeAtWindowEnd)
      return {
        end: Math.max(start, windowEnd),
        closedBy: finish !== null && finish === windowEnd ? "room_finished" : "window_end",
      };
    return null;
  };
}

/**
 * The counted connections that opened, closed by their own leave (decision 2: never before their
 * start) or by `closeOpen`, grouped by identity, each list by start.
 */
export function closeConnections(
  folded: readonly FoldedConnection[],
  closeOpen: OpenConnectionRule,
): Map<string, ConnectionInterval[]> {
  const byIdentity = new Map<string, ConnectionInterval[]>();
  for (const connection of folded) {
    if (!connection.counted || connection.start === null) continue;
    const { start } = connection;
    let interval: ConnectionInterval;
    if (connection.close !== null)
      interval = { sid: connection.sid, start, end: Math.max(start, connection.close), closedBy: connection.closedBy };
    else {
      const closed = closeOpen(start);
      interval = { sid: connection.sid, start, end: closed?.end ?? null, closedBy: closed?.closedBy ?? null };
    }
    const list = byIdentity.get(connection.identity);
    if (list) list.push(interval);
    else byIdentity.set(connection.identity, [interval]);
  }
  for (const list of byIdentity.values())
    list.sort((a, b) => a.start - b.start || (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0));
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
