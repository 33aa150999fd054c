import Link from "next/link";
import { formatTime } from "@/lib/time/format.ts";
import { StatusBadge } from "@/components/status-badge.tsx";
import { RESULT_STATUSES } from "@/lib/reports/result-status.ts";
import {
  cellChangeText,
  cellText,
  formatRate,
  stateWord,
  type RegisterCell,
  type RegisterColumn,
  type RegisterRow,
  type ResultStatus,
} from "@/lib/register/register-grid.ts";

const STATUSES: readonly ResultStatus[] = RESULT_STATUSES;
const TOTALS = [...STATUSES, "missed"] as const;

const shortDate = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short" }).format(
    new Date(iso),
  );

// Sticky student names: the grid scrolls sideways inside its region, the names stay in view. The
// region is positioned so that the screen-reader-only text of cells scrolled out of view is inside
// it (and clipped by it), not placed against the page, which would widen the page.
const STICKY = "sticky left-0 z-10 print:static";
const CELL = "border-b border-slate-200 px-2 py-1.5 align-top print:px-0.5 print:py-0.5";

function Cell({
  cell,
  column,
  student,
  timeZone,
}: {
  cell: RegisterCell;
  column: RegisterColumn;
  student: string;
  timeZone: string;
}) {
  // Each cell names its student and class for screen readers, so "absent" is never read alone.
  const context = (
    <span className="sr-only">{`: ${student}, ${column.title}, ${shortDate(column.scheduledStart, timeZone)}`}</span>
  );
  if (cell.kind === "none") {
    return (
      <td className={`${CELL} text-center text-slate-500`} data-cell="">
        <span aria-hidden>·</span>
        <span className="sr-only">not on this class&apos;s roster</span>
      </td>
    );
  }
  if (cell.kind === "state") {
    return (
      <td className={CELL} data-cell={cellText(cell)}>
        <Link href={`/sessions/${column.id}`} className="text-xs text-slate-700 underline-offset-2 hover:underline">
          {stateWord(cell.state)}
          {context}
        </Link>
      </td>
    );
  }
  return (
    <td className={CELL} data-cell={cellText(cell)} title={cellChangeText(cell, timeZone) ?? undefined}>
      <Link
        href={`/sessions/${column.id}`}
        className="rounded-full focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700"
      >
        <StatusBadge status={cell.status} className="print:px-0 print:text-[6.5pt] print:ring-0" />
        {context}
      </Link>
      {cell.overridden && cell.status !== cell.calculatedStatus ? (
        <span className="block text-[11px] text-slate-600 print:text-[6pt]">(calculated {cell.calculatedStatus})</span>
      ) : null}
      {cell.note ? (
        <span
          className="mt-0.5 block max-w-[10rem] break-words text-[11px] italic text-slate-700 print:max-w-none print:text-[6pt]"
          title={cell.note}
        >
          {cell.note}
        </span>
      ) : null}
    </td>
  );
}

/** A column per class (linked, dated, its state until calculated), then the student's totals and rate. */
function RegisterHead({ columns, timeZone }: { columns: RegisterColumn[]; timeZone: string }) {
  return (
    <thead className="bg-slate-50 text-left text-xs text-slate-700 print:text-[6.5pt]">
      <tr>
        <th scope="col" className={`${STICKY} ${CELL} min-w-[9rem] bg-slate-50 print:w-[11%] print:min-w-0`}>
          Student
        </th>
        {columns.map((column) => (
          <th
            key={column.id}
            scope="col"
            className={`${CELL} min-w-[7.5rem] font-normal print:min-w-0 print:break-words`}
            data-column={column.id}
          >
            <Link
              href={`/sessions/${column.id}`}
              className="block font-semibold text-indigo-800 underline-offset-2 hover:underline"
            >
              {column.title}
            </Link>
            <span className="block whitespace-nowrap print:whitespace-normal">
              {shortDate(column.scheduledStart, timeZone)} {formatTime(column.scheduledStart, timeZone)}
            </span>
            {column.state === "calculated" ? null : (
              <StatusBadge status={column.state} className="mt-0.5 print:px-0 print:ring-0" />
            )}
          </th>
        ))}
        {TOTALS.map((total) => (
          <th key={total} scope="col" className={`${CELL} text-right capitalize print:w-[4.5%]`}>
            {total}
          </th>
        ))}
        <th scope="col" className={`${CELL} text-right print:w-[8%]`}>
          Rate
        </th>
      </tr>
    </thead>
  );
}

