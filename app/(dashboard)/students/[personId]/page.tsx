import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { formatDate, formatTime } from "@/components/format.ts";
import { StatusBadge } from "@/components/status-badge.tsx";
import { getRequestViewer, requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope, type Viewer } from "@/lib/auth/viewer.ts";
import { getStudentAttendance } from "@/lib/dashboard/student-attendance.ts";
import { getPrisma } from "@/lib/db.ts";
import { AppError } from "@/lib/errors.ts";
import { formatDuration } from "@/lib/attendance/explain.ts";

/** The student's record as the viewer may see it, read once for the title and the page; null: not theirs. */
const findStudentAttendance = cache(async (personId: string, viewer: Viewer) => {
  try {
    return await getStudentAttendance(getPrisma(), { scope: sessionScope(viewer), personId });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
});

/** The tab names the student: "Aisha Rahman · Rollcall". */
export async function generateMetadata({ params }: { params: Promise<{ personId: string }> }): Promise<Metadata> {
  const { personId } = await params;
  const viewer = await getRequestViewer();
  const data = viewer ? await findStudentAttendance(personId, viewer) : null;
  return { title: data ? `${data.person.name} · Rollcall` : "Student · Rollcall" };
}

const STATUS_COLOUR: Record<string, string> = { present: "#059669", late: "#d97706", partial: "#0284c7", absent: "#e11d48", excused: "#7c3aed" };

/** Attendance percentage per session, oldest to newest, as a small bar chart with a text twin. */
function Trend({ trend, timeZone }: { trend: { at: string; percentage: number; status: string }[]; timeZone: string }) {
  if (trend.length === 0) return null;
  const width = 24 * trend.length;
  return (
    <figure className="mt-4">
      <svg role="img" aria-labelledby="trend-title" viewBox={`0 0 ${width} 64`} className="h-20 w-full max-w-xl" preserveAspectRatio="none">
        <title id="trend-title">{`Attendance over the last ${trend.length} sessions: ${trend.map((t) => `${Math.round(t.percentage)}% ${t.status}`).join(", ")}`}</title>
        {trend.map((point, i) => {
          const h = Math.max(2, (point.percentage / 100) * 60);
          return <rect key={point.at + i} x={i * 24 + 4} y={62 - h} width={16} height={h} rx={2} fill={STATUS_COLOUR[point.status] ?? "#64748b"} />;
        })}
      </svg>
      <figcaption className="text-xs text-slate-600">
        Last {trend.length} sessions, oldest first ({formatDate(trend[0]!.at, timeZone)} to {formatDate(trend.at(-1)!.at, timeZone)}); bar height is the share of the class attended.
      </figcaption>
    </figure>
  );
}

export default async function StudentPage({ params }: { params: Promise<{ personId: string }> }) {
  const { personId } = await params;
  const viewer = await requireViewer(`/students/${personId}`);
  const data = await findStudentAttendance(personId, viewer);
  if (!data) notFound();
  const tz = viewer.timezone;
  const { totals } = data;
  return (
    <div>
      <h1 className="text-2xl font-semibold">{data.person.name}</h1>
      <p className="text-slate-700">
        Student · LMS id {data.person.externalId}
        {viewer.role === "teacher" ? " · in your classes" : ""}
      </p>
      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {[
          ["Sessions", totals.sessions],
          ["Present", totals.present],
          ["Late", totals.late],
          ["Partial", totals.partial],
          ["Absent", totals.absent],
          ["Excused", totals.excused],
          ["Average attended", data.averagePercentage === null ? "—" : `${data.averagePercentage.toFixed(0)}%`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <Trend trend={data.trend} timeZone={tz} />
      {data.rows.length === 0 ? (
        <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">No calculated sessions yet.</p>
      ) : (
        <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Attendance per session, newest first</caption>
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Session</th>
                <th scope="col" className="px-3 py-2">When</th>
                <th scope="col" className="px-3 py-2">Result</th>
                <th scope="col" className="px-3 py-2 text-right">Attended</th>
                <th scope="col" className="px-3 py-2 text-right">%</th>
                <th scope="col" className="px-3 py-2 text-right">Late (min)</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.rows.map((row) => (
                <tr key={row.session.id}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    <Link href={`/sessions/${row.session.id}`} className="text-indigo-800 underline-offset-2 hover:underline">
                      {row.session.title}
                    </Link>
                  </th>
                  <td className="px-3 py-2">
                    {formatDate(row.session.scheduledStart, tz)} {formatTime(row.session.scheduledStart, tz)}
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={row.status} />
                    {row.overridden ? <span className="ml-1 text-xs text-slate-600">(calculated {row.calculatedStatus})</span> : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatDuration(row.attendedSeconds)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.percentage.toFixed(1)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.lateMinutes || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
