import fs from "node:fs";
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
  withDatabase,
  type Academy,
} from "./support/seed.ts";

// One academy with an admin and two teachers, and a second academy: a teacher follows a live class,
// recalculates and excuses in an ended one, downloads the CSV; nobody sees what is not theirs.
test.describe.configure({ mode: "serial" });

const SHOTS = "e2e/results";
const now = Date.now();
const minute = (t: number) => Math.floor(t / MIN) * MIN;
const khadija = { externalId: "t-khadija", name: "Ustadha Khadija", livekitIdentity: "khadija" };
const daniel = { externalId: "t-daniel", name: "Mr Daniel Price", livekitIdentity: "daniel" };
const students = [
  { externalId: "s-aisha", name: "Aisha Rahman", livekitIdentity: "aisha" },
  { externalId: "s-omar", name: "Omar Haddad", livekitIdentity: "omar" },
  { externalId: "s-yusuf", name: "Yusuf Karim", livekitIdentity: "yusuf" },
];

let academy: Academy;
let other: Academy;
let admin: { email: string; password: string };
let teacher: { email: string; password: string };
const ids = { live: "", ended: "", otherTeacher: "", otherAcademy: "" };
let liveRoom: Awaited<ReturnType<typeof createClass>>["room"];

/** RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks. */

