/** Where sign-in goes when it was given no usable place to return to. */
export const DEFAULT_AFTER_SIGN_IN = "/sessions";

/**
 * The place to go after signing in, from the `next` the sign-in page was given: a path of this
 * site, never another origin.
 *
 * `next` is resolved with the URL parser against the app's origin, as the browser will resolve it,
 * and kept only when it lands on that origin. The browser's parser forgives a lot that a prefix
 * check does not see: `/\evil.example` (a backslash is a slash), `/<tab>/evil.example` (tabs and
 * newlines are dropped) and `/.//evil.example` (dot segments are removed) all end in `//`, which
 * the browser reads as another host. So the path kept is the parser's own, and one that begins with
 * `//` is refused too. The sign-in page itself is refused (it would only come back here).
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next) return DEFAULT_AFTER_SIGN_IN;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(next, base);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (target.origin !== base.origin || target.username || target.password) return DEFAULT_AFTER_SIGN_IN;
  const path = `${target.pathname}${target.search}${target.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || target.pathname === "/sign-in") return DEFAULT_AFTER_SIGN_IN;
  return path;
}

/** The sign-in page's address that returns to `path` (the path and query of the page asked for). */
export function signInPathFor(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}
