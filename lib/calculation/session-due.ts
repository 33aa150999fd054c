import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { calculationDueAt } from "./due-time.ts";

/**
 * When a session's attendance is due: its window end (rules section 5, the SQL twin of
 * lib/attendance/window.ts) plus the delay (section 7). Null for a cancelled or unknown session.
 */
export async function sessionCalculationDueAt(
  db: PrismaClient,
  sessionId: string,
  delayMinutes: number,
): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<{ window_end: Date }[]>(
    `SELECT rollcall_window_end(p_session_id => id) AS window_end FROM session WHERE id = $1 AND cancelled_at IS NULL`,
    sessionId,
  );
  const windowEnd = rows[0]?.window_end;
  return windowEnd ? calculationDueAt(windowEnd, delayMinutes) : null;
}
