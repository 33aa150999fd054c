// POST /api/v1/sessions/:sessionId/recalculate – force a recalculation; 202, it runs in the background.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { requestRecalculation } from "@/lib/calculation/request-recalculation.ts";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  const queued = await requestRecalculation(getPrisma(), {
    academyId: principal.academyId,
    sessionId: params.sessionId,
    requestedBy: `api-key:${principal.apiKeyId}`,
  });
  return Response.json(queued, { status: 202, headers: { location: `/api/v1/sessions/${queued.sessionId}/report` } });
});
