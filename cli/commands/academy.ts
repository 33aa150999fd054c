import "server-only";
import { z } from "zod";
import { createAcademy, listAcademies } from "../../lib/academies/academies.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { ACADEMY_CREATE_OPTIONS } from "../definitions/academies.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

const ZAcademyArgsSchema = z.object({
  name: z.string().trim().min(1, "--name is required").max(200),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "--slug must be lowercase letters, digits and dashes"),
  timezone: z.string().refine((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "--timezone must be an IANA time zone such as Europe/London"),
});

export async function academyCreate({ values }: ParsedCommand<typeof ACADEMY_CREATE_OPTIONS>): Promise<number> {
  const parsed = ZAcademyArgsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join("; "));
  return withDatabase(async (db) => {
    const academy = await createAcademy(db.prisma, parsed.data);
    console.log(`Created academy ${academy.name} (${academy.slug}, ${academy.timezone}) id=${academy.id}`);
    return 0;
  });
}

export async function academyList(): Promise<number> {
  return withDatabase(async (db) => {
    const academies = await listAcademies(db.prisma);
    console.log(
      formatTable(
        ["slug", "name", "timezone", "sessions", "people"],
        academies.map((a) => [a.slug, a.name, a.timezone, a._count.sessions, a._count.people]),
      ),
    );
    return 0;
  });
}
