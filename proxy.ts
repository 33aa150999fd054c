import { NextResponse, type NextRequest } from "next/server";
import { RETURN_PATH_HEADER, returnPathOf } from "./lib/auth/return-path.ts";

// Next answers a path with broken percent-encoding (/api/v1/sessions/%zz) with a bare 500 while
// decoding the route's parameters. Such a path names nothing: answer a clear 400 first.
function brokenPercentEncoding(request: NextRequest): NextResponse | null {
  try {
    // The raw path: nextUrl.pathname is already decoded once, so a valid %25 would look broken there.
    const raw = request.url.replace(/^[a-z]+:\/\/[^/]*/i, "").split(/[?#]/)[0] ?? "";
    for (const segment of raw.split("/")) decodeURIComponent(segment);
    return null;
  } catch {
    return NextResponse.json(
      { error: { code: "bad_request", message: "The URL's path is not valid percent-encoding." } },
      { status: 400 },
    );
  }
}

/**
 * The pages' Content-Security-Policy: scripts only with this request's nonce (Next puts it on its
 * own scripts, which may load the rest: 'strict-dynamic'), nothing from other origins, no framing.
 * Styles may be inline: React writes the timeline's positions as style attributes, which carry no
 * nonce (CSS cannot run code).
 */
function pageContentSecurityPolicy(nonce: string, https: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

const HSTS = "max-age=63072000; includeSubDomains";

export function proxy(request: NextRequest) {
  const broken = brokenPercentEncoding(request);
  if (broken) return broken;
  // API answers get their headers from next.config.ts; this hop only checks their paths.
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();

  const nonce = btoa(crypto.randomUUID());
  const forwardedProto = request.headers.get("x-forwarded-proto");
  const https = forwardedProto ? /^\s*https\s*(,|$)/i.test(forwardedProto) : request.nextUrl.protocol === "https:";
  const policy = pageContentSecurityPolicy(nonce, https);
  // Next reads the nonce from the request's policy while rendering and puts it on every script.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  // A page's own path and query, for a sign-in redirect that comes back to it
  // (lib/auth/require-viewer.ts). Always overwritten, whatever the client sent.
  requestHeaders.set(RETURN_PATH_HEADER, returnPathOf(request.url));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  // Over a proxy's HTTPS next.config.ts adds it; here when the app itself was reached over HTTPS.
  if (https && !forwardedProto) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  matcher: [
    // Only API routes with parameters decode them; the webhook route stays free of the extra hop.
    "/api/v1/:path*",
    "/api/dashboard/:path*",
    // Every page (a nonce per request), but not Next's static files.
    "/((?!api/|_next/static/|_next/image/|favicon.ico).*)",
  ],
};
