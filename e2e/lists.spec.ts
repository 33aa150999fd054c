import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parseCsvRows, signIn } from "./support/browser.ts";
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

// The lists and the words around them: the sessions list's filters (Clear, tabs, All teachers, a
// range), the navigation's search, a student's page (chart, range, export, the way back), the empty
// states, the forms' errors, the Copy button and the phone width. One academy of its own (UTC);
// November 2025's classes are calculated from hand-designed streams, so every expected result is
// worked out by hand: 60-minute classes, grace 15 min, absent under 10 %, partial at or under 50 %.
test.describe.configure({ mode: "serial" });

const SHOTS = "e2e/results";
const tag = Date.now().toString(36);
const khadija = { externalId: `t-khadija-${tag}`, name: "Ustadha Khadija", livekitIdentity: `khadija-${tag}` };
const daniel = { externalId: `t-daniel-${tag}`, name: "Mr Daniel Price", livekitIdentity: `daniel-${tag}` };
const student = (key: string, name: string) => ({
  externalId: `s-${key}-${tag}`,
  name,
  livekitIdentity: `${key}-${tag}`,
});
const aisha = student("aisha", "Aisha Rahman");
const omar = student("omar", "Omar Haddad");
const yusuf = student("yusuf", "Yusuf Karim");
const zaid = student("zaid", "Zaid Nasser");
const PEOPLE: Record<string, { name: string; livekitIdentity: string }> = { aisha, omar, yusuf, zaid, khadija, daniel };

/** November 2025 (UTC), each with who attended which minutes. Aisha: present, late, absent, partial. */
const CLASSES = [
  {
    key: "mulk",
    title: "Tajweed: Al-Mulk",
    start: "2025-11-03T17:00:00Z",
    teacher: khadija,
    students: [yusuf, aisha, omar],
    attended: { khadija: [-5, 61], aisha: [0, 60], omar: [0, 60] },
  },
  {
    key: "algebra",
    title: "Algebra: fractions",
    type: "academic",
    start: "2025-11-04T15:00:00Z",
    teacher: daniel,
    students: [zaid],
    attended: { daniel: [0, 60], zaid: [0, 60] },
  },
  // Aisha from +20: 40 of 60 minutes (66.7 %), after the grace: late.
  {
    key: "qalam",
    title: "Tajweed: Al-Qalam",
    start: "2025-11-05T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar],
    attended: { khadija: [0, 60], aisha: [20, 60] },
  },
  {
    key: "haqqah",
    title: "Tajweed: Al-Haqqah",
    start: "2025-11-10T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar],
    attended: { khadija: [0, 60], omar: [0, 60] },
  },
  // Aisha 0–30: 50.0 %, partial.
  {
    key: "fajr",
    title: "Tajweed: Al-Fajr",
    start: "2025-11-12T17:00:00Z",
    teacher: khadija,
    students: [aisha, omar],
    attended: { khadija: [0, 60], aisha: [0, 30] },
  },
] as const;

const DAY = 24 * 60 * MIN;
const todayUtc = new Date().toISOString().slice(0, 10);
const tomorrowUtc = new Date(Date.parse(`${todayUtc}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
/** describeDayRange says the year of a day outside this one. */
const year2025 = new Date().getUTCFullYear() === 2025 ? "" : " 2025";

let academy: Academy;
let admin: { email: string; password: string };
let teacher: { email: string; password: string };
const ids: Record<string, string> = {};
let aishaId = "";

const listOf = (page: Page) => page.getByRole("list", { name: "Sessions" });
const filters = (page: Page) => page.getByRole("form", { name: "Filter sessions" });

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-lists-${tag}`);
    admin = await createUser(db, academy, "admin", "Amina Admin");
    teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
  });
  for (const plan of CLASSES) {
    const start = Date.parse(plan.start);
    const created = await createClass(request, academy, {
      title: plan.title,
      type: "type" in plan ? plan.type : "quran",
      start,
      minutes: 60,
      teacher: plan.teacher,
      students: [...plan.students],
    });
    ids[plan.key] = created.id;
    for (const [key, [from, to]] of Object.entries(plan.attended) as [string, readonly [number, number]][]) {
      const who = participant(PEOPLE[key]!.livekitIdentity, PEOPLE[key]!.name, start + from * MIN);
      await join(request, created.room, who, start + from * MIN);
      await leave(request, created.room, who, start + to * MIN);
    }
    await recalculateAndWait(request, academy.key, created.id);
  }
  // Today's and tomorrow's classes (not calculated): one student each, so the list says "1 student".
  ids.today = (
    await createClass(request, academy, {
      title: "Today: Fiqh",
      start: Date.parse(`${todayUtc}T00:30:00Z`),
      minutes: 30,
      teacher: khadija,
      students: [aisha],
    })
  ).id;
  ids.tomorrow = (
    await createClass(request, academy, {
      title: "Tomorrow: Tafsir",
      start: Date.parse(`${tomorrowUtc}T12:00:00Z`),
      minutes: 60,
      teacher: khadija,
      students: [omar],
    })
  ).id;
  aishaId = await withDatabase(
    async (db) =>
      (await db.person.findFirstOrThrow({ where: { academyId: academy.id, externalId: aisha.externalId } })).id,
  );
});

