// POST /api/dashboard/api-keys – an admin creates an API key for the LMS; the key is shown once.
import { z } from "zod";
import { readJson } from "@/lib/api/read-request.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { apiKeyNameProblem } from "@/lib/api-keys/api-key-name.ts";
import { createApiKey } from "@/lib/api-keys/api-keys.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

const ZCreateKeySchema = z.strictObject({
  name: z
    .string("Name is required: say what uses the key, e.g. moodle")
    .superRefine((name, context) => {
      const problem = apiKeyNameProblem(name);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform((name) => name.trim()),
});

export const POST = withViewer(
  async ({ request, viewer }) => {
    const { name } = await readJson(request, ZCreateKeySchema);
    return Response.json(
      { apiKey: await createApiKey(getPrisma(), { academyId: viewer.academyId, name }) },
      { status: 201 },
    );
  },
  { adminOnly: true },
);
