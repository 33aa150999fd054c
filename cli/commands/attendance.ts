import "server-only";
import { requireAcademy } from "../lookups.ts";
import type pg from "pg";
import { getPool } from "../../lib/db/client.ts";
import { env } from "../../lib/env.ts";
import { calculateSessions } from "../../lib/calculation/calculate-sessions.ts";
import { findSessionsToCalculate } from "../../lib/calculation/find-sessions-to-calculate.ts";
import { findSessionsToVerify, verifyReports } from "../../lib/calculation/verify-reports.ts";
import { findUnclosedConnections } from "../../lib/presence/unclosed-connections.ts";
import { findSessionAcademies } from "../../lib/sessions/find-sessions.ts";
import type { ParsedCommand } from "../define-command.ts";
import type {
  ATTENDANCE_CALCULATE_OPTIONS,
  ATTENDANCE_RECONCILE_OPTIONS,
  ATTENDANCE_VERIFY_OPTIONS,
} from "../definitions/sessions.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";
import { createProgress } from "../progress.ts";
import { joinWords } from "../suggest.ts";

/** The sessions named by id, each checked to exist (and to be the academy's, when one is given). */
async function checkNamedSessions(
  pool: pg.Pool,
  ids: string[],
  academy: { id: string; slug: string } | null,
): Promise<string[]> {
  const found = await findSessionAcademies(pool, ids);
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length) throw new UsageError(`No session ${joinWords(unknown)}.`);
  const foreign = academy ? ids.filter((id) => found.get(id) !== academy.id) : [];
  if (foreign.length) throw new UsageError(`Not sessions of ${academy!.slug}: ${joinWords(foreign)}.`);
  return ids;
}

/** The academy --academy names, or null without it; an unknown slug is a usage error. */
/** The academy --academy names, if given (requireAcademy). */
async function academyOption(prisma: Parameters<typeof requireAcademy>[0], slug: string | undefined) {
  return slug ? requireAcademy(prisma, slug) : null;
}

/**
 * The sessions named by id (each recalculated, as a teacher's button does), or every session that is
 * due within --days, of --type and --academy when given (--force: calculated ones too). Progress on
 * standard error; the summary on standard output. Exit 1 if any session failed.
 */
