// GET /api/dashboard/sessions/:sessionId/report.csv – the session's reports as CSV, named after the class and its day.
import { sessionScope } from "@/lib/auth/viewer.ts";
import { sessionCsvResponse } from "@/lib/api/session-csv-response.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  return sessionCsvResponse(getPrisma(), { ...sessionScope(viewer), sessionId: params.sessionId });
});
