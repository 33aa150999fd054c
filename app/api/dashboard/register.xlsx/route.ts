// GET /api/dashboard/register.xlsx?from&to&teacher&series&type&missedOver – the register page's grid as XLSX.
import { registerResponse } from "@/lib/api/register-response.ts";
import { withViewer } from "@/lib/api/with-viewer.ts";
import { sessionScope } from "@/lib/auth/viewer.ts";
import { ZRegisterFilterSchema } from "@/lib/register/register.ts";
import { getPrisma } from "@/lib/db/client.ts";

export const dynamic = "force-dynamic";

export const GET = withViewer(async ({ request, viewer }) => {
  const filter = ZRegisterFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return registerResponse(getPrisma(), {
    request,
    scope: sessionScope(viewer),
    timeZone: viewer.timezone,
    filter,
    format: "xlsx",
  });
});
