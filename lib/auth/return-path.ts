/**
 * The request header through which proxy.ts tells the dashboard's pages their own path and query,
 * so that a sign-in redirect can come back to the very page asked for. proxy.ts always overwrites
 * it; a value a client sent is still only a path it is sent back to (lib/auth/safe-next.ts).
 */
export const RETURN_PATH_HEADER = "x-rollcall-return-path";

/** Next.js's own query parameter for client navigations' RSC payloads, never part of a page's address. */
const INTERNAL_PARAMS = ["_rsc"];

/** The path and query of a request URL, as sent (not decoded), without Next.js's internal parameters. */
export function returnPathOf(url: string): string {
  const parsed = new URL(url);
  // Only when present: deleting re-serializes the whole query.
  for (const name of INTERNAL_PARAMS) if (parsed.searchParams.has(name)) parsed.searchParams.delete(name);
  return `${parsed.pathname}${parsed.search}`;
}
