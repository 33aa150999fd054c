import "server-only";
import { findAcademyBySlug } from "../lib/academies/academies.ts";
import type { PrismaClient } from "../lib/db/client.ts";
import { UsageError } from "./output.ts";

/** The academy --academy names; an unknown slug is a usage error that says where the slugs are. */
export async function requireAcademy(prisma: PrismaClient, slug: string) {
  const academy = await findAcademyBySlug(prisma, slug);
  if (!academy)
    throw new UsageError(
      `No academy with slug ${JSON.stringify(slug)}. 'rollcall academy:list' lists them; 'rollcall academy:create' makes one.`,
    );
  return academy;
}

/** The session an id names, with its academy's slug and zone; an unknown id is a usage error. */
export async function requireSession(prisma: PrismaClient, id: string) {
  const session = await prisma.session.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      scheduledStart: true,
      academy: { select: { slug: true, timezone: true } },
    },
  });
  if (!session)
    throw new UsageError(
      `No session ${JSON.stringify(id)}. 'rollcall session:list --academy <slug>' lists an academy's sessions.`,
    );
  return session;
}
