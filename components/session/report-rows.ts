import { RESULT_STATUSES, type ResultStatus } from "@/lib/reports/result-status.ts";
import type { ReportRow } from "./use-session-data.ts";

// Which of the report's rows to show, and in what order: a view of the rows as the report read
// gave them, never a figure of its own.

export const SORTS = {
  name: "Name (teacher first)",
  result: "Result",
  "attendance-desc": "Attendance, highest first",
  "attendance-asc": "Attendance, lowest first",
  late: "Lateness, latest first",
} as const;
export type SortKey = keyof typeof SORTS;

export interface ReportSelection {
  status: ResultStatus | "all";
  search: string;
  sort: SortKey;
}

export const DEFAULT_SELECTION: ReportSelection = { status: "all", search: "", sort: "name" };

/** Case and accents ignored: "aisha" finds "Aïsha". */
const fold = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .trim();
const nameOf = (row: ReportRow) => row.person?.name ?? row.identity;

export function selectRows(rows: readonly ReportRow[], selection: ReportSelection): ReportRow[] {
  const search = fold(selection.search);
  const shown = rows.filter(
    (row) =>
      (selection.status === "all" || row.effectiveStatus === selection.status) &&
      (!search ||
        [nameOf(row), row.identity, row.person?.externalId ?? ""].some((text) => fold(text).includes(search))),
  );
  const byName = (a: ReportRow, b: ReportRow) => nameOf(a).localeCompare(nameOf(b));
  // The read's own order (teacher first, then by name) is the "name" order.
  if (selection.sort === "name") return shown;
  const compare: Record<Exclude<SortKey, "name">, (a: ReportRow, b: ReportRow) => number> = {
    result: (a, b) => RESULT_STATUSES.indexOf(a.effectiveStatus) - RESULT_STATUSES.indexOf(b.effectiveStatus),
    "attendance-desc": (a, b) => b.percentage - a.percentage,
    "attendance-asc": (a, b) => a.percentage - b.percentage,
    late: (a, b) => b.lateMinutes - a.lateMinutes,
  };
  return [...shown].sort((a, b) => compare[selection.sort as Exclude<SortKey, "name">](a, b) || byName(a, b));
}
