import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { DatabaseUnavailable } from "@/components/database-unavailable.tsx";
import { NavLinks } from "@/components/nav-links.tsx";
import { NavSearch } from "@/components/nav-search.tsx";
import { NavigationTrail } from "@/components/navigation-trail.tsx";
import { SignOutButton } from "@/components/sign-out-button.tsx";
import { requireViewer } from "@/lib/auth/require-viewer.ts";
import type { Viewer } from "@/lib/auth/viewer.ts";
import { isDatabaseUnavailable } from "@/lib/errors.ts";

// Every dashboard page also checks the viewer itself: layouts and pages render independently.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  let viewer: Viewer;
  try {
    viewer = await requireViewer("/sessions");
  } catch (error) {
    // Every page starts by finding who is signed in: while the database is down, that is where
    // it fails, and the page says so (and retries) rather than showing a bare error.
    if (!isDatabaseUnavailable(error)) throw error;
    return (
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-3 text-lg font-semibold text-indigo-800">Rollcall</div>
        </header>
        <main id="main" className="mx-auto max-w-6xl px-4 py-6">
          <DatabaseUnavailable />
        </main>
      </div>
    );
  }
  const links = [
    { href: "/sessions", label: "Sessions" },
    { href: "/register", label: "Register" },
  ];
  if (viewer.role === "admin") {
    links.push(
      { href: "/admin/events", label: "Event log" },
      { href: "/admin/policy", label: "Policy" },
      { href: "/admin/api-keys", label: "API keys" },
      { href: "/admin/livekit", label: "LiveKit keys" },
    );
  }
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="print:hidden sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white print:hidden">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/sessions" className="text-lg font-semibold text-indigo-800">
            Rollcall
          </Link>
          <nav aria-label="Main" className="min-w-0 flex-1">
            <NavLinks links={links} />
          </nav>
          <NavSearch timeZone={viewer.timezone} />
          <div className="flex min-w-0 flex-wrap items-center gap-2 text-sm text-slate-700">
            <span className="min-w-0 break-words">
              {viewer.name}{" "}
              <span className="text-slate-600">
                · {viewer.role}, {viewer.academyName}
              </span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 print:max-w-none print:p-0">
        {children}
      </main>
      <Suspense fallback={null}>
        <NavigationTrail />
      </Suspense>
    </div>
  );
}
