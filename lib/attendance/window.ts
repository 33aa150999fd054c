import type { AttendanceEvent } from "./types.ts";
import { isCountedParticipant } from "./participants.ts";

export interface AttendanceWindow {
  windowStart: number;
  windowEnd: number;
  endedEarly: boolean;
  roomFinishedAt: number | null;
}

/**
 * Rules section 5. The window ends early at a room_finished strictly between the scheduled start
 * and end; with several, the latest. A room that reopened afterwards (a room_started, or a counted
 * participant connecting, after that room_finished and before the scheduled end) did not end the
 * class, so then the scheduled end stands.
 */
export function resolveWindow(scheduledStart: number, scheduledEnd: number, events: readonly AttendanceEvent[]): AttendanceWindow {
  let lastFinish: number | null = null;
  for (const event of events) {
    if (event.type === "room_finished" && event.time > scheduledStart && event.time < scheduledEnd) {
      if (lastFinish === null || event.time > lastFinish) lastFinish = event.time;
    }
  }
  if (lastFinish !== null) {
    const finish = lastFinish;
    const reopened = events.some(
      (event) =>
        event.time > finish &&
        event.time < scheduledEnd &&
        (event.type === "room_started" || (event.type === "participant_joined" && isCountedParticipant(event.kind, event.isRecorder))),
    );
    if (!reopened) return { windowStart: scheduledStart, windowEnd: finish, endedEarly: true, roomFinishedAt: finish };
  }
  return { windowStart: scheduledStart, windowEnd: scheduledEnd, endedEarly: false, roomFinishedAt: null };
}

/** The times of every room_finished, ascending: an open connection closes at the first one after it started. */
export function roomFinishTimes(events: readonly AttendanceEvent[]): number[] {
  return events
    .filter((event) => event.type === "room_finished")
    .map((event) => event.time)
    .sort((a, b) => a - b);
}
