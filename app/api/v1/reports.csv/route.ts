// GET /api/v1/reports.csv?from&to[&type] – every report of the academy's sessions in a date range, as CSV.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readQuery } from "@/lib/api/read-request.ts";
import { checkExportRange, exportReportsCsv, ZExportQuerySchema } from "@/lib/reports/export-csv.ts";
import { csvResponse } from "@/lib/api/csv-response.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ request, principal }) => {
  const range = readQuery(request, ZExportQuerySchema);
  checkExportRange(range);
  const csv = await exportReportsCsv(getPrisma(), { academyId: principal.academyId, ...range });
  return csvResponse(
    csv,
    `attendance-${range.from.toISOString().slice(0, 10)}-${range.to.toISOString().slice(0, 10)}.csv`,
  );
});
