/**
 * The host a request was sent to: the proxy's X-Forwarded-Host, else Host. Not the URL Next
 * rebuilds for a route handler, which names the address the server bound to.
 */
export function requestHost(request: Request): string | null {
  return request.headers.get("x-forwarded-host") ?? request.headers.get("host");
}

/** The origin a request was sent to (scheme from X-Forwarded-Proto behind a proxy), or null without a host. */
export function requestOrigin(request: Request): string | null {
  const host = requestHost(request);
  if (!host) return null;
  const proto =
    request.headers.get("x-forwarded-proto")?.split(",")[0]!.trim() || new URL(request.url).protocol.replace(":", "");
  return `${proto}://${host}`;
}
