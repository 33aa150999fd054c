import "server-only";
import { z } from "zod";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { overrideAuthorName, resolveOverrideAuthors } from "../reports/override-author.ts";
import { lastChangeKey, loadLastOverrideChanges } from "../reports/override-history.ts";
import { ZSessionTypeSchema } from "../sessions/session-schemas.ts";
import { sessionTimings } from "../sessions/session-state.ts";
import {
  arrangeRows,
  buildRegister,
  courseOf,
  listSeries,
  REGISTER_SORTS,
  seriesKey,
  type RegisterColumn,
  type RegisterLastChange,
  type RegisterRow,
  type RegisterSessionInput,
} from "./register-grid.ts";
import { blankAsUndefined, monthlyRange, ZDaySchema } from "../time/day-range.ts";
import { zonedDayRange } from "../time/zoned-time.ts";

/**
 * The register's filters, from the page's query string (and the exports', which take the same).
 * Anything malformed falls back to the default, as on the other pages: the filters come from the
 * page's own form and links. An impossible range is an error the page shows (AppError).
 */
export const ZRegisterFilterSchema = z.object({
  /** First and last day, inclusive, in the academy's zone. */
  from: ZDaySchema,
  to: ZDaySchema,
  /** Admins only; a teacher always sees their own classes. */
  teacher: z.preprocess(blankAsUndefined, z.string().max(64).optional()).catch(undefined),
  /** A series key (register-grid.ts seriesKey): "<teacher id>|<course>". */
  series: z.preprocess(blankAsUndefined, z.string().max(400).optional()).catch(undefined),
  type: z.preprocess(blankAsUndefined, ZSessionTypeSchema.optional()).catch(undefined),
  sort: z.enum(REGISTER_SORTS).catch("name"),
  /** Only the students who missed more than this many classes. */
  missedOver: z.preprocess(blankAsUndefined, z.coerce.number().int().min(0).max(999).optional()).catch(undefined),
});
export type TRegisterFilter = z.infer<typeof ZRegisterFilterSchema>;

/** The most sessions one register holds (a month of a large academy); more asks for a narrower filter. */
export const MAX_REGISTER_SESSIONS = 400;

/** The range a filter asks for: both days given, or the month of the one given, or this month. */
export function registerRange(
  filter: Pick<TRegisterFilter, "from" | "to">,
  timeZone: string,
  now: Date,
): { from: string; to: string } {
  return monthlyRange(filter, timeZone, now, "a register");
}

export interface Register {
  range: { from: string; to: string };
  filter: TRegisterFilter;
  /** The series among the sessions of the range (after the teacher and type filters), for the filter. */
  series: { key: string; label: string }[];
  /** The chosen series' course and the chosen teacher's name, for headings and file names. */
  course: string | null;
  teacherName: string | null;
  columns: RegisterColumn[];
  /** Arranged as the filter asks (sort, missed more than N). */
  rows: RegisterRow[];
  /** Students of these classes before the "missed more than" filter. */
  studentCount: number;
}

/**
 * The last override set or removed on each report of these sessions, by its author's current
 * name: what a cell's title and the XLSX's cell note say beside the result.
 */
async function loadCellChanges(
  db: PrismaClient,
  sessionIds: string[],
): Promise<(sessionId: string, identity: string) => RegisterLastChange | null> {
  const lastChanges = await loadLastOverrideChanges(db, sessionIds);
  const authors = await resolveOverrideAuthors(
    db,
    [...lastChanges.values()].map((change) => change.actor),
  );
  return (sessionId, identity) => {
    const change = lastChanges.get(lastChangeKey(sessionId, identity));
    return change
      ? { action: change.action, by: overrideAuthorName(change.actor, authors), at: change.at.toISOString() }
      : null;
  };
}

/**
 * The register: the students × sessions of a range that the viewer may see (an admin: the academy;
 * a teacher: the classes they teach), cancelled sessions left out, each cell the student's result
 * in a calculated session (the override, else the calculated status) or the session's state.
 */
export async function getRegister(
  db: PrismaClient,
  {
    scope,
    timeZone,
    filter,
    now = new Date(),
  }: { scope: { academyId: string; teacherId?: string }; timeZone: string; filter: TRegisterFilter; now?: Date },
): Promise<Register> {
  const range = registerRange(filter, timeZone, now);
  const teacherId = scope.teacherId ?? filter.teacher;
  const inRange = await db.session.findMany({
    where: {
      academyId: scope.academyId,
      ...(teacherId ? { teacherId } : {}),
      ...(filter.type ? { type: filter.type } : {}),
      cancelledAt: null,
      scheduledStart: { gte: zonedDayRange(range.from, timeZone).from, lt: zonedDayRange(range.to, timeZone).to },
    },
    select: {
      id: true,
      title: true,
      type: true,
      scheduledStart: true,
      scheduledEnd: true,
      teacher: { select: { id: true, name: true } },
    },
    orderBy: [{ scheduledStart: "asc" }, { id: "asc" }],
  });
  const chosen = filter.series ? inRange.filter((session) => seriesKey(session) === filter.series) : inRange;
  if (chosen.length > MAX_REGISTER_SESSIONS) {
    throw new AppError(
      "validation_failed",
      `This range has ${chosen.length} classes and a register holds at most ${MAX_REGISTER_SESSIONS}: choose a shorter range, a teacher or a series.`,
      [{ path: "to", message: `at most ${MAX_REGISTER_SESSIONS} sessions` }],
    );
  }
  const ids = chosen.map((session) => session.id);
  const timings = await sessionTimings(db, ids, now);
  // Cancelled between the two reads: left out like the others.
  const sessions: RegisterSessionInput[] = chosen.flatMap((session) => {
    const state = timings.get(session.id)?.state;
    return state && state !== "cancelled" ? [{ ...session, state }] : [];
  });
  const calculatedIds = sessions.filter((session) => session.state === "calculated").map((session) => session.id);
  const student = { select: { id: true, name: true, externalId: true } } as const;
  const [roster, reports] = await Promise.all([
    ids.length
      ? db.sessionRoster.findMany({
          where: { sessionId: { in: ids }, role: "student" },
          select: { sessionId: true, person: student },
        })
      : [],
    calculatedIds.length
      ? db.attendanceReport.findMany({
          where: { sessionId: { in: calculatedIds }, role: "student", personId: { not: null } },
          select: {
            sessionId: true,
            identity: true,
            status: true,
            overrideStatus: true,
            overrideNote: true,
            person: student,
          },
        })
      : [],
  ]);
  const lastChangeOf = await loadCellChanges(db, calculatedIds);
  const grid = buildRegister({
    sessions,
    roster: roster.map((entry) => ({ sessionId: entry.sessionId, student: entry.person })),
    reports: reports.flatMap((report) =>
      report.person
        ? [{ ...report, student: report.person, lastChange: lastChangeOf(report.sessionId, report.identity) }]
        : [],
    ),
  });
  const seriesSession = filter.series ? chosen[0] : undefined;
  const teacherName = teacherId
    ? (inRange[0]?.teacher?.name ??
      (await db.person.findFirst({ where: { id: teacherId, academyId: scope.academyId }, select: { name: true } }))
        ?.name ??
      null)
    : (seriesSession?.teacher?.name ?? null);
  return {
    range,
    filter,
    series: listSeries(inRange),
    course: seriesSession ? courseOf(seriesSession.title) : null,
    teacherName,
    columns: grid.columns,
    rows: arrangeRows(grid.rows, { sort: filter.sort, missedOver: filter.missedOver }),
    studentCount: grid.rows.length,
  };
}