test("Clear resets every field of the sessions filter, and the next Apply shows every class", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.goto("/sessions?view=all");
  const form = filters(page);
  await form.getByLabel("Type").selectOption("academic");
  await form.getByLabel("Teacher").selectOption({ label: daniel.name });
  await form.getByLabel("From").fill("2025-11-01");
  await form.getByLabel("To").fill("2025-11-30");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/type=academic/);
  await expect(listOf(page).getByRole("link")).toHaveText(["Algebra: fractions"]);

  await form.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/sessions\?view=all$/);
  await expect(form.getByLabel("Type")).toHaveValue("");
  await expect(form.getByLabel("Teacher")).toHaveValue("");
  await expect(form.getByLabel("From")).toHaveValue("");
  await expect(form.getByLabel("To")).toHaveValue("");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/view=all&type=&teacher=&from=&to=$/);
  // Every class of the academy, newest first.
  await expect(listOf(page).getByRole("link")).toHaveText([
    "Tomorrow: Tafsir",
    "Today: Fiqh",
    "Tajweed: Al-Fajr",
    "Tajweed: Al-Haqqah",
    "Tajweed: Al-Qalam",
    "Algebra: fractions",
    "Tajweed: Al-Mulk",
  ]);
  // One student is "1 student"; two are "2 students".
  await expect(listOf(page).getByRole("listitem").filter({ hasText: "Tomorrow: Tafsir" })).toContainText(
    "quran · Ustadha Khadija · 1 student",
  );
  await expect(listOf(page).getByRole("listitem").filter({ hasText: "Tomorrow: Tafsir" })).not.toContainText(
    /\b1 students\b/,
  );
  await expect(listOf(page).getByRole("listitem").filter({ hasText: "Tajweed: Al-Qalam" })).toContainText(
    "· 2 students",
  );
  await page.context().close();
});

test("'All teachers' shows every teacher's classes (an empty teacher is no filter)", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.goto(`/sessions?view=all&teacher=&from=2025-11-01&to=2025-11-30`);
  await expect(listOf(page).getByRole("link")).toHaveText([
    "Tajweed: Al-Fajr",
    "Tajweed: Al-Haqqah",
    "Tajweed: Al-Qalam",
    "Algebra: fractions",
    "Tajweed: Al-Mulk",
  ]);
  const form = filters(page);
  await form.getByLabel("Teacher").selectOption({ label: daniel.name });
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(listOf(page).getByRole("link")).toHaveText(["Algebra: fractions"]);
  await form.getByLabel("Teacher").selectOption({ label: "All teachers" });
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/teacher=&/);
  await expect(listOf(page).getByRole("link")).toHaveText([
    "Tajweed: Al-Fajr",
    "Tajweed: Al-Haqqah",
    "Tajweed: Al-Qalam",
    "Algebra: fractions",
    "Tajweed: Al-Mulk",
  ]);
  await page.context().close();
});

