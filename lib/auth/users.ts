import "server-only";
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { PrismaClient } from "../db/client.ts";
import { AppError } from "../errors.ts";

const MAX_NAME_LENGTH = 200;

export interface CreateDashboardUserInput {
  academyId: string;
  role: "admin" | "teacher";
  email: string;
  name: string;
  password: string;
  /** Link to the person the LMS already sent with this external id (a teacher's sessions); else one is made. */
  externalId?: string;
}

/**
 * Gives an admin or teacher a dashboard sign-in: Better Auth's user and credential account (its own
 * scrypt hash, so Better Auth verifies it) linked to the academy's Person, whose role decides what
 * the user sees. One transaction: no half-made account can sign in.
 */
/** The academy's people who can sign in to the dashboard, by role then name, with their email. */
export function listDashboardUsers(db: PrismaClient, academySlug: string) {
  return db.person.findMany({
    where: { academy: { slug: academySlug }, userId: { not: null } },
    include: { user: { select: { email: true } } },
    orderBy: [{ role: "asc" }, { name: "asc" }],
  });
}

export async function createDashboardUser(
  db: PrismaClient,
  input: CreateDashboardUserInput,
): Promise<{ userId: string; personId: string }> {
  const email = input.email.trim().toLowerCase();
  if (email.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new AppError("validation_failed", "The email address is not valid.");
  // The name is shown to every admin and teacher of the academy (headers, who overrode a result):
  // one line of at most 200 characters, as the API allows for a person's name.
  const name = input.name.trim();
  if (!name || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new AppError("validation_failed", `The name must be 1 to ${MAX_NAME_LENGTH} characters on one line.`);
  }
  if (input.password.length < 10)
    throw new AppError("validation_failed", "The password must be at least 10 characters.");
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    if (await tx.authUser.findUnique({ where: { email } }))
      throw new AppError("conflict", `A user with email ${email} already exists.`);
    const externalId = input.externalId ?? `user:${email}`;
    const existing = await tx.person.findUnique({
      where: { academyId_externalId: { academyId: input.academyId, externalId } },
    });
    if (existing && existing.role !== input.role)
      throw new AppError("conflict", `Person ${externalId} is a ${existing.role}, not a ${input.role}.`);
    if (existing?.userId) throw new AppError("conflict", `Person ${externalId} already has a sign-in.`);
    const userId = randomUUID();
    await tx.authUser.create({ data: { id: userId, email, name, emailVerified: true } });
    await tx.authAccount.create({
      data: { id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash },
    });
    const person = existing
      ? await tx.person.update({ where: { id: existing.id }, data: { userId, email } })
      : await tx.person.create({
          data: { academyId: input.academyId, externalId, role: input.role, name, email, userId },
        });
    return { userId, personId: person.id };
  });
}
