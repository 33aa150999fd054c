import fs from "node:fs";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { parseCsv, signIn } from "./support/browser.ts";
import {
  createAcademy,
  createClass,
  createUser,
  join,
  leave,
  MIN,
  participant,
  recalculateAndWait,
  withDatabase,
  type Academy,
} from "./support/seed.ts";

// A teacher's October: four classes of hers and one of another teacher's, with streams designed by
// hand. Every expected figure is worked out by hand (60-minute classes, grace 15 min, absent under
// 10 %, present over 75 %; missed = absent + excused; rate = (present + late) ÷ (calculated − excused)).
const SHOTS = "e2e/results";
const khadija = { externalId: "t-khadija-register", name: "Ustadha Khadija", livekitIdentity: "khadija-register" };
const daniel = { externalId: "t-daniel-register", name: "Mr Daniel Price", livekitIdentity: "daniel-register" };
const student = (key: string, name: string) => ({
  externalId: `s-${key}-register`,
  name,
  livekitIdentity: `${key}-register`,
});
const aisha = student("aisha", "Aisha Rahman");
const omar = student("omar", "Omar Haddad");
const yusuf = student("yusuf", "Yusuf Karim");
const zaid = student("zaid", "Zaid Nasser");

/** Per class: its start (UTC, the academy's zone), and who attended which minutes. */
const CLASSES = [
  // Aisha and Yusuf the whole hour; Omar never.
  {
    key: "mulk",
    title: "Tajweed: Al-Mulk",
    start: "2025-10-06T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar, yusuf],
    attended: { aisha: [0, 60], yusuf: [0, 60] },
  },
  {
    key: "algebra",
    title: "Algebra: fractions",
    start: "2025-10-08T15:00:00Z",
    teacher: daniel,
    students: [aisha, zaid],
    attended: { aisha: [0, 60] },
  },
  // Aisha present; Omar absent, then excused; Yusuf absent.
  {
    key: "qalam",
    title: "Tajweed: Al-Qalam",
    start: "2025-10-13T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar, yusuf],
    attended: { aisha: [0, 60] },
  },
  {
    key: "haqqah",
    title: "Tajweed: Al-Haqqah",
    start: "2025-10-20T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar, yusuf],
    attended: { aisha: [0, 60], yusuf: [0, 60] },
  },
  // Aisha from +20 (40 min = 66.7 %, after the grace: late); Omar and Yusuf absent.
  {
    key: "fajr",
    title: "Tajweed: Al-Fajr",
    start: "2025-10-27T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar, yusuf],
    attended: { aisha: [20, 60] },
  },
] as const;
const PEOPLE = { aisha, omar, yusuf, zaid } as Record<string, { name: string; livekitIdentity: string }>;

// Khadija's register for October, by name: the cells in time order, then present, late, partial, absent, excused, missed, rate.
const ROWS = {
  "Aisha Rahman": ["present", "present", "present", "late", "3", "1", "0", "0", "0", "0", "100 % (4 of 4)"],
  "Omar Haddad": [
    "absent",
    "excused (doctor's letter)",
    "absent",
    "absent",
    "0",
    "0",
    "0",
    "3",
    "1",
    "4",
    "0 % (0 of 3)",
  ],
  "Yusuf Karim": ["present", "absent", "present", "absent", "2", "0", "0", "2", "0", "2", "50 % (2 of 4)"],
};

