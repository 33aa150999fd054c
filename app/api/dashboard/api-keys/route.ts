// POST /api/dashboard/api-keys – an admin creates an API key for the LMS; the key is shown once.
import { z } from "zod";
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { createApiKey } from "@/lib/api-keys/api-keys.ts";
import { getPrisma } from "@/lib/db.ts";

export const dynamic = "force-dynamic";

const ZCreateKeySchema = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const POST = withViewer(
  async ({ request, viewer }) => {
    const { name } = await readJson(request, ZCreateKeySchema);
    return Response.json({ apiKey: await createApiKey(getPrisma(), { academyId: viewer.academyId, name }) }, { status: 201 });
  },
  { adminOnly: true },
);
