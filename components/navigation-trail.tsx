"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";

// Where the viewer came from, per tab (sessionStorage), for a page's "Back" link: the register with
// its filters, a class, the sessions list. Pages reached by a link, by the search or by reloading
// all know it; a page opened on its own falls back to the sessions list.
const KEY = "rollcall:trail";

interface Trail {
  current: string | null;
  previous: string | null;
}

function readTrail(): Trail {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(KEY) ?? "null") as Partial<Trail> | null;
    return { current: value?.current ?? null, previous: value?.previous ?? null };
  } catch {
    return { current: null, previous: null };
  }
}

const pathOf = (url: string) => url.split("?")[0];

// A link followed before the page had hydrated is a full page load that the trail never saw; the
// browser's referrer says where it came from. It speaks for the page the document was loaded at,
// until the first client-side navigation.
const LOADED_AT = typeof window === "undefined" ? null : window.location.pathname;
let navigatedInDocument = false;

function referrerPage(pathname: string): string | null {
  if (navigatedInDocument || pathname !== LOADED_AT || !document.referrer) return null;
  try {
    const referrer = new URL(document.referrer);
    if (referrer.origin !== window.location.origin || referrer.pathname === pathname) return null;
    return `${referrer.pathname}${referrer.search}`;
  } catch {
    return null;
  }
}
const urlOf = (pathname: string, search: URLSearchParams) => (search.size ? `${pathname}?${search}` : pathname);

/** Records each dashboard page the tab shows; a page that only changes its query (filters) keeps the one before it. */
export function NavigationTrail() {
  const pathname = usePathname();
  const search = useSearchParams();
  useEffect(() => {
    const url = urlOf(pathname, search);
    if (pathname !== LOADED_AT) navigatedInDocument = true;
    const trail = readTrail();
    if (trail.current === url) return;
    const samePage = trail.current !== null && pathOf(trail.current) === pathname;
    const previous = referrerPage(pathname) ?? (samePage ? trail.previous : trail.current);
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({ current: url, previous }));
    } catch {
      // Storage refused (private mode): Back falls back to the sessions list.
    }
  }, [pathname, search]);
  return null;
}

/** The page before this one, whether or not the trail has recorded this one yet. */
function previousPage(pathname: string): string | null {
  const trail = readTrail();
  const candidate =
    referrerPage(pathname) ??
    (trail.current !== null && pathOf(trail.current) === pathname ? trail.previous : trail.current);
  // Only a path of this site, never this same page.
  return candidate && candidate.startsWith("/") && !candidate.startsWith("//") && pathOf(candidate) !== pathname
    ? candidate
    : null;
}

function labelOf(path: string): string {
  const pathname = pathOf(path) ?? "";
  if (pathname === "/register") return "the register";
  if (pathname === "/sessions") return "sessions";
  if (pathname.startsWith("/sessions/")) return "the class";
  if (pathname.startsWith("/students/")) return "the student";
  if (pathname === "/admin/events") return "the event log";
  if (pathname === "/admin/policy") return "the policy";
  if (pathname === "/admin/api-keys") return "API keys";
  if (pathname === "/admin/livekit") return "LiveKit keys";
  return "the previous page";
}

const noSubscription = () => () => {};

/** "← Back to the register" (with its filters), to the page the viewer came from; else to the sessions list. */
export function BackLink({ fallback = "/sessions" }: { fallback?: string }) {
  const pathname = usePathname();
  const previous = useSyncExternalStore(
    noSubscription,
    () => previousPage(pathname),
    () => null,
  );
  const href = previous ?? fallback;
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-1 text-sm text-indigo-800 underline-offset-2 hover:underline print:hidden"
    >
      <span aria-hidden>←</span> Back to {labelOf(href)}
    </Link>
  );
}
