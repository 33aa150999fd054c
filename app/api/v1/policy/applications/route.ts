// GET /api/v1/policy/applications – the academy's recalculations of past classes with a policy
// version, newest first, a page at a time (`limit`, `before` = the last page's `nextBefore`);
// POST { weeks } – recalculate the classes of the last `weeks` weeks with the current version,
// recorded with what it changed (201).
import { getPool, getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson, readQuery } from "@/lib/api/read-request.ts";
import { listPolicyApplications } from "@/lib/policy/apply-policy.ts";
import { applyCurrentPolicy, ZPolicyApplicationsQuerySchema, ZPolicyApplySchema } from "@/lib/policy/policy-changes.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ request, principal }) =>
  Response.json(
    await listPolicyApplications(
      getPool(),
      getPrisma(),
      principal.academyId,
      readQuery(request, ZPolicyApplicationsQuerySchema),
    ),
  ),
);

export const POST = withApiKey(async ({ request, principal }) => {
  const { weeks } = await readJson(request, ZPolicyApplySchema);
  const actor = { kind: "api-key", apiKeyId: principal.apiKeyId } as const;
  return Response.json(
    { application: await applyCurrentPolicy(getPool(), principal.academyId, { weeks, actor }) },
    { status: 201 },
  );
});
