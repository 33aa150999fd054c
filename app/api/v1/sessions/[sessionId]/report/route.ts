// GET /api/v1/sessions/:sessionId/report – the session's attendance report as JSON.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { getSessionReport } from "@/lib/reports/get-session-report.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  return Response.json(
    await getSessionReport(getPrisma(), { academyId: principal.academyId, sessionId: params.sessionId }),
  );
});
