// GET /api/dashboard/sessions/:sessionId/report – the attendance report for the session page, always
// with each row's provenance (the page shows the webhooks behind every interval).
import { sessionScope } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getSessionReport } from "@/lib/reports/get-session-report.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  return Response.json(
    await getSessionReport(getPrisma(), {
      ...sessionScope(viewer),
      sessionId: params.sessionId,
      includeProvenance: true,
    }),
  );
});