test.beforeAll(async ({ request }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-${now}`);
    other = await createAcademy(db, `e2e-other-${now}`);
  });
  const ended = minute(now) - 120 * MIN;
  const live = await createClass(request, academy, {
    title: "Tajweed: live now",
    start: minute(now) - 10 * MIN,
    minutes: 60,
    teacher: khadija,
    students,
  });
  const done = await createClass(request, academy, {
    title: "Tafsir: ended",
    start: ended,
    minutes: 60,
    teacher: khadija,
    students,
  });
  const theirs = await createClass(request, academy, {
    title: "Algebra: Daniel's class",
    start: ended,
    minutes: 60,
    teacher: daniel,
    students,
  });
  const elsewhere = await createClass(request, other, {
    title: "Elsewhere: other academy",
    start: ended,
    minutes: 60,
    teacher: { ...khadija, externalId: "t-x", livekitIdentity: "x-teacher" },
    students: [],
  });
  ids.live = live.id;
  ids.ended = done.id;
  ids.otherTeacher = theirs.id;
  ids.otherAcademy = elsewhere.id;
  liveRoom = live.room;

  // The ended class: Aisha on time for the whole hour, Omar 20 minutes late, Yusuf never comes.
  const teacherP = participant("khadija", "Ustadha Khadija", ended - 5 * MIN);
  const aisha = participant("aisha", "Aisha Rahman", ended - 3 * MIN);
  const omar = participant("omar", "Omar Haddad", ended + 20 * MIN);
  await join(request, done.room, teacherP, ended - 5 * MIN);
  await join(request, done.room, aisha, ended - 3 * MIN);
  await join(request, done.room, omar, ended + 20 * MIN);
  await leave(request, done.room, omar, ended + 60 * MIN);
  await leave(request, done.room, aisha, ended + 61 * MIN);
  await leave(request, done.room, teacherP, ended + 62 * MIN);

  await withDatabase(async (db) => {
    admin = await createUser(db, academy, "admin", "Amina Admin");
    teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
    await createUser(db, other, "teacher", "Other Academy Teacher");
  });
});

test("pages and dashboard routes need a signed-in user", async ({ page, request }) => {
  await page.goto(`/sessions/${ids.ended}`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  for (const path of [
    `/api/dashboard/sessions/${ids.ended}/report`,
    `/api/dashboard/sessions/${ids.ended}/presence`,
    `/api/dashboard/sessions/${ids.ended}/report.csv`,
  ]) {
    expect((await request.get(path)).status(), path).toBe(401);
  }
  expect((await request.post(`/api/dashboard/sessions/${ids.ended}/recalculate`)).status()).toBe(401);

  await page.getByLabel("Email").fill(teacher.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveText("The email or password is not right.");

  // The deep link survives the failed try: signing in opens the class that was asked for.
  await page.getByLabel("Password").fill(teacher.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${ids.ended}$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a link to a filtered page keeps its filters through sign-in", async ({ page }) => {
  await page.goto("/register?from=2025-10-01&to=2025-10-31&missedOver=2");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill(teacher.email);
  await page.getByLabel("Password").fill(teacher.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/register\?from=2025-10-01&to=2025-10-31&missedOver=2$/);
  await expect(page.getByLabel("From")).toHaveValue("2025-10-01");
  await expect(page.getByLabel("To")).toHaveValue("2025-10-31");
});

test("a teacher sees their classes, and a student join and leave the live class without reloading", async ({
  browser,
  request,
}) => {
  const page = await signIn(browser, teacher);
  const list = page.getByRole("list", { name: "Sessions" });
  await expect(list.getByRole("link", { name: "Tajweed: live now" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Algebra: Daniel's class" })).toHaveCount(0);
  await expect(list.getByRole("link", { name: "Elsewhere: other academy" })).toHaveCount(0);

  await list.getByRole("link", { name: "Tajweed: live now" }).click();
  await expect(page.getByRole("heading", { name: "Tajweed: live now" })).toBeVisible();
  await expect(page.getByText("Live: updates as LiveKit reports joins and leaves")).toBeVisible();
  await expect(page.getByTestId("not-joined")).toContainText("Aisha Rahman");
  await expect(page.getByText("The report is calculated after the class")).toBeVisible();
  // A marker on the window proves the page is never reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  const teacherP = participant("khadija", "Ustadha Khadija", Date.now() - 60_000);
  const aisha = participant("aisha", "Aisha Rahman", Date.now());
  await join(request, liveRoom, teacherP, Date.now() - 60_000);
  await join(request, liveRoom, aisha, Date.now());
  await expect(page.getByTestId("in-room")).toContainText("Aisha Rahman");
  // One of the roster's students and the teacher: never "2 in the room" beside the students' count.
  await expect(page.getByTestId("in-room-count")).toHaveText(/^1 of \d+ students · teacher$/);
  await expect(page.getByTestId("not-joined")).not.toContainText("Aisha Rahman");
  await page.screenshot({ path: `${SHOTS}/session-live.png`, fullPage: true });

  await leave(request, liveRoom, aisha, Date.now());
  await expect(page.getByTestId("left-room")).toContainText("Aisha Rahman");
  await expect(page.getByTestId("in-room")).not.toContainText("Aisha Rahman");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  await page.goto("/sessions?view=live");
  const row = page.getByRole("listitem").filter({ hasText: "Tajweed: live now" });
  await expect(row).toContainText("live");
  await expect(row).toContainText(/0 of \d+ students in the room · teacher in/);
  await page.screenshot({ path: `${SHOTS}/sessions.png`, fullPage: true });
});

test("a teacher recalculates an ended class, excuses a student and downloads the CSV", async ({ browser }) => {
  const page = await signIn(browser, teacher);
  await page.goto(`/sessions/${ids.ended}`);
  await page.getByRole("button", { name: "Recalculate" }).click();
  await expect(page.getByText(/Recalculated at/)).toBeVisible({ timeout: 20_000 });

  const aisha = page.getByTestId("report-row-aisha");
  await expect(aisha.getByRole("cell").nth(0)).toHaveText("present");
  await expect(aisha).toContainText("100.0");
  const omar = page.getByTestId("report-row-omar");
  await expect(omar.getByRole("cell").nth(0)).toHaveText("late");
  await expect(omar.getByRole("cell").nth(1)).toHaveText("40 min");
  await expect(omar.getByRole("cell").nth(2)).toHaveText("66.7");
  await expect(omar.getByRole("cell").nth(5)).toHaveText("20");
  const yusuf = page.getByTestId("report-row-yusuf");
  await expect(yusuf.getByRole("cell").nth(0)).toHaveText("absent");
  await page.screenshot({ path: `${SHOTS}/session-report.png`, fullPage: true });

  await yusuf.getByRole("button", { name: "Excuse Yusuf Karim" }).click();
  const form = page.getByRole("form", { name: "Override for Yusuf Karim" });
  await form.getByLabel("Note (why)").fill("Family emergency, told us in advance");
  await form.getByRole("button", { name: "Save override" }).click();
  await expect(yusuf.getByRole("cell").nth(0)).toContainText("excused");
  await expect(yusuf).toContainText("calculated absent; set by Ustadha Khadija");
  await expect(yusuf).toContainText("Family emergency, told us in advance");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8");
  const [columns, ...records] = parseCsv(csv);
  const rows = records.map((record) => Object.fromEntries(record.map((cell, i) => [columns![i], cell])));
  const byIdentity = Object.fromEntries(rows.map((row) => [row.livekit_identity, row]));
  expect(Object.keys(byIdentity).sort()).toEqual(["aisha", "khadija", "omar", "yusuf"]);
  expect(byIdentity.aisha).toMatchObject({
    status: "present",
    attended: "60 min of 60 min",
    attended_seconds: "3600",
    percentage: "100.0",
  });
  expect(byIdentity.omar).toMatchObject({
    status: "late",
    attended: "40 min of 60 min",
    attended_seconds: "2400",
    late_minutes: "20",
  });
  expect(byIdentity.yusuf).toMatchObject({
    status: "excused",
    calculated_status: "absent",
    override_status: "excused",
  });

  await page.getByRole("link", { name: "Aisha Rahman" }).click();
  await expect(page.getByRole("heading", { name: "Aisha Rahman" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Tafsir: ended" })).toContainText("present");
  await page.screenshot({ path: `${SHOTS}/student.png`, fullPage: true });
});

test("a teacher cannot open another teacher's or another academy's class, nor admin pages", async ({ browser }) => {
  const page = await signIn(browser, teacher);
  for (const id of [ids.otherTeacher, ids.otherAcademy]) {
    const response = await page.goto(`/sessions/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("Algebra")).toHaveCount(0);
    for (const path of ["report", "presence", "report.csv", "live"]) {
      expect((await page.request.get(`/api/dashboard/sessions/${id}/${path}`)).status(), path).toBe(404);
    }
    const recalc = await page.request.post(`/api/dashboard/sessions/${id}/recalculate`, {
      headers: { origin: new URL(page.url()).origin },
    });
    expect(recalc.status()).toBe(404);
  }
  expect((await page.goto("/admin/events"))?.status()).toBe(404);
  const policy = await page.request.put("/api/dashboard/policy", {
    data: { defaults: { graceMinutes: 1 } },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(policy.status()).toBe(403);
  // A change from another site riding the cookie is refused even for the teacher's own class.
  const crossSite = await page.request.post(`/api/dashboard/sessions/${ids.ended}/recalculate`, {
    headers: { origin: "https://evil.example" },
  });
  expect(crossSite.status()).toBe(403);
});