test("a date range on the sessions list; switching tabs drops it (Today shows today, not the chosen day)", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  const form = filters(page);
  const tabs = page.getByRole("navigation", { name: "Which sessions" });
  await tabs.getByRole("link", { name: "All" }).click();
  await expect(page).toHaveURL(/\/sessions\?view=all$/);
  await expect(tabs.getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
  await form.getByLabel("From").fill("2025-11-03");
  await form.getByLabel("To").fill("2025-11-05");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=2025-11-03&to=2025-11-05/);
  // Both ends included; Daniel's class of the 4th is not hers.
  await expect(listOf(page).getByRole("link")).toHaveText(["Tajweed: Al-Qalam", "Tajweed: Al-Mulk"]);

  await form.getByLabel("From").fill(tomorrowUtc);
  await form.getByLabel("To").fill(tomorrowUtc);
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(listOf(page).getByRole("link")).toHaveText(["Tomorrow: Tafsir"]);
  await tabs.getByRole("link", { name: "Today" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(tabs.getByRole("link", { name: "Today" })).toHaveAttribute("aria-current", "page");
  await expect(form.getByLabel("From")).toHaveValue("");
  await expect(listOf(page).getByRole("link")).toHaveText(["Today: Fiqh"]);
  await page.context().close();
});

test("empty states say what was asked for, and Clear filters shows the list again", async ({ browser }) => {
  const page = await signIn(browser, admin);
  const khadijaId = await withDatabase(
    async (db) =>
      (await db.person.findFirstOrThrow({ where: { academyId: academy.id, externalId: khadija.externalId } })).id,
  );
  await page.goto(`/sessions?view=ended&teacher=${khadijaId}&from=2025-12-03&to=2025-12-03`);
  const empty = page.getByTestId("sessions-empty");
  await expect(empty).toHaveText(`No ended classes on 3 Dec${year2025} for Ustadha Khadija. Clear filters`);
  await empty.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/sessions\?view=ended$/);
  await expect(listOf(page).getByRole("link", { name: "Tajweed: Al-Mulk" })).toBeVisible();

  await page.goto(`/sessions?view=live&type=interactive`);
  await expect(page.getByTestId("sessions-empty")).toHaveText("No live interactive classes. Clear filters");

  await page.goto(`/students/${aishaId}?from=2025-12-03&to=2025-12-03`);
  const studentEmpty = page.getByTestId("student-empty");
  await expect(studentEmpty).toHaveText(`No calculated classes on 3 Dec${year2025} for Aisha Rahman. Show every date`);
  await studentEmpty.getByRole("link", { name: "Show every date" }).click();
  await expect(page.getByRole("region", { name: "Attendance per session" })).toBeVisible();

  await page.goto("/admin/events?event=room_finished&room=nothing-like-this");
  await expect(
    page.getByText('No webhooks with event room_finished, room containing "nothing-like-this".'),
  ).toBeVisible();
  await page.context().close();
});

