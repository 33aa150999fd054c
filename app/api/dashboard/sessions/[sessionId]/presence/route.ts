// GET /api/dashboard/sessions/:sessionId/presence – live presence for a signed-in teacher or admin.
import { sessionScope } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getSessionPresence } from "@/lib/presence/get-session-presence.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  return Response.json({
    presence: await getSessionPresence(getPrisma(), { ...sessionScope(viewer), sessionId: params.sessionId }),
  });
});
