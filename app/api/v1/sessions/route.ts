// GET /api/v1/sessions – list the academy's sessions; POST – create one with its roster.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson, readQuery } from "@/lib/api/read-request.ts";
import { createSession } from "@/lib/sessions/create-session.ts";
import { listSessions } from "@/lib/sessions/list-sessions.ts";
import { ZCreateSessionSchema, ZListSessionsQuerySchema } from "@/lib/sessions/session-schemas.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ request, principal }) => {
  const query = readQuery(request, ZListSessionsQuerySchema);
  const { sessions, nextAfter } = await listSessions(getPrisma(), { academyId: principal.academyId, query });
  return Response.json({ sessions, nextAfter });
});

export const POST = withApiKey(async ({ request, principal }) => {
  const input = await readJson(request, ZCreateSessionSchema);
  const session = await createSession(getPrisma(), { academyId: principal.academyId, input });
  return Response.json({ session }, { status: 201, headers: { location: `/api/v1/sessions/${session.id}` } });
});
