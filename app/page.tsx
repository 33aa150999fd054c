import Link from "next/link";
import { redirect } from "next/navigation";
import { getRequestViewer } from "@/lib/auth/require-viewer.ts";

// The front door, for the academy's teachers and admins: what they will find inside. Setting
// Rollcall up (LiveKit's webhook, the LMS's API key, the command line) is in the README.
export default async function HomePage() {
  if (await getRequestViewer()) redirect("/sessions");
  return (
    <main className="mx-auto max-w-2xl px-4 py-10">
      <h1 className="text-3xl font-semibold text-indigo-700">Rollcall</h1>
      <p className="mt-4 text-lg text-slate-800">
        Attendance for your academy&apos;s live online classes, taken for you.
      </p>
      <p className="mt-6">
        <Link
          href="/sign-in"
          className="inline-block rounded-md bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800"
        >
          Sign in
        </Link>
      </p>
      <ul className="mt-8 space-y-3 text-slate-700">
        <li>
          <strong className="text-slate-900">Teachers</strong> see who is in the room right now, and after each class
          who was present, late, partial or absent, with the minutes behind every result. Excuse a student with a note;
          it is kept.
        </li>
        <li>
          <strong className="text-slate-900">Admins</strong> see every class of the academy, the register for a month or
          a term, each student&apos;s record, and set the attendance rules.
        </li>
        <li>Nobody has to press a button in class: joins and leaves are recorded as they happen.</li>
      </ul>
    </main>
  );
}
