import type { AttendanceEvent, ClosedBy, ConnectionInterval, Interval, OpenedBy } from "./types.ts";
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
  /** Whether `start` is its own join or a leave's joinedAt; null: it never opened. */
  openedBy: OpenedBy | null;
  /** The webhook whose time is `start` (the join, or the leave that recovered it). */
  openEventId: string | null;
  /** The webhook whose time is `close` (the leave or abort). */
  closeEventId: string | null;
}

interface Fold {
  identity: string;
  counted: boolean;
  join: number | null;
  joinId: string | null;
  leaveJoinedAt: number | null;
  leaveJoinedAtId: string | null;
  close: number | null;
  closedBy: "left" | "aborted" | null;
  closeId: string | null;
}

// Provenance names one webhook per time taken; among webhooks of equal time the smallest id, so the
// id named never depends on arrival order (the time itself is what decides every figure).
const isEarlier = (time: number, id: string, than: number | null, thanId: string | null) =>
  than === null || time < than || (time === than && id < thanId!);

/** Code point order, as PostgreSQL's "C" collation sorts, not JavaScript's UTF-16 order. */
export function codePointLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! < y[i]!.codePointAt(0)!;
  }
  return x.length < y.length;
}

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
      fold = {
        identity: event.identity,
        counted: true,
        join: null,
        joinId: null,
        leaveJoinedAt: null,
        leaveJoinedAtId: null,
        close: null,
        closedBy: null,
        closeId: null,
      };
      folds.set(event.participantSid, fold);
    }
    // A connection is one participant: if any of its events says it is a recorder or another
    // kind, none of it counts; the smallest identity (by code point, as the SQL twin of the window
    // rule takes it) is kept should events ever disagree.
    if (!isCountedParticipant(event.kind, event.isRecorder)) fold.counted = false;
    if (codePointLess(event.identity, fold.identity)) fold.identity = event.identity;
    if (isJoin) {
      if (isEarlier(event.time, event.id, fold.join, fold.joinId)) [fold.join, fold.joinId] = [event.time, event.id];
      continue;
    }
    foldClose(fold, event, isLeave ? "left" : "aborted");
  }
  return [...folds.entries()].map(([sid, fold]) => ({
    sid,
    identity: fold.identity,
    counted: fold.counted,
    start: fold.join ?? fold.leaveJoinedAt,
    close: fold.close,
    closedBy: fold.closedBy,
    openedBy: fold.join !== null ? "joined" : fold.leaveJoinedAt !== null ? "join_recovered" : null,
    openEventId: fold.join !== null ? fold.joinId : fold.leaveJoinedAtId,
    closeEventId: fold.closeId,
  }));
}

/** A leave or abort: the earliest closes the connection, and a leave's joinedAt may recover its join. */
function foldClose(fold: Fold, event: AttendanceEvent, kind: "left" | "aborted") {
  // On a tie a leave wins over an abort, so the source named does not depend on arrival order.
  const tie = event.time === fold.close;
  const wins =
    fold.close === null ||
    event.time < fold.close ||
    (tie && kind === "left" && fold.closedBy === "aborted") ||
    (tie && kind === fold.closedBy && event.id < fold.closeId!);
  if (wins) [fold.close, fold.closedBy, fold.closeId] = [event.time, kind, event.id];
  const joinedAt = event.participantJoinedAt;
  if (kind === "left" && joinedAt !== null && joinedAt !== undefined)
    if (isEarlier(joinedAt, event.id, fold.leaveJoinedAt, fold.leaveJoinedAtId))
      [fold.leaveJoinedAt, fold.leaveJoinedAtId] = [joinedAt, event.id];
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
