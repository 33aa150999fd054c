import "server-only";
import { getPrisma } from "../db/client.ts";
import { getAuth } from "./auth.ts";

/** A signed-in admin or teacher, with the academy and role their Person gives them. */
export interface Viewer {
  userId: string;
  email: string;
  name: string;
  personId: string;
  role: "admin" | "teacher";
  academyId: string;
  academyName: string;
  timezone: string;
}

/**
 * The viewer behind a request's session cookie, or null. A user whose person is a student (or who
 * has no person any more) is not let in: the dashboard is for staff.
 */
export async function getViewer(headers: Headers): Promise<Viewer | null> {
  const session = await getAuth().api.getSession({ headers });
  if (!session) return null;
  const person = await getPrisma().person.findUnique({
    where: { userId: session.user.id },
    select: { id: true, role: true, academyId: true, academy: { select: { name: true, timezone: true } } },
  });
  if (!person || person.role === "student") return null;
  return {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    personId: person.id,
    role: person.role,
    academyId: person.academyId,
    academyName: person.academy.name,
    timezone: person.academy.timezone,
  };
}

/** The sessions a viewer may see: the academy's for an admin, their own for a teacher. */
export function sessionScope(viewer: Viewer): { academyId: string; teacherId?: string } {
  return viewer.role === "admin"
    ? { academyId: viewer.academyId }
    : { academyId: viewer.academyId, teacherId: viewer.personId };
}

/** How a viewer is named where their changes are recorded (overrides, recalculations). */
export function viewerLabel(viewer: Viewer): string {
  return `${viewer.name} <${viewer.email}> (${viewer.role})`;
}
