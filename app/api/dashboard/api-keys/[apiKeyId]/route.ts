// DELETE /api/dashboard/api-keys/:apiKeyId – an admin revokes a key; calls with it get 401 at once.
import { withViewer } from "@/lib/api/with-viewer.ts";
import { revokeApiKey } from "@/lib/api-keys/api-keys.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";

export const dynamic = "force-dynamic";

export const DELETE = withViewer<{ apiKeyId: string }>(
  async ({ viewer, params }) => {
    if (!(await revokeApiKey(getPrisma(), { academyId: viewer.academyId, apiKeyId: params.apiKeyId })))
      throw new AppError("not_found", "No such API key.");
    return new Response(null, { status: 204 });
  },
  { adminOnly: true },
);
