// GET /api/dashboard/search?q= – the navigation's search: students and classes the viewer may see.
import { z } from "zod";
import { readQuery } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { sessionScope } from "@/lib/auth/viewer.ts";
import { searchDashboard } from "@/lib/search/search-dashboard.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

const ZSearchQuerySchema = z.strictObject({ q: z.string().max(200) });

export const GET = withViewer(async ({ request, viewer }) => {
  const { q } = readQuery(request, ZSearchQuerySchema);
  return Response.json(await searchDashboard(getPrisma(), { scope: sessionScope(viewer), query: q }));
});
