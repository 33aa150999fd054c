// PUT /api/dashboard/policy – an admin changes the academy's attendance policy.
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { getAcademyPolicy, updateAcademyPolicy, ZPolicyUpdateSchema } from "@/lib/policy/academy-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer(
  async ({ viewer }) => Response.json({ policy: await getAcademyPolicy(getPrisma(), viewer.academyId) }),
  { adminOnly: true },
);

export const PUT = withViewer(
  async ({ request, viewer }) => {
    const update = await readJson(request, ZPolicyUpdateSchema);
    return Response.json({ policy: await updateAcademyPolicy(getPrisma(), viewer.academyId, update) });
  },
  { adminOnly: true },
);