let academy: Academy;
let teacher: { email: string; password: string };
const ids: Record<string, string> = {};

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-register-${Date.now()}`);
    teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
  });
  for (const plan of CLASSES) {
    const start = Date.parse(plan.start);
    const created = await createClass(request, academy, {
      title: plan.title,
      start,
      minutes: 60,
      teacher: plan.teacher,
      students: [...plan.students],
    });
    ids[plan.key] = created.id;
    const host = participant(plan.teacher.livekitIdentity, plan.teacher.name, start - 5 * MIN);
    await join(request, created.room, host, start - 5 * MIN);
    for (const [key, [from, to]] of Object.entries(plan.attended) as [string, readonly [number, number]][]) {
      const who = participant(PEOPLE[key]!.livekitIdentity, PEOPLE[key]!.name, start + from * MIN);
      await join(request, created.room, who, start + from * MIN);
      await leave(request, created.room, who, start + to * MIN);
    }
    await leave(request, created.room, host, start + 61 * MIN);
    await recalculateAndWait(request, academy.key, created.id);
  }
  const excused = await request.put(
    `/api/v1/sessions/${ids.qalam}/reports/${encodeURIComponent(omar.livekitIdentity)}/override`,
    {
      headers: { authorization: `Bearer ${academy.key}` },
      data: { status: "excused", note: "doctor's letter" },
    },
  );
  expect(excused.status()).toBe(200);
});

test("a teacher finds who missed more than two classes in October and whether they were excused, exports CSV and XLSX, and prints", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const page = await signIn(browser, teacher);
  await page.setViewportSize({ width: 1440, height: 900 });

  await test.step("open the register from the navigation and choose October", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Register" }).click();
    await expect(page).toHaveURL(/\/register$/);
    await expect(page).toHaveTitle("Register · Rollcall");
    const filters = page.getByRole("form", { name: "Filter the register" });
    await filters.getByLabel("From").fill("2025-10-01");
    await filters.getByLabel("To").fill("2025-10-31");
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/\/register\?from=2025-10-01&to=2025-10-31/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Register · Ustadha Khadija · 2025-10-01 to 2025-10-31",
    );
  });

  const grid = page.getByRole("region", { name: "Register · Ustadha Khadija · 2025-10-01 to 2025-10-31" });
  const rowOf = (name: string) =>
    grid.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  const cellsOf = (name: string) => rowOf(name).getByRole("cell");

  await test.step("her four classes are the columns, in time order; every student's cells and totals are the hand-worked ones", async () => {
    const headers = grid.getByRole("columnheader");
    await expect(headers).toHaveText([
      "Student",
      /^Tajweed: Al-Mulk\s*Mon 6 Oct 17:00$/,
      /^Tajweed: Al-Qalam\s*Mon 13 Oct 17:00$/,
      /^Tajweed: Al-Haqqah\s*Mon 20 Oct 17:00$/,
      /^Tajweed: Al-Fajr\s*Mon 27 Oct 17:00$/,
      "present",
      "late",
      "partial",
      "absent",
      "excused",
      "missed",
      "Rate",
    ]);
    await expect(grid.getByText("Algebra: fractions")).toHaveCount(0);
    await expect(grid.getByRole("rowheader", { name: "Zaid Nasser" })).toHaveCount(0);
    await expect(grid.locator("tbody").getByRole("rowheader")).toHaveText(Object.keys(ROWS));
    for (const [name, expected] of Object.entries(ROWS)) {
      // Each cell's text starts with its status word; the excuse is written under it.
      const cells = cellsOf(name);
      await expect(cells).toHaveCount(expected.length);
      for (const [i, text] of expected.entries()) {
        if (i < 4) await expect(cells.nth(i)).toHaveAttribute("data-cell", text);
        else await expect(cells.nth(i)).toHaveText(text);
      }
    }
    await page.screenshot({ path: `${SHOTS}/register-1440.png`, fullPage: true });
  });

  await test.step("who missed more than two: Omar alone, once excused (a doctor's letter)", async () => {
    await page.getByRole("link", { name: "Who missed more than two classes?" }).click();
    await expect(page).toHaveURL(/sort=missed&missedOver=2/);
    await expect(page.getByLabel("Missed more than")).toHaveValue("2");
    await expect(page.getByTestId("register-summary")).toHaveText(
      "1 of 3 students (missed more than 2) · 4 classes, 4 calculated",
    );
    await expect(grid.locator("tbody").getByRole("rowheader")).toHaveText(["Omar Haddad"]);
    const cells = cellsOf("Omar Haddad");
    await expect(cells.nth(1)).toHaveText(
      /^excused: Omar Haddad, Tajweed: Al-Qalam, Mon 13 Oct\s*\(calculated absent\)\s*doctor's letter$/,
    );
    await expect(cells.nth(9)).toHaveText("4");
    await expect(cells.nth(10)).toHaveText("0 % (0 of 3)");
  });

  await test.step("download the CSV: named after the filter and range, Omar's row as on the page", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("register-ustadha-khadija-2025-10-01-to-2025-10-31.csv");
    const records = parseCsv(fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
    expect(records[0]).toEqual([
      "Student",
      "LMS id",
      "2025-10-06T17:00+00:00 Tajweed: Al-Mulk",
      "2025-10-13T17:00+00:00 Tajweed: Al-Qalam",
      "2025-10-20T17:00+00:00 Tajweed: Al-Haqqah",
      "2025-10-27T17:00+00:00 Tajweed: Al-Fajr",
      "Present",
      "Late",
      "Partial",
      "Absent",
      "Excused",
      "Missed",
      "Rate %",
      "Attendance rate",
      "Change by hand: 2025-10-06T17:00+00:00 Tajweed: Al-Mulk",
      "Change by hand: 2025-10-13T17:00+00:00 Tajweed: Al-Qalam",
      "Change by hand: 2025-10-20T17:00+00:00 Tajweed: Al-Haqqah",
      "Change by hand: 2025-10-27T17:00+00:00 Tajweed: Al-Fajr",
    ]);
    const [cells, totals] = [ROWS["Omar Haddad"].slice(0, 4), ROWS["Omar Haddad"].slice(4)];
    expect(records[1]).toEqual([
      "Omar Haddad",
      omar.externalId,
      ...cells,
      ...totals.slice(0, -1),
      "0",
      totals.at(-1),
      // His excuse in Al-Qalam, set through the LMS's key today: the calculated value and who, when.
      "",
      expect.stringMatching(
        /^excused, calculated absent; set by API key ".+" on \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d:\d\d$/,
      ),
      "",
      "",
    ]);
    expect(records.slice(2).map((row) => row[0])).toEqual([
      "Class total: present",
      "Class total: late",
      "Class total: partial",
      "Class total: absent",
      "Class total: excused",
      "Class state",
      "Teacher",
      "Session id",
      "Report",
    ]);
    expect(records[6]!.slice(2, 6)).toEqual(["0", "1", "0", "0"]);
  });

  await test.step("download the XLSX: the same cells, the header frozen, each session linking to its report", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download XLSX" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("register-ustadha-khadija-2025-10-01-to-2025-10-31.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    const sheet = workbook.getWorksheet("Register")!;
    expect(sheet.views[0]).toMatchObject({ state: "frozen", xSplit: 2, ySplit: 1 });
    const omarRow = sheet.getRow(2);
    expect([1, 3, 4, 5, 6, 10, 11, 12, 13, 14].map((column) => omarRow.getCell(column).value)).toEqual([
      "Omar Haddad",
      "absent",
      "excused (doctor's letter)",
      "absent",
      "absent",
      3,
      1,
      4,
      0,
      "0 % (0 of 3)",
    ]);
    expect(sheet.getRow(1).getCell(4).value).toMatchObject({
      text: "2025-10-13T17:00+00:00 Tajweed: Al-Qalam",
      hyperlink: expect.stringMatching(new RegExp(`/sessions/${ids.qalam}$`)),
    });
  });

  await test.step("print: no navigation, filters or buttons; the table and its header stay", async () => {
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Apply" })).toBeHidden();
    await expect(page.getByRole("link", { name: "Download CSV" })).toBeHidden();
    await expect(page.getByRole("link", { name: "Download XLSX" })).toBeHidden();
    await expect(grid.getByRole("columnheader", { name: "Student" })).toBeVisible();
    await expect(rowOf("Omar Haddad")).toBeVisible();
    // Every column on the page: the table is no wider than the printed page's content.
    const [tableWidth, pageWidth] = await grid
      .locator("table")
      .evaluate((table) => [table.getBoundingClientRect().right, document.documentElement.clientWidth]);
    expect(tableWidth).toBeLessThanOrEqual(pageWidth);
    // What the print dialog would produce (A4 landscape from the page's @page rule), kept for review.
    await page.pdf({ path: `${SHOTS}/register-print.pdf`, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: "screen" });
    await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
  });

  await test.step("each cell links to its report", async () => {
    await cellsOf("Omar Haddad").nth(1).getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${ids.qalam}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tajweed: Al-Qalam");
  });

  await test.step("at 390 px the page does not scroll sideways: the grid scrolls in its own region, names stay in view", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/register?from=2025-10-01&to=2025-10-31");
    await expect(grid).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const overflow = await grid.evaluate((region) => region.scrollWidth - region.clientWidth);
    expect(overflow).toBeGreaterThan(0);
    await grid.focus();
    await expect(grid).toBeFocused();
    const name = grid.getByRole("rowheader", { name: "Yusuf Karim" });
    const before = (await name.boundingBox())!.x;
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => grid.evaluate((region) => region.scrollLeft)).toBeGreaterThan(0);
    expect((await name.boundingBox())!.x).toBe(before);
    await page.screenshot({ path: `${SHOTS}/register-390.png`, fullPage: true });
  });
  await page.context().close();
});
