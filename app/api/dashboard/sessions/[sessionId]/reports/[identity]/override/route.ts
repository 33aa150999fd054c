// PUT /api/dashboard/sessions/:sessionId/reports/:identity/override – a teacher excuses a student
// (or sets another result) with a note; DELETE removes it. Recorded by the user's id; a teacher's
// own row is an admin's to override (403 for a teacher).
import { sessionScope } from "@/lib/auth/viewer.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { actorOfViewer } from "@/lib/reports/override-author.ts";
import { setOverride, ZOverrideSchema } from "@/lib/reports/set-override.ts";

export const dynamic = "force-dynamic";

type Params = { sessionId: string; identity: string };

export const PUT = withViewer<Params>(async ({ request, viewer, params }) => {
  const override = await readJson(request, ZOverrideSchema);
  const report = await setOverride(getPrisma(), {
    ...sessionScope(viewer),
    sessionId: params.sessionId,
    identity: params.identity,
    override,
    actor: actorOfViewer(viewer),
  });
  return Response.json({ report });
});

export const DELETE = withViewer<Params>(async ({ viewer, params }) => {
  const report = await setOverride(getPrisma(), {
    ...sessionScope(viewer),
    sessionId: params.sessionId,
    identity: params.identity,
    override: null,
    actor: actorOfViewer(viewer),
  });
  return Response.json({ report });
});
