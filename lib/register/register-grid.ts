// The register's pure part: from the sessions of a range, their rosters and their reports to the
// students × sessions grid with its totals. No database and no clock, so every figure is tested
// as a table (register-grid.test.ts); lib/register/register.ts reads the rows it is given.
import type { SessionState } from "../attendance/index.ts";
import { emptyStatusCounts, type ResultStatus, type StatusCounts } from "../reports/result-status.ts";
import { effectiveStatus } from "../reports/report-view.ts";
import { fileSlug } from "../reports/file-names.ts";
import { formatDateTime } from "../time/format.ts";
import { compareText } from "../words.ts";

export type { ResultStatus };
/** A session's state in the register: cancelled sessions are left out before they get here. */
export type RegisterState = Exclude<SessionState, "cancelled">;

export interface RegisterSessionInput {
  id: string;
  title: string;
  type: string;
  scheduledStart: Date;
  scheduledEnd: Date;
  teacher: { id: string; name: string } | null;
  state: RegisterState;
}

export interface RegisterStudent {
  id: string;
  name: string;
  externalId: string;
}

export interface RegisterRosterInput {
  sessionId: string;
  student: RegisterStudent;
}

/** A student's report of a calculated session: the calculated status and the override beside it. */
export interface RegisterReportInput {
  sessionId: string;
  student: RegisterStudent;
  status: Exclude<ResultStatus, "excused">;
  overrideStatus: ResultStatus | null;
  overrideNote: string | null;
  /** The last override set or removed on the report (loadLastOverrideChanges), by its author's name. */
  lastChange?: RegisterLastChange | null;
}

/** Who last set or removed an override of a cell's report, and when (an ISO instant). */
export interface RegisterLastChange {
  action: "set" | "remove";
  by: string | null;
  at: string;
}

export type RegisterCell =
  /** A calculated session: the result that counts, and the override's note (the excuse) if any. */
  | {
      kind: "result";
      status: ResultStatus;
      calculatedStatus: ResultStatus;
      overridden: boolean;
      note: string | null;
      /** The last override set or removed, if any: the cell's title and the XLSX's note say it. */
      lastChange: RegisterLastChange | null;
    }
  /** On the roster of a session that is not calculated (yet): its state instead of a result. */
  | { kind: "state"; state: Exclude<RegisterState, "calculated"> }
  /** Not on that session's roster. */
  | { kind: "none" };

export interface AttendanceRate {
  /** Present or late. */
  attended: number;
  /** Calculated sessions with a result for the student, less the excused ones. */
  counted: number;
  /** attended ÷ counted as a whole percentage, rounded half up; null when nothing counts. */
  percent: number | null;
}

export interface RegisterTotals extends StatusCounts {
  /** Classes missed: absent or excused. */
  missed: number;
  rate: AttendanceRate;
}

export interface RegisterColumn {
  id: string;
  title: string;
  type: string;
  scheduledStart: string;
  scheduledEnd: string;
  teacher: { id: string; name: string } | null;
  state: RegisterState;
  /** The class's students' results (every student of the class, whatever the row filter); null until calculated. */
  counts: StatusCounts | null;
}

export interface RegisterRow {
  student: RegisterStudent;
  /** One per column, in the columns' order. */
  cells: RegisterCell[];
  totals: RegisterTotals;
}

export const REGISTER_SORTS = ["name", "missed"] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];

/**
 * The attendance rate: (present + late) ÷ (calculated sessions with a result − excused), as a whole
 * percentage rounded half up in integer arithmetic (2 of 3 is 67 %, 1 of 8 is 13 %). Partial and
 * absent count against it; an excused class counts neither way. Nothing to count: no rate.
 */
export function attendanceRate(counts: StatusCounts): AttendanceRate {
  const attended = counts.present + counts.late;
  const counted = counts.present + counts.late + counts.partial + counts.absent;
  return { attended, counted, percent: counted === 0 ? null : Math.floor((200 * attended + counted) / (2 * counted)) };
}

/** "80 % (4 of 5)", or "—" when no calculated class counts. */
export function formatRate(rate: AttendanceRate): string {
  return rate.percent === null ? "—" : `${rate.percent} % (${rate.attended} of ${rate.counted})`;
}

/**
 * A class series: one teacher's sessions of one course, the course being the title up to its first
 * colon ("Tajweed: Surah Al-Mulk" and "Tajweed: Surah Al-Qalam" are the course "Tajweed"), or the
 * whole title when it has none. Sessions carry no course of their own; the LMS names them this way.
 */
export function courseOf(title: string): string {
  const head = title.split(":", 1)[0]!.trim();
  return head || title.trim();
}

/** A series as the `series` filter writes it: the teacher's id (empty for none), "|", the course. */
export function seriesKey(session: { title: string; teacher: { id: string } | null }): string {
  return `${session.teacher?.id ?? ""}|${courseOf(session.title)}`;
}

/** The series among some sessions, by course then teacher, for the series filter. */
export function listSeries(
  sessions: readonly Pick<RegisterSessionInput, "title" | "teacher">[],
): { key: string; label: string }[] {
  const found = new Map<string, { key: string; course: string; teacher: string }>();
  for (const session of sessions) {
    const key = seriesKey(session);
    if (!found.has(key))
      found.set(key, { key, course: courseOf(session.title), teacher: session.teacher?.name ?? "no teacher" });
  }
  return [...found.values()]
    .sort((a, b) => compareText(a.course, b.course) || compareText(a.teacher, b.teacher) || compareText(a.key, b.key))
    .map(({ key, course, teacher }) => ({ key, label: `${course} · ${teacher}` }));
}

