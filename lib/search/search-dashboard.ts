import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { compareText } from "../words.ts";

export const MIN_SEARCH_LENGTH = 2;
const LIMIT = 6;

export interface DashboardSearchResult {
  students: { id: string; name: string; externalId: string }[];
  sessions: { id: string; title: string; scheduledStart: string; teacherName: string | null }[];
}

/** LIKE's own characters taken literally: "50%" finds "50%", not everything starting with 50. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The navigation's search: students by name and classes by title, among what the viewer may see (an
 * admin: the academy; a teacher: her classes and the students on their rosters), case-insensitive,
 * a few of each. Students by name; classes newest first. Under two characters, nothing.
 */
export async function searchDashboard(
  db: PrismaClient,
  { scope, query }: { scope: { academyId: string; teacherId?: string }; query: string },
): Promise<DashboardSearchResult> {
  const text = query.trim();
  if (text.length < MIN_SEARCH_LENGTH) return { students: [], sessions: [] };
  const pattern = `%${likeEscaped(text)}%`;
  const teacherId = scope.teacherId ?? null;
  const [students, sessions] = await Promise.all([
    db.$queryRaw<{ id: string; name: string; external_id: string }[]>`
      SELECT p.id, p.name, p.external_id FROM person p
      WHERE p.academy_id = ${scope.academyId} AND p.role = 'student' AND p.name ILIKE ${pattern}
        AND (${teacherId}::text IS NULL OR EXISTS (
          SELECT 1 FROM session_roster r JOIN session s ON s.id = r.session_id
          WHERE r.person_id = p.id AND s.teacher_id = ${teacherId}::text))
      ORDER BY p.name, p.id LIMIT ${LIMIT}`,
    db.$queryRaw<{ id: string; title: string; scheduled_start: Date; teacher_name: string | null }[]>`
      SELECT s.id, s.title, s.scheduled_start, t.name AS teacher_name FROM session s LEFT JOIN person t ON t.id = s.teacher_id
      WHERE s.academy_id = ${scope.academyId} AND s.title ILIKE ${pattern} AND (${teacherId}::text IS NULL OR s.teacher_id = ${teacherId}::text)
      ORDER BY s.scheduled_start DESC, s.id DESC LIMIT ${LIMIT}`,
  ]);
  return {
    students: students
      .map((row) => ({ id: row.id, name: row.name, externalId: row.external_id }))
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id)),
    sessions: sessions.map((row) => ({
      id: row.id,
      title: row.title,
      scheduledStart: row.scheduled_start.toISOString(),
      teacherName: row.teacher_name,
    })),
  };
}
