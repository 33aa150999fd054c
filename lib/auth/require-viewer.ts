import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { RETURN_PATH_HEADER } from "./return-path.ts";
import { safeNext, signInPathFor } from "./safe-next.ts";
import { getViewer, type Viewer } from "./viewer.ts";

/** The viewer of the request being rendered, looked up once however many layouts and pages ask. */
export const getRequestViewer = cache(async (): Promise<Viewer | null> => getViewer(await headers()));

/**
 * For pages: the signed-in viewer, or a redirect to the sign-in page that comes back to the page
 * asked for, with its query (proxy.ts passes the request's own path and query along: a layout is
 * not told which page it wraps). `fallback` is used only when that is missing.
 */
export async function requireViewer(fallback: string): Promise<Viewer> {
  const viewer = await getRequestViewer();
  if (!viewer) {
    const requested = (await headers()).get(RETURN_PATH_HEADER);
    // Only a path of this site goes into the link (resolved against a placeholder origin).
    const path = safeNext(requested ?? fallback, "http://rollcall.invalid");
    redirect(signInPathFor(path));
  }
  return viewer;
}

/** For admin pages: a teacher gets the same 404 as for a page that does not exist. */
export async function requireAdmin(fallback: string): Promise<Viewer> {
  const viewer = await requireViewer(fallback);
  if (viewer.role !== "admin") notFound();
  return viewer;
}