test("an admin sees every class of the academy and the webhook event log with raw payloads", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.goto("/sessions?view=all");
  const list = page.getByRole("list", { name: "Sessions" });
  await expect(list.getByRole("link", { name: "Algebra: Daniel's class" })).toBeVisible();
  await expect(list.getByRole("link", { name: "Elsewhere: other academy" })).toHaveCount(0);
  // The teacher filter is the admin's: it keeps one teacher's classes and stays in the URL.
  await page.getByLabel("Teacher").selectOption({ label: daniel.name });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/teacher=/);
  await expect(list.getByRole("link", { name: "Algebra: Daniel's class" })).toBeVisible();
  await expect(list.getByRole("link", { name: /Tajweed|Tafsir/ })).toHaveCount(0);

  await page.getByRole("link", { name: "Event log" }).click();
  await expect(page.getByRole("heading", { name: "Webhook event log" })).toBeVisible();
  const rows = page.getByTestId("event-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(8);
  await page.getByLabel("Event", { exact: true }).selectOption("participant_left");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/event=participant_left/);
  for (const text of await rows.locator("td:nth-child(3)").allTextContents()) expect(text).toBe("participant_left");
  await rows.first().getByText("raw").click();
  await expect(rows.first().locator("pre")).toContainText('"event": "participant_left"');
  await page.screenshot({ path: `${SHOTS}/event-log.png`, fullPage: true });

  await page.getByRole("link", { name: "Policy" }).click();
  await expect(page.getByLabel("Grace period (minutes)").first()).toHaveValue("15");
});
