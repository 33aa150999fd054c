import "server-only";
import { getViewer, type Viewer } from "../auth/viewer.ts";
import { AppError, errorToResponse } from "../errors.ts";
import { readParams } from "./read-request.ts";
import { requestHost } from "./request-origin.ts";

export interface ViewerContext<P> {
  request: Request;
  viewer: Viewer;
  params: P;
}

type RouteContext<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated requests that change something must come from the dashboard's own pages:
 * the Origin (or, without one, Sec-Fetch-Site) must say same origin, so another site cannot ride
 * a teacher's cookie.
 */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin) {
    const host = requestHost(request);
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost && host && originHost === host) return;
  } else if (request.headers.get("sec-fetch-site") === "same-origin") {
    return;
  }
  throw new AppError("forbidden", "Changes are accepted only from Rollcall's own pages.");
}

/**
 * Wraps a dashboard route handler: a signed-in admin or teacher (401 otherwise), admins only where
 * asked (403), same-origin for changes (403), and every error through the one error table.
 */
export function withViewer<P = Record<string, never>>(
  handler: (context: ViewerContext<P>) => Promise<Response>,
  { adminOnly = false }: { adminOnly?: boolean } = {},
) {
  return async (request: Request, routeContext: RouteContext<P>): Promise<Response> => {
    try {
      const viewer = await getViewer(request.headers);
      if (!viewer) throw new AppError("unauthorized", "Sign in to use the dashboard.");
      if (adminOnly && viewer.role !== "admin") throw new AppError("forbidden", "Only an academy admin can do this.");
      if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
      const response = await handler({ request, viewer, params: await readParams(routeContext) });
      response.headers.set("cache-control", "no-store");
      return response;
    } catch (error) {
      return errorToResponse(error);
    }
  };
}
