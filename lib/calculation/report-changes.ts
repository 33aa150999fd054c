import { ROLE_ORDER, type AttendanceStatus, type ReportRole } from "../attendance/index.ts";

/** Why a calculation ran, as the calculation table records it; "policy" is an admin applying a newer policy version to past classes. */
export type CalculationTrigger = "scheduled" | "sweep" | "manual" | "cli" | "policy";

/**
 * Why a calculation ran, in words, as the session page's history and `rollcall attendance:history`
 * both say it: "from the command line", "policy version 3 applied to past classes".
 */
export function calculationReason(calculation: { trigger: CalculationTrigger; policyVersion: number }): string {
  switch (calculation.trigger) {
    case "scheduled":
      return "scheduled, after the class";
    case "sweep":
      return "by the background sweep";
    case "manual":
      return "at a teacher's or the API's request";
    case "cli":
      return "from the command line";
    case "policy":
      return `policy version ${calculation.policyVersion} applied to past classes`;
  }
}

/** The calculated figures of one report that a change is judged by (never its override). */
export interface ReportFigures {
  status: AttendanceStatus;
  attendedSeconds: number;
  percentage: number;
  isLate: boolean;
  lateMinutes: number;
}

/** One report row as compared: who, and its calculated figures. */
export interface ComparedRow extends ReportFigures {
  identity: string;
  /** The roster person's name; null for a guest (shown by identity). */
  name: string | null;
  role: ReportRole;
}

/** A row whose calculated figures differ between two calculations; before or after null for a row that appeared or went. */
export interface RowChange {
  identity: string;
  name: string | null;
  role: ReportRole;
  before: ReportFigures | null;
  after: ReportFigures | null;
}

const figures = (row: ComparedRow): ReportFigures => ({
  status: row.status,
  attendedSeconds: row.attendedSeconds,
  percentage: row.percentage,
  isLate: row.isLate,
  lateMinutes: row.lateMinutes,
});

const sameFigures = (a: ReportFigures, b: ReportFigures) =>
  a.status === b.status &&
  a.attendedSeconds === b.attendedSeconds &&
  a.percentage === b.percentage &&
  a.isLate === b.isLate &&
  a.lateMinutes === b.lateMinutes;

/**
 * The rows whose calculated figures differ from one calculation of a session to the next (or that
 * one of them lacks), teacher first, then students and guests, each by name. The one comparison
 * behind a recalculation's record and a policy's preview, so the preview says what the
 * recalculation then records.
 */
export function reportChanges(before: readonly ComparedRow[], after: readonly ComparedRow[]): RowChange[] {
  const old = new Map(before.map((row) => [row.identity, row]));
  const changes: RowChange[] = [];
  for (const row of after) {
    const previous = old.get(row.identity);
    old.delete(row.identity);
    if (previous && sameFigures(figures(previous), figures(row))) continue;
    changes.push({
      identity: row.identity,
      name: row.name ?? previous?.name ?? null,
      role: row.role,
      before: previous ? figures(previous) : null,
      after: figures(row),
    });
  }
  for (const row of old.values())
    changes.push({ identity: row.identity, name: row.name, role: row.role, before: figures(row), after: null });
  return changes.sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.name ?? a.identity).localeCompare(b.name ?? b.identity),
  );
}

/** A row's figures in a few words: "late (20 min late), 66.7 %". */
export function figuresInWords(row: ReportFigures): string {
  const late = row.isLate ? ` (${row.lateMinutes} min late)` : "";
  return `${row.status}${late}, ${row.percentage.toFixed(1)} %`;
}

/** One change in words: "Sara Ahmed absent, 5.0 % → partial, 40.0 %". */
export function changeInWords(change: RowChange): string {
  const who = change.name ?? change.identity;
  if (!change.before) return `${who} added: ${figuresInWords(change.after!)}`;
  if (!change.after) return `${who} removed (was ${figuresInWords(change.before)})`;
  return `${who} ${figuresInWords(change.before)} → ${figuresInWords(change.after)}`;
}

