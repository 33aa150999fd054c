import type pg from "pg";

/**
 * When a session's attendance is due: its window end (the scheduled end, or an early room_finished
 * between start and end) plus the delay (rules section 7). Null for a cancelled or unknown session.
 */
export async function sessionCalculationDueAt(pool: pg.Pool, sessionId: string, delayMinutes: number): Promise<Date | null> {
  const { rows } = await pool.query<{ due_at: Date }>(
    `SELECT rollcall_window_end(scheduled_start, scheduled_end, room_finished_at) + make_interval(secs => $2::float8 * 60) AS due_at
     FROM session WHERE id = $1 AND status <> 'cancelled'`,
    [sessionId, delayMinutes],
  );
  return rows[0]?.due_at ?? null;
}

type Schedule = { scheduledStart: Date; scheduledEnd: Date; roomFinishedAt: Date | null };

/** A session's window end (rules section 5): the scheduled end, or an earlier room_finished. The SQL twin is rollcall_window_end. */
export function windowEnd({ scheduledStart, scheduledEnd, roomFinishedAt }: Schedule): Date {
  const endedEarly = roomFinishedAt !== null && roomFinishedAt > scheduledStart && roomFinishedAt < scheduledEnd;
  return endedEarly ? roomFinishedAt : scheduledEnd;
}

/** Whether a session's window has ended by `now`. */
export function hasWindowEnded(session: Schedule, now: Date): boolean {
  return windowEnd(session).getTime() <= now.getTime();
}
