import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/browser.ts";
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

// An admin shortens the grace period from 15 to 10 minutes, sees what it would change before
// saving, saves version 2, recalculates last week's classes with it, and reads the recorded diff;
// the class's page then says what the recalculation changed. Worked out by hand: a 60-minute class
// three days ago (so within "the last week"); Ali joins 12 min after the start and leaves at 50 min:
// 38 min = 2,280 s of 3,600 s = 63.3 %; not late under a 15-min grace (present: 50 % < 63.3 % ≤ 75 %,
// on time), late under 10 min (arrival 12 min after the start: "12 min late"). Sara joins at 3 min
// and stays to the end: 57 min = 95.0 %, present either way. The teacher is there throughout.
const stamp = randomUUID().slice(0, 8);
const idris = { externalId: `t-idris-${stamp}`, name: "Ustadh Idris", livekitIdentity: `idris-${stamp}` };
const ali = { externalId: `s-ali-${stamp}`, name: "Ali Hassan", livekitIdentity: `ali-${stamp}` };
const sara = { externalId: `s-sara-${stamp}`, name: "Sara Ahmed", livekitIdentity: `sara-${stamp}` };
const TITLE = "Tajweed: the grace period";
const SHOTS = "e2e/results";

/** axe's WCAG 2.1 AA violations on the page as it stands (the results shown, disclosures open). */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(" ")}`),
  );
}
// Three days ago, on the minute: the times are relative to now, so "the last week" always holds it.
const START = Math.floor((Date.now() - 3 * 24 * 60 * MIN) / MIN) * MIN;

let academy: Academy;
let admin: { email: string; password: string };
let sessionId = "";

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-policy-${stamp}`);
    admin = await createUser(db, academy, "admin", "Admin Policy");
  });
  const created = await createClass(request, academy, {
    title: TITLE,
    start: START,
    minutes: 60,
    teacher: idris,
    students: [ali, sara],
  });
  sessionId = created.id;
  const people = [
    [participant(idris.livekitIdentity, idris.name, START), 0, 60],
    [participant(sara.livekitIdentity, sara.name, START + 3 * MIN), 3, 60],
    [participant(ali.livekitIdentity, ali.name, START + 12 * MIN), 12, 50],
  ] as const;
  for (const [who, from] of people) await join(request, created.room, who, START + from * MIN);
  for (const [who, , to] of people) await leave(request, created.room, who, START + to * MIN);
  await recalculateAndWait(request, academy.key, sessionId);
});

