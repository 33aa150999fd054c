import { expect, test } from "@playwright/test";
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

// "Who changed my child's mark?", answered on the session page: the teacher excuses Yusuf, removes
// the excuse, and excuses him again; the history under his result lists the three, oldest first,
// each with who, when (the academy's zone, UTC here), from what to what and the note. Worked out by
// hand: Yusuf never comes to the 60-minute class, so he is calculated absent.
const khadija = { externalId: "t-khadija-history", name: "Ustadha Khadija", livekitIdentity: "khadija-history" };
const yusuf = { externalId: "s-yusuf-history", name: "Yusuf Karim", livekitIdentity: "yusuf-history" };
// 09:00–10:00 UTC on Wednesday 3 December 2025.
const START = Date.parse("2025-12-03T09:00:00Z");

let academy: Academy;
let teacher: { email: string; password: string };
let sessionId = "";

test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  await withDatabase(async (db) => {
    academy = await createAcademy(db, `e2e-override-history-${Date.now()}`);
    teacher = await createUser(db, academy, "teacher", khadija.name, khadija.externalId);
  });
  const created = await createClass(request, academy, {
    title: "Tajweed: who changed the mark",
    start: START,
    minutes: 60,
    teacher: khadija,
    students: [yusuf],
  });
  sessionId = created.id;
  const who = participant(khadija.livekitIdentity, khadija.name, START);
  await join(request, created.room, who, START);
  await leave(request, created.room, who, START + 60 * MIN);
  await recalculateAndWait(request, academy.key, sessionId);
});

test("an excuse, its removal and a second excuse appear in order in the history on the session page", async ({
  browser,
}) => {
  const page = await signIn(browser, teacher);
  await page.goto(`/sessions/${sessionId}`);
  const row = page.getByTestId(`report-row-${yusuf.livekitIdentity}`);
  const form = page.getByRole("form", { name: "Override for Yusuf Karim" });
  await expect(row.getByRole("cell").nth(0)).toHaveText("absent");
  // No override yet: no history to show.
  await expect(page.getByTestId(`override-history-${yusuf.livekitIdentity}`)).toHaveCount(0);

  const excuse = async (note: string) => {
    await row.getByRole("button", { name: /^(Excuse|Change) Yusuf Karim$/ }).click();
    await form.getByLabel("Result for Yusuf Karim").selectOption("excused");
    await form.getByLabel("Note (why)").fill(note);
    await form.getByRole("button", { name: "Save override" }).click();
    await expect(form).toHaveCount(0);
    await expect(row.getByRole("cell").nth(0)).toHaveText("excused");
  };
  await excuse("sick note");
  await row.getByRole("button", { name: "Change Yusuf Karim" }).click();
  await form.getByRole("button", { name: "Remove override" }).click();
  await expect(form).toHaveCount(0);
  await expect(row.getByRole("cell").nth(0)).toHaveText("absent");
  await excuse("doctor's letter");

  const history = page.getByTestId(`override-history-${yusuf.livekitIdentity}`);
  await history.getByText("History of changes (3)").click();
  const when = /on \d{1,2} Dec, \d\d:\d\d:\d\d/;
  const items = history.getByRole("listitem");
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toHaveText(/^Excused \(was absent\) by Ustadha Khadija \(teacher\) on .*: “sick note”$/);
  await expect(items.nth(1)).toHaveText(
    /^Override removed by Ustadha Khadija \(teacher\) on .*: back to the calculated absent$/,
  );
  await expect(items.nth(2)).toHaveText(
    /^Excused \(was absent\) by Ustadha Khadija \(teacher\) on .*: “doctor's letter”$/,
  );
  for (const i of [0, 1, 2]) await expect(items.nth(i)).toContainText(when);
  await page.context().close();
});
