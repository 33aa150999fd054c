"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { formatDateTime, formatTime } from "../format.ts";
import { StatusBadge } from "../status-badge.tsx";
import { OverrideForm } from "./override-form.tsx";
import type { ReportRow } from "./use-session-data.ts";
import { formatDuration } from "@/lib/attendance/explain.ts";

/** The per-person report: result, minutes, percentage, times, lateness, why, and the override. */
export function ReportTable({ sessionId, rows, timeZone }: { sessionId: string; rows: ReportRow[]; timeZone: string }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Attendance report, one row per person</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">Person</th>
            <th scope="col" className="px-3 py-2">Result</th>
            <th scope="col" className="px-3 py-2 text-right">Attended</th>
            <th scope="col" className="px-3 py-2 text-right">%</th>
            <th scope="col" className="px-3 py-2">First join</th>
            <th scope="col" className="px-3 py-2">Last leave</th>
            <th scope="col" className="px-3 py-2 text-right">Late (min)</th>
            <th scope="col" className="px-3 py-2">Why</th>
            <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const name = row.person?.name ?? row.identity;
            return (
              <Fragment key={row.identity}>
                <tr data-testid={`report-row-${row.identity}`}>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {row.role === "student" && row.person ? (
                      <Link href={`/students/${row.person.id}`} className="text-indigo-800 underline-offset-2 hover:underline">
                        {name}
                      </Link>
                    ) : (
                      name
                    )}
                    {row.role !== "student" ? <span className="ml-1 text-xs font-normal text-slate-500">({row.role})</span> : null}
                  </th>
                  <td className="px-3 py-2">
                    <StatusBadge status={row.effectiveStatus} />
                    {row.override ? (
                      <div className="mt-1 text-xs text-slate-600">
                        calculated {row.status}; set by {row.override.by} at {formatDateTime(row.override.at, timeZone)}
                        {row.override.note ? <> — “{row.override.note}”</> : null}
                      </div>
                    ) : null}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{formatDuration(row.attendedSeconds)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.percentage.toFixed(1)}</td>
                  <td className="px-3 py-2 tabular-nums">{formatTime(row.firstJoinAt, timeZone)}</td>
                  <td className="px-3 py-2 tabular-nums">{formatTime(row.lastLeaveAt, timeZone)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{row.isLate ? row.lateMinutes : "—"}</td>
                  <td className="max-w-xs px-3 py-2 text-slate-700">{row.explanation}</td>
                  <td className="px-3 py-2">
                    {row.role === "student" ? (
                      <button
                        type="button"
                        onClick={() => setEditing(editing === row.identity ? null : row.identity)}
                        aria-expanded={editing === row.identity}
                        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50"
                      >
                        {row.override ? "Change" : "Excuse"}
                        <span className="sr-only"> {name}</span>
                      </button>
                    ) : null}
                  </td>
                </tr>
                {editing === row.identity ? (
                  <tr>
                    <td colSpan={9} className="px-3 pb-3">
                      <OverrideForm sessionId={sessionId} row={row} onDone={() => setEditing(null)} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
