// DELETE /api/dashboard/livekit-keys/:apiKey – an admin retires one of the academy's LiveKit keys at
// the end of a rotation; webhooks signed with it are refused at once, on every instance.
import { withViewer } from "@/lib/api/with-viewer.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { retireLivekitKey } from "@/lib/livekit/credentials.ts";

export const dynamic = "force-dynamic";

export const DELETE = withViewer<{ apiKey: string }>(
  async ({ viewer, params }) => {
    await retireLivekitKey(getPrisma(), { academyId: viewer.academyId, apiKey: params.apiKey });
    return new Response(null, { status: 204 });
  },
  { adminOnly: true },
);
