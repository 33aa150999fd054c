// POST /api/v1/policy/preview – what a policy change (or the current version) would change in the
// academy's calculated classes of the last `weeks` weeks; writes nothing.
import { getPool, getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { previewPolicyChange, ZPolicyPreviewSchema } from "@/lib/policy/policy-changes.ts";

export const dynamic = "force-dynamic";

export const POST = withApiKey(async ({ request, principal }) => {
  const preview = await readJson(request, ZPolicyPreviewSchema);
  return Response.json({ preview: await previewPolicyChange(getPrisma(), getPool(), principal.academyId, preview) });
});
