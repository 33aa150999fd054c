import { headers } from "next/headers";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { getViewer, type Viewer } from "./viewer.ts";

/** The viewer of the request being rendered, looked up once however many layouts and pages ask. */
export const getRequestViewer = cache(async (): Promise<Viewer | null> => getViewer(await headers()));

/** For pages: the signed-in viewer, or a redirect to the sign-in page that comes back here. */
export async function requireViewer(returnTo: string): Promise<Viewer> {
  const viewer = await getRequestViewer();
  if (!viewer) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

/** For admin pages: a teacher gets the same 404 as for a page that does not exist. */
export async function requireAdmin(returnTo: string): Promise<Viewer> {
  const viewer = await requireViewer(returnTo);
  if (viewer.role !== "admin") notFound();
  return viewer;
}
