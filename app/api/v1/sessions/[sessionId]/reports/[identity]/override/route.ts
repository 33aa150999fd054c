// PUT /api/v1/sessions/:sessionId/reports/:identity/override – excuse (or otherwise override) one
// person's result with a note; DELETE – remove the override. Recalculation keeps it.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { setOverride, ZOverrideSchema } from "@/lib/reports/set-override.ts";

export const dynamic = "force-dynamic";

type Params = { sessionId: string; identity: string };

export const PUT = withApiKey<Params>(async ({ request, principal, params }) => {
  const override = await readJson(request, ZOverrideSchema);
  const report = await setOverride(getPrisma(), {
    academyId: principal.academyId,
    sessionId: params.sessionId,
    identity: params.identity,
    override,
    actor: { kind: "api-key", apiKeyId: principal.apiKeyId },
  });
  return Response.json({ report });
});

export const DELETE = withApiKey<Params>(async ({ principal, params }) => {
  const report = await setOverride(getPrisma(), {
    academyId: principal.academyId,
    sessionId: params.sessionId,
    identity: params.identity,
    override: null,
    actor: { kind: "api-key", apiKeyId: principal.apiKeyId },
  });
  return Response.json({ report });
});
