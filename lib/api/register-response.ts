import "server-only";
import type { PrismaClient } from "../db/client.ts";
import { env } from "../env.ts";
import { registerCsv, registerTable, registerTitle, registerXlsx } from "../register/register-export.ts";
import { registerFileName } from "../register/register-grid.ts";
import { getRegister, type TRegisterFilter } from "../register/register.ts";
import { csvResponse } from "./csv-response.ts";
import { requestOrigin } from "./request-origin.ts";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * A register download for the dashboard's and the academy API's routes: the same read model as the
 * page (same scope, filters and figures), named after its filters and range.
 */
export async function registerResponse(
  db: PrismaClient,
  {
    request,
    scope,
    timeZone,
    filter,
    format,
  }: {
    request: Request;
    scope: { academyId: string; teacherId?: string };
    timeZone: string;
    filter: TRegisterFilter;
    format: "csv" | "xlsx";
  },
): Promise<Response> {
  const register = await getRegister(db, { scope, timeZone, filter });
  const origin = env().BETTER_AUTH_URL?.replace(/\/+$/, "") ?? requestOrigin(request) ?? new URL(request.url).origin;
  const table = registerTable(register, { timeZone, origin });
  const name = registerFileName(
    {
      from: register.range.from,
      to: register.range.to,
      type: filter.type,
      teacherName: register.teacherName ?? undefined,
      course: register.course ?? undefined,
    },
    format,
  );
  if (format === "csv") return csvResponse(registerCsv(table), name);
  const body = await registerXlsx(table, { title: registerTitle(register) });
  return new Response(new Uint8Array(body), {
    headers: { "content-type": XLSX_TYPE, "content-disposition": `attachment; filename="${name}"` },
  });
}
