import Link from "next/link";
import { redirect } from "next/navigation";
import { CodePath } from "@/components/code-path.tsx";
import { getRequestViewer } from "@/lib/auth/require-viewer.ts";

export default async function HomePage() {
  if (await getRequestViewer()) redirect("/sessions");
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-3xl font-semibold text-indigo-700">Rollcall</h1>
      <p className="mt-4 text-slate-700">
        Attendance for live classes held in LiveKit rooms, from LiveKit&apos;s signed webhooks.
      </p>
      <p className="mt-6">
        <Link href="/sign-in" className="rounded-md bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">
          Sign in to the dashboard
        </Link>
      </p>
      <ul className="mt-8 space-y-3 text-slate-700">
        <li>
          Point LiveKit&apos;s webhook at <CodePath>/api/livekit/webhook</CodePath>.
        </li>
        <li>
          Schedule classes and read who is in the room through <CodePath>/api/v1/sessions</CodePath> with an academy API key.
        </li>
        <li>
          Operators: <CodePath>npx rollcall --help</CodePath>.
        </li>
      </ul>
    </main>
  );
}
