// GET /api/dashboard/sessions/:sessionId/report.csv – the session's reports as CSV, named after the class and its day.
import { assertSessionVisible } from "@/lib/auth/viewer.ts";
import { sessionCsvResponse } from "@/lib/api/session-csv-response.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  await assertSessionVisible(viewer, params.sessionId);
  return sessionCsvResponse(getPrisma(), { academyId: viewer.academyId, sessionId: params.sessionId });
});
