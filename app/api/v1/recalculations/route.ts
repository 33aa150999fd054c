// POST /api/v1/recalculations – recalculate many sessions at once: { sessionIds } or { from, to[, type] }
// (the academy's ended classes that started in the range); 202 with where to wait for all of them.
import { getPrisma } from "@/lib/db/client.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { readJson } from "@/lib/api/read-request.ts";
import { requestBulkRecalculation, ZBulkRecalculationSchema } from "@/lib/calculation/bulk-recalculation.ts";

export const dynamic = "force-dynamic";

export const POST = withApiKey(async ({ request, principal }) => {
  const body = await readJson(request, ZBulkRecalculationSchema);
  const recalculation = await requestBulkRecalculation(getPrisma(), {
    academyId: principal.academyId,
    request: body,
    requestedBy: `api-key:${principal.apiKeyId}`,
  });
  return Response.json({ recalculation }, { status: 202, headers: { location: recalculation.statusUrl } });
});