test("the navigation's search finds a student and a class the viewer may see, and opens them by keyboard", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  const search = page.getByRole("combobox", { name: "Search students and classes" });
  await search.focus();
  await page.keyboard.type("aisha");
  const results = page.getByRole("listbox", { name: "Students and classes found" });
  await expect(results.getByRole("option")).toHaveText([/^Aisha Rahman\s*student · LMS id s-aisha-/]);
  await page.keyboard.press("ArrowDown");
  await expect(results.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/students/${aishaId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Aisha Rahman");

  await search.focus();
  await page.keyboard.type("al-qalam");
  await expect(results.getByRole("option")).toHaveText([
    /^Tajweed: Al-Qalam\s*class · Wed, 5 Nov 2025 · Ustadha Khadija$/,
  ]);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/sessions/${ids.qalam}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tajweed: Al-Qalam");

  // Zaid is only in Daniel's class, and Daniel's classes are not hers.
  for (const text of ["zaid", "algebra"]) {
    await search.fill(text);
    await expect(page.getByRole("status").filter({ hasText: "No students or classes match" })).toHaveText(
      `No students or classes match “${text}”.`,
    );
    await expect(results.getByRole("option")).toHaveCount(0);
  }
  await page.keyboard.press("Escape");
  await expect(search).toHaveAttribute("aria-expanded", "false");
  await page.context().close();
});

test("a student's page: a chart with axes, dates and results, a range, the export, and the way back", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  await page.setViewportSize({ width: 1440, height: 900 });

  await test.step("from the register to the student, and back to the register with its filters", async () => {
    await page.goto("/register?from=2025-11-01&to=2025-11-30");
    await page
      .getByRole("region", { name: /^Register/ })
      .getByRole("rowheader", { name: "Aisha Rahman" })
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(new RegExp(`/students/${aishaId}$`));
    await expect(page.getByRole("link", { name: "Back to the register" })).toHaveAttribute(
      "href",
      "/register?from=2025-11-01&to=2025-11-30",
    );
  });

  await test.step("a link followed before the register had loaded (a full page load) still leads back to it", async () => {
    const register = new URL("/register?from=2025-10-01&to=2025-10-31", page.url()).toString();
    await page.goto(`/students/${aishaId}`, { referer: register });
    await expect(page.getByRole("link", { name: "Back to the register" })).toHaveAttribute(
      "href",
      "/register?from=2025-10-01&to=2025-10-31",
    );
    await page.goto("/register?from=2025-11-01&to=2025-11-30");
    await page
      .getByRole("region", { name: /^Register/ })
      .getByRole("rowheader", { name: "Aisha Rahman" })
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(new RegExp(`/students/${aishaId}$`));
  });

  const chart = page.getByTestId("attendance-chart");
  await test.step("the chart: dates on one axis, 0–100 % on the other, each bar's result above it, a legend with counts", async () => {
    await expect(page.getByRole("figure")).toContainText(
      "Attendance in the last 4 classes, oldest first (3 Nov to 12 Nov)",
    );
    await expect(chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value")).toHaveText([
      "3 Nov",
      "5 Nov",
      "10 Nov",
      "12 Nov",
    ]);
    await expect(chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")).toHaveText([
      "0%",
      "25%",
      "50%",
      "75%",
      "100%",
    ]);
    await expect(chart.locator(".recharts-label")).toHaveText(["Class date", "Attended (%)"]);
    await expect(chart.locator(".recharts-status-word")).toHaveText(["present", "late", "absent", "partial"]);
    await expect(chart.locator(".recharts-bar-rectangle path")).toHaveCount(4);
    await expect(page.getByRole("list", { name: "Results in the chart" }).getByRole("listitem")).toHaveText([
      "present: 1 class",
      "late: 1 class",
      "partial: 1 class",
      "absent: 1 class",
      "excused: 0 classes",
    ]);
    await chart.locator(".recharts-bar-rectangle").nth(1).hover();
    await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText("Tajweed: Al-Qalam");
    await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText("late · 66.7\u00a0% attended");
    await page.screenshot({ path: `${SHOTS}/student-1440.png`, fullPage: true });
  });

  await test.step("a range: the chart and the table keep its classes only", async () => {
    const form = page.getByRole("form", { name: "Choose the dates" });
    await form.getByLabel("From").fill("2025-11-04");
    await form.getByLabel("To").fill("2025-11-30");
    await form.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/from=2025-11-04&to=2025-11-30/);
    await expect(chart.locator(".recharts-status-word")).toHaveText(["late", "absent", "partial"]);
    await expect(page.getByRole("region", { name: "Attendance per session" }).getByRole("rowheader")).toHaveText([
      "Tajweed: Al-Fajr",
      "Tajweed: Al-Haqqah",
      "Tajweed: Al-Qalam",
    ]);
    // A filter on the same page is not a page to go back to.
    await expect(page.getByRole("link", { name: "Back to the register" })).toBeVisible();
  });

  await test.step("the export: the range's rows in time order, times in the academy's zone with the offset", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("aisha-rahman-2025-11-04-to-2025-11-30.csv");
    const rows = parseCsvRows(fs.readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
    expect(
      rows.map((row) => [
        row.session_title,
        row.scheduled_start,
        row.person_name,
        row.status,
        row.attended_seconds,
        row.percentage,
      ]),
    ).toEqual([
      ["Tajweed: Al-Qalam", "2025-11-05T17:00:00+00:00", "Aisha Rahman", "late", "2400", "66.7"],
      ["Tajweed: Al-Haqqah", "2025-11-10T17:00:00+00:00", "Aisha Rahman", "absent", "0", "0.0"],
      ["Tajweed: Al-Fajr", "2025-11-12T17:00:00+00:00", "Aisha Rahman", "partial", "1800", "50.0"],
    ]);
  });

  await test.step("a class's CSV is named after the class and its day, its rows by name", async () => {
    const response = await page.request.get(`/api/dashboard/sessions/${ids.mulk}/report.csv`);
    expect(response.headers()["content-disposition"]).toBe('attachment; filename="tajweed-al-mulk-2025-11-03.csv"');
    const rows = parseCsvRows((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows.map((row) => [row.person_name, row.role, row.status, row.first_join_at])).toEqual([
      ["Aisha Rahman", "student", "present", "2025-11-03T17:00:00+00:00"],
      ["Omar Haddad", "student", "present", "2025-11-03T17:00:00+00:00"],
      ["Ustadha Khadija", "teacher", "present", "2025-11-03T16:55:00+00:00"],
      ["Yusuf Karim", "student", "absent", ""],
    ]);
  });

  await test.step("opened on its own, the page leads back to the sessions list", async () => {
    const fresh = await signIn(browser, teacher);
    await fresh.goto(`/students/${aishaId}`);
    const back = fresh.getByRole("link", { name: "Back to sessions" });
    await expect(back).toHaveAttribute("href", "/sessions");
    await back.click();
    await expect(fresh).toHaveURL(/\/sessions$/);
    await fresh.context().close();
  });
  await page.context().close();
});

