import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form.tsx";
import { getRequestViewer } from "@/lib/auth/require-viewer.ts";
import { safeNext } from "@/lib/auth/safe-next.ts";
import { env } from "@/lib/env.ts";

export const metadata: Metadata = { title: "Sign in · Rollcall" };

/** The dashboard's origin: the configured public URL, else the one this request was sent to. */
async function appOrigin(): Promise<string> {
  const configured = env().BETTER_AUTH_URL;
  if (configured) return new URL(configured).origin;
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return "http://localhost";
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  // Only a path of this site is ever followed after signing in (lib/auth/safe-next.ts).
  const target = safeNext(typeof next === "string" ? next : undefined, await appOrigin());
  if (await getRequestViewer()) redirect(target);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="text-2xl font-semibold text-indigo-800">Rollcall</h1>
      <p className="mt-1 mb-6 text-slate-700">Sign in to see your classes and their attendance.</p>
      <SignInForm next={target} />
      <p className="mt-6 text-sm text-slate-600">
        No account yet, or cannot sign in? Ask your academy&apos;s administrator: each teacher and admin is given an
        account.
      </p>
    </main>
  );
}
