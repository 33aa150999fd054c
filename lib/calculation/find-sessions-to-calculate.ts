import "server-only";
import type pg from "pg";

export interface FindSessionsToCalculateOptions {
  now: Date;
  /** Minutes after a window's end before it is calculated (rules section 7). */
  delayMinutes: number;
  /** How far back to look; the sweep uses SWEEP_LOOKBACK_DAYS (due-time.ts). */
  days: number;
  type?: "quran" | "academic" | "interactive";
  /** Include sessions already calculated (`--force`). */
  includeCalculated?: boolean;
  academyId?: string;
  limit?: number;
}

/**
 * Ids of sessions whose window ended more than the delay ago, within the last `days`, not cancelled:
 * the SQL form of `calculationDueAt(windowEnd, delayMinutes) <= now` (due-time.ts).
 */
export async function findSessionsToCalculate(
  pool: pg.Pool,
  options: FindSessionsToCalculateOptions,
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT s.id FROM session s
     WHERE s.cancelled_at IS NULL
       AND ($4::boolean OR NOT s.is_calculated)
       AND s.scheduled_end >= $1::timestamptz - make_interval(days => $3::int)
       -- The window ends after the start and at the latest at the scheduled end (rules section 5):
       -- the window rule is only evaluated for classes that may have finished early.
       AND s.scheduled_start <= $1::timestamptz - make_interval(secs => $2::float8 * 60)
       AND (s.scheduled_end <= $1::timestamptz - make_interval(secs => $2::float8 * 60)
            OR rollcall_window_end(p_session_id => s.id) <= $1::timestamptz - make_interval(secs => $2::float8 * 60))
       AND ($5::text IS NULL OR s.type::text = $5)
       AND ($6::text IS NULL OR s.academy_id = $6)
     ORDER BY s.scheduled_end, s.id
     LIMIT $7`,
    [
      options.now,
      options.delayMinutes,
      options.days,
      options.includeCalculated ?? false,
      options.type ?? null,
      options.academyId ?? null,
      options.limit ?? 100_000,
    ],
  );
  return rows.map((row) => row.id);
}

// Sessions calculated at least once (a report stored, current or not), by end, within the range.
const FIND_CALCULATED = `
SELECT id FROM session
WHERE calculated_at IS NOT NULL AND cancelled_at IS NULL AND scheduled_end >= $1 AND scheduled_end <= $2
  AND ($3::text IS NULL OR academy_id = $3)
ORDER BY scheduled_end, id`;

/**
 * The sessions calculated at least once that were scheduled to end in [from, to], of one academy or
 * all: what `attendance:verify` checks and what a policy preview or application covers.
 */
export async function findCalculatedSessions(
  pool: pg.Pool,
  { from, to, academyId }: { from: Date; to: Date; academyId?: string },
): Promise<string[]> {
  return (await pool.query<{ id: string }>(FIND_CALCULATED, [from, to, academyId ?? null])).rows.map((row) => row.id);
}
