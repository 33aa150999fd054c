import { eventsWithin, widestEventRange } from "./events.ts";
import { foldConnections } from "./intervals.ts";
import type { AttendanceEvent, RoomFinish, Schedule } from "./types.ts";

export interface AttendanceWindow {
  windowStart: number;
  windowEnd: number;
  endedEarly: boolean;
  /** The room_finished that ended the class early, else null. */
  roomFinishedAt: number | null;
  /** Every room_finished strictly inside the scheduled window, in order, up to the one that ended it. */
  roomFinishes: RoomFinish[];
}

/**
 * Rules section 5 with decisions 4 and 5: the class ends at the first room_finished strictly between
 * the scheduled start and end after which its teacher did not connect again before the scheduled
 * end; else at the scheduled end. Only the teacher's counted connections resume a class: a student
 * or guest joining the emptied room, or a room_started, do not. Decided from the room's events
 * within `widestEventRange`, so the window never depends on itself. Events must be deduplicated.
 */
export function resolveWindow(
  schedule: Schedule,
  events: readonly AttendanceEvent[],
  teacherIdentity: string | null,
): AttendanceWindow {
  const { scheduledStart, scheduledEnd } = schedule;
  const relevant = eventsWithin(events, widestEventRange(schedule));
  const finishes = [
    ...new Set(
      relevant
        .filter((event) => event.type === "room_finished" && event.time > scheduledStart && event.time < scheduledEnd)
        .map((event) => event.time),
    ),
  ].sort((a, b) => a - b);

  const teacherStarts: number[] = [];
  if (finishes.length && teacherIdentity !== null) {
    for (const connection of foldConnections(relevant)) {
      if (connection.identity === teacherIdentity && connection.counted && connection.start !== null)
        teacherStarts.push(connection.start);
    }
  }
  const roomFinishes: RoomFinish[] = [];
  for (const at of finishes) {
    let resumedAt: number | null = null;
    for (const start of teacherStarts)
      if (start > at && start < scheduledEnd && (resumedAt === null || start < resumedAt)) resumedAt = start;
    roomFinishes.push({ at, resumedAt });
    if (resumedAt === null)
      return { windowStart: scheduledStart, windowEnd: at, endedEarly: true, roomFinishedAt: at, roomFinishes };
  }
  return {
    windowStart: scheduledStart,
    windowEnd: scheduledEnd,
    endedEarly: false,
    roomFinishedAt: null,
    roomFinishes,
  };
}

/** The roster's teacher identity, the one whose return resumes a class (decision 4). */
export function teacherOf(roster: readonly { identity: string; role: string }[]): string | null {
  return roster.find((entry) => entry.role === "teacher")?.identity ?? null;
}