/** Students by name, ties by id. */
export const compareStudents = (a: RegisterStudent, b: RegisterStudent) =>
  compareText(a.name, b.name) || compareText(a.id, b.id);

/**
 * The grid: columns are the sessions in time order (ties by id), rows every student on a roster or
 * with a report among them, by name (ties by id). A calculated session's cell is the student's
 * result (override, else calculated status); an uncalculated one's is its state.
 */
export function buildRegister({
  sessions,
  roster,
  reports,
}: {
  sessions: readonly RegisterSessionInput[];
  roster: readonly RegisterRosterInput[];
  reports: readonly RegisterReportInput[];
}): { columns: RegisterColumn[]; rows: RegisterRow[] } {
  const ordered = [...sessions].sort(
    (a, b) => a.scheduledStart.getTime() - b.scheduledStart.getTime() || compareText(a.id, b.id),
  );
  const columnIndex = new Map(ordered.map((session, i) => [session.id, i]));
  const students = new Map<string, RegisterStudent>();
  const enrolled = new Set<string>();
  for (const entry of roster) {
    if (!columnIndex.has(entry.sessionId)) continue;
    students.set(entry.student.id, entry.student);
    enrolled.add(`${entry.sessionId}|${entry.student.id}`);
  }
  const results = new Map<string, RegisterReportInput>();
  for (const report of reports) {
    const session = ordered[columnIndex.get(report.sessionId) ?? -1];
    // Reports of a session that is not calculated now are stale (decision 12): not shown.
    if (session?.state !== "calculated") continue;
    students.set(report.student.id, report.student);
    results.set(`${report.sessionId}|${report.student.id}`, report);
  }
  const counts = ordered.map((session) => (session.state === "calculated" ? emptyStatusCounts() : null));
  const rows = [...students.values()].sort(compareStudents).map((student): RegisterRow => {
    const tally = emptyStatusCounts();
    const cells = ordered.map((session, i): RegisterCell => {
      const key = `${session.id}|${student.id}`;
      const report = results.get(key);
      if (report) {
        const status = effectiveStatus(report);
        tally[status] += 1;
        counts[i]![status] += 1;
        return {
          kind: "result",
          status,
          calculatedStatus: report.status,
          overridden: report.overrideStatus !== null,
          note: report.overrideNote,
          lastChange: report.lastChange ?? null,
        };
      }
      if (enrolled.has(key) && session.state !== "calculated") return { kind: "state", state: session.state };
      return { kind: "none" };
    });
    return { student, cells, totals: { ...tally, missed: tally.absent + tally.excused, rate: attendanceRate(tally) } };
  });
  const columns = ordered.map((session, i): RegisterColumn => ({
    id: session.id,
    title: session.title,
    type: session.type,
    scheduledStart: session.scheduledStart.toISOString(),
    scheduledEnd: session.scheduledEnd.toISOString(),
    teacher: session.teacher,
    state: session.state,
    counts: counts[i]!,
  }));
  return { columns, rows };
}

/**
 * The rows to show: those who missed more than `missedOver` classes (all when unset), by name, or
 * with `sort: "missed"` the most missed first (ties by name, then id).
 */
export function arrangeRows(
  rows: readonly RegisterRow[],
  { sort, missedOver }: { sort: RegisterSort; missedOver?: number },
): RegisterRow[] {
  const kept = missedOver === undefined ? [...rows] : rows.filter((row) => row.totals.missed > missedOver);
  return kept.sort(
    (a, b) => (sort === "missed" ? b.totals.missed - a.totals.missed : 0) || compareStudents(a.student, b.student),
  );
}

const STATE_WORDS: Record<Exclude<RegisterState, "calculated">, string> = {
  scheduled: "scheduled",
  live: "live",
  ended: "ended, awaiting calculation",
};

/** A state as the register writes it. */
export const stateWord = (state: Exclude<RegisterState, "calculated">) => STATE_WORDS[state];

/**
 * A cell as the exports write it: the status, with the override's note in brackets ("excused
 * (doctor's letter)"); a state in words; nothing where the student is not on the class's roster.
 */
export function cellText(cell: RegisterCell): string {
  if (cell.kind === "none") return "";
  if (cell.kind === "state") return stateWord(cell.state);
  return cell.note ? `${cell.status} (${cell.note})` : cell.status;
}

/**
 * What lies behind a result cell whose override was ever set or removed, in the academy's zone:
 * "excused, calculated absent; set by Ustadha Khadija (teacher) on 3 Dec, 10:04:05". The grid's
 * title and the XLSX's cell note; null for a cell nobody changed.
 */
export function cellChangeText(cell: RegisterCell, timeZone: string): string | null {
  if (cell.kind !== "result" || !cell.lastChange) return null;
  const { action, by, at } = cell.lastChange;
  const verb = action === "set" ? "set" : "override removed";
  return `${cell.status}, calculated ${cell.calculatedStatus}; ${verb} by ${by ?? "someone unknown"} on ${formatDateTime(at, timeZone)}`;
}

/**
 * An export's file name after its filters and range: "register-2026-11-01-to-2026-11-30.csv",
 * "register-quran-ustadha-khadija-tajweed-2026-11-01-to-2026-11-30.xlsx". Names are reduced to
 * ASCII letters and digits (a name with none is left out).
 */
export function registerFileName(
  {
    from,
    to,
    type,
    teacherName,
    course,
  }: { from: string; to: string; type?: string; teacherName?: string; course?: string },
  extension: "csv" | "xlsx",
): string {
  const parts = ["register", fileSlug(type), fileSlug(teacherName), fileSlug(course), from, "to", to].filter(Boolean);
  return `${parts.join("-")}.${extension}`;
}
