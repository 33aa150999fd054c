export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-3xl font-semibold text-indigo-700">Rollcall</h1>
      <p className="mt-4 text-slate-700">
        Attendance for live classes held in LiveKit rooms. Point LiveKit&apos;s webhook at{" "}
        <code className="rounded bg-slate-200 px-1">/api/livekit/webhook</code>; schedule classes through{" "}
        <code className="rounded bg-slate-200 px-1">/api/v1/sessions</code>.
      </p>
    </main>
  );
}
