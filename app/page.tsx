import { CodePath } from "@/components/code-path.tsx";

export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-3xl font-semibold text-indigo-700">Rollcall</h1>
      <p className="mt-4 text-slate-700">
        Attendance for live classes held in LiveKit rooms, from LiveKit&apos;s signed webhooks.
      </p>
      <ul className="mt-6 space-y-3 text-slate-700">
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
