import "server-only";
import { randomBytes } from "node:crypto";
import { findAcademyBySlug } from "../../lib/academies/academies.ts";
import { createDashboardUser, listDashboardUsers } from "../../lib/auth/users.ts";
import type { ParsedCommand } from "../define-command.ts";
import type { USER_CREATE_OPTIONS, USER_LIST_OPTIONS } from "../definitions/users.ts";
import { withDatabase } from "../open-database.ts";
import { formatTable, UsageError } from "../output.ts";

/** Creates a dashboard sign-in for an admin or a teacher of an academy. */
export async function userCreate({ values }: ParsedCommand<typeof USER_CREATE_OPTIONS>): Promise<number> {
  const password = values.password ?? randomBytes(12).toString("base64url");
  return withDatabase(async (db) => {
    const academy = await findAcademyBySlug(db.prisma, values.academy);
    if (!academy) throw new UsageError(`No academy with slug ${JSON.stringify(values.academy)}.`);
    await createDashboardUser(db.prisma, {
      academyId: academy.id,
      role: values.role,
      email: values.email,
      name: values.name,
      password,
      externalId: values["external-id"],
    });
    console.log(
      `${values.role === "admin" ? "Admin" : "Teacher"} ${values.name} can sign in to ${academy.name} as ${values.email.toLowerCase()}${values.password ? "" : ` with the password ${password}`}.`,
    );
    return 0;
  });
}

export async function userList({ values }: ParsedCommand<typeof USER_LIST_OPTIONS>): Promise<number> {
  return withDatabase(async (db) => {
    const people = await listDashboardUsers(db.prisma, values.academy);
    console.log(
      formatTable(
        ["role", "name", "email", "external id"],
        people.map((p) => [p.role, p.name, p.user?.email ?? "", p.externalId]),
      ),
    );
    return 0;
  });
}