export async function attendanceCalculate({
  values,
  positionals,
  given,
}: ParsedCommand<typeof ATTENDANCE_CALCULATE_OPTIONS>): Promise<number> {
  const ids = [...new Set(positionals)];
  const selectors = (["days", "type"] as const).filter((name) => given.has(name));
  if (ids.length && selectors.length) {
    throw new UsageError(
      `${joinWords(selectors.map((name) => `--${name}`))} choose${selectors.length > 1 ? "" : "s"} the sessions when no id is given; leave ${selectors.length > 1 ? "them" : "it"} out with session ids`,
    );
  }

  return withDatabase(async (db) => {
    const pool = getPool();
    const now = new Date();
    const academy = await academyOption(db.prisma, values.academy);
    const sessionIds = ids.length
      ? await checkNamedSessions(pool, ids, academy)
      : await findSessionsToCalculate(pool, {
          now,
          delayMinutes: env().ROLLCALL_CALC_DELAY_MINUTES,
          days: values.days,
          type: values.type,
          academyId: academy?.id,
          includeCalculated: values.force,
        });
    const scope = academy ? ` of ${academy.slug}` : "";
    console.log(
      `Calculating ${sessionIds.length} session(s)${scope} on the ${db.describe}${values.force || ids.length ? " (forced)" : ""}.`,
    );
    const progress = createProgress({
      write: (text) => process.stderr.write(text),
      isTerminal: Boolean(process.stderr.isTTY),
      clock: () => performance.now(),
      unit: "sessions",
      label: "Calculating",
    });
    if (sessionIds.length) progress.update(0, sessionIds.length);
    const summary = await calculateSessions({
      pool,
      sessionIds,
      force: values.force || ids.length > 0,
      trigger: "cli",
      // Each batch dates its reports by the database's clock once it holds the locks, never by when
      // this command started: a report must not look older than a recalculation that ran before it.
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.finish();
    console.log(
      formatTable(
        // Students, teachers and guests apart: the statuses are the students' (decision 9).
        [
          "sessions",
          "skipped",
          "students",
          "present",
          "late",
          "partial",
          "absent",
          "teachers",
          "guests",
          "failed",
          "seconds",
        ],
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
    if (summary.skipped)
      console.log(
        `Skipped ${summary.skipped}: cancelled, not ended yet, or already calculated (--force recalculates).`,
      );
    for (const failure of summary.failures) console.error(`failed: ${failure.sessionId}: ${failure.error}`);
    return summary.failures.length ? 1 : 0;
  });
}

/**
 * The connections LiveKit never sent a leave for, in classes that ended more than an hour ago, and
 * where the rules closed them (section 9). An audit: every view already applies the rule when it
 * reads the log, so nothing needs writing.
 */
export async function attendanceReconcile({
  values,
}: ParsedCommand<typeof ATTENDANCE_RECONCILE_OPTIONS>): Promise<number> {
  const { days } = values;
  return withDatabase(async () => {
    const found = await findUnclosedConnections(getPool(), { now: new Date(), days });
    const sessions = new Set(found.map((row) => row.sessionId)).size;
    console.log(
      `${found.length} connection(s) in ${sessions} session(s) of the last ${days} day(s) had no leave webhook; the rules close them at the room's end or the window end.`,
    );
    if (found.length) {
      console.log(
        formatTable(
          ["session", "room", "identity", "joined", "closed at", "by"],
          found.map((row) => [
            row.sessionId,
            row.roomName,
            row.identity,
            row.start.toISOString(),
            row.closedAt.toISOString(),
            row.closedBy === "window_end" ? "window end" : "room finished",
          ]),
        ),
      );
    }
    return 0;
  });
}

/**
 * Recalculates the sessions named (or every calculated one within --days, of --academy) without
 * writing, and names each whose stored report differs from the log's, and why. Progress on standard
 * error; the differences on standard output. Exit 1 if any differs.
 */
export async function attendanceVerify({
  values,
  positionals,
  given,
}: ParsedCommand<typeof ATTENDANCE_VERIFY_OPTIONS>): Promise<number> {
  const ids = [...new Set(positionals)];
  if (ids.length && given.has("days"))
    throw new UsageError("--days chooses the sessions when no id is given; leave it out with session ids");
  return withDatabase(async (db) => {
    const pool = getPool();
    const now = new Date();
    const academy = await academyOption(db.prisma, values.academy);
    const sessionIds = ids.length
      ? await checkNamedSessions(pool, ids, academy)
      : await findSessionsToVerify(pool, { now, days: values.days, academyId: academy?.id });
    console.log(
      `Verifying ${sessionIds.length} session(s)${academy ? ` of ${academy.slug}` : ""} on the ${db.describe}.`,
    );
    const progress = createProgress({
      write: (text) => process.stderr.write(text),
      isTerminal: Boolean(process.stderr.isTTY),
      clock: () => performance.now(),
      unit: "sessions",
      label: "Verifying",
    });
    if (sessionIds.length) progress.update(0, sessionIds.length);
    const summary = await verifyReports({
      pool,
      sessionIds,
      now,
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.finish();
    const { differences } = summary;
    console.log(
      `${summary.verified} verified, ${summary.skipped} skipped (cancelled or not ended), ${differences.length} differ${differences.length === 1 ? "s" : ""} from the log.`,
    );
    if (differences.length)
      console.log(
        formatTable(
          ["session", "why"],
          differences.map((each) => [each.sessionId, each.reasons.join("; ")]),
        ),
      );
    return differences.length ? 1 : 0;
  });
}
