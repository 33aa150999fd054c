// GET /api/v1/sessions/:sessionId/report.csv – the session's reports as CSV.
import { getPrisma } from "@/lib/db.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { exportReportsCsv } from "@/lib/reports/export-csv.ts";
import { getSessionOrThrow } from "@/lib/sessions/session-view.ts";
import { csvResponse } from "@/lib/api/csv-response.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  await getSessionOrThrow(getPrisma(), principal.academyId, params.sessionId);
  const csv = await exportReportsCsv(getPrisma(), { academyId: principal.academyId, sessionId: params.sessionId });
  return csvResponse(csv, `attendance-${params.sessionId}.csv`);
});
