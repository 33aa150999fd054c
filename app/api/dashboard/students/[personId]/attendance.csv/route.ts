// GET /api/dashboard/students/:personId/attendance.csv?from&to – a student's reports (the classes the viewer may see) as CSV.
import { sessionScope } from "@/lib/auth/viewer.ts";
import { csvResponse } from "@/lib/api/csv-response.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { checkDayRange, dayRangeInstants } from "@/lib/time/day-range.ts";
import { findVisibleStudent, ZStudentFilterSchema } from "@/lib/students/student-attendance.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { exportReportsCsv } from "@/lib/reports/export-csv.ts";
import { studentFileName } from "@/lib/reports/file-names.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ personId: string }>(async ({ request, viewer, params }) => {
  const db = getPrisma();
  const scope = sessionScope(viewer);
  const student = await findVisibleStudent(db, { scope, personId: params.personId });
  // The page's own query: malformed days are ignored as on the page, an impossible range is a 422.
  const range = ZStudentFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  checkDayRange(range);
  const csv = await exportReportsCsv(db, {
    academyId: viewer.academyId,
    teacherId: scope.teacherId,
    personId: student.id,
    ...dayRangeInstants(range, viewer.timezone),
  });
  return csvResponse(csv, studentFileName(student.name, range));
});
