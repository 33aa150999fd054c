import { NextResponse, type NextRequest } from "next/server";
import { RETURN_PATH_HEADER, returnPathOf } from "./lib/auth/return-path.ts";

// Next answers a path with broken percent-encoding (/api/v1/sessions/%zz) with a bare 500 while
// decoding the route's parameters. Such a path names nothing: answer a clear 400 first.
export function proxy(request: NextRequest) {
  try {
    // The raw path: nextUrl.pathname is already decoded once, so a valid %25 would look broken there.
    const raw = request.url.replace(/^[a-z]+:\/\/[^/]*/i, "").split(/[?#]/)[0] ?? "";
    for (const segment of raw.split("/")) decodeURIComponent(segment);
  } catch {
    return NextResponse.json({ error: { code: "bad_request", message: "The URL's path is not valid percent-encoding." } }, { status: 400 });
  }
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  // A dashboard page: tell it its own path and query, for a sign-in redirect that comes back to it
  // (lib/auth/require-viewer.ts). Always overwritten, whatever the client sent.
  const headers = new Headers(request.headers);
  headers.set(RETURN_PATH_HEADER, returnPathOf(request.url));
  return NextResponse.next({ request: { headers } });
}

// Routes with parameters (which decode them) and the dashboard's pages; the webhook route stays
// free of the extra hop.
export const config = { matcher: ["/api/v1/:path*", "/api/dashboard/:path*", "/sessions/:path*", "/students/:path*", "/admin/:path*"] };
