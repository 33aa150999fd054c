// GET /api/v1/register.csv?from&to[&type][&teacher] – the register (students × sessions) of a date range as CSV.
import { z } from "zod";
import { academyTimeZone, findTeacherId } from "@/lib/academies/academies.ts";
import { readQuery } from "@/lib/api/read-request.ts";
import { registerResponse } from "@/lib/api/register-response.ts";
import { withApiKey } from "@/lib/api/with-api-key.ts";
import { ZRegisterFilterSchema } from "@/lib/register/register.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";
import { ZSessionTypeSchema } from "@/lib/sessions/session-schemas.ts";

export const dynamic = "force-dynamic";

const DAY = z.iso.date().regex(/^20\d\d-/, "must be a date between 2000-01-01 and 2099-12-31");

/** From and to are days in the academy's time zone, both included; teacher is the LMS's external id. */
const ZRegisterQuerySchema = z.strictObject({
  from: DAY,
  to: DAY,
  type: ZSessionTypeSchema.optional(),
  teacher: z.string().min(1).max(256).optional(),
});

export const GET = withApiKey(async ({ request, principal }) => {
  const query = readQuery(request, ZRegisterQuerySchema);
  const db = getPrisma();
  const timeZone = await academyTimeZone(db, principal.academyId);
  let teacher: string | undefined;
  if (query.teacher) {
    const teacherId = await findTeacherId(db, principal.academyId, query.teacher);
    if (!teacherId) throw new AppError("not_found", "No teacher of this academy has that external id.");
    teacher = teacherId;
  }
  const filter = ZRegisterFilterSchema.parse({ from: query.from, to: query.to, type: query.type, teacher });
  return registerResponse(db, { request, scope: { academyId: principal.academyId }, timeZone, filter, format: "csv" });
});
