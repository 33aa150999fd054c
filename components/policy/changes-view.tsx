import Link from "next/link";
import { figuresInWords, type ChangesSummary, type ReportFigures } from "@/lib/calculation/report-changes.ts";
import { formatDate, formatTime } from "@/lib/time/format.ts";
import { plural } from "@/lib/words.ts";
import { ScrollTable } from "../scroll-table.tsx";

/** The changed rows shown at most; the counts above always cover them all. */
export const MAX_ROWS_SHOWN = 200;

const COLUMNS = [{ label: "Class" }, { label: "Date" }, { label: "Person" }, { label: "Before" }, { label: "After" }];
const CELL = "px-3 py-2 align-top";

const figures = (row: ReportFigures | null) => (row ? figuresInWords(row) : "no report");

/** The first `max` changed rows, class by class. */
function firstRows(sessionsChanged: ChangesSummary["sessionsChanged"], max: number) {
  const shown: ChangesSummary["sessionsChanged"] = [];
  let budget = max;
  for (const session of sessionsChanged) {
    if (budget <= 0) break;
    const changes = session.changes.slice(0, budget);
    budget -= changes.length;
    shown.push({ ...session, changes });
  }
  return shown;
}

/** Every changed row, class by class: the class (linking to its page) and its date once, then each person before → after. */
function ChangedRows({ summary, timeZone, label }: { summary: ChangesSummary; timeZone: string; label: string }) {
  const sessions = firstRows(summary.sessionsChanged, MAX_ROWS_SHOWN);
  return (
    <>
      <ScrollTable label={label} caption={`${label}: before → after, class by class`} columns={COLUMNS}>
        {sessions.flatMap((session) =>
          session.changes.map((change, index) => (
            <tr
              key={`${session.sessionId} ${change.identity}`}
              data-testid={`change-${session.sessionId}-${change.identity}`}
            >
              {index === 0 ? (
                <>
                  <th scope="row" rowSpan={session.changes.length} className={`${CELL} text-left font-medium`}>
                    <Link
                      href={`/sessions/${encodeURIComponent(session.sessionId)}`}
                      className="text-indigo-800 underline"
                    >
                      {session.title}
                    </Link>
                  </th>
                  <td rowSpan={session.changes.length} className={`${CELL} whitespace-nowrap`}>
                    {formatDate(session.scheduledStart, timeZone)}, {formatTime(session.scheduledStart, timeZone)}
                  </td>
                </>
              ) : null}
              <td className={CELL}>
                {change.name ?? change.identity}
                {change.role === "student" ? "" : ` (${change.role})`}
              </td>
              <td className={CELL}>{figures(change.before)}</td>
              <td className={CELL}>{figures(change.after)}</td>
            </tr>
          )),
        )}
      </ScrollTable>
      {summary.changedRows > MAX_ROWS_SHOWN ? (
        <p className="mt-1 text-sm text-slate-700">
          The first {MAX_ROWS_SHOWN} of {plural(summary.changedRows, "changed row")} are shown.
        </p>
      ) : null}
    </>
  );
}

/**
 * What recalculating classes does (a preview) or did (a recorded recalculation): the counts, the
 * status changes, and every changed row by class. `label` names the table ("Changes in the preview").
 */
export function ChangesView({
  summary,
  timeZone,
  label,
  testId,
}: {
  summary: ChangesSummary;
  timeZone: string;
  label: string;
  testId: string;
}) {
  return (
    <div className="space-y-2" data-testid={testId}>
      <p className="font-medium" data-testid={`${testId}-words`}>
        {summary.words}
      </p>
      <p className="text-sm text-slate-700">
        {plural(summary.sessions, "calculated class", "calculated classes")} compared;{" "}
        {plural(summary.changedSessions, "class", "classes")} with {plural(summary.changedRows, "changed row")}.
      </p>
      {summary.transitions.length ? (
        <ul className="list-disc pl-5 text-sm" aria-label={`${label}: status changes`}>
          {summary.transitions.map((transition) => (
            <li key={`${transition.from} ${transition.to}`}>
              {transition.from ?? "no report"} → {transition.to ?? "no report"}:{" "}
              {plural(transition.students, "student")} in {plural(transition.classes, "class", "classes")}
            </li>
          ))}
        </ul>
      ) : null}
      {summary.sessionsChanged.length ? <ChangedRows summary={summary} timeZone={timeZone} label={label} /> : null}
    </div>
  );
}
