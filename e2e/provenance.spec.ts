import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { participantJoined, participantLeft, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { signIn } from "./support/browser.ts";
import { lowContrastTexts } from "./support/contrast.ts";
import { createAcademy, createClass, createUser, deliver, MIN, participant, withDatabase } from "./support/seed.ts";

// Every mark can be traced: a teacher reads the webhooks behind a late mark, on the timeline (the
// focused bar) and in the report row; an admin follows them into the event log. Hand-worked: a
// quran class 17:00–18:00 UTC, Omar joins at 17:20 (after the 15-minute grace) and leaves at 18:00:
// 40 min of 60 = 66.7 %, late by 20 min.
test.describe.configure({ mode: "serial" });

const START = Date.parse("2025-11-05T17:00:00Z");
const stamp = randomUUID().slice(0, 8);
const khadija = { externalId: `t-khadija-prov-${stamp}`, name: "Ustadha Khadija", livekitIdentity: `khadija-${stamp}` };
const omar = { externalId: `s-omar-prov-${stamp}`, name: "Omar Haddad", livekitIdentity: `omar-${stamp}` };
const ids = { omarIn: `EV_prov_omar_in_${stamp}`, omarOut: `EV_prov_omar_out_${stamp}` };
const OMAR_WORDS = `joined 17:20 (webhook ${ids.omarIn}) → left 18:00 (webhook ${ids.omarOut})`;

let sessionId = "";
let teacher: { email: string; password: string };
let admin: { email: string; password: string };

test.beforeAll(async ({ request }) => {
  test.setTimeout(120_000);
  const academy = await withDatabase(async (db) => {
    const created = await createAcademy(db, `e2e-provenance-${stamp}`);
    teacher = await createUser(db, created, "teacher", khadija.name, khadija.externalId);
    admin = await createUser(db, created, "admin", "Admin Provenance");
    return created;
  });
  const created = await createClass(request, academy, {
    title: "Tajweed: provenance",
    start: START,
    minutes: 60,
    teacher: khadija,
    students: [omar],
  });
  sessionId = created.id;
  const room: RoomRef = created.room;
  const who = participant(khadija.livekitIdentity, khadija.name, START);
  const late = participant(omar.livekitIdentity, omar.name, START + 20 * MIN);
  await deliver(request, participantJoined(`EV_prov_t_in_${stamp}`, room, who, START));
  await deliver(request, participantJoined(ids.omarIn, room, late, START + 20 * MIN));
  await deliver(request, participantLeft(ids.omarOut, room, late, START + 60 * MIN, "CLIENT_INITIATED"));
  await deliver(request, participantLeft(`EV_prov_t_out_${stamp}`, room, who, START + 60 * MIN, "CLIENT_INITIATED"));
  const auth = { headers: { authorization: `Bearer ${academy.key}` } };
  expect((await request.post(`/api/v1/sessions/${sessionId}/recalculate`, auth)).status()).toBe(202);
  await expect
    .poll(
      async () =>
        (
          (await (await request.get(`/api/v1/sessions/${sessionId}/report`, auth)).json()) as {
            isCalculated: boolean;
          }
        ).isCalculated,
      { timeout: 60_000 },
    )
    .toBe(true);
});

test("a teacher reads the webhooks behind a late mark on the timeline and in the report row", async ({ browser }) => {
  const page = await signIn(browser, teacher);
  await page.goto(`/sessions/${sessionId}`);
  const row = page.getByTestId(`report-row-${omar.livekitIdentity}`);
  await expect(row).toContainText("late");

  // The bar: focused, it says how the connection opened and closed; hovered, its title says the same.
  const bar = page.getByRole("img", { name: "Omar Haddad, 17:20 to 18:00", exact: true });
  await bar.focus();
  await expect(page.getByTestId("timeline-focused")).toHaveText("Omar Haddad, 17:20 to 18:00");
  await expect(page.getByTestId("timeline-provenance")).toHaveText(OMAR_WORDS);
  await expect(bar).toHaveAttribute("title", `Omar Haddad, 17:20 to 18:00\n${OMAR_WORDS}`);
  expect(await lowContrastTexts(page.getByRole("figure"))).toEqual([]);

  // The row, clicked open with the bar still focused (its blur must not move the page under the
  // pointer): it lists the interval and its webhooks; a teacher gets no event-log link.
  const details = page.getByTestId(`provenance-${omar.livekitIdentity}`);
  await details.locator("summary").click();
  await expect(details).toHaveAttribute("open", "");
  await expect(details.getByRole("listitem").first()).toContainText("17:20–18:00");
  await expect(details).toContainText(OMAR_WORDS);
  await expect(details.getByRole("link")).toHaveCount(0);
});

test("an admin follows a row's webhooks into the event log, filtered to them", async ({ browser }) => {
  const page = await signIn(browser, admin);
  await page.goto(`/sessions/${sessionId}`);
  const details = page.getByTestId(`provenance-${omar.livekitIdentity}`);
  await details.locator("summary").click();
  await expect(details).toHaveAttribute("open", "");
  await page.getByRole("link", { name: "these webhooks in the event log for 17:20–18:00" }).click();
  await expect(page).toHaveURL(/\/admin\/events\?ids=/);
  const rows = page.getByTestId("event-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(ids.omarOut);
  await expect(rows.nth(1)).toContainText(ids.omarIn);
});
