import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { exportReportsCsv } from "../reports/export-csv.ts";
import { sessionFileName } from "../reports/file-names.ts";
import { csvResponse } from "./csv-response.ts";

/**
 * A session's reports as a CSV download for the academy API's and the dashboard's routes, within the
 * caller's scope (a teacher's own classes; another's is a 404 like a missing one): rows by name, times in the academy's zone, the file named after the class
 * and its day there ("tajweed-surah-al-mulk-2026-11-25.csv").
 */
export async function sessionCsvResponse(
  db: PrismaClient,
  { academyId, teacherId, sessionId }: { academyId: string; teacherId?: string; sessionId: string },
): Promise<Response> {
  const session = await db.session.findFirst({
    where: { id: sessionId, academyId, ...(teacherId ? { teacherId } : {}) },
    select: { title: true, scheduledStart: true, academy: { select: { timezone: true } } },
  });
  if (!session) throw new AppError("not_found", "No such session.");
  const csv = await exportReportsCsv(db, { academyId, sessionId, teacherId });
  return csvResponse(csv, sessionFileName(session, session.academy.timezone));
}
