// GET /api/v1/sessions/:sessionId/report.csv – the session's reports as CSV, named after the class and its day.
import { getPrisma } from "@/lib/db/client.ts";
import { sessionCsvResponse } from "@/lib/api/session-csv-response.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { getSessionOrThrow } from "@/lib/sessions/session-view.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  await getSessionOrThrow(getPrisma(), principal.academyId, params.sessionId);
  return sessionCsvResponse(getPrisma(), { academyId: principal.academyId, sessionId: params.sessionId });
});
