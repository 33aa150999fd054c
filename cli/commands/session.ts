import "server-only";
import { findAcademyBySlug } from "../../lib/academies/academies.ts";
import { findSessions } from "../../lib/sessions/find-sessions.ts";
import { getSessionsWithRoster } from "../../lib/sessions/session-view.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { SESSION_LIST_OPTIONS } from "../definitions/sessions.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

/**
 * An academy's sessions by scheduled start with their state: the same state rule, words and filter
 * as the API and the dashboard (lib/attendance/lifecycle.ts).
 */
export async function sessionList({ values }: ParsedCommand<typeof SESSION_LIST_OPTIONS>): Promise<number> {
  const { status, limit } = values;
  const instant = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be a date-time, e.g. 2026-11-25T10:00:00Z`);
    return date;
  };
  const from = instant("from", values.from);
  const to = instant("to", values.to);

  return withDatabase(async (db) => {
    const academy = await findAcademyBySlug(db.prisma, values.academy);
    if (!academy) throw new UsageError(`No academy with slug ${JSON.stringify(values.academy)}.`);
    const now = new Date();
    const found = await findSessions(db.prisma, {
      academyId: academy.id,
      from,
      to,
      states: status ? [status] : undefined,
      order: "asc",
      limit,
      now,
    });
    const sessions = await getSessionsWithRoster(
      db.prisma,
      found.map((row) => row.id),
      now,
    );
    console.log(
      formatTable(
        ["start", "end", "state", "title", "room", "students", "id"],
        sessions.map((session) => [
          session.scheduledStart.toISOString(),
          session.windowEnd.getTime() < session.scheduledEnd.getTime()
            ? `${session.windowEnd.toISOString()} (early)`
            : session.scheduledEnd.toISOString(),
          session.state,
          session.title,
          session.roomName,
          session.roster.filter((entry) => entry.role === "student").length,
          session.id,
        ]),
      ),
    );
    return 0;
  });
}
