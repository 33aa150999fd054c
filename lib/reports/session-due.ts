import type { PrismaClient } from "../db.ts";

/**
 * When a session's attendance is due: its window end (rules section 5, the SQL twin of
 * lib/attendance/window.ts) plus the delay (section 7). Null for a cancelled or unknown session.
 */
export async function sessionCalculationDueAt(db: PrismaClient, sessionId: string, delayMinutes: number): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<{ due_at: Date }[]>(
    `SELECT rollcall_window_end(p_session_id => id) + make_interval(secs => $2::float8 * 60) AS due_at FROM session WHERE id = $1 AND cancelled_at IS NULL`,
    sessionId,
    delayMinutes,
  );
  return rows[0]?.due_at ?? null;
}
