// GET /api/dashboard/sessions/:sessionId/presence – live presence for a signed-in teacher or admin.
import { assertSessionVisible } from "@/lib/auth/viewer.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db.ts";
import { getSessionPresence } from "@/lib/presence/get-session-presence.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ sessionId: string }>(async ({ viewer, params }) => {
  await assertSessionVisible(viewer, params.sessionId);
  return Response.json({ presence: await getSessionPresence(getPrisma(), { academyId: viewer.academyId, sessionId: params.sessionId }) });
});
