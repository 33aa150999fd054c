import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import {
  createAcademy,
  createClass,
  createUser,
  join,
  leave,
  MIN,
  participant,
  PASSWORD,
  recalculateAndWait,
  withDatabase,
  type Academy,
} from "./support/seed.ts";

// Every page, as each role that may open it sees it, at desktop (1440 px) and phone (390 px) width:
// axe finds no WCAG 2.1 A/AA violation, the page never scrolls sideways, and a screenshot of it is
// saved for the README (e2e/results/pages/<page>-<role>-<width>.png).
const PAGES_DIR = "e2e/results/pages";
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const khadija = { externalId: "t-khadija-a11y", name: "Ustadha Khadija", livekitIdentity: "khadija-a11y" };
const aisha = { externalId: "s-aisha-a11y", name: "Aisha Rahman", livekitIdentity: "aisha-a11y" };
const omar = { externalId: "s-omar-a11y", name: "Omar Haddad", livekitIdentity: "omar-a11y" };
const yusuf = { externalId: "s-yusuf-a11y", name: "Yusuf Karim", livekitIdentity: "yusuf-a11y" };

let academy: Academy;
const users = { teacher: { email: "", password: PASSWORD }, admin: { email: "", password: PASSWORD } };
const ids = { ended: "", live: "", upcoming: "", student: "" };
/** The register's range: the ended class's day to the upcoming one's, in the academy's zone (a run just after midnight on the 1st still shows them). */
let registerRange = "";
const londonDay = (t: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(t));

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  fs.mkdirSync(PAGES_DIR, { recursive: true });
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-a11y-${Date.now()}`, "Europe/London");
    // The screenshots go into the README: a name a school would have.
    await db.academy.update({ where: { id: academy.id }, data: { name: "Al-Noor Academy" } });
    users.teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
    users.admin = await createUser(db, academy, "admin", "Admin Maryam");
  });

  // An ended class this month, so the register's default range (this month) shows it.
  const endedStart = Math.floor(Date.now() / (60 * MIN)) * 60 * MIN - 3 * 60 * MIN;
  const ended = await createClass(request, academy, {
    title: "Tajweed: Surah Al-Mulk",
    start: endedStart,
    minutes: 60,
    teacher: khadija,
    students: [aisha, omar, yusuf],
  });
  ids.ended = ended.id;
  const t = participant(khadija.livekitIdentity, khadija.name, endedStart - 5 * MIN);
  const a = participant(aisha.livekitIdentity, aisha.name, endedStart);
  const o = participant(omar.livekitIdentity, omar.name, endedStart + 20 * MIN);
  await join(request, ended.room, t, endedStart - 5 * MIN);
  await join(request, ended.room, a, endedStart);
  await join(request, ended.room, o, endedStart + 20 * MIN);
  await leave(request, ended.room, o, endedStart + 60 * MIN);
  await leave(request, ended.room, a, endedStart + 61 * MIN);
  await leave(request, ended.room, t, endedStart + 62 * MIN);
  await recalculateAndWait(request, academy.key, ended.id);

  const liveStart = Math.floor(Date.now() / MIN) * MIN - 25 * MIN;
  const live = await createClass(request, academy, {
    title: "Tafsir: live now",
    start: liveStart,
    minutes: 60,
    teacher: khadija,
    students: [aisha, omar, yusuf],
  });
  ids.live = live.id;
  await join(request, live.room, participant(khadija.livekitIdentity, khadija.name, liveStart - MIN), liveStart - MIN);
  await join(request, live.room, participant(aisha.livekitIdentity, aisha.name, liveStart), liveStart);
  await join(
    request,
    live.room,
    participant(omar.livekitIdentity, omar.name, liveStart + 18 * MIN),
    liveStart + 18 * MIN,
  );

  const upcomingStart = Date.now() + 24 * 60 * MIN;
  registerRange = new URLSearchParams({ from: londonDay(endedStart), to: londonDay(upcomingStart) }).toString();
  ids.upcoming = (
    await createClass(request, academy, {
      title: "Arabic: tomorrow",
      type: "academic",
      start: upcomingStart,
      minutes: 45,
      teacher: khadija,
      students: [aisha, omar],
    })
  ).id;

  ids.student = await withDatabase(
    async (db) =>
      (await db.person.findFirstOrThrow({ where: { academyId: academy.id, externalId: aisha.externalId } })).id,
  );
});

interface PageCase {
  name: string;
  path: () => string;
  /** What shows once the page has everything it reads. */
  ready: (page: Page) => Locator;
  roles: ("anonymous" | "teacher" | "admin")[];
  /** What else this page must do, checked after axe. */
  check?: (page: Page) => Promise<void>;
}

/** Animations on the page that never end on their own. */
const endlessAnimations = (page: Page) =>
  page.evaluate(
    () =>
      document.getAnimations().filter((animation) => animation.effect?.getComputedTiming().iterations === Infinity)
        .length,
  );

/**
 * WCAG 2.2.2: the live class's pulsing dots never stop on their own, so they honour the visitor's
 * "reduce motion" setting. The browser tests all run with it (playwright.config.ts), which also
 * spares the headless browser from painting those frames; here the page is also shown without it.
 */
async function pulsesOnlyWithoutReducedMotion(page: Page): Promise<void> {
  expect(await endlessAnimations(page), "dots pulsing with reduced motion asked for").toBe(0);
  await page.emulateMedia({ reducedMotion: "no-preference" });
  try {
    // The Live badge, and the "still here" end of each of the three open bars (Khadija, Aisha, Omar).
    await expect.poll(() => endlessAnimations(page)).toBe(4);
  } finally {
    await page.emulateMedia({ reducedMotion: "reduce" });
  }
}

const PAGES: PageCase[] = [
  { name: "home", path: () => "/", ready: (page) => page.getByRole("heading", { level: 1 }), roles: ["anonymous"] },
  {
    name: "sign-in",
    path: () => "/sign-in",
    ready: (page) => page.getByRole("button", { name: "Sign in" }),
    roles: ["anonymous"],
  },
  {
    name: "not-found",
    path: () => "/no-such-page",
    ready: (page) => page.getByRole("heading", { level: 1 }),
    roles: ["anonymous"],
  },
  {
    name: "sessions",
    path: () => "/sessions?view=all",
    ready: (page) => page.getByRole("link", { name: "Tajweed: Surah Al-Mulk" }),
    roles: ["teacher", "admin"],
  },
  {
    name: "session-ended",
    path: () => `/sessions/${ids.ended}`,
    ready: (page) => page.getByTestId("summary-present"),
    roles: ["teacher", "admin"],
  },
  {
    name: "session-live",
    path: () => `/sessions/${ids.live}`,
    ready: (page) => page.getByRole("heading", { name: "Who is in the room" }),
    roles: ["teacher", "admin"],
    check: pulsesOnlyWithoutReducedMotion,
  },
  {
    name: "session-upcoming",
    path: () => `/sessions/${ids.upcoming}`,
    ready: (page) => page.getByText("Omar Haddad").first(),
    roles: ["teacher", "admin"],
  },
  {
    name: "student",
    path: () => `/students/${ids.student}`,
    ready: (page) => page.getByRole("heading", { level: 1, name: "Aisha Rahman" }),
    roles: ["teacher", "admin"],
  },
  {
    name: "register",
    path: () => `/register?${registerRange}`,
    ready: (page) => page.getByRole("link", { name: "Omar Haddad" }).first(),
    roles: ["teacher", "admin"],
  },
  {
    name: "event-log",
    path: () => "/admin/events",
    ready: (page) => page.getByText(omar.livekitIdentity).first(),
    roles: ["admin"],
  },
  {
    name: "policy",
    path: () => "/admin/policy",
    ready: (page) => page.getByRole("heading", { level: 1 }),
    roles: ["admin"],
  },
  {
    name: "api-keys",
    path: () => "/admin/api-keys",
    ready: (page) => page.getByRole("heading", { level: 1 }),
    roles: ["admin"],
  },
  {
    name: "livekit-keys",
    path: () => "/admin/livekit",
    ready: (page) => page.getByRole("heading", { level: 1 }),
    roles: ["admin"],
  },
];

/** A browser context at the given size, signed in as the role (through the form) or not at all. */
async function openAs(
  browser: Browser,
  role: PageCase["roles"][number],
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  if (role !== "anonymous") {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(users[role].email);
    await page.getByLabel("Password").fill(users[role].password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/sessions$/);
  }
  return page;
}

/**
 * axe's violations, each as "rule: target (summary)" so a failure says where to look. Legacy mode
 * runs axe.run in the page itself: the default runs it per frame and then finishes in a new blank
 * page, which cost about a second a page here (104 s → 53 s of analysis over the 38 pages, with
 * the same rules); the pages have no iframes, the one thing the default mode is for.
 */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG).setLegacyMode(true).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id}: ${node.target.join(" ")} (${node.failureSummary?.split("\n")[1]?.trim() ?? violation.help})`,
    ),
  );
}

