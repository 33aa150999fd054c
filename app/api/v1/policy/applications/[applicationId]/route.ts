// GET /api/v1/policy/applications/:applicationId – one recalculation of past classes with what it changed.
import { getPool } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { AppError } from "@/lib/errors.ts";
import { getPolicyApplication } from "@/lib/policy/apply-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ applicationId: string }>(async ({ principal, params }) => {
  const application = await getPolicyApplication(getPool(), principal.academyId, params.applicationId);
  if (!application) throw new AppError("not_found", "No such policy application.");
  return Response.json({ application });
});
