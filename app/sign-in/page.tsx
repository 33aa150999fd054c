import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form.tsx";
import { getRequestViewer } from "@/lib/auth/require-viewer.ts";

export const metadata: Metadata = { title: "Sign in · Rollcall" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  if (await getRequestViewer()) redirect("/sessions");
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="text-2xl font-semibold text-indigo-800">Rollcall</h1>
      <p className="mt-1 mb-6 text-slate-700">Sign in to see your classes and their attendance.</p>
      <SignInForm next={typeof next === "string" ? next : undefined} />
      <p className="mt-6 text-sm text-slate-600">Accounts are created by your academy&apos;s operator (<code>rollcall user:create</code>).</p>
    </main>
  );
}
