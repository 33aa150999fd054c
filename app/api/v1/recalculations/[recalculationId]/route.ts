// GET /api/v1/recalculations/:recalculationId – how far a bulk recalculation has come; done when pending is 0.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { AppError } from "@/lib/errors.ts";
import { getBulkRecalculation } from "@/lib/calculation/bulk-recalculation.ts";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ recalculationId: string }>(async ({ principal, params }) => {
  const status = await getBulkRecalculation(getPrisma(), {
    academyId: principal.academyId,
    id: params.recalculationId,
  });
  if (!status) throw new AppError("not_found", "No such recalculation.");
  return Response.json({ recalculation: status });
});
