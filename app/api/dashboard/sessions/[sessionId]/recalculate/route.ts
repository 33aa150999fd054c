// POST /api/dashboard/sessions/:sessionId/recalculate – the session page's recalculate button.
import { sessionScope, viewerLabel } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { requestRecalculation } from "@/lib/calculation/request-recalculation.ts";

export const dynamic = "force-dynamic";

export const POST = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  const queued = await requestRecalculation(getPrisma(), {
    ...sessionScope(viewer),
    sessionId: params.sessionId,
    requestedBy: viewerLabel(viewer),
  });
  return Response.json({ ...queued, statusUrl: `/api/dashboard/sessions/${queued.sessionId}/report` }, { status: 202 });
});
