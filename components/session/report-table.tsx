"use client";

import Link from "next/link";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { formatDuration } from "@/lib/attendance/explain.ts";
import { describeOverrideEvent } from "@/lib/reports/override-event-words.ts";
import { RESULT_STATUSES } from "@/lib/reports/result-status.ts";
import { formatDateTime, formatTime } from "../../lib/time/format.ts";
import { StatusBadge } from "../status-badge.tsx";
import { useMediaQuery } from "../../client/use-media-query.ts";
import { OverrideForm } from "./override-form.tsx";
import { RowProvenance } from "./row-provenance.tsx";
import { DEFAULT_SELECTION, selectRows, SORTS, type ReportSelection, type SortKey } from "./report-rows.ts";
import type { ReportRow } from "./use-session-data.ts";

// At this width and above the report is a table; below it, a list of cards that never scrolls sideways.
const WIDE = "(min-width: 48rem)";

const nameOf = (row: ReportRow) => row.person?.name ?? row.identity;

function PersonName({ row }: { row: ReportRow }) {
  return (
    <>
      {row.role === "student" && row.person ? (
        <Link href={`/students/${row.person.id}`} className="text-indigo-800 underline-offset-2 hover:underline">
          {nameOf(row)}
        </Link>
      ) : (
        nameOf(row)
      )}
      {row.role !== "student" ? <span className="ml-1 text-xs font-normal text-slate-700">({row.role})</span> : null}
    </>
  );
}

/** Who set the override, when, and why: a line of its own, so it never widens a column. */
function OverrideLine({ row, timeZone }: { row: ReportRow; timeZone: string }) {
  if (!row.override) return null;
  return (
    <span className="block text-xs text-slate-700">
      calculated {row.status}; set by {row.override.by} at {formatDateTime(row.override.at, timeZone)}
      {row.override.note ? <> — “{row.override.note}”</> : null}
    </span>
  );
}

/**
 * Every override, removal and recalculation under an override, oldest first: a disclosure under
 * the current value, so a school can answer "who changed this mark, and when".
 */
function OverrideHistory({ row, timeZone }: { row: ReportRow; timeZone: string }) {
  if (row.overrideHistory.length === 0) return null;
  return (
    <details data-testid={`override-history-${row.identity}`} className="mt-1 text-xs text-slate-700">
      <summary className="cursor-pointer text-indigo-800">
        History of changes ({row.overrideHistory.length})<span className="sr-only"> for {nameOf(row)}</span>
      </summary>
      <ol className="mt-1 list-decimal space-y-0.5 pl-5">
        {row.overrideHistory.map((event, i) => (
          <li key={i}>{describeOverrideEvent(event, timeZone)}</li>
        ))}
      </ol>
    </details>
  );
}

interface RowProps {
  row: ReportRow;
  timeZone: string;
  isEditing: boolean;
  onEdit: () => void;
  buttonRef: (element: HTMLButtonElement | null) => void;
  form: ReactNode;
}

function EditButton({
  row,
  isEditing,
  onEdit,
  buttonRef,
}: Pick<RowProps, "row" | "isEditing" | "onEdit" | "buttonRef">) {
  // A teacher's own row is the academy's to judge (the server says so to anyone else who tries).
  if (row.role !== "student") return null;
  return (
    <button
      ref={buttonRef}
      type="button"
      onClick={onEdit}
      aria-expanded={isEditing}
      className="whitespace-nowrap rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium hover:bg-slate-50"
    >
      {row.override ? "Change" : "Excuse"}
      <span className="sr-only"> {nameOf(row)}</span>
    </button>
  );
}

const COLUMNS = 8;

