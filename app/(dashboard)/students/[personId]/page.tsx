import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { FilterForm, FilterInput } from "@/components/filter-form.tsx";
import { formatDate, formatTime } from "@/lib/time/format.ts";
import { BackLink } from "@/components/navigation-trail.tsx";
import { StatusBadge } from "@/components/status-badge.tsx";
import { AttendanceChart, type ChartPoint } from "@/components/student/attendance-chart.tsx";
import { getRequestViewer, requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope, type Viewer } from "@/lib/auth/viewer.ts";
import { describeDayRange } from "@/lib/time/day-range.ts";
import { findVisibleStudent, getStudentAttendance, ZStudentFilterSchema } from "@/lib/students/student-attendance.ts";
import { zonedToday } from "@/lib/time/zoned-time.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";
import { formatDuration } from "@/lib/attendance/explain.ts";
import { formatPercent, plural } from "@/lib/words.ts";
import { parseSessionCursor } from "@/lib/sessions/session-cursor.ts";
import { ScrollTable } from "@/components/scroll-table.tsx";
import { CursorLinks } from "@/components/cursor-links.tsx";

/** The student as the viewer may see them, read once for the title and the page; null: not theirs. */
const findStudent = cache(async (personId: string, viewer: Viewer) => {
  try {
    return await findVisibleStudent(getPrisma(), { scope: sessionScope(viewer), personId });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
});

/** The tab names the student: "Aisha Rahman · Rollcall". */
export async function generateMetadata({ params }: { params: Promise<{ personId: string }> }): Promise<Metadata> {
  const { personId } = await params;
  const viewer = await getRequestViewer();
  const person = viewer ? await findStudent(personId, viewer) : null;
  return { title: person ? `${person.name} · Rollcall` : "Student · Rollcall" };
}

const axisDay = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short" }).format(new Date(iso));

type StudentData = Awaited<ReturnType<typeof getStudentAttendance>>;

/** The chart's bars, oldest first, with their days in the academy's zone. */
function chartPoints(data: StudentData | null, timeZone: string): ChartPoint[] {
  return (data?.trend ?? []).map((point) => ({
    sessionId: point.sessionId,
    title: point.title,
    day: axisDay(point.at, timeZone),
    when: `${formatDate(point.at, timeZone)}, ${formatTime(point.at, timeZone)}`,
    percentage: point.percentage,
    status: point.status,
  }));
}

/** The counts over the range and the average share attended. */
function StudentTotals({
  totals,
  averagePercentage,
}: {
  totals: NonNullable<StudentData["totals"]>;
  averagePercentage: StudentData["averagePercentage"];
}) {
  return (
    <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
      {[
        ["Sessions", String(totals.sessions)],
        ["Present", String(totals.present)],
        ["Late", String(totals.late)],
        ["Partial", String(totals.partial)],
        ["Absent", String(totals.absent)],
        ["Excused", String(totals.excused)],
        ["Average attended", formatPercent(averagePercentage, 1)],
      ].map(([label, value]) => (
        <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-xl font-semibold whitespace-nowrap tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One row per calculated class, newest first, each linked to its report. */
function SessionRows({ rows, timeZone }: { rows: StudentData["rows"]; timeZone: string }) {
  return (
    <ScrollTable
      label="Attendance per session"
      caption="Attendance per session, newest first"
      columns={[
        { label: "Session" },
        { label: "When" },
        { label: "Result" },
        { label: "Attended", numeric: true },
        { label: "%", numeric: true },
        { label: "Late (min)", numeric: true },
      ]}
      className="mt-6"
    >
      {rows.map((row) => (
        <tr key={row.session.id}>
          <th scope="row" className="px-3 py-2 text-left font-medium">
            <Link href={`/sessions/${row.session.id}`} className="text-indigo-800 underline-offset-2 hover:underline">
              {row.session.title}
            </Link>
          </th>
          <td className="px-3 py-2">
            {formatDate(row.session.scheduledStart, timeZone)} {formatTime(row.session.scheduledStart, timeZone)}
          </td>
          <td className="px-3 py-2">
            <StatusBadge status={row.status} />
            {row.overridden ? (
              <span className="ml-1 text-xs text-slate-600">(calculated {row.calculatedStatus})</span>
            ) : null}
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatDuration(row.attendedSeconds)}</td>
          <td className="px-3 py-2 text-right tabular-nums">{row.percentage.toFixed(1)}</td>
          <td className="px-3 py-2 text-right tabular-nums">{row.lateMinutes || "—"}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

/** The student's rows of the range as CSV (every class of it, not one page). */
function DownloadCsv({ personId, query }: { personId: string; query: string }) {
  return (
    <a
      href={`/api/dashboard/students/${encodeURIComponent(personId)}/attendance.csv${query ? `?${query}` : ""}`}
      download
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
    >
      Download CSV
    </a>
  );
}

export default async function StudentPage({
  params,
  searchParams,
}: {
  params: Promise<{ personId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { personId } = await params;
  const viewer = await requireViewer(`/students/${personId}`);
  const raw = await searchParams;
  const range = ZStudentFilterSchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const db = getPrisma();
  const scope = sessionScope(viewer);
  const tz = viewer.timezone;
  // Keyset paging of the table; a malformed cursor is ignored, as a malformed day is: the first page.
  const after = typeof raw.after === "string" ? (parseSessionCursor(raw.after) ?? undefined) : undefined;
  let data: StudentData | null = null;
  let problem: string | null = null;
  const person = await findStudent(personId, viewer);
  if (!person) notFound();
  try {
    data = await getStudentAttendance(db, { scope, personId, range, timeZone: tz, after });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (!(error instanceof AppError && error.code === "validation_failed")) throw error;
    problem = error.message;
  }
  const query = new URLSearchParams(
    Object.entries(range).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  const self = `/students/${encodeURIComponent(personId)}`;
  const rangeWords = describeDayRange(range, zonedToday(tz));
  const points = chartPoints(data, tz);
  const totals = data?.totals;

  return (
    <div>
      <BackLink />
      <h1 className="mt-2 text-2xl font-semibold break-words">{person.name}</h1>
      <p className="text-slate-700">
        Student · LMS id {person.externalId}
        {viewer.role === "teacher" ? " · in your classes" : ""}
        {rangeWords ? ` · ${rangeWords}` : ""}
      </p>

      <div className="flex flex-wrap items-end justify-between gap-3">
        <FilterForm action={self} label="Choose the dates" current={query}>
          <FilterInput name="from" label="From" type="date" value={range.from} />
          <FilterInput name="to" label="To" type="date" value={range.to} />
        </FilterForm>
        {data && data.rows.length > 0 ? <DownloadCsv personId={personId} query={query} /> : null}
      </div>

      {problem ? (
        <div role="alert" className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <p>{problem}</p>
          <Link href={self} className="mt-2 inline-block text-sm underline">
            Show every date
          </Link>
        </div>
      ) : null}

      {data && totals ? <StudentTotals totals={totals} averagePercentage={data.averagePercentage} /> : null}

      {points.length ? (
        <AttendanceChart
          points={points}
          caption={`Attendance in the last ${plural(points.length, "class")}${rangeWords ? ` ${rangeWords}` : ""}, oldest first (${points[0]!.day} to ${points.at(-1)!.day}): the share of each class attended, its result above the bar.`}
        />
      ) : null}

      {!data ? null : data.rows.length === 0 ? (
        <p
          className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700"
          data-testid="student-empty"
        >
          {rangeWords
            ? `No calculated classes ${rangeWords} for ${person.name}.`
            : `No calculated classes for ${person.name} yet.`}{" "}
          {rangeWords ? (
            <Link href={self} className="underline">
              Show every date
            </Link>
          ) : null}
        </p>
      ) : (
        <>
          <SessionRows rows={data.rows} timeZone={tz} />
          <CursorLinks
            label="More classes"
            href={query ? `${self}?${query}` : self}
            isLaterPage={after !== undefined}
            nextCursor={data.nextAfter}
            firstText="← Newest classes"
            nextText="Older classes →"
          />
        </>
      )}
    </div>
  );
}
