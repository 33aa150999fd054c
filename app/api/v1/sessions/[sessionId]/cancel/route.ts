// POST /api/v1/sessions/:sessionId/cancel – cancel a session (idempotent; its log is kept).
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { cancelSession } from "@/lib/sessions/cancel-session.ts";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  const session = await cancelSession(getPrisma(), { academyId: principal.academyId, sessionId: params.sessionId });
  return Response.json({ session });
});
