import type pg from "pg";

export interface ReconcileSummary {
  sessions: number;
  connections: number;
}

/**
 * Closes connections still open more than an hour after their session's window ended (rules
 * section 9): at the room's end if a room_finished came after they started, else at the window end,
 * never before their start. Only the live view changes; reports are calculated from the log. No
 * LiveKit API is called.
 */
export async function reconcileConnections(pool: pg.Pool, { now, graceMinutes = 60 }: { now: Date; graceMinutes?: number }): Promise<ReconcileSummary> {
  const { rows } = await pool.query<{ session_id: string }>(
    `SELECT DISTINCT c.session_id FROM participant_connection c JOIN session s ON s.id = c.session_id
     WHERE c.left_at IS NULL AND c.reconciled_at IS NULL AND coalesce(c.joined_at, c.leave_joined_at) IS NOT NULL
       AND s.scheduled_end < $1::timestamptz - make_interval(mins => $2::int)`,
    [now, graceMinutes],
  );
  let connections = 0;
  for (const { session_id: sessionId } of rows) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // The session's lock alone, as a room_finished takes it: everyone's aggregate is refreshed.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [sessionId]);
      const closed = await client.query(
        `UPDATE participant_connection c SET reconciled_at = GREATEST(coalesce(c.joined_at, c.leave_joined_at),
            CASE WHEN s.room_finished_at >= coalesce(c.joined_at, c.leave_joined_at) THEN LEAST(s.room_finished_at, s.scheduled_end)
                 ELSE s.scheduled_end END),
          updated_at = now()
         FROM session s
         WHERE s.id = c.session_id AND c.session_id = $1 AND c.left_at IS NULL AND c.reconciled_at IS NULL
           AND coalesce(c.joined_at, c.leave_joined_at) IS NOT NULL`,
        [sessionId],
      );
      await client.query("SELECT rollcall_refresh_attendees($1, NULL, NULL)", [sessionId]);
      await client.query(`SELECT pg_notify('rollcall_live', json_build_object('sessionId', $1::text, 'event', 'reconciled')::text)`, [sessionId]);
      await client.query("COMMIT");
      connections += closed.rowCount ?? 0;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return { sessions: rows.length, connections };
}
