// GET /api/dashboard/policy/applications/:applicationId – one recalculation of past classes with what it changed.
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPool } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";
import { getPolicyApplication } from "@/lib/policy/apply-policy.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer<{ applicationId: string }>(
  async ({ viewer, params }) => {
    const application = await getPolicyApplication(getPool(), viewer.academyId, params.applicationId);
    if (!application) throw new AppError("not_found", "No such policy application.");
    return Response.json({ application });
  },
  { adminOnly: true },
);
