import "server-only";
import type { SessionState, SessionType } from "../attendance/index.ts";
import type pg from "pg";
import type { PrismaClient } from "../db/client.ts";
import { sessionStateSql } from "./session-state.ts";

export interface SessionFilter {
  academyId: string;
  teacherId?: string;
  type?: SessionType;
  /** Scheduled start within [from, to). */
  from?: Date;
  to?: Date;
  /**
   * Also the classes live now that started before `from` (within a day of now): "today" at 00:05
   * includes the class that began at 23:30 and is still running.
   */
  alsoLive?: boolean;
  states?: readonly SessionState[];
  order: "asc" | "desc";
  limit: number;
  /** Sessions after this one in the order (keyset paging): its scheduled start and id. */
  after?: { scheduledStart: Date; id: string };
  now: Date;
}

/**
 * The ids of the sessions that pass a filter, by scheduled start (then id), with each one's state.
 * The state filter runs in SQL on the one state rule, so "ended" lists exactly the classes every
 * other view calls ended.
 */
export async function findSessions(
  db: PrismaClient,
  filter: SessionFilter,
): Promise<{ id: string; state: SessionState }[]> {
  const direction = filter.order === "desc" ? "DESC" : "ASC";
  const comparator = filter.order === "desc" ? "<" : ">";
  return db.$queryRawUnsafe<{ id: string; state: SessionState }[]>(
    `SELECT id, state FROM (
       SELECT s.id, s.scheduled_start, ${sessionStateSql("s", "$1::timestamptz")} AS state,
              ($5::timestamptz IS NULL OR s.scheduled_start >= $5) AND ($6::timestamptz IS NULL OR s.scheduled_start < $6) AS in_range
       FROM session s
       WHERE s.academy_id = $2
         AND ($3::text IS NULL OR s.teacher_id = $3)
         AND ($4::text IS NULL OR s.type::text = $4)
         AND (
           ($5::timestamptz IS NULL OR s.scheduled_start >= $5) AND ($6::timestamptz IS NULL OR s.scheduled_start < $6)
           OR ($11::boolean AND s.scheduled_start >= $1::timestamptz - interval '1 day' AND s.scheduled_start <= $1::timestamptz + interval '1 day')
         )
         AND ($8::timestamptz IS NULL OR (s.scheduled_start, s.id) ${comparator} ($8::timestamptz, $9::text))
     ) t
     WHERE ($7::text[] IS NULL OR t.state = ANY($7::text[]))
       AND (t.in_range OR t.state = 'live')
     ORDER BY t.scheduled_start ${direction}, t.id ${direction}
     LIMIT $10`,
    filter.now,
    filter.academyId,
    filter.teacherId ?? null,
    filter.type ?? null,
    filter.from ?? null,
    filter.to ?? null,
    filter.states ? [...filter.states] : null,
    filter.after?.scheduledStart ?? null,
    filter.after?.id ?? null,
    filter.limit,
    filter.alsoLive ?? false,
  );
}

/** The academy of each session named by id that exists (an unknown id is absent from the map). */
export async function findSessionAcademies(pool: pg.Pool, ids: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ id: string; academy_id: string }>(
    "SELECT id, academy_id FROM session WHERE id = ANY($1::text[])",
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.academy_id]));
}
