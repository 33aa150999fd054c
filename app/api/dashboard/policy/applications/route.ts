// GET /api/dashboard/policy/applications – past recalculations with a policy version, a page at a
// time as in /api/v1; POST { weeks } – an admin recalculates the last `weeks` weeks of classes with
// the current version (recorded).
import { readJson, readQuery } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPool, getPrisma } from "@/lib/db/client.ts";
import { listPolicyApplications } from "@/lib/policy/apply-policy.ts";
import { applyCurrentPolicy, ZPolicyApplicationsQuerySchema, ZPolicyApplySchema } from "@/lib/policy/policy-changes.ts";
import { actorOfViewer } from "@/lib/reports/override-author.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer(
  async ({ request, viewer }) =>
    Response.json(
      await listPolicyApplications(
        getPool(),
        getPrisma(),
        viewer.academyId,
        readQuery(request, ZPolicyApplicationsQuerySchema),
      ),
    ),
  { adminOnly: true },
);

export const POST = withViewer(
  async ({ request, viewer }) => {
    const { weeks } = await readJson(request, ZPolicyApplySchema);
    const application = await applyCurrentPolicy(getPool(), viewer.academyId, { weeks, actor: actorOfViewer(viewer) });
    return Response.json({ application }, { status: 201 });
  },
  { adminOnly: true },
);
