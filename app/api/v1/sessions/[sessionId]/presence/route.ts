// GET /api/v1/sessions/:sessionId/presence – who is in the room now, who left, who has not come.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { getSessionPresence } from "@/lib/presence/get-session-presence.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  const presence = await getSessionPresence(getPrisma(), {
    academyId: principal.academyId,
    sessionId: params.sessionId,
  });
  return Response.json({ presence });
});
