// GET /api/dashboard/sessions/:sessionId/report – the attendance report for the session page;
// `?include=provenance` adds the connections and webhooks behind each row's intervals.
import { sessionScope } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { readQuery } from "@/lib/api/read-request.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getSessionReport, ZReportQuerySchema } from "@/lib/reports/get-session-report.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ request, viewer, params }) => {
  const { include } = readQuery(request, ZReportQuerySchema);
  return Response.json(
    await getSessionReport(getPrisma(), {
      ...sessionScope(viewer),
      sessionId: params.sessionId,
      includeProvenance: include === "provenance",
    }),
  );
});
