import "server-only";
import type pg from "pg";
import { foldSession, RECONCILIATION_MS, type ClosedBy } from "../attendance/index.ts";
import { loadSessionEvents } from "../sessions/session-events.ts";

export interface UnclosedConnection {
  sessionId: string;
  roomName: string;
  identity: string;
  start: Date;
  closedAt: Date;
  closedBy: ClosedBy;
}

/**
 * Rules section 9, as an operator's audit: the connections of classes whose window ended more than
 * an hour ago for which LiveKit never sent a leave, and where the rules closed them (the room's end
 * or the window end). Nothing is stored or changed: every view applies the same rule when it folds
 * the log. Many of these point at lost webhooks (a firewall, a wrong URL for a while).
 */
export async function findUnclosedConnections(
  pool: pg.Pool,
  { now, days }: { now: Date; days: number },
): Promise<UnclosedConnection[]> {
  const { rows } = await pool.query<{
    id: string;
    livekit_scope: string;
    room_name: string;
    scheduled_start: Date;
    scheduled_end: Date;
    teacher: string | null;
  }>(
    `SELECT s.id, s.livekit_scope, s.room_name, s.scheduled_start, s.scheduled_end,
       (SELECT p.livekit_identity FROM session_roster r JOIN person p ON p.id = r.person_id WHERE r.session_id = s.id AND r.role = 'teacher' LIMIT 1) AS teacher
     FROM session s
     WHERE s.cancelled_at IS NULL
       AND s.scheduled_end >= $1::timestamptz - make_interval(days => $2::int)
       AND s.scheduled_start <= $1::timestamptz - make_interval(secs => $3::float8 / 1000)
       AND rollcall_window_end(p_session_id => s.id) <= $1::timestamptz - make_interval(secs => $3::float8 / 1000)
     ORDER BY s.scheduled_start, s.id`,
    [now, days, RECONCILIATION_MS],
  );
  const spans = rows.map((row) => ({
    id: row.id,
    livekitScope: row.livekit_scope,
    roomName: row.room_name,
    scheduledStart: row.scheduled_start,
    scheduledEnd: row.scheduled_end,
  }));
  const events = await loadSessionEvents(pool, spans);
  const found: UnclosedConnection[] = [];
  for (const row of rows) {
    const fold = foldSession({
      scheduledStart: row.scheduled_start.getTime(),
      scheduledEnd: row.scheduled_end.getTime(),
      roster: row.teacher ? [{ identity: row.teacher, personId: "", role: "teacher" }] : [],
      events: events.get(row.id) ?? [],
      now: now.getTime(),
    });
    for (const [identity, connections] of fold.connections) {
      for (const connection of connections) {
        if (connection.closedBy === "room_finished" || connection.closedBy === "window_end") {
          found.push({
            sessionId: row.id,
            roomName: row.room_name,
            identity,
            start: new Date(connection.start),
            closedAt: new Date(connection.end!),
            closedBy: connection.closedBy,
          });
        }
      }
    }
  }
  return found;
}