/**
 * What a recalculation changed, in one line: "2 rows changed: Sara Ahmed absent, 5.0 % → partial,
 * 40.0 %; ...", "Nothing changed.", or, for a session's first calculation (no earlier one to
 * compare with), "First calculation.".
 */
export function describeChanges(changes: readonly RowChange[] | null): string {
  if (changes === null) return "First calculation.";
  if (!changes.length) return "Nothing changed.";
  const rows = `${changes.length} row${changes.length === 1 ? "" : "s"} changed`;
  return `${rows}: ${changes.map(changeInWords).join("; ")}.`;
}

/** One session's changed rows, as a policy preview or an application lists them. */
export interface SessionChanges {
  sessionId: string;
  title: string;
  scheduledStart: string;
  changes: RowChange[];
}

/** How many students went from one status to another, in how many classes; null is "no report". */
export interface StatusTransition {
  from: AttendanceStatus | null;
  to: AttendanceStatus | null;
  students: number;
  classes: number;
}

/** The effect of a policy over many classes: counted, grouped by status change, and listed. */
export interface ChangesSummary {
  /** The calculated classes compared. */
  sessions: number;
  /** Those with at least one changed row. */
  changedSessions: number;
  changedRows: number;
  /** The students whose status changes, by from → to (most first); figure-only changes are not among them. */
  transitions: StatusTransition[];
  /** "12 students in 5 classes: present → late; 2 rows change figures only" or "No report changes." */
  words: string;
  /** Every changed row, class by class (by start), each with its session. */
  sessionsChanged: SessionChanges[];
}

/**
 * The summary of many sessions' changes (policy preview, a recorded application). A student whose
 * status changes in two classes counts in each class and once among the students of a transition.
 */
export function summarizeChanges(compared: number, perSession: readonly SessionChanges[]): ChangesSummary {
  const changed = perSession
    .filter((each) => each.changes.length)
    .sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart) || a.sessionId.localeCompare(b.sessionId));
  const groups = new Map<
    string,
    { from: AttendanceStatus | null; to: AttendanceStatus | null; students: Set<string>; classes: Set<string> }
  >();
  let figuresOnly = 0;
  let otherRows = 0;
  for (const session of changed)
    for (const change of session.changes) {
      const from = change.before?.status ?? null;
      const to = change.after?.status ?? null;
      if (change.role !== "student") otherRows += 1;
      else if (from === to) figuresOnly += 1;
      else {
        const key = `${from} ${to}`;
        const group = groups.get(key) ?? { from, to, students: new Set<string>(), classes: new Set<string>() };
        group.students.add(change.identity);
        group.classes.add(session.sessionId);
        groups.set(key, group);
      }
    }
  const transitions = [...groups.values()]
    .map(({ from, to, students, classes }) => ({ from, to, students: students.size, classes: classes.size }))
    .sort(
      (a, b) =>
        b.students - a.students || b.classes - a.classes || `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`),
    );
  return {
    sessions: compared,
    changedSessions: changed.length,
    changedRows: changed.reduce((sum, each) => sum + each.changes.length, 0),
    transitions,
    words: summaryWords(transitions, figuresOnly, otherRows),
    sessionsChanged: changed,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function summaryWords(transitions: StatusTransition[], figuresOnly: number, otherRows: number): string {
  const parts = transitions.map(
    (t) =>
      `${plural(t.students, "student", "students")} in ${plural(t.classes, "class", "classes")}: ${t.from ?? "no report"} → ${t.to ?? "no report"}`,
  );
  if (figuresOnly) parts.push(`${plural(figuresOnly, "student row changes", "student rows change")} figures only`);
  if (otherRows) parts.push(`${plural(otherRows, "teacher or guest row changes", "teacher or guest rows change")}`);
  return parts.length ? `${parts.join("; ")}.` : "No report changes.";
}
