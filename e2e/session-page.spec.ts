import fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { roomFinished } from "../lib/simulation/webhook-payloads.ts";
import type { RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { EXCUSE_NOTE_REQUIRED } from "../lib/reports/result-status.ts";
import { signIn } from "./support/browser.ts";
import { lowContrastTexts } from "./support/contrast.ts";
import {
  createAcademy,
  createClass,
  createUser,
  deliver,
  eventId,
  join,
  leave,
  MIN,
  participant,
  recalculateAndWait,
  withDatabase,
  type Academy,
} from "./support/seed.ts";

// The session page as a teacher uses it: an ended class opens on its result, the report is sorted,
// filtered and searched, works at phone width and by keyboard, the timeline says each person's
// status and takes focus, failures say what happened with a Retry, an upcoming class raises no
// alarm. Every figure is worked out by hand from docs/ATTENDANCE_RULES.md (quran: grace 15 min,
// absent under 10 %, partial at or under 50 %, present over 75 %), never read from another view.
test.describe.configure({ mode: "serial" });

const SHOTS = "e2e/results";
const khadija = { externalId: "t-khadija-page", name: "Ustadha Khadija", livekitIdentity: "khadija" };
const student = (key: string, name: string) => ({ externalId: `s-${key}-page`, name, livekitIdentity: key });
const aisha = student("aisha", "Aisha Rahman");
const bilal = student("bilal", "Bilal Aziz");
const hana = student("hana", "Hana Saleh");
const omar = student("omar", "Omar Haddad");
const yusuf = student("yusuf", "Yusuf Karim");
const zainab = student("zainab", "Zainab Nouri");
const PEOPLE = { khadija, aisha, bilal, hana, omar, yusuf, zainab } as Record<
  string,
  { name: string; livekitIdentity: string }
>;

/** Connections in minutes from the class start: [join, leave]; null: still in the room. */
type Stream = Record<string, [number, number | null][]>;

// 17:00–18:00 UTC on Monday 3 November 2025 (the academy's zone is UTC).
const ENDED_START = Date.parse("2025-11-03T17:00:00Z");
const ENDED_TITLE = "Tajweed: Surah Al-Mulk";
const ENDED_STREAM: Stream = {
  khadija: [[-5, 62]], // the teacher: 60 min of 60 = 100.0 %, present
  aisha: [[-3, 61]], // 60 min = 100.0 %: present
  bilal: [[5, 55]], // 50 min = 83.3 %, arrived +5 within the grace: present
  omar: [[20, 60]], // 40 min = 66.7 %, arrived +20 after the grace: late (20 min)
  zainab: [[0, 30]], // 30 min = 50.0 %: partial (at or under 50 %)
  // yusuf never comes: absent. hana never comes either, and is excused ("doctor's letter").
};
// present 2 (Aisha, Bilal), late 1 (Omar), partial 1 (Zainab), absent 1 (Yusuf), excused 1 (Hana);
// average attendance, the excused left out: (100.0 + 83.3 + 66.7 + 50.0 + 0.0) / 5 = 60.0 %.

// 17:00–18:00 UTC on Tuesday 4 November: the room finishes at 17:30, the teacher reopens it at
// 17:35, and it finishes for good at 17:50, ten minutes early.
const EARLY_START = Date.parse("2025-11-04T17:00:00Z");

let academy: Academy;
let teacher: { email: string; password: string };
const ids = { ended: "", early: "", live: "", upcoming: "" };
let liveStart = 0;

const clock = (t: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(t),
  );

async function deliverStream(request: APIRequestContext, room: RoomRef, start: number, stream: Stream) {
  const events: { at: number; send: () => Promise<void> }[] = [];
  for (const [key, connections] of Object.entries(stream)) {
    for (const [from, to] of connections) {
      const who = participant(PEOPLE[key]!.livekitIdentity, PEOPLE[key]!.name, start + from * MIN);
      events.push({ at: start + from * MIN, send: () => join(request, room, who, start + from * MIN) });
      if (to !== null) events.push({ at: start + to * MIN, send: () => leave(request, room, who, start + to * MIN) });
    }
  }
  for (const event of events.sort((a, b) => a.at - b.at)) await event.send();
}

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-session-page-${Date.now()}`);
    teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
  });
  const roster = [aisha, bilal, hana, omar, yusuf, zainab];

  const ended = await createClass(request, academy, {
    title: ENDED_TITLE,
    start: ENDED_START,
    minutes: 60,
    teacher: khadija,
    students: roster,
  });
  ids.ended = ended.id;
  await deliverStream(request, ended.room, ENDED_START, ENDED_STREAM);
  await recalculateAndWait(request, academy.key, ended.id);
  const excused = await request.put(`/api/v1/sessions/${ended.id}/reports/${hana.livekitIdentity}/override`, {
    headers: { authorization: `Bearer ${academy.key}` },
    data: { status: "excused", note: "doctor's letter" },
  });
  expect(excused.status()).toBe(200);

  const early = await createClass(request, academy, {
    title: "Tajweed: Surah Al-Qalam",
    start: EARLY_START,
    minutes: 60,
    teacher: khadija,
    students: [aisha],
  });
  ids.early = early.id;
  await deliverStream(request, early.room, EARLY_START, {
    khadija: [
      [-5, 30],
      [35, 50],
    ],
    aisha: [
      [0, 30],
      [36, 50],
    ],
  });
  await deliver(request, roomFinished(eventId(), early.room, EARLY_START + 30 * MIN));
  await deliver(request, roomFinished(eventId(), early.room, EARLY_START + 50 * MIN));

  // Started 30 minutes ago: Omar arrived at +20, after the grace, and is in the room.
  liveStart = Math.floor(Date.now() / MIN) * MIN - 30 * MIN;
  const live = await createClass(request, academy, {
    title: "Tajweed: live now",
    start: liveStart,
    minutes: 60,
    teacher: khadija,
    students: [aisha, omar, yusuf],
  });
  ids.live = live.id;
  await deliverStream(request, live.room, liveStart, {
    khadija: [[-2, null]],
    aisha: [[-1, null]],
    omar: [[20, null]],
  });

  const upcoming = await createClass(request, academy, {
    title: "Tafsir: tomorrow's class",
    start: Date.now() + 24 * 60 * MIN,
    minutes: 60,
    teacher: khadija,
    students: [aisha, omar, yusuf],
  });
  ids.upcoming = upcoming.id;
});

/** The report's rows as shown, by identity, top to bottom. */
const shownRows = (page: Page) =>
  page
    .locator('[data-testid^="report-row-"]')
    .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.testid!.slice("report-row-".length)));

async function openEnded(browser: Browser): Promise<Page> {
  const page = await signIn(browser, teacher);
  await page.goto(`/sessions/${ids.ended}`);
  await expect(page.getByTestId("summary-present")).toBeVisible();
  return page;
}

test("an ended class opens on its result: the hand-counted summary, then the report, and no live panel", async ({
  browser,
}) => {
  const page = await openEnded(browser);
  await expect(page).toHaveTitle(`${ENDED_TITLE} · Rollcall`);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(["Result", "Attendance report", "Timeline"]);
  const figures = { present: "2", late: "1", partial: "1", absent: "1", excused: "1" };
  for (const [status, count] of Object.entries(figures))
    await expect(page.getByTestId(`summary-${status}`)).toHaveText(count);
  await expect(page.getByTestId("summary-average")).toHaveText("60.0 %");
  await expect(page.getByTestId("summary-teacher")).toHaveText(/^present\s*100\.0 %$/);
  // The result is what the page opens on.
  await expect(page.getByTestId("summary-average")).toBeInViewport();
  await expect(page.getByRole("heading", { name: "Who is in the room" })).toHaveCount(0);
  await expect(page.getByText("Live: updates as LiveKit reports joins and leaves")).toHaveCount(0);
  await expect(page.getByTestId("report-row-omar").getByRole("cell").nth(0)).toHaveText("late");
  await expect(page.getByTestId("report-row-hana")).toContainText("calculated absent; set by API key");
  await expect(page.getByTestId("report-row-hana")).toContainText("doctor's letter");
  await page.screenshot({ path: `${SHOTS}/session-result.png`, fullPage: true });

  await page.getByRole("link", { name: "Aisha Rahman" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Aisha Rahman" })).toBeVisible();
  await expect(page).toHaveTitle("Aisha Rahman · Rollcall");
  await page.context().close();
});

test("the report sorts, filters by result and finds a student", async ({ browser }) => {
  const page = await openEnded(browser);
  const filters = page.getByRole("search", { name: "Filter the report" });
  const shown = page.getByTestId("report-shown");
  await expect(shown).toHaveText("7 people.");

  await filters.getByLabel("Result").selectOption("absent");
  await expect.poll(() => shownRows(page)).toEqual(["yusuf"]);
  await expect(shown).toHaveText(/^Showing 1 of 7 people\.\s*Clear filters$/);
  await filters.getByLabel("Result").selectOption("excused");
  await expect.poll(() => shownRows(page)).toEqual(["hana"]);
  await filters.getByLabel("Result").selectOption("present");
  await expect.poll(() => shownRows(page)).toEqual(["khadija", "aisha", "bilal"]);

  await filters.getByLabel("Result").selectOption("all");
  await filters.getByLabel("Search a student").fill("omar");
  await expect.poll(() => shownRows(page)).toEqual(["omar"]);
  // By the LMS id too.
  await filters.getByLabel("Search a student").fill("s-yusuf");
  await expect.poll(() => shownRows(page)).toEqual(["yusuf"]);
  await filters.getByLabel("Search a student").fill("zz");
  await expect.poll(() => shownRows(page)).toEqual([]);
  await expect(page.getByText("Nobody matches “zz”.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect.poll(() => shownRows(page)).toEqual(["khadija", "aisha", "bilal", "hana", "omar", "yusuf", "zainab"]);

  // 0.0 (Hana, Yusuf: by name), 50.0, 66.7, 83.3, 100.0 (Aisha, Ustadha Khadija: by name).
  await filters.getByLabel("Sort by").selectOption({ label: "Attendance, lowest first" });
  await expect.poll(() => shownRows(page)).toEqual(["hana", "yusuf", "zainab", "omar", "bilal", "aisha", "khadija"]);
  await filters.getByLabel("Sort by").selectOption({ label: "Result" });
  await expect.poll(() => shownRows(page)).toEqual(["aisha", "bilal", "khadija", "omar", "zainab", "yusuf", "hana"]);
  await filters.getByLabel("Sort by").selectOption({ label: "Lateness, latest first" });
  await expect.poll(() => shownRows(page)).toEqual(["omar", "aisha", "bilal", "hana", "khadija", "yusuf", "zainab"]);
  // The sort stays while filtering.
  await filters.getByLabel("Result").selectOption("absent");
  await expect.poll(() => shownRows(page)).toEqual(["yusuf"]);
  await page.context().close();
});

test("the timeline says each person's status, draws absentees as empty rows, and its bars are reached by Tab with their times", async ({
  browser,
}) => {
  const page = await openEnded(browser);
  const timeline = page.getByRole("region", { name: /^Timeline, one row per person/ });
  await expect(timeline.getByTestId("timeline-row-yusuf")).toHaveText(/^Yusuf Karim\s*absent/);
  await expect(timeline.getByTestId("timeline-row-yusuf").getByRole("img")).toHaveCount(0);
  await expect(timeline.getByTestId("timeline-row-hana")).toHaveText(/^Hana Saleh\s*excused/);
  await expect(timeline.getByTestId("timeline-row-omar")).toHaveText(/^Omar Haddad\s*late/);
  await expect(timeline.getByTestId("timeline-row-zainab")).toHaveText(/^Zainab Nouri\s*partial/);
  await expect(timeline.getByRole("img", { name: "Omar Haddad late, arrived 17:20" })).toBeVisible();

  // The scroll area takes focus, then each bar in turn; the empty rows have none.
  await timeline.focus();
  await expect(timeline).toBeFocused();
  for (const name of [
    "Ustadha Khadija, 16:55 to 18:02",
    "Aisha Rahman, 16:57 to 18:01",
    "Bilal Aziz, 17:05 to 17:55",
    "Omar Haddad, 17:20 to 18:00",
    "Zainab Nouri, 17:00 to 17:30",
  ]) {
    await page.keyboard.press("Tab");
    await expect(page.getByRole("img", { name, exact: true })).toBeFocused();
    await expect(page.getByTestId("timeline-focused")).toHaveText(name);
  }
  expect(await lowContrastTexts(page.getByRole("figure"))).toEqual([]);

  // The room's early finish and its reopening.
  await page.goto(`/sessions/${ids.early}`);
  await expect(page.getByTestId("timeline-marker")).toHaveText([
    "room closed 17:30",
    "reopened 17:35",
    "class ended early 17:50",
  ]);
  expect(await lowContrastTexts(page.getByRole("figure"))).toEqual([]);

  // A live class marks its late arrival before any report exists.
  await page.goto(`/sessions/${ids.live}`);
  const liveTimeline = page.getByRole("region", { name: /^Timeline, one row per person/ });
  await expect(
    liveTimeline.getByRole("img", { name: `Omar Haddad late, arrived ${clock(liveStart + 20 * MIN)}` }),
  ).toBeVisible();
  await expect(liveTimeline.getByTestId("timeline-row-omar")).toHaveText(/^Omar Haddad\s*in the room/);
  await expect(liveTimeline.getByTestId("timeline-row-yusuf")).toHaveText(/^Yusuf Karim\s*not joined/);
  await expect(liveTimeline.getByRole("img", { name: "Aisha Rahman late, arrived", exact: false })).toHaveCount(0);
  expect(await lowContrastTexts(page.getByRole("figure"))).toEqual([]);
  await page.context().close();
});

test("at 390 px the session page does not scroll sideways, and the report is cards showing Result and Excuse", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/sessions/${ids.ended}`);
  const cards = page.getByRole("list", { name: "Attendance report" });
  await expect(cards).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(page.locator('[data-testid^="report-row-"]')).toHaveCount(0);
  const yusufCard = page.getByTestId("report-card-yusuf");
  await expect(yusufCard.getByRole("term").filter({ hasText: "Result" })).toBeVisible();
  await expect(yusufCard.getByRole("definition").first()).toHaveText("absent");
  await expect(yusufCard.getByRole("term").filter({ hasText: "Excuse" })).toBeVisible();
  const excuse = yusufCard.getByRole("button", { name: "Excuse Yusuf Karim" });
  await excuse.scrollIntoViewIfNeeded();
  await expect(excuse).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId("report-card-hana")).toContainText("doctor's letter");
  // The timeline scrolls inside its own region instead.
  const timeline = page.getByRole("region", { name: /^Timeline, one row per person/ });
  expect(await timeline.evaluate((region) => region.scrollWidth > region.clientWidth)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/session-result-390.png`, fullPage: true });

  for (const id of [ids.live, ids.upcoming, ids.early]) {
    await page.goto(`/sessions/${id}`);
    await expect(page.getByRole("region", { name: /^Timeline, one row per person/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth), id).toBeLessThanOrEqual(390);
  }
  await page.context().close();
});

test("the excuse editor works by keyboard: focus comes back after Save and Cancel, Escape closes, an empty note is refused", async ({
  browser,
}) => {
  const page = await openEnded(browser);
  const row = page.getByTestId("report-row-yusuf");
  const excuse = row.getByRole("button", { name: "Excuse Yusuf Karim" });
  const form = page.getByRole("form", { name: "Override for Yusuf Karim" });

  await excuse.focus();
  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Result for Yusuf Karim")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(form).toHaveCount(0);
  await expect(excuse).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Result for Yusuf Karim")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByLabel("Note (why)")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Save override" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(form).toHaveCount(0);
  await expect(excuse).toBeFocused();

  // An excuse without a note (or with only spaces) is refused, and says why at the field.
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await page.keyboard.type("   ");
  await page.keyboard.press("Enter");
  await expect(form.getByRole("alert")).toHaveText(EXCUSE_NOTE_REQUIRED);
  await expect(form.getByLabel("Note (why)")).toBeFocused();
  await expect(form.getByLabel("Note (why)")).toHaveAttribute("aria-invalid", "true");
  await expect(row.getByRole("cell").nth(0)).toHaveText("absent");

  await page.keyboard.type("Family emergency, told us in advance");
  await page.keyboard.press("Enter");
  await expect(form).toHaveCount(0);
  const change = row.getByRole("button", { name: "Change Yusuf Karim" });
  await expect(change).toBeFocused();
  await expect(row.getByRole("cell").nth(0)).toHaveText("excused");
  await expect(row).toContainText("calculated absent; set by Ustadha Khadija");
  await expect(row).toContainText("Family emergency, told us in advance");
  // The summary follows: Yusuf counts as excused, and the average leaves him out: (100.0 + 83.3 + 66.7 + 50.0) / 4 = 75.0 %.
  await expect(page.getByTestId("summary-absent")).toHaveText("0");
  await expect(page.getByTestId("summary-excused")).toHaveText("2");
  await expect(page.getByTestId("summary-average")).toHaveText("75.0 %");

  // Save on a change gives focus back too.
  await page.keyboard.press("Enter");
  await expect(form.getByLabel("Result for Yusuf Karim")).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("End");
  await page.keyboard.type(" (phoned)");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(row).toContainText("Family emergency, told us in advance (phoned)");
  await expect(change).toBeFocused();
  await page.context().close();
});

test("a failing load says what failed and offers Retry, never 'Loading…' for ever, and shows no Live dot", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  const fail = (status: number, code: string, message: string) => ({
    status,
    contentType: "application/json",
    body: JSON.stringify({ error: { code, message } }),
  });
  await page.route("**/api/dashboard/sessions/*/presence", (route) =>
    route.fulfill(fail(500, "internal", "Something went wrong; it has been logged.")),
  );
  await page.route("**/api/dashboard/sessions/*/report", (route) =>
    route.fulfill(fail(503, "unavailable", "The database is unavailable; retry later.")),
  );

  await page.goto(`/sessions/${ids.live}`);
  const presenceAlert = page.getByRole("alert").filter({ hasText: "Could not load who is in the room" });
  await expect(presenceAlert).toHaveText(
    /^Could not load who is in the room: the server failed \(the error has been logged\)\.\s*Retry$/,
  );
  // The timeline needs the same read: it points to the one failure rather than repeating it.
  await expect(page.getByText("The timeline appears once who is in the room has loaded.")).toBeVisible();
  await expect(page.getByText(/Loading/)).toHaveCount(0);
  await expect(page.getByTestId("live-dot")).toHaveCount(0);
  await expect(page.getByText("Live: updates as LiveKit reports joins and leaves")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/session-error.png`, fullPage: true });

  await page.unroute("**/api/dashboard/sessions/*/presence");
  await presenceAlert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("in-room")).toContainText("Omar Haddad");
  await expect(page.getByTestId("live-dot")).toBeVisible();
  await expect(page.getByRole("region", { name: /^Timeline, one row per person/ })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveCount(0);

  // An ended class whose result and timeline cannot be read.
  await page.route("**/api/dashboard/sessions/*/presence", (route) =>
    route.fulfill(fail(500, "internal", "Something went wrong; it has been logged.")),
  );
  await page.goto(`/sessions/${ids.ended}`);
  const resultAlert = page.getByRole("alert").filter({ hasText: "Could not load the result" });
  await expect(resultAlert).toHaveText(/^Could not load the result: the database is unreachable\.\s*Retry$/);
  const timelineAlert = page.getByRole("alert").filter({ hasText: "Could not draw the timeline" });
  await expect(timelineAlert).toHaveText(
    /^Could not draw the timeline: the server failed \(the error has been logged\)\.\s*Retry$/,
  );
  await expect(page.getByText(/Loading/)).toHaveCount(0);
  await page.unroute("**/api/dashboard/sessions/*/report");
  await page.unroute("**/api/dashboard/sessions/*/presence");
  await resultAlert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("summary-present")).toHaveText("2");
  await timelineAlert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("region", { name: /^Timeline, one row per person/ })).toBeVisible();

  // A recalculation the database cannot take, then retried.
  await page.route("**/api/dashboard/sessions/*/recalculate", (route) =>
    route.fulfill(fail(503, "unavailable", "The database is unavailable; retry later.")),
  );
  await page.getByRole("button", { name: "Recalculate" }).click();
  const recalculateAlert = page.getByRole("alert").filter({ hasText: "Could not recalculate" });
  await expect(recalculateAlert).toHaveText(/^Could not recalculate: the database is unreachable\.\s*Retry$/);
  await page.unroute("**/api/dashboard/sessions/*/recalculate");
  await recalculateAlert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByText(/Recalculated at/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveCount(0);
  await page.context().close();
});

test("an upcoming class says who is expected, with no 'Not joined' alarm", async ({ browser }) => {
  const page = await signIn(browser, teacher);
  await page.goto(`/sessions/${ids.upcoming}`);
  await expect(page).toHaveTitle("Tafsir: tomorrow's class · Rollcall");
  await expect(page.getByRole("heading", { name: /^Who is expected/ })).toBeVisible();
  await expect(page.getByTestId("expected-count")).toHaveText("3 students · teacher");
  await expect(page.getByTestId("expected").getByRole("listitem")).toHaveText([
    "Ustadha Khadija (teacher)",
    "Aisha Rahman",
    "Omar Haddad",
    "Yusuf Karim",
  ]);
  await expect(page.getByText(/Not joined/)).toHaveCount(0);
  await expect(page.getByTestId("not-joined")).toHaveCount(0);
  await expect(page.getByText("The report is calculated after the class")).toBeVisible();
  await expect(
    page.getByRole("region", { name: /^Timeline, one row per person/ }).getByTestId("timeline-row-aisha"),
  ).toHaveText(/^Aisha Rahman\s*expected, no connection$/);
  await page.context().close();
});
