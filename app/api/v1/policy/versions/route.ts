// GET /api/v1/policy/versions – every version of the academy's policy, newest first, with who saved it and when.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { listPolicyVersions } from "@/lib/policy/academy-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async ({ principal }) =>
  Response.json({ versions: await listPolicyVersions(getPrisma(), principal.academyId) }),
);
