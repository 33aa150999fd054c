import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { formatDate, formatTime } from "@/lib/time/format.ts";
import { SessionView } from "@/components/session/session-view.tsx";
import { StatusBadge } from "@/components/status-badge.tsx";
import { getRequestViewer, requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope, type Viewer } from "@/lib/auth/viewer.ts";
import { calculationDueAt } from "@/lib/calculation/due-time.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { env } from "@/lib/env.ts";
import { getAcademyPolicy } from "@/lib/policy/academy-policy.ts";
import { sessionTimings } from "@/lib/sessions/session-state.ts";
import { findSessionHeading } from "@/lib/sessions/session-view.ts";

/** The session as the viewer may see it (null: not theirs), read once for the title and the page. */
const findSession = cache(async (sessionId: string, viewer: Viewer) =>
  findSessionHeading(getPrisma(), sessionScope(viewer), sessionId),
);

/** The tab names the class: "Tajweed: Surah Al-Mulk · Rollcall". */
export async function generateMetadata({ params }: { params: Promise<{ sessionId: string }> }): Promise<Metadata> {
  const { sessionId } = await params;
  const viewer = await getRequestViewer();
  const session = viewer ? await findSession(sessionId, viewer) : null;
  return { title: session ? `${session.title} · Rollcall` : "Session · Rollcall" };
}

export default async function SessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  const viewer = await requireViewer(`/sessions/${sessionId}`);
  const db = getPrisma();
  const session = await findSession(sessionId, viewer);
  if (!session) notFound();
  const policy = (await getAcademyPolicy(db, viewer.academyId)).types[session.type].effective;
  const tz = viewer.timezone;
  const timing = (await sessionTimings(db, [session.id])).get(session.id);
  if (!timing) notFound();
  const end = timing.windowEnd;
  const dueAt = calculationDueAt(end, env().ROLLCALL_CALC_DELAY_MINUTES).toISOString();

  return (
    <div>
      <p className="text-sm">
        <Link href="/sessions" className="text-indigo-800 underline">
          ← Sessions
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold">{session.title}</h1>
          <p className="break-words text-slate-700">
            {formatDate(session.scheduledStart.toISOString(), tz)},{" "}
            {formatTime(session.scheduledStart.toISOString(), tz)}–{formatTime(session.scheduledEnd.toISOString(), tz)}{" "}
            ({tz}) · {session.type} · {session.teacher?.name ?? "no teacher"} · {session._count.roster} students · room{" "}
            <code className="break-all text-sm">{session.roomName}</code>
          </p>
        </div>
        <StatusBadge status={timing.state} />
      </div>
      <SessionView
        sessionId={session.id}
        timeZone={tz}
        scheduledStart={session.scheduledStart.toISOString()}
        scheduledEnd={session.scheduledEnd.toISOString()}
        graceMinutes={policy.graceMinutes}
        canOpenEventLog={viewer.role === "admin"}
        windowEnd={end.toISOString()}
        initialState={timing.state}
        calculationDueAt={dueAt}
      />
    </div>
  );
}
