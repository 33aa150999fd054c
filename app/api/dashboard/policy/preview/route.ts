// POST /api/dashboard/policy/preview – an admin previews a policy change over past classes; writes nothing.
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPool, getPrisma } from "@/lib/db/client.ts";
import { previewPolicyChange, ZPolicyPreviewSchema } from "@/lib/policy/policy-changes.ts";

export const dynamic = "force-dynamic";

export const POST = withViewer(
  async ({ request, viewer }) => {
    const preview = await readJson(request, ZPolicyPreviewSchema);
    return Response.json({ preview: await previewPolicyChange(getPrisma(), getPool(), viewer.academyId, preview) });
  },
  { adminOnly: true },
);
