import "server-only";
import type { PrismaClient } from "../db/client.ts";
import type { SessionState } from "../attendance/index.ts";
import { countInRoom } from "../presence/get-session-presence.ts";
import { emptyStatusCounts, type StatusCounts } from "../reports/result-status.ts";
import { findSessions } from "./find-sessions.ts";
import { pageOf, type SessionCursor } from "./session-cursor.ts";
import { getSessionsWithRoster } from "./session-view.ts";
import { checkDayRange, dayRangeInstants } from "../time/day-range.ts";
import { effectiveView, type SessionView, type TSessionsFilter } from "./sessions-filter.ts";
import { zonedToday } from "../time/zoned-time.ts";

export interface SessionOverview {
  id: string;
  title: string;
  type: string;
  roomName: string;
  scheduledStart: string;
  scheduledEnd: string;
  teacher: { id: string; name: string } | null;
  state: SessionState;
  /** While live: students, the teacher and guests in the room now, apart (decision 9). */
  inRoom: { students: number; teachers: number; guests: number } | null;
  /** Students on the roster. */
  rosterSize: number;
  /** Once calculated: the students' results that count. */
  counts: StatusCounts | null;
  calculatedAt: string | null;
}

/** Sessions a page of the list shows. */
export const SESSIONS_PAGE = 200;

/** Ended and All list the newest first (their next page is older classes), the others the soonest first. */
export const newestFirst = (view: SessionView) => view === "ended" || view === "all";

const VIEW_STATES: Partial<Record<SessionView, SessionState[]>> = {
  live: ["live"],
  upcoming: ["scheduled"],
  ended: ["ended", "calculated"],
};

/**
 * The sessions a viewer may see (an admin: the academy; a teacher: their own), with each one's
 * state from the one state rule: scheduled, live with who is in the room, ended (awaiting
 * calculation), or calculated with the students' counts. The filter's range is days in the academy's
 * zone (Today: today's, and any class live now that began yesterday); an impossible range throws the AppError the page shows.
 * A page at a time (`limit`, after the cursor `after`): `nextAfter` is the next page's cursor, null on
 * the last page.
 */
export async function listSessionsOverview(
  db: PrismaClient,
  {
    scope,
    timeZone,
    filter,
    now = new Date(),
    after,
    limit = SESSIONS_PAGE,
  }: {
    scope: { academyId: string; teacherId?: string };
    timeZone: string;
    filter: TSessionsFilter;
    now?: Date;
    after?: SessionCursor;
    limit?: number;
  },
): Promise<{ sessions: SessionOverview[]; nextAfter: string | null }> {
  const view = effectiveView(filter);
  checkDayRange(filter);
  const today = zonedToday(timeZone, now);
  const range = dayRangeInstants(view === "today" ? { from: today, to: today } : filter, timeZone);
  const found = await findSessions(db, {
    academyId: scope.academyId,
    teacherId: scope.teacherId ?? filter.teacher,
    type: filter.type,
    from: range.from,
    to: range.to,
    alsoLive: view === "today",
    states: VIEW_STATES[view],
    order: newestFirst(view) ? "desc" : "asc",
    // One more than the page, to know whether another follows.
    limit: limit + 1,
    after,
    now,
  });
  const { page: sessions, nextAfter } = pageOf(
    await getSessionsWithRoster(
      db,
      found.map((row) => row.id),
      now,
    ),
    limit,
  );
  const calculatedIds = sessions.filter((session) => session.state === "calculated").map((session) => session.id);
  const live = sessions.filter((session) => session.state === "live");
  const [countRows, inRoom] = await Promise.all([
    calculatedIds.length
      ? db.$queryRaw<{ session_id: string; status: keyof StatusCounts; n: bigint }[]>`
          SELECT session_id, coalesce(override_status::text, status::text) AS status, count(*) AS n
          FROM attendance_report WHERE session_id = ANY(${calculatedIds}::text[]) AND role = 'student'
          GROUP BY 1, 2`
      : Promise.resolve([]),
    countInRoom(db, live, now),
  ]);
  const counts = new Map<string, StatusCounts>();
  for (const row of countRows) {
    const entry = counts.get(row.session_id) ?? emptyStatusCounts();
    entry[row.status] = Number(row.n);
    counts.set(row.session_id, entry);
  }
  const overviews = sessions.map((session): SessionOverview => {
    const room = inRoom.get(session.id);
    return {
      id: session.id,
      title: session.title,
      type: session.type,
      roomName: session.roomName,
      scheduledStart: session.scheduledStart.toISOString(),
      scheduledEnd: session.scheduledEnd.toISOString(),
      teacher: session.teacher ? { id: session.teacher.id, name: session.teacher.name } : null,
      state: session.state,
      inRoom: room
        ? { students: room.students.inRoom, teachers: room.teachers.inRoom, guests: room.guests.inRoom }
        : null,
      rosterSize: session.roster.filter((entry) => entry.role === "student").length,
      counts: session.state === "calculated" ? (counts.get(session.id) ?? emptyStatusCounts()) : null,
      calculatedAt: session.calculatedAt?.toISOString() ?? null,
    };
  });
  return { sessions: overviews, nextAfter };
}

/** The academy's teachers, for the teacher filter. */
export function listTeachers(db: PrismaClient, academyId: string) {
  return db.person.findMany({
    where: { academyId, role: "teacher" },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