test("form errors name the field; a new API key can be copied", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.goto("/admin/policy");
  const grace = page.getByRole("group", { name: "Academy defaults" }).getByLabel("Grace period (minutes)");
  await grace.fill("300");
  await page.getByRole("group", { name: "quran sessions" }).getByLabel("Absent below (%)").fill("60");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(grace).toHaveAttribute("aria-invalid", "true");
  await expect(grace).toBeFocused();
  await expect(page.getByText("Grace period must be between 0 and 240 minutes", { exact: true })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText(
    "Not saved: 2 fields to correct.",
  );
  await expect(page.getByRole("alert").filter({ hasText: "Not saved" })).toContainText(
    "quran sessions: Partial at or below (50 %) must be at least Absent below (60 %)",
  );
  await page.reload();
  await expect(page.getByRole("group", { name: "Academy defaults" }).getByLabel("Grace period (minutes)")).toHaveValue(
    "15",
  );

  await page.goto("/admin/api-keys");
  const name = page.getByLabel("Name (what uses it)");
  await name.fill("   ");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name is required: say what uses the key, e.g. moodle")).toBeVisible();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await name.fill("moodle");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = page.getByTestId("new-api-key");
  await expect(key).toHaveText(/^rk_/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy the new key" }).click();
  await expect(page.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.textContent());
  await page.context().close();
});

test("the home page and sign-in speak to teachers and admins", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Rollcall" })).toBeVisible();
  await expect(page.getByText("Teachers", { exact: true })).toBeVisible();
  await expect(page.getByText("Admins", { exact: true })).toBeVisible();
  for (const jargon of ["/api/", "webhook", "npx", "rollcall user:create", "LiveKit"])
    await expect(page.locator("body")).not.toContainText(jargon);
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page.getByText("Ask your academy's administrator")).toBeVisible();
  for (const jargon of ["rollcall user:create", "operator"])
    await expect(page.locator("body")).not.toContainText(jargon);
});

test("at 390 px nothing scrolls sideways: sessions list, student page, admin pages, home", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.setViewportSize({ width: 390, height: 844 });
  const paths = [
    "/sessions?view=all",
    `/students/${aishaId}`,
    "/admin/events",
    "/admin/policy",
    "/admin/api-keys",
    "/admin/livekit",
  ];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    if (path.startsWith("/students/")) await expect(page.locator(".recharts-status-word")).toHaveCount(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
  await page.goto(`/students/${aishaId}`);
  await expect(page.locator(".recharts-status-word")).toHaveCount(4);
  await page.screenshot({ path: `${SHOTS}/student-390.png`, fullPage: true });
  await page.goto("/sessions?view=all");
  await page.screenshot({ path: `${SHOTS}/sessions-390.png`, fullPage: true });
  const anonymous = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const home = await anonymous.newPage();
  await home.goto("/");
  await expect(home.getByRole("heading", { name: "Rollcall" })).toBeVisible();
  expect(await home.evaluate(() => document.documentElement.scrollWidth), "/").toBeLessThanOrEqual(390);
  await anonymous.close();
  await page.context().close();
});
