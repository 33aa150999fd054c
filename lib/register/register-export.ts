// The register's CSV and XLSX: one table (registerTable) written two ways, so both files hold the
// same cells as each other and as the page (the CSV carries the XLSX's cell notes as columns).
import ExcelJS from "exceljs";
import { csvCell } from "../reports/export-csv.ts";
import { arrangeRows, cellChangeText, cellText, formatRate, stateWord, type ResultStatus } from "./register-grid.ts";
import type { Register } from "./register.ts";
import { zonedIsoMinute } from "../time/zoned-time.ts";

const STATUSES: readonly ResultStatus[] = ["present", "late", "partial", "absent", "excused"];
const TOTAL_COLUMNS = [
  "Present",
  "Late",
  "Partial",
  "Absent",
  "Excused",
  "Missed",
  "Rate %",
  "Attendance rate",
] as const;
const capitalised = (word: string) => word[0]!.toUpperCase() + word.slice(1);

export interface RegisterTable {
  header: string[];
  /** One per student, by name (ties by id). */
  students: (string | number)[][];
  /** Per session: the class's counts of each status, its state, teacher, id and report link. */
  footer: (string | number)[][];
  /** The report page of each session column, for links. */
  reportUrls: string[];
  /** Per student row, per session: the cell's last override change (cellChangeText), else null. */
  changes: (string | null)[][];
}

/**
 * The register as rows of cells: a header (student, LMS id, one column per session — its start in
 * the academy's zone with the offset, then its title — and the totals), a row per student, and the
 * class totals below. `origin` makes the report links absolute.
 */
export function registerTable(
  register: Register,
  { timeZone, origin }: { timeZone: string; origin: string },
): RegisterTable {
  const blanks = (n: number) => Array<string>(n).fill("");
  const header = [
    "Student",
    "LMS id",
    ...register.columns.map((column) => `${zonedIsoMinute(new Date(column.scheduledStart), timeZone)} ${column.title}`),
    ...TOTAL_COLUMNS,
  ];
  const arranged = arrangeRows(register.rows, { sort: "name" });
  const changes = arranged.map((row) => row.cells.map((cell) => cellChangeText(cell, timeZone)));
  const students = arranged.map((row) => {
    const t = row.totals;
    return [
      row.student.name,
      row.student.externalId,
      ...row.cells.map(cellText),
      t.present,
      t.late,
      t.partial,
      t.absent,
      t.excused,
      t.missed,
      t.rate.percent ?? "",
      formatRate(t.rate),
    ];
  });
  const reportUrls = register.columns.map((column) => `${origin}/sessions/${column.id}`);
  const footerRow = (label: string, values: (string | number)[]) => [
    label,
    "",
    ...values,
    ...blanks(TOTAL_COLUMNS.length),
  ];
  const footer = [
    ...STATUSES.map((status) =>
      footerRow(
        `Class total: ${status}`,
        register.columns.map((column) => column.counts?.[status] ?? ""),
      ),
    ),
    footerRow(
      "Class state",
      register.columns.map((column) => (column.state === "calculated" ? "calculated" : stateWord(column.state))),
    ),
    footerRow(
      "Teacher",
      register.columns.map((column) => column.teacher?.name ?? ""),
    ),
    footerRow(
      "Session id",
      register.columns.map((column) => column.id),
    ),
    footerRow("Report", reportUrls),
  ];
  return { header, students, footer, reportUrls, changes };
}

/**
 * The register as CSV (RFC 4180, formula-safe cells, CRLF). A CSV has no cell notes, so what the
 * XLSX's notes and the page's titles say (the calculated value and the last change by hand) follows
 * the totals as one "Change by hand: <class>" column per class, in the classes' order; appended
 * rather than interleaved, so every column a reader already knows keeps its place.
 */
export function registerCsv(table: RegisterTable): string {
  const classHeaders = table.header.slice(2, 2 + table.reportUrls.length);
  const rows = [
    [...table.header, ...classHeaders.map((header) => `Change by hand: ${header}`)],
    ...table.students.map((row, r) => [...row, ...classHeaders.map((_, i) => table.changes[r]?.[i] ?? "")]),
    ...table.footer.map((row) => [...row, ...classHeaders.map(() => "")]),
  ];
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

const FILLS: Partial<Record<string, string>> = {
  present: "FFD1FAE5",
  late: "FFFEF3C7",
  partial: "FFE0F2FE",
  absent: "FFFFE4E6",
  excused: "FFEDE9FE",
};

/**
 * The register as an XLSX workbook: the same cells as the CSV, with the header row and the
 * students' names frozen, each session's header linking to its report, status words in the cells
 * (tinted, never colour alone), numbers as numbers; a cell whose override was set or removed carries
 * a note with the calculated value and who changed it, when.
 */
export async function registerXlsx(table: RegisterTable, { title }: { title: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Rollcall";
  const sheet = workbook.addWorksheet("Register", {
    views: [{ state: "frozen", xSplit: 2, ySplit: 1 }],
    properties: { defaultRowHeight: 16 },
  });
  sheet.pageSetup = {
    orientation: "landscape",
    paperSize: 9,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: "1:1",
  };
  sheet.headerFooter = { oddHeader: title };
  sheet.addRow(table.header);
  const firstSession = 3;
  const sessionCount = table.reportUrls.length;
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: "top" };
  header.height = 48;
  table.reportUrls.forEach((url, i) => {
    const cell = header.getCell(firstSession + i);
    cell.value = { text: String(cell.value), hyperlink: url, tooltip: "Open the report" };
    cell.font = { bold: true, color: { argb: "FF3730A3" }, underline: true };
  });
  table.students.forEach((row, r) => {
    const added = sheet.addRow(row);
    for (let i = 0; i < sessionCount; i++) {
      const cell = added.getCell(firstSession + i);
      const fill = FILLS[String(cell.value ?? "").split(" ")[0]!];
      if (fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: fill } };
      // The calculated value and the last change by hand, as the grid's title says them.
      const change = table.changes[r]?.[i];
      if (change) cell.note = change;
    }
  });
  for (const row of table.footer) sheet.addRow(row).font = { italic: true };
  sheet.getColumn(1).width = 28;
  sheet.getColumn(2).width = 14;
  for (let i = 0; i < sessionCount; i++) sheet.getColumn(firstSession + i).width = 18;
  for (let i = 0; i < TOTAL_COLUMNS.length; i++)
    sheet.getColumn(firstSession + sessionCount + i).width = i === TOTAL_COLUMNS.length - 1 ? 18 : 9;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The heading a register's files and page share: "Register · Tajweed · Ustadha Khadija · 2026-11-01 to 2026-11-30". */
export function registerTitle(register: Register): string {
  return [
    "Register",
    register.course,
    register.teacherName,
    register.filter.type ? capitalised(register.filter.type) : null,
    `${register.range.from} to ${register.range.to}`,
  ]
    .filter(Boolean)
    .join(" · ");
}
