// GET /api/dashboard/policy/versions – an admin reads every version of the academy's policy.
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { listPolicyVersions } from "@/lib/policy/academy-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer(
  async ({ viewer }) => Response.json({ versions: await listPolicyVersions(getPrisma(), viewer.academyId) }),
  { adminOnly: true },
);
