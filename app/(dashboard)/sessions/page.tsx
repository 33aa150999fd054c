import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh.tsx";
import { CursorLinks } from "@/components/cursor-links.tsx";
import { asOptions, FilterForm, FilterInput, FilterSelect, TeacherSelect } from "@/components/filter-form.tsx";
import { formatDate, formatTime } from "@/lib/time/format.ts";
import { StatusBadge } from "@/components/status-badge.tsx";
import { requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope } from "@/lib/auth/viewer.ts";
import {
  listSessionsOverview,
  listTeachers,
  newestFirst,
  type SessionOverview,
} from "@/lib/sessions/sessions-overview.ts";
import {
  describeNoSessions,
  effectiveView,
  hasSessionFilters,
  SESSION_VIEWS,
  sessionsHref,
  ZSessionsFilterSchema,
  type SessionView,
  type TSessionsFilter,
} from "@/lib/sessions/sessions-filter.ts";
import { zonedToday } from "@/lib/time/zoned-time.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";
import { parseSessionCursor } from "@/lib/sessions/session-cursor.ts";
import { SESSION_TYPES } from "@/lib/sessions/session-schemas.ts";
import { plural } from "@/lib/words.ts";

export const metadata: Metadata = { title: "Sessions · Rollcall" };

const VIEW_LABELS: Record<(typeof SESSION_VIEWS)[number], string> = {
  today: "Today",
  live: "Live",
  upcoming: "Upcoming",
  ended: "Ended",
  all: "All",
};

function StateCell({ session }: { session: SessionOverview }) {
  if (session.state === "live") {
    return (
      <span className="flex items-center gap-2">
        <StatusBadge status="live" />
        <span>
          {session.inRoom?.students ?? 0} of {plural(session.rosterSize, "student")} in the room
          {session.inRoom?.teachers ? " · teacher in" : " · teacher not in"}
          {session.inRoom?.guests ? ` · ${plural(session.inRoom.guests, "guest")}` : ""}
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
          students: {c.present} present · {c.late} late · {c.partial} partial · {c.absent} absent
          {c.excused ? ` · ${c.excused} excused` : ""}
        </span>
      </span>
    );
  }
  return <StatusBadge status={session.state} />;
}

/** The views (Today, Live, …); a tab keeps the type and teacher but not the dates (sessions-filter.ts). */
function ViewTabs({ filter, view }: { filter: TSessionsFilter; view: SessionView }) {
  return (
    <nav aria-label="Which sessions" className="mt-4">
      <ul className="flex flex-wrap gap-1 border-b border-slate-200">
        {SESSION_VIEWS.map((tab) => (
          <li key={tab}>
            {/* A tab keeps the type and teacher but not the dates (sessions-filter.ts). */}
            <Link
              href={sessionsHref(filter, { view: tab, keepDates: false })}
              aria-current={view === tab ? "page" : undefined}
              className={`-mb-px block border-b-2 px-3 py-2 text-sm font-medium ${view === tab ? "border-indigo-700 text-indigo-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {VIEW_LABELS[tab]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** One class: when, what and whose, and its state (who is in the room, or the result). */
function SessionRow({ session, timeZone }: { session: SessionOverview; timeZone: string }) {
  return (
    <li className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
      <div className="shrink-0 text-sm text-slate-700 sm:w-44">
        <div>{formatDate(session.scheduledStart, timeZone)}</div>
        <div className="font-medium text-slate-900">
          {formatTime(session.scheduledStart, timeZone)}–{formatTime(session.scheduledEnd, timeZone)}
        </div>
      </div>
      <div className="min-w-0 flex-1">
        <Link
          href={`/sessions/${session.id}`}
          className="break-words font-medium text-indigo-800 underline-offset-2 hover:underline"
        >
          {session.title}
        </Link>
        <div className="text-sm text-slate-600">
          {session.type} · {session.teacher?.name ?? "no teacher"} · {plural(session.rosterSize, "student")}
        </div>
      </div>
      <div className="min-w-0 sm:w-96">
        <StateCell session={session} />
      </div>
    </li>
  );
}

/** One page of sessions and the cursor of the next, or the refused filter's message. */
async function loadPage(
  listing: Promise<{ sessions: SessionOverview[]; nextAfter: string | null }>,
): Promise<{ sessions: SessionOverview[]; nextAfter: string | null; problem: string | null }> {
  try {
    return { ...(await listing), problem: null };
  } catch (error) {
    if (!(error instanceof AppError && error.code === "validation_failed")) throw error;
    return { sessions: [], nextAfter: null, problem: error.message };
  }
}

export default async function SessionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireViewer("/sessions");
  const raw = await searchParams;
  const filter = ZSessionsFilterSchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const tz = viewer.timezone;
  const view = effectiveView(filter);
  const teachers = viewer.role === "admin" ? await listTeachers(getPrisma(), viewer.academyId) : [];
  // Keyset paging (lib/sessions/session-cursor.ts); a malformed cursor is ignored, as a malformed
  // filter is: the first page.
  const after = typeof raw.after === "string" ? (parseSessionCursor(raw.after) ?? undefined) : undefined;
  const { sessions, nextAfter, problem } = await loadPage(
    listSessionsOverview(getPrisma(), {
      scope: sessionScope(viewer),
      timeZone: tz,
      filter,
      after,
    }),
  );
  const current = sessionsHref(filter, { view, keepDates: true });
  const clearHref = sessionsHref(
    { view, type: undefined, teacher: undefined, from: undefined, to: undefined },
    { view, keepDates: false },
  );
  const teacherName = viewer.role === "admin" ? teachers.find((teacher) => teacher.id === filter.teacher)?.name : null;
  const filtered = hasSessionFilters(filter);

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

      <ViewTabs filter={filter} view={view} />

      <FilterForm action="/sessions" label="Filter sessions" current={current} clearHref={clearHref}>
        <input type="hidden" name="view" value={view} />
        <FilterSelect
          name="type"
          label="Type"
          anyLabel="All types"
          value={filter.type}
          options={asOptions(SESSION_TYPES)}
        />
        {viewer.role === "admin" ? <TeacherSelect teachers={teachers} value={filter.teacher} /> : null}
        <FilterInput name="from" label="From" type="date" value={filter.from} />
        <FilterInput name="to" label="To" type="date" value={filter.to} />
      </FilterForm>

      {problem ? (
        <div role="alert" className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <p>{problem}</p>
          <Link href={sessionsHref(filter, { view, keepDates: false })} className="mt-2 inline-block text-sm underline">
            Clear the dates
          </Link>
        </div>
      ) : sessions.length === 0 ? (
        <p
          className="mt-8 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700"
          data-testid="sessions-empty"
        >
          {describeNoSessions(filter, { teacherName, today: zonedToday(tz) })}{" "}
          {filtered ? (
            <Link href={clearHref} className="underline">
              Clear filters
            </Link>
          ) : (
            <span className="text-slate-600">Classes appear here once your academy schedules them.</span>
          )}
        </p>
      ) : (
        <ul
          className="mt-4 divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white"
          aria-label="Sessions"
        >
          {sessions.map((session) => (
            <SessionRow key={session.id} session={session} timeZone={tz} />
          ))}
        </ul>
      )}
      {!problem ? (
        <CursorLinks
          label="More sessions"
          href={current}
          isLaterPage={after !== undefined}
          nextCursor={nextAfter}
          firstText={newestFirst(view) ? "← Newest sessions" : "← Soonest sessions"}
          nextText={newestFirst(view) ? "Older sessions →" : "Later sessions →"}
        />
      ) : null}
    </div>
  );
}
