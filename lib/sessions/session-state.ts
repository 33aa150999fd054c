import "server-only";
import type { SessionState } from "../attendance/index.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { PrismaClient } from "../db/client.ts";

/**
 * A session's state (lib/attendance/README.md decision 12) in SQL, for filters and ordering: the
 * function rollcall_session_state, the twin of lib/attendance/lifecycle.ts over the window rule,
 * proven equal to it by tests/window-sql.integration.test.ts. `now` is a query parameter.
 */
export const sessionStateSql = (alias: string, now: string) =>
  `rollcall_session_state(p_id => ${alias}.id, p_start => ${alias}.scheduled_start, p_end => ${alias}.scheduled_end, p_cancelled_at => ${alias}.cancelled_at, p_is_calculated => ${alias}.is_calculated, p_now => ${now})`;

export interface SessionTiming {
  state: SessionState;
  /** The window end as the log knows it now (rules section 5). */
  windowEnd: Date;
}

/** The state and window end of each session, in one query. */
export async function sessionTimings(
  db: PrismaClient | Prisma.TransactionClient,
  ids: readonly string[],
  now = new Date(),
): Promise<Map<string, SessionTiming>> {
  if (!ids.length) return new Map();
  const rows = await db.$queryRawUnsafe<{ id: string; state: SessionState; window_end: Date }[]>(
    `SELECT s.id, ${sessionStateSql("s", "$2::timestamptz")} AS state, rollcall_window_end(p_session_id => s.id) AS window_end FROM session s WHERE s.id = ANY($1::text[])`,
    ids,
    now,
  );
  return new Map(rows.map((row) => [row.id, { state: row.state, windowEnd: row.window_end }]));
}
