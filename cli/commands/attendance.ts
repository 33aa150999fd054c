import { parseArgs } from "node:util";
import { getPool } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { calculateSessions } from "../../lib/reports/calculate-sessions.ts";
import { findSessionsToCalculate } from "../../lib/reports/find-sessions-to-calculate.ts";
import { findUnclosedConnections } from "../../lib/reports/unclosed-connections.ts";
import { openDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

const TYPES = ["quran", "academic", "interactive"] as const;

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
}

/**
 * attendance:calculate [sessionId] [--force] [--type quran|academic|interactive] [--days N]
 * One session, or every session whose window ended more than the delay ago within the last N days
 * and is not yet calculated (--force: calculated ones too). Exit 1 if any session failed.
 */
export async function attendanceCalculate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: "boolean", default: false }, type: { type: "string" }, days: { type: "string", default: "7" } },
  });
  if (positionals.length > 1) throw new UsageError("give at most one session id");
  const type = values.type as (typeof TYPES)[number] | undefined;
  if (type && !TYPES.includes(type)) throw new UsageError(`--type must be one of ${TYPES.join(", ")}`);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new UsageError("--days must be a whole number of days from 1");

  const db = await openDatabase();
  try {
    const pool = getPool();
    const now = new Date();
    const sessionIds = positionals[0]
      ? [positionals[0]]
      : await findSessionsToCalculate(pool, { now, delayMinutes: env().ROLLCALL_CALC_DELAY_MINUTES, days, type, includeCalculated: values.force });
    if (positionals[0]) {
      const found = await pool.query("SELECT 1 FROM session WHERE id = $1", [positionals[0]]);
      if (!found.rowCount) throw new UsageError(`No session ${positionals[0]}.`);
    }
    console.log(`Calculating ${sessionIds.length} session(s) on the ${db.describe}${values.force ? " (forced)" : ""}.`);
    const interactive = process.stdout.isTTY && sessionIds.length > 250;
    const summary = await calculateSessions({
      pool,
      sessionIds,
      force: values.force || Boolean(positionals[0]),
      trigger: "cli",
      // Each batch dates its reports by the database's clock once it holds the locks, never by when
      // this command started: a report must not look older than a recalculation that ran before it.
      onProgress: (done, total) => {
        if (interactive) process.stdout.write(`\r${progressBar(done, total)}`);
        else if (total > 250) console.log(progressBar(done, total));
      },
    });
    if (interactive) process.stdout.write("\n");
    console.log(
      formatTable(
        // Students, teachers and guests apart: the statuses are the students' (decision 9).
        ["sessions", "skipped", "students", "present", "late", "partial", "absent", "teachers", "guests", "failed", "seconds"],
        [
          [
            summary.sessions,
            summary.skipped,
            summary.students,
            summary.statuses.present,
            summary.statuses.late,
            summary.statuses.partial,
            summary.statuses.absent,
            summary.teachers,
            summary.guests,
            summary.failures.length,
            (summary.durationMs / 1000).toFixed(2),
          ],
        ],
      ),
    );
    if (summary.skipped) console.log(`Skipped ${summary.skipped}: cancelled, not ended yet, or already calculated (--force recalculates).`);
    for (const failure of summary.failures) console.error(`failed: ${failure.sessionId}: ${failure.error}`);
    return summary.failures.length ? 1 : 0;
  } finally {
    await db.close();
  }
}

/**
 * attendance:reconcile [--days N] – the connections LiveKit never sent a leave for, in classes that
 * ended more than an hour ago, and where the rules closed them (section 9). An audit: every view
 * already applies the rule when it reads the log, so nothing needs writing.
 */
export async function attendanceReconcile(argv: string[] = []): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { days: { type: "string", default: "7" } } });
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new UsageError("--days must be a whole number of days from 1");
  const db = await openDatabase();
  try {
    const found = await findUnclosedConnections(getPool(), { now: new Date(), days });
    const sessions = new Set(found.map((row) => row.sessionId)).size;
    console.log(`${found.length} connection(s) in ${sessions} session(s) of the last ${days} day(s) had no leave webhook; the rules close them at the room's end or the window end.`);
    if (found.length) {
      console.log(
        formatTable(
          ["session", "room", "identity", "joined", "closed at", "by"],
          found.map((row) => [row.sessionId, row.roomName, row.identity, row.start.toISOString(), row.closedAt.toISOString(), row.closedBy === "window_end" ? "window end" : "room finished"]),
        ),
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
