// GET /api/dashboard/sessions/:sessionId/report.csv – the session's reports as CSV.
import { assertSessionVisible } from "@/lib/auth/viewer.ts";
import { csvResponse } from "@/lib/api/csv-response.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db.ts";
import { exportReportsCsv } from "@/lib/reports/export-csv.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  await assertSessionVisible(viewer, params.sessionId);
  const csv = await exportReportsCsv(getPrisma(), { academyId: viewer.academyId, sessionId: params.sessionId });
  return csvResponse(csv, `attendance-${params.sessionId}.csv`);
});