test("a shorter grace period: previewed, saved, applied to last week's class, and its diff on the class's page", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await signIn(browser, admin);
  await page.goto("/admin/policy");
  await expect(page.getByTestId("policy-version")).toHaveText(/^Version 1, the academy's first policy, since /);

  await test.step("the preview says what a 10-minute grace would change, before anything is saved", async () => {
    const grace = page.getByRole("group", { name: "Academy defaults" }).getByLabel("Grace period (minutes)");
    const change = page.getByRole("region", { name: "Before saving: what it would change" });
    // A value out of range is named before any preview, as before a save.
    await grace.fill("300");
    await change.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "No preview" })).toContainText(
      "No preview: 1 field to correct.",
    );
    await expect(grace).toBeFocused();
    await grace.fill("10");
    await change.getByLabel("Classes of the last").selectOption({ label: "1 week" });
    await change.getByRole("button", { name: "Preview" }).click();
    await expect(change.getByTestId("change-preview-words")).toHaveText("1 student in 1 class: present → late.");
    await expect(change.getByRole("heading", { name: "Preview: the last 1 week with these values" })).toBeFocused();
    await expect(change.getByRole("status")).toHaveText(
      "Preview of the last 1 week: 1 student in 1 class: present → late.",
    );
    await expect(change.getByRole("list", { name: "Changes in the preview: status changes" })).toHaveText(
      "present → late: 1 student in 1 class",
    );
    const row = change.getByTestId(`change-${sessionId}-${ali.livekitIdentity}`);
    await expect(row.getByRole("link", { name: TITLE })).toHaveAttribute("href", `/sessions/${sessionId}`);
    await expect(row.getByRole("cell")).toHaveText([
      /^\w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d$/,
      ali.name,
      "present, 63.3 %",
      "late (12 min late), 63.3 %",
    ]);
    // Sara is present either way: not among the changes.
    await expect(change.getByTestId(`change-${sessionId}-${sara.livekitIdentity}`)).toHaveCount(0);
    // Nothing was saved by the preview.
    await expect(page.getByTestId("policy-version")).toHaveText(/^Version 1,/);
  });

  await test.step("saving makes version 2, for classes calculated from then on", async () => {
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Saved as version 2.", { exact: false })).toBeVisible();
    await expect(page.getByTestId("policy-version")).toHaveText(/^Version 2, saved by Admin Policy \(admin\) on /);
    await expect(page.getByTestId("policy-version-2")).toContainText("Grace period 10 min");
    await expect(page.getByTestId("policy-version-1")).toContainText("Grace period 15 min");
    await expect(page.getByText("No past classes have been recalculated with a policy version yet.")).toBeVisible();
  });

  await test.step("recalculating last week with version 2: the preview, the confirmation, the recorded diff", async () => {
    const section = page.getByRole("region", { name: "Recalculate past classes with version 2" });
    await section.getByLabel("Classes of the last").selectOption({ label: "1 week" });
    await section.getByRole("button", { name: "Preview the recalculation" }).click();
    await expect(section.getByTestId("recalculate-preview-words")).toHaveText("1 student in 1 class: present → late.");
    await section.getByRole("button", { name: "Recalculate 1 class with version 2" }).click();
    const recorded = section.getByTestId("recorded");
    await expect(recorded.getByTestId("recorded-words")).toHaveText("1 student in 1 class: present → late.");
    await expect(section.getByRole("heading", { name: /^Recalculated with version 2: classes from / })).toBeFocused();
    await expect(section.getByRole("status")).toHaveText("Recalculated: 1 student in 1 class: present → late.");
    await expect(recorded.getByTestId(`change-${sessionId}-${ali.livekitIdentity}`).getByRole("cell")).toHaveText([
      /\d\d:\d\d$/,
      ali.name,
      "present, 63.3 %",
      "late (12 min late), 63.3 %",
    ]);
  });

  await test.step("the past recalculation is listed and opens to its diff", async () => {
    const past = page.getByRole("list", { name: "Past recalculations" }).getByRole("listitem");
    await expect(past).toHaveCount(1);
    await expect(past.locator("summary")).toHaveText(
      /^Version 2 applied by Admin Policy \(admin\) on .+ to classes from .+ to .+: 1 class recalculated, 1 class changed, 1 row changed$/,
    );
    await past.locator("summary").click();
    await expect(past.getByText("1 student in 1 class: present → late.")).toBeVisible();
    await expect(past.getByRole("link", { name: TITLE })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/policy-recalculated.png`, fullPage: true });
  });

  await test.step("the class's page says what the recalculation changed, and every calculation", async () => {
    await page.getByRole("link", { name: TITLE }).first().click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));
    await expect(page.getByTestId("latest-calculation")).toHaveText(
      "With policy version 2. Last calculation: 1 row changed: Ali Hassan present, 63.3 % → late (12 min late), 63.3 %.",
    );
    const history = page.getByTestId("calculation-history");
    await history.getByText("Calculation history (2 calculations)").click();
    const items = history.getByRole("listitem");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toHaveText(
      /^\d{1,2} \w{3}, \d\d:\d\d:\d\d, at a teacher's or the API's request, with policy version 1:\s*First calculation\.$/,
    );
    await expect(items.nth(1)).toHaveText(
      /^\d{1,2} \w{3}, \d\d:\d\d:\d\d, policy version 2 applied to past classes, with policy version 2:\s*1 row changed: Ali Hassan present, 63\.3 % → late \(12 min late\), 63\.3 %\.$/,
    );
    await expect(page.getByTestId(`report-row-${ali.livekitIdentity}`).getByRole("cell").nth(0)).toHaveText("late");
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/session-calculation-history.png`, fullPage: true });
  });
  await page.context().close();
});
