// GET /api/v1/sessions/:sessionId – one session with its roster; PATCH – change it.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { ZUpdateSessionSchema } from "@/lib/sessions/session-schemas.ts";
import { getSessionOrThrow, toSessionView } from "@/lib/sessions/session-view.ts";
import { updateSession } from "@/lib/sessions/update-session.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ sessionId: string }>(async ({ principal, params }) => {
  const session = await getSessionOrThrow(getPrisma(), principal.academyId, params.sessionId);
  return Response.json({ session: toSessionView(session) });
});

export const PATCH = withApiKey<{ sessionId: string }>(async ({ request, principal, params }) => {
  const input = await readJson(request, ZUpdateSessionSchema);
  const session = await updateSession(getPrisma(), {
    academyId: principal.academyId,
    sessionId: params.sessionId,
    input,
  });
  return Response.json({ session });
});
