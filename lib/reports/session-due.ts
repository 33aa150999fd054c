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

/** Whether a session's window (rules section 5) has ended by `now`; the SQL twin is rollcall_window_end. */
export function hasWindowEnded(session: { scheduledStart: Date; scheduledEnd: Date; roomFinishedAt: Date | null }, now: Date): boolean {
  const { scheduledStart, scheduledEnd, roomFinishedAt } = session;
  const endedEarly = roomFinishedAt !== null && roomFinishedAt > scheduledStart && roomFinishedAt < scheduledEnd;
  return (endedEarly ? roomFinishedAt : scheduledEnd).getTime() <= now.getTime();
}