function TableRow({ row, timeZone, isEditing, onEdit, buttonRef, form }: RowProps) {
  return (
    // One body per person: the figures on the first line, why (and the override) on the second.
    <tbody data-testid={`report-row-${row.identity}`} className="border-t border-slate-200">
      <tr>
        <th scope="row" className="px-3 pt-2 text-left font-medium">
          <PersonName row={row} />
        </th>
        <td className="px-3 pt-2">
          <StatusBadge status={row.effectiveStatus} />
        </td>
        <td className="whitespace-nowrap px-3 pt-2 text-right tabular-nums">{formatDuration(row.attendedSeconds)}</td>
        <td className="px-3 pt-2 text-right tabular-nums">{row.percentage.toFixed(1)}</td>
        <td className="px-3 pt-2 tabular-nums">{formatTime(row.firstJoinAt, timeZone)}</td>
        <td className="px-3 pt-2 tabular-nums">{formatTime(row.lastLeaveAt, timeZone)}</td>
        <td className="px-3 pt-2 text-right tabular-nums">{row.isLate ? row.lateMinutes : "—"}</td>
        <td className="px-3 pt-2 text-right">
          <EditButton row={row} isEditing={isEditing} onEdit={onEdit} buttonRef={buttonRef} />
        </td>
      </tr>
      <tr>
        <td colSpan={COLUMNS} className="px-3 pb-2 pt-0.5 text-xs text-slate-700">
          <span className="sr-only">Why: </span>
          {row.explanation}
          <OverrideLine row={row} timeZone={timeZone} />
          <OverrideHistory row={row} timeZone={timeZone} />
          <RowProvenance row={row} timeZone={timeZone} />
        </td>
      </tr>
      {isEditing ? (
        <tr>
          <td colSpan={COLUMNS} className="px-3 pb-3">
            {form}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

function Card({ row, timeZone, isEditing, onEdit, buttonRef, form }: RowProps) {
  const term = "text-xs text-slate-700";
  return (
    <li data-testid={`report-card-${row.identity}`} className="rounded-lg border border-slate-200 bg-white p-3">
      <p className="font-medium">
        <PersonName row={row} />
      </p>
      <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
        <div>
          <dt className={term}>Result</dt>
          <dd>
            <StatusBadge status={row.effectiveStatus} />
          </dd>
        </div>
        <div>
          <dt className={term}>Attended</dt>
          <dd className="tabular-nums">
            {formatDuration(row.attendedSeconds)} · {row.percentage.toFixed(1)} %
          </dd>
        </div>
        <div>
          <dt className={term}>Joined – left</dt>
          <dd className="tabular-nums">
            {formatTime(row.firstJoinAt, timeZone)}–{formatTime(row.lastLeaveAt, timeZone)}
          </dd>
        </div>
        <div>
          <dt className={term}>Late</dt>
          <dd className="tabular-nums">{row.isLate ? `${row.lateMinutes} min` : "—"}</dd>
        </div>
        <div className="col-span-2">
          <dt className={term}>Excuse</dt>
          <dd className="flex flex-wrap items-center justify-between gap-2">
            <span className="min-w-0 break-words">
              {row.override ? (
                <OverrideLine row={row} timeZone={timeZone} />
              ) : (
                <span className="text-slate-700">none</span>
              )}
            </span>
            <EditButton row={row} isEditing={isEditing} onEdit={onEdit} buttonRef={buttonRef} />
          </dd>
          {row.overrideHistory.length ? (
            <dd>
              <OverrideHistory row={row} timeZone={timeZone} />
            </dd>
          ) : null}
        </div>
        <div className="col-span-2">
          <dt className={term}>Why</dt>
          <dd className="break-words text-xs text-slate-800">
            {row.explanation}
            <RowProvenance row={row} timeZone={timeZone} />
          </dd>
        </div>
      </dl>
      {isEditing ? form : null}
    </li>
  );
}

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

/** Search, result and sort: what the report shows, changed as the viewer types or picks. */
function ReportFilters({
  selection,
  onChange,
}: {
  selection: ReportSelection;
  onChange: (selection: ReportSelection) => void;
}) {
  return (
    <form
      role="search"
      aria-label="Filter the report"
      onSubmit={(event) => event.preventDefault()}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-3"
    >
      <div>
        <label htmlFor="report-search" className="text-xs font-medium text-slate-800">
          Search a student
        </label>
        <input
          id="report-search"
          type="search"
          value={selection.search}
          onChange={(event) => onChange({ ...selection, search: event.target.value })}
          placeholder="Name or LMS id"
          className={FIELD}
        />
      </div>
      <div>
        <label htmlFor="report-status" className="text-xs font-medium text-slate-800">
          Result
        </label>
        <select
          id="report-status"
          value={selection.status}
          onChange={(event) => onChange({ ...selection, status: event.target.value as ReportSelection["status"] })}
          className={FIELD}
        >
          <option value="all">All results</option>
          {RESULT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="report-sort" className="text-xs font-medium text-slate-800">
          Sort by
        </label>
        <select
          id="report-sort"
          value={selection.sort}
          onChange={(event) => onChange({ ...selection, sort: event.target.value as SortKey })}
          className={FIELD}
        >
          {Object.entries(SORTS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

function WideTable({ shown, rowProps }: { shown: ReportRow[]; rowProps: (row: ReportRow) => RowProps }) {
  return (
    <div
      role="region"
      aria-label="Attendance report (scrolls sideways)"
      tabIndex={0}
      className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700"
    >
      <table className="min-w-full text-sm">
        <caption className="sr-only">Attendance report, one row per person, with why on the line under it</caption>
        <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2">
              Person
            </th>
            <th scope="col" className="px-3 py-2">
              Result
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Attended
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              %
            </th>
            <th scope="col" className="px-3 py-2">
              First join
            </th>
            <th scope="col" className="px-3 py-2">
              Last leave
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Late (min)
            </th>
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Excuse</span>
            </th>
          </tr>
        </thead>
        {shown.map((row) => (
          <TableRow key={row.identity} {...rowProps(row)} />
        ))}
      </table>
    </div>
  );
}

/**
 * Which row's excuse editor is open, and focus given back to the button that opened it once it
 * closes (or to the count, when the change filtered the person out).
 */
function useExcuseEditing(
  sessionId: string,
  timeZone: string,
  resultsRef: React.RefObject<HTMLParagraphElement | null>,
) {
  const [editing, setEditing] = useState<string | null>(null);
  // Whose button gets focus back once the editor has closed (after the render that closes it).
  const returnFocusTo = useRef<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    if (returnFocusTo.current === null) return;
    (buttons.current.get(returnFocusTo.current) ?? resultsRef.current)?.focus();
    returnFocusTo.current = null;
  });
  return (row: ReportRow): RowProps => ({
    row,
    timeZone,
    isEditing: editing === row.identity,
    onEdit: () => setEditing(editing === row.identity ? null : row.identity),
    buttonRef: (element) => {
      if (element) buttons.current.set(row.identity, element);
      else buttons.current.delete(row.identity);
    },
    form: (
      <OverrideForm
        sessionId={sessionId}
        row={row}
        onDone={() => {
          returnFocusTo.current = row.identity;
          setEditing(null);
        }}
      />
    ),
  });
}

/**
 * The per-person report: filter by result, search, sort; a table on a wide screen and cards on a
 * phone. The excuse editor opens under its person and gives focus back to the button that opened it.
 */
export function ReportTable({ sessionId, rows, timeZone }: { sessionId: string; rows: ReportRow[]; timeZone: string }) {
  const isWide = useMediaQuery(WIDE);
  const [selection, setSelection] = useState<ReportSelection>(DEFAULT_SELECTION);
  const resultsRef = useRef<HTMLParagraphElement>(null);
  const rowProps = useExcuseEditing(sessionId, timeZone, resultsRef);
  const shown = selectRows(rows, selection);
  const isFiltered = selection.status !== "all" || selection.search.trim() !== "";

  return (
    <div>
      <ReportFilters selection={selection} onChange={setSelection} />
      <p
        ref={resultsRef}
        tabIndex={-1}
        role="status"
        className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700"
        data-testid="report-shown"
      >
        {isFiltered
          ? `Showing ${shown.length} of ${rows.length} people.`
          : `${rows.length} ${rows.length === 1 ? "person" : "people"}.`}
        {isFiltered ? (
          <button
            type="button"
            onClick={() => setSelection({ ...DEFAULT_SELECTION, sort: selection.sort })}
            className="font-medium text-indigo-800 underline"
          >
            Clear filters
          </button>
        ) : null}
      </p>
      {shown.length === 0 ? (
        <p className="mt-2 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          Nobody{selection.status === "all" ? "" : ` ${selection.status}`}
          {selection.search.trim() ? ` matches “${selection.search.trim()}”` : ""}.
        </p>
      ) : isWide ? (
        <WideTable shown={shown} rowProps={rowProps} />
      ) : (
        <ul aria-label="Attendance report" className="mt-2 space-y-3">
          {shown.map((row) => (
            <Card key={row.identity} {...rowProps(row)} />
          ))}
        </ul>
      )}
    </div>
  );
}
