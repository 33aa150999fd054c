// GET /api/v1/policy – the academy's attendance policy and its version; PUT – change its defaults
// or a type's overrides (a new version, recorded as the API key's).
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { getAcademyPolicy, updateAcademyPolicy, ZPolicyUpdateSchema } from "@/lib/policy/academy-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ principal }) =>
  Response.json({ policy: await getAcademyPolicy(getPrisma(), principal.academyId) }),
);

export const PUT = withApiKey(async ({ request, principal }) => {
  const update = await readJson(request, ZPolicyUpdateSchema);
  const actor = { kind: "api-key", apiKeyId: principal.apiKeyId } as const;
  return Response.json({ policy: await updateAcademyPolicy(getPrisma(), principal.academyId, update, actor) });
});
