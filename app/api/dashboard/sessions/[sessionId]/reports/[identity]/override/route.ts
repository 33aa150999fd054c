// PUT /api/dashboard/sessions/:sessionId/reports/:identity/override – a teacher excuses a student
// (or sets another result) with a note; DELETE removes it. Recorded with the teacher's name.
import { sessionScope, viewerLabel } from "@/lib/auth/viewer.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db.ts";
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
    by: viewerLabel(viewer),
  });
  return Response.json({ report });
});

export const DELETE = withViewer<Params>(async ({ viewer, params }) => {
  const report = await setOverride(getPrisma(), {
    ...sessionScope(viewer),
    sessionId: params.sessionId,
    identity: params.identity,
    override: null,
    by: viewerLabel(viewer),
  });
  return Response.json({ report });
});
