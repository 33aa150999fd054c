import "server-only";
import type { PrismaClient } from "../db/client.ts";

/** A new academy: a tenant with its own people, sessions, keys and policy (the policy's defaults from the schema). */
export function createAcademy(db: PrismaClient, data: { name: string; slug: string; timezone: string }) {
  return db.academy.create({ data });
}

/** Every academy, oldest first, with how many sessions and people each has. */
export function listAcademies(db: PrismaClient) {
  return db.academy.findMany({
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { sessions: true, people: true } } },
  });
}

/** The academy with this slug, or null. */
export function findAcademyBySlug(db: PrismaClient, slug: string) {
  return db.academy.findUnique({ where: { slug } });
}

/** The academy's time zone (its days, its files' times). */
export async function academyTimeZone(db: PrismaClient, academyId: string): Promise<string> {
  const academy = await db.academy.findUniqueOrThrow({ where: { id: academyId }, select: { timezone: true } });
  return academy.timezone;
}

/** The id of the academy's teacher with this external id (the LMS's), or null. */
export async function findTeacherId(db: PrismaClient, academyId: string, externalId: string): Promise<string | null> {
  const person = await db.person.findFirst({ where: { academyId, externalId, role: "teacher" }, select: { id: true } });
  return person?.id ?? null;
}
