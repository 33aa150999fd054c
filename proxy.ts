import { NextResponse, type NextRequest } from "next/server";

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
  return NextResponse.next();
}

// Only routes with parameters decode them; the webhook route stays free of the extra hop.
export const config = { matcher: ["/api/v1/:path*", "/api/dashboard/:path*", "/sessions/:path*", "/students/:path*"] };