for (const viewport of WIDTHS) {
  for (const role of ["anonymous", "teacher", "admin"] as const) {
    const cases = PAGES.filter((candidate) => candidate.roles.includes(role));
    test(`${role} at ${viewport.width} px: every page has no axe violation and no sideways scroll`, async ({
      browser,
    }) => {
      test.setTimeout(180_000);
      const page = await openAs(browser, role, viewport);
      for (const pageCase of cases) {
        await test.step(pageCase.name, async () => {
          await page.goto(pageCase.path());
          await expect(pageCase.ready(page)).toBeVisible();
          await expect(page.getByText(/^Loading/)).toHaveCount(0);
          // Charts and transitions settle before the picture and the contrast check (a pulsing dot never does).
          await page.evaluate(() =>
            Promise.all(
              document
                .getAnimations()
                .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
                .map((animation) => animation.finished.catch(() => undefined)),
            ),
          );
          expect.soft(await violations(page), `${pageCase.name} as ${role} at ${viewport.width} px`).toEqual([]);
          const documentWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          expect
            .soft(documentWidth, `${pageCase.name} is ${documentWidth} px wide on a ${viewport.width} px screen`)
            .toBeLessThanOrEqual(viewport.width);
          await pageCase.check?.(page);
          await page.screenshot({
            path: `${PAGES_DIR}/${pageCase.name}-${role}-${viewport.width}.png`,
            fullPage: true,
          });
        });
      }
      await page.context().close();
    });
  }
}
