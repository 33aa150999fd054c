// GET /api/dashboard/policy – the academy's policy; PUT – an admin changes it (a new version, recorded as theirs).
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getAcademyPolicy, updateAcademyPolicy, ZPolicyUpdateSchema } from "@/lib/policy/academy-policy.ts";
import { actorOfViewer } from "@/lib/reports/override-author.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer(
  async ({ viewer }) => Response.json({ policy: await getAcademyPolicy(getPrisma(), viewer.academyId) }),
  { adminOnly: true },
);

export const PUT = withViewer(
  async ({ request, viewer }) => {
    const update = await readJson(request, ZPolicyUpdateSchema);
    return Response.json({
      policy: await updateAcademyPolicy(getPrisma(), viewer.academyId, update, actorOfViewer(viewer)),
    });
  },
  { adminOnly: true },
);
