// POST /api/dashboard/livekit-keys – an admin registers the academy's own LiveKit key (the first
// moves the academy off the server-wide key; a second starts a rotation). With { generate: true }
// Rollcall makes the pair for a self-hosted LiveKit server and shows its secret in this answer only.
import { z } from "zod";
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { resolveAuthSecret } from "@/lib/auth/auth-secret.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { env } from "@/lib/env.ts";
import { addLivekitKey, generateLivekitKey, ZLivekitKeySchema } from "@/lib/livekit/credentials.ts";

export const dynamic = "force-dynamic";

const ZAddKeySchema = z
  .strictObject({
    generate: z.literal(true).optional(),
    apiKey: ZLivekitKeySchema.shape.apiKey.optional(),
    apiSecret: ZLivekitKeySchema.shape.apiSecret.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.generate) {
      if (body.apiKey !== undefined || body.apiSecret !== undefined)
        ctx.addIssue({ code: "custom", path: ["generate"], message: "send either generate or apiKey and apiSecret" });
      return;
    }
    if (body.apiKey === undefined) ctx.addIssue({ code: "custom", path: ["apiKey"], message: "is required" });
    if (body.apiSecret === undefined) ctx.addIssue({ code: "custom", path: ["apiSecret"], message: "is required" });
  });

export const POST = withViewer(
  async ({ request, viewer }) => {
    const body = await readJson(request, ZAddKeySchema);
    const key = body.generate ? generateLivekitKey() : { apiKey: body.apiKey!, apiSecret: body.apiSecret! };
    const added = await addLivekitKey(getPrisma(), {
      academyId: viewer.academyId,
      key,
      serverApiKey: env().LIVEKIT_API_KEY,
      serverSecret: resolveAuthSecret(),
    });
    return Response.json(
      { livekitKey: { ...added, ...(body.generate ? { apiSecret: key.apiSecret } : {}) } },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { adminOnly: true },
);