/** One student: a cell per class, the totals, the rate. */
function StudentRow({ row, columns, timeZone }: { row: RegisterRow; columns: RegisterColumn[]; timeZone: string }) {
  return (
    <tr data-register-row={row.student.id}>
      <th scope="row" className={`${STICKY} ${CELL} bg-white text-left font-medium print:break-words`}>
        <Link href={`/students/${row.student.id}`} className="text-indigo-800 underline-offset-2 hover:underline">
          {row.student.name}
        </Link>
      </th>
      {row.cells.map((cell, i) => (
        <Cell key={columns[i]!.id} cell={cell} column={columns[i]!} student={row.student.name} timeZone={timeZone} />
      ))}
      {TOTALS.map((total) => (
        <td
          key={total}
          className={`${CELL} text-right tabular-nums ${total === "missed" && row.totals.missed > 0 ? "font-semibold" : ""}`}
          data-total={total}
        >
          {row.totals[total]}
        </td>
      ))}
      <td className={`${CELL} whitespace-nowrap text-right tabular-nums print:whitespace-normal`} data-total="rate">
        {formatRate(row.totals.rate)}
      </td>
    </tr>
  );
}

/** Each class's count of each result, or its state while it has none. */
function ClassTotals({ columns }: { columns: RegisterColumn[] }) {
  return (
    <tfoot className="bg-slate-50 text-xs text-slate-700 print:text-[6.5pt]">
      {STATUSES.map((status) => (
        <tr key={status} data-class-total={status}>
          <th scope="row" className={`${STICKY} ${CELL} bg-slate-50 text-left font-medium`}>
            Class total: {status}
          </th>
          {columns.map((column) => (
            <td
              key={column.id}
              className={`${CELL} tabular-nums`}
              data-count={column.counts ? String(column.counts[status]) : ""}
            >
              {column.counts ? (
                column.counts[status]
              ) : (
                <span className="text-slate-500">
                  {status === "present" ? stateWord(column.state as Exclude<typeof column.state, "calculated">) : "—"}
                </span>
              )}
            </td>
          ))}
          <td colSpan={TOTALS.length + 1} className={CELL} />
        </tr>
      ))}
    </tfoot>
  );
}

/**
 * The register grid: a real table (row and column headers, a caption) inside a focusable, labelled
 * region that scrolls sideways on its own, so the page never does; every cell links to its report.
 */
export function RegisterTable({
  caption,
  columns,
  rows,
  timeZone,
}: {
  caption: string;
  columns: RegisterColumn[];
  rows: RegisterRow[];
  timeZone: string;
}) {
  return (
    <div
      role="region"
      aria-labelledby="register-caption"
      tabIndex={0}
      className="relative mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-700 print:overflow-visible print:rounded-none print:border-0"
    >
      <table className="min-w-full border-separate border-spacing-0 text-sm print:w-full print:table-fixed print:text-[6.5pt] print:leading-tight">
        {/* The page's heading says the same on paper. */}
        <caption id="register-caption" className="px-3 py-2 text-left text-sm font-medium text-slate-800 print:hidden">
          {caption}
        </caption>
        <RegisterHead columns={columns} timeZone={timeZone} />
        <tbody>
          {rows.map((row) => (
            <StudentRow key={row.student.id} row={row} columns={columns} timeZone={timeZone} />
          ))}
        </tbody>
        <ClassTotals columns={columns} />
      </table>
    </div>
  );
}
