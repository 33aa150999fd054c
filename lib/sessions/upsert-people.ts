import "server-only";
import type { Prisma } from "../generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import type { TPersonInput } from "./session-schemas.ts";

type Tx = Prisma.TransactionClient;

/**
 * Creates or matches people by the LMS's external id, keeping their LiveKit identity current.
 * Returns person ids by external id. An identity already used by a different person is a conflict:
 * webhooks carry only the identity, so it must name one person.
 */
export async function upsertPeople(
  tx: Tx,
  academyId: string,
  people: { input: TPersonInput; role: "teacher" | "student" }[],
): Promise<Map<string, string>> {
  const externalIds = people.map((person) => person.input.externalId);
  const identities = people.map((person) => person.input.livekitIdentity);
  const existing = await tx.person.findMany({
    where: { academyId, OR: [{ externalId: { in: externalIds } }, { livekitIdentity: { in: identities } }] },
  });
  const byExternalId = new Map(existing.map((person) => [person.externalId, person]));
  for (const person of existing) {
    const claimedBy = people.find((candidate) => candidate.input.livekitIdentity === person.livekitIdentity);
    if (claimedBy && claimedBy.input.externalId !== person.externalId) {
      throw new AppError(
        "conflict",
        `LiveKit identity ${JSON.stringify(person.livekitIdentity)} already belongs to the person with externalId ${JSON.stringify(person.externalId)}.`,
      );
    }
  }

  const ids = new Map<string, string>();
  for (const { input, role } of people) {
    const found = byExternalId.get(input.externalId);
    if (!found) {
      const created = await tx.person.create({
        data: {
          academyId,
          externalId: input.externalId,
          name: input.name,
          email: input.email ?? null,
          livekitIdentity: input.livekitIdentity,
          role,
        },
        select: { id: true },
      });
      ids.set(input.externalId, created.id);
      continue;
    }
    // Teaching a class makes a student record a teacher; an admin stays an admin.
    const nextRole = role === "teacher" && found.role === "student" ? "teacher" : found.role;
    if (
      found.name !== input.name ||
      found.livekitIdentity !== input.livekitIdentity ||
      (input.email && input.email !== found.email) ||
      nextRole !== found.role
    ) {
      await tx.person.update({
        where: { id: found.id },
        data: {
          name: input.name,
          livekitIdentity: input.livekitIdentity,
          role: nextRole,
          ...(input.email ? { email: input.email } : {}),
        },
      });
    }
    ids.set(input.externalId, found.id);
  }
  return ids;
}
