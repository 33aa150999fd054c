import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh.tsx";
import { asOptions, FilterForm, FilterInput, FilterSelect } from "@/components/filter-form.tsx";
import { formatDate, formatTime } from "@/components/format.ts";
import { StatusBadge } from "@/components/status-badge.tsx";
import { requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope } from "@/lib/auth/viewer.ts";
import { listSessionsOverview, listTeachers, SESSION_VIEWS, ZSessionsFilterSchema, type SessionOverview } from "@/lib/dashboard/sessions-overview.ts";
import { getPrisma } from "@/lib/db.ts";
import { SESSION_TYPES } from "@/lib/sessions/session-schemas.ts";

export const metadata: Metadata = { title: "Sessions · Rollcall" };

const VIEW_LABELS: Record<(typeof SESSION_VIEWS)[number], string> = { today: "Today", live: "Live", upcoming: "Upcoming", ended: "Ended", all: "All" };

function StateCell({ session }: { session: SessionOverview }) {
  if (session.state === "live") {
    return (
      <span className="flex items-center gap-2">
        <StatusBadge status="live" />
        <span>
          {session.inRoom?.students ?? 0} of {session.rosterSize} students in the room
          {session.inRoom?.teachers ? " · teacher in" : " · teacher not in"}
          {session.inRoom?.guests ? ` · ${session.inRoom.guests} guest${session.inRoom.guests === 1 ? "" : "s"}` : ""}
        </span>
      </span>
    );
  }
  if (session.state === "calculated" && session.counts) {
    const c = session.counts;
    return (
      <span className="flex flex-wrap items-center gap-1.5">
        <StatusBadge status="calculated" />
        <span className="text-sm text-slate-700">
          students: {c.present} present · {c.late} late · {c.partial} partial · {c.absent} absent{c.excused ? ` · ${c.excused} excused` : ""}
        </span>
      </span>
    );
  }
  return <StatusBadge status={session.state} />;
}

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/sessions");
  const raw = await searchParams;
  const filter = ZSessionsFilterSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const db = getPrisma();
  const [sessions, teachers] = await Promise.all([
    listSessionsOverview(db, { scope: sessionScope(viewer), timeZone: viewer.timezone, filter }),
    viewer.role === "admin" ? listTeachers(db, viewer.academyId) : Promise.resolve([]),
  ]);
  const tz = viewer.timezone;
  const hrefFor = (view: string) => {
    const params = new URLSearchParams();
    params.set("view", view);
    if (filter.type) params.set("type", filter.type);
    if (filter.teacher) params.set("teacher", filter.teacher);
    if (filter.date) params.set("date", filter.date);
    return `/sessions?${params}`;
  };

  return (
    <div>
      <AutoRefresh seconds={30} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Sessions</h1>
          <p className="text-sm text-slate-600">
            {viewer.role === "admin" ? `Every class of ${viewer.academyName}` : "Your classes"}, times in {tz}.
          </p>
        </div>
      </div>

      <nav aria-label="Which sessions" className="mt-4">
        <ul className="flex flex-wrap gap-1 border-b border-slate-200">
          {SESSION_VIEWS.map((view) => (
            <li key={view}>
              <Link
                href={hrefFor(view)}
                aria-current={filter.view === view ? "page" : undefined}
                className={`-mb-px block border-b-2 px-3 py-2 text-sm font-medium ${filter.view === view ? "border-indigo-700 text-indigo-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
              >
                {VIEW_LABELS[view]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <FilterForm action="/sessions" label="Filter sessions">
        <input type="hidden" name="view" value={filter.view === "today" && filter.date ? "all" : filter.view} />
        <FilterSelect name="type" label="Type" anyLabel="All types" value={filter.type} options={asOptions(SESSION_TYPES)} />
        {viewer.role === "admin" ? (
          <FilterSelect
            name="teacher"
            label="Teacher"
            anyLabel="All teachers"
            value={filter.teacher}
            options={teachers.map((teacher) => ({ value: teacher.id, label: teacher.name }))}
          />
        ) : null}
        <FilterInput name="date" label="Date" type="date" value={filter.date} />
      </FilterForm>

      {sessions.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          No sessions here{filter.view === "today" ? " today" : ""}. Sessions are created by your LMS through the API.
        </p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
              <div className="w-44 shrink-0 text-sm text-slate-700">
                <div>{formatDate(session.scheduledStart, tz)}</div>
                <div className="font-medium text-slate-900">
                  {formatTime(session.scheduledStart, tz)}–{formatTime(session.scheduledEnd, tz)}
                </div>
              </div>
              <div className="min-w-0 flex-1">
                <Link href={`/sessions/${session.id}`} className="font-medium text-indigo-800 underline-offset-2 hover:underline">
                  {session.title}
                </Link>
                <div className="text-sm text-slate-600">
                  {session.type} · {session.teacher?.name ?? "no teacher"} · {session.rosterSize} students
                </div>
              </div>
              <div className="sm:w-96">
                <StateCell session={session} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
