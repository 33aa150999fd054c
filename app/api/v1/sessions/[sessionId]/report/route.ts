// GET /api/v1/sessions/:sessionId/report – the session's attendance report as JSON;
// `?include=provenance` adds the connections and webhooks behind each row's intervals.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readQuery } from "@/lib/api/read-request.ts";
import { getSessionReport, ZReportQuerySchema } from "@/lib/reports/get-session-report.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ request, principal, params }) => {
  const { include } = readQuery(request, ZReportQuerySchema);
  return Response.json(
    await getSessionReport(getPrisma(), {
      academyId: principal.academyId,
      sessionId: params.sessionId,
      includeProvenance: include === "provenance",
    }),
  );
});
