import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_DATA_DIR, E2E_DB_PORT } from "../playwright.config.ts";
import { runCli } from "../tests/support/cli.ts";
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
import type { RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { parseCsvRows, signIn } from "./support/browser.ts";

// One ended and one live class, with webhook streams designed by hand; every expected figure below
// is worked out by hand from docs/ATTENDANCE_RULES.md (60-minute window, grace 15 min, absent under
// 10 %, partial at or under 50 %, present over 75 %), never taken from another view.

const now = Date.now();
const minute = (t: number) => Math.floor(t / MIN) * MIN;
const ENDED_START = minute(now) - 180 * MIN; // 09:00 → 10:00 if now is 12:00: ended two hours ago
const LIVE_START = minute(now) - 20 * MIN; // started 20 minutes ago, ends in about 40
const ENDED_TITLE = "Counts: Tafsir (ended)";
const LIVE_TITLE = "Counts: Tajweed (live)";

const noor = { externalId: "t-noor-counts", name: "Ustadh Noor", livekitIdentity: "noor" };
const person = (identity: string, name: string) => ({
  externalId: `s-${identity}-counts`,
  name,
  livekitIdentity: identity,
});
const amal = person("amal", "Amal Aziz");
const bilal = person("bilal", "Bilal Bakr");
const dina = person("dina", "Dina Darwish");
const farah = person("farah", "Farah Fadel");
const hadi = person("hadi", "Hadi Hamdan");
const imran = person("imran", "Imran Idris");
const jana = person("jana", "Jana Jaber");
const karim = person("karim", "Karim Kassem");
const lina = person("lina", "Lina Latif");
const musa = person("musa", "Musa Mansour");

/** Connections in minutes from the class start: [join, leave]; a null leave is still in the room. */
type Stream = { identity: string; name: string; connections: [number, number | null][] }[];

// The ended class, 60 minutes. Per person: the connections, then the result worked out by hand.
const ENDED_STREAM: Stream = [
  { identity: "noor", name: noor.name, connections: [[-10, 62]] }, // teacher: 60 min, present
  { identity: "amal", name: amal.name, connections: [[-5, 65]] }, // 60 min = 100 %, on time: present
  { identity: "bilal", name: bilal.name, connections: [[0, 60]] }, // 60 min = 100 %: present
  { identity: "dina", name: dina.name, connections: [[10, 55]] }, // 45 min = 75.0 %, not over 75 %, arrived +10 ≤ +15: present
  // Reconnect plus a second tab: union 2–40 and 45–60 = 53 min = 88.3 %: present (not 58 min summed).
  {
    identity: "farah",
    name: farah.name,
    connections: [
      [2, 20],
      [15, 40],
      [45, 62],
    ],
  },
  { identity: "hadi", name: hadi.name, connections: [[20, 65]] }, // 40 min = 66.7 %, arrived +20 > +15: late (20 min)
  { identity: "imran", name: imran.name, connections: [[0, 30]] }, // 30 min = 50.0 %: partial (at or under 50 %)
  { identity: "jana", name: jana.name, connections: [[16, 40]] }, // 24 min = 40.0 %: partial, though late (16 min)
  // karim never joins: absent
  { identity: "lina", name: lina.name, connections: [[30, 35]] }, // 5 min = 8.3 %: absent (under 10 %), though late (30 min)
  { identity: "musa", name: musa.name, connections: [[-30, -5]] }, // only during preparation: absent
  { identity: "visitor", name: "Visitor", connections: [[5, 45]] }, // not on the roster: a guest, 40 min = 66.7 %, on time: present
];
const ENDED_ROWS: Record<
  string,
  { status: string; attended: string; seconds: number; percentage: string; late: string }
> = {
  noor: { status: "present", attended: "60 min", seconds: 3600, percentage: "100.0", late: "—" },
  amal: { status: "present", attended: "60 min", seconds: 3600, percentage: "100.0", late: "—" },
  bilal: { status: "present", attended: "60 min", seconds: 3600, percentage: "100.0", late: "—" },
  dina: { status: "present", attended: "45 min", seconds: 2700, percentage: "75.0", late: "—" },
  farah: { status: "present", attended: "53 min", seconds: 3180, percentage: "88.3", late: "—" },
  hadi: { status: "late", attended: "40 min", seconds: 2400, percentage: "66.7", late: "20" },
  imran: { status: "partial", attended: "30 min", seconds: 1800, percentage: "50.0", late: "—" },
  jana: { status: "partial", attended: "24 min", seconds: 1440, percentage: "40.0", late: "16" },
  karim: { status: "absent", attended: "0 s", seconds: 0, percentage: "0.0", late: "—" },
  lina: { status: "absent", attended: "5 min", seconds: 300, percentage: "8.3", late: "30" },
  musa: { status: "absent", attended: "0 s", seconds: 0, percentage: "0.0", late: "—" },
};

// The live class: five students on the roster.
const LIVE_STREAM: Stream = [
  { identity: "noor", name: noor.name, connections: [[-5, null]] }, // teacher in
  { identity: "amal", name: amal.name, connections: [[-2, null]] }, // in
  {
    identity: "bilal",
    name: bilal.name,
    connections: [
      [3, null],
      [5, null],
    ],
  }, // in, on two devices: one student
  {
    identity: "imran",
    name: imran.name,
    connections: [
      [2, 5],
      [8, null],
    ],
  }, // left and came back: in
  { identity: "hadi", name: hadi.name, connections: [[1, 10]] }, // left
  // karim never joins
  { identity: "visitor", name: "Visitor", connections: [[4, null]] }, // a guest in the room
  { identity: "observer", name: "Observer", connections: [[1, 6]] }, // a guest who left
];

/** Delivers a class's joins and leaves, in time order, signed, through the real webhook route. */
async function deliverStream(request: APIRequestContext, room: RoomRef, start: number, stream: Stream) {
  const events: { at: number; send: () => Promise<void> }[] = [];
  for (const { identity, name, connections } of stream) {
    for (const [from, to] of connections) {
      const who = participant(identity, name, start + from * MIN);
      events.push({ at: start + from * MIN, send: () => join(request, room, who, start + from * MIN) });
      if (to !== null) events.push({ at: start + to * MIN, send: () => leave(request, room, who, start + to * MIN) });
    }
  }
  for (const event of events.sort((a, b) => a.at - b.at)) await event.send();
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */

/** The `rollcall attendance:calculate` summary table as column → value. */
function cliSummary(stdout: string): Record<string, string> {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) =>
    /^sessions\s+skipped\s+students\s+present\s+late\s+partial\s+absent\s+teachers\s+guests\s+failed\s+seconds$/.test(
      line.trim(),
    ),
  );
  expect(header, stdout).toBeGreaterThanOrEqual(0);
  const columns = lines[header]!.trim().split(/\s+/);
  const values = lines[header + 2]!.trim().split(/\s+/);
  expect(values, stdout).toHaveLength(columns.length);
  return Object.fromEntries(columns.map((column, i) => [column, values[i]!]));
}

interface ReportAnswer {
  session: { status: string };
  isCalculated: boolean;
  calculatedAt: string | null;
  counts: Record<"present" | "late" | "partial" | "absent" | "excused", number>;
  teacher: { identity: string; status: string; percentage: number } | null;
  guestCount: number;
  reports: {
    identity: string;
    role: string;
    effectiveStatus: string;
    attendedSeconds: number;
    percentage: number;
    isLate: boolean;
    lateMinutes: number;
  }[];
  guests: { identity: string; role: string; effectiveStatus: string }[];
}
type Tally = { roster: number; inRoom: number; left: number; notJoined: number };
interface PresenceAnswer {
  presence: { status: string; counts: { students: Tally; teachers: Tally; guests: { inRoom: number; left: number } } };
}

test("students, the teacher and guests are counted apart, and the sessions list, session page, API, CSV and CLI all show the same hand-worked counts and state for an ended and a live class", async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  let academy!: Academy;
  let teacher!: { email: string; password: string };
  let admin!: { email: string; password: string };
  const ids = { ended: "", live: "" };

  await test.step("seed an ended and a live class through signed webhooks", async () => {
    await withDatabase(async (db) => {
      academy = await createAcademy(db, `e2e-counts-${now}`);
    });
    const ended = await createClass(request, academy, {
      title: ENDED_TITLE,
      start: ENDED_START,
      minutes: 60,
      teacher: noor,
      students: [amal, bilal, dina, farah, hadi, imran, jana, karim, lina, musa],
    });
    const live = await createClass(request, academy, {
      title: LIVE_TITLE,
      start: LIVE_START,
      minutes: 60,
      teacher: noor,
      students: [amal, bilal, hadi, imran, karim],
    });
    ids.ended = ended.id;
    ids.live = live.id;
    await deliverStream(request, ended.room, ENDED_START, ENDED_STREAM);
    await deliverStream(request, live.room, LIVE_START, LIVE_STREAM);
    await withDatabase(async (db) => {
      teacher = await createUser(db, academy, "teacher", noor.name, noor.externalId);
      admin = await createUser(db, academy, "admin", "Amira Admin");
    });
  });
  const auth = { headers: { authorization: `Bearer ${academy.key}` } };
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await request.get(path, auth);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  };

  await test.step("force the ended class's calculation and wait for it", async () => {
    const response = await request.post(`/api/v1/sessions/${ids.ended}/recalculate`, auth);
    expect(response.status()).toBe(202);
    const queued = (await response.json()) as { requestedAt: string; statusUrl: string };
    expect(queued.statusUrl).toBe(`/api/v1/sessions/${ids.ended}/report`);
    await expect
      .poll(
        async () => {
          const report = await getJson<ReportAnswer>(queued.statusUrl);
          return report.calculatedAt !== null && Date.parse(report.calculatedAt) >= Date.parse(queued.requestedAt);
        },
        { timeout: 60_000, intervals: [250, 500, 1_000] },
      )
      .toBe(true);
    // A live class has no report to calculate yet.
    expect((await request.post(`/api/v1/sessions/${ids.live}/recalculate`, auth)).status()).toBe(409);
  });

  const expectEndedReport = (report: ReportAnswer) => {
    expect(report.session.status).toBe("calculated");
    expect(report.isCalculated).toBe(true);
    expect(report.counts).toEqual({ present: 4, late: 1, partial: 2, absent: 3, excused: 0 });
    expect(report.teacher).toMatchObject({ identity: "noor", status: "present", percentage: 100 });
    expect(report.guestCount).toBe(1);
    expect(report.guests.map((guest) => [guest.identity, guest.role, guest.effectiveStatus])).toEqual([
      ["visitor", "guest", "present"],
    ]);
    expect(report.reports).toHaveLength(11);
    for (const row of report.reports) {
      const expected = ENDED_ROWS[row.identity]!;
      expect({
        identity: row.identity,
        status: row.effectiveStatus,
        seconds: row.attendedSeconds,
        percentage: row.percentage.toFixed(1),
        late: row.isLate ? String(row.lateMinutes) : "—",
      }).toEqual({
        identity: row.identity,
        status: expected.status,
        seconds: expected.seconds,
        percentage: expected.percentage,
        late: expected.late,
      });
    }
  };

  await test.step("API: report, session list by state, session and presence", async () => {
    expectEndedReport(await getJson<ReportAnswer>(`/api/v1/sessions/${ids.ended}/report`));

    const liveReport = await getJson<ReportAnswer>(`/api/v1/sessions/${ids.live}/report`);
    expect(liveReport).toMatchObject({
      session: { status: "live" },
      isCalculated: false,
      calculatedAt: null,
      teacher: null,
      guestCount: 0,
      reports: [],
      guests: [],
    });
    expect(liveReport.counts).toEqual({ present: 0, late: 0, partial: 0, absent: 0, excused: 0 });

    const calculated = await getJson<{ sessions: { id: string; status: string }[] }>(
      "/api/v1/sessions?status=calculated",
    );
    expect(calculated.sessions.map((s) => [s.id, s.status])).toEqual([[ids.ended, "calculated"]]);
    const live = await getJson<{ sessions: { id: string; status: string }[] }>("/api/v1/sessions?status=live");
    expect(live.sessions.map((s) => [s.id, s.status])).toEqual([[ids.live, "live"]]);
    expect((await getJson<{ session: { status: string } }>(`/api/v1/sessions/${ids.ended}`)).session.status).toBe(
      "calculated",
    );
    expect((await getJson<{ session: { status: string } }>(`/api/v1/sessions/${ids.live}`)).session.status).toBe(
      "live",
    );

    const livePresence = (await getJson<PresenceAnswer>(`/api/v1/sessions/${ids.live}/presence`)).presence;
    expect(livePresence.status).toBe("live");
    expect(livePresence.counts).toEqual({
      students: { roster: 5, inRoom: 3, left: 1, notJoined: 1 },
      teachers: { roster: 1, inRoom: 1, left: 0, notJoined: 0 },
      guests: { inRoom: 1, left: 1 },
    });
    const endedPresence = (await getJson<PresenceAnswer>(`/api/v1/sessions/${ids.ended}/presence`)).presence;
    expect(endedPresence.status).toBe("calculated");
    expect(endedPresence.counts).toEqual({
      students: { roster: 10, inRoom: 0, left: 9, notJoined: 1 },
      teachers: { roster: 1, inRoom: 0, left: 1, notJoined: 0 },
      guests: { inRoom: 0, left: 1 },
    });
  });

  await test.step("CSV: rows by role and status", async () => {
    const response = await request.get(`/api/v1/sessions/${ids.ended}/report.csv`, auth);
    expect(response.status()).toBe(200);
    const rows = parseCsvRows(await response.text());
    const tally: Record<string, number> = {};
    for (const row of rows) tally[`${row.role} ${row.status}`] = (tally[`${row.role} ${row.status}`] ?? 0) + 1;
    expect(tally).toEqual({
      "student present": 4,
      "student late": 1,
      "student partial": 2,
      "student absent": 3,
      "teacher present": 1,
      "guest present": 1,
    });
    for (const row of rows.filter((r) => r.role !== "guest")) {
      const expected = ENDED_ROWS[row.livekit_identity!]!;
      expect([row.livekit_identity, row.status, row.attended_seconds, row.percentage]).toEqual([
        row.livekit_identity,
        expected.status,
        String(expected.seconds),
        expected.percentage,
      ]);
    }
    const live = await request.get(`/api/v1/sessions/${ids.live}/report.csv`, auth);
    expect(parseCsvRows(await live.text())).toEqual([]);
  });

  for (const [who, user] of [
    ["teacher", () => teacher],
    ["admin", () => admin],
  ] as const) {
    await test.step(`sessions list and session pages, signed in as the ${who}`, async () => {
      const page = await signIn(browser, user());
      const list = page.getByRole("list", { name: "Sessions" });
      const stateOf = (title: string) =>
        list
          .getByRole("listitem")
          .filter({ has: page.getByRole("link", { name: title, exact: true }) })
          .locator(":scope > div")
          .last();

      await page.goto("/sessions?view=ended");
      await expect(stateOf(ENDED_TITLE)).toHaveText(
        /^calculated\s*students: 4 present · 1 late · 2 partial · 3 absent$/,
      );
      await expect(list.getByRole("link", { name: LIVE_TITLE })).toHaveCount(0);

      await page.goto("/sessions?view=live");
      await expect(stateOf(LIVE_TITLE)).toHaveText(/^live\s*3 of 5 students in the room · teacher in · 1 guest$/);
      await expect(list.getByRole("link", { name: ENDED_TITLE })).toHaveCount(0);

      const pageBadge = page.getByRole("heading", { level: 1 }).locator("xpath=../following-sibling::span");
      await page.goto(`/sessions/${ids.ended}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(ENDED_TITLE);
      await expect(pageBadge).toHaveText("calculated");
      // The page opens on the result: the students' counts, the teacher apart, the guest counted apart.
      const counts = page.getByTestId("report-counts");
      for (const [status, count] of Object.entries({
        present: "4",
        late: "1",
        partial: "2",
        absent: "3",
        excused: "0",
      })) {
        await expect(counts.getByTestId(`summary-${status}`)).toHaveText(count);
      }
      await expect(counts.getByTestId("summary-teacher")).toHaveText(/^present\s*100\.0 %$/);
      await expect(counts).toContainText("1 guest counted apart");
      await expect(counts).toContainText(/Calculated \d+ \w+, [\d:]+\.$/);
      // The students' average, none excused: (100.0 + 100.0 + 75.0 + 88.3 + 66.7 + 50.0 + 40.0 + 0.0 + 8.3 + 0.0) / 10 = 52.83: 52.8 %.
      await expect(counts.getByTestId("summary-average")).toHaveText("52.8 %");
      await expect(page.locator('[data-testid^="report-row-"]')).toHaveCount(11);
      for (const [identity, expected] of Object.entries(ENDED_ROWS)) {
        const cells = page.getByTestId(`report-row-${identity}`).getByRole("cell");
        await expect(cells.nth(0)).toHaveText(expected.status);
        await expect(cells.nth(1)).toHaveText(expected.attended);
        await expect(cells.nth(2)).toHaveText(expected.percentage);
        await expect(cells.nth(5)).toHaveText(expected.late);
      }
      await expect(page.getByTestId("report-row-noor")).toContainText("(teacher)");
      // An ended class keeps who joined the room under a disclosure, below its result.
      await page.getByText("Who joined the room, from the webhooks").click();
      await expect(page.getByTestId("in-room-count")).toHaveText("0 of 10 students");
      // Musa came only during the preparation: he has left, and is absent in the report.
      await expect(page.locator("#left-room > span")).toHaveText("9 students · teacher · 1 guest");
      await expect(page.locator("#not-joined > span")).toHaveText("1 student");

      await page.goto(`/sessions/${ids.live}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(LIVE_TITLE);
      await expect(pageBadge).toHaveText("live");
      await expect(page.getByTestId("in-room-count")).toHaveText("3 of 5 students · teacher · 1 guest");
      await expect(page.locator("#left-room > span")).toHaveText("1 student · 1 guest");
      await expect(page.locator("#not-joined > span")).toHaveText("1 student");
      await expect(page.getByText("The report is calculated after the class")).toBeVisible();
      await expect(page.getByTestId("report-counts")).toHaveCount(0);
      await page.context().close();
    });
  }

  await test.step("CLI: attendance:calculate on the e2e server's embedded database", async () => {
    const env = { DATABASE_URL: "", ROLLCALL_DATA_DIR: E2E_DATA_DIR, ROLLCALL_EMBEDDED_DB_PORT: String(E2E_DB_PORT) };
    const ended = await runCli(["attendance:calculate", ids.ended], env);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain("(shared with the running app)");
    const { seconds, ...endedFigures } = cliSummary(ended.stdout);
    expect(seconds).toMatch(/^\d+\.\d\d$/);
    expect(endedFigures).toEqual({
      sessions: "1",
      skipped: "0",
      students: "10",
      present: "4",
      late: "1",
      partial: "2",
      absent: "3",
      teachers: "1",
      guests: "1",
      failed: "0",
    });

    // A live class is not calculated, forced or not.
    const live = await runCli(["attendance:calculate", ids.live], env);
    expect(live.code, live.stderr).toBe(0);
    const { seconds: _liveSeconds, ...liveFigures } = cliSummary(live.stdout);
    expect(liveFigures).toEqual({
      sessions: "0",
      skipped: "1",
      students: "0",
      present: "0",
      late: "0",
      partial: "0",
      absent: "0",
      teachers: "0",
      guests: "0",
      failed: "0",
    });

    // Calculating again changes no figure (idempotent), and the states stay the same.
    expectEndedReport(await getJson<ReportAnswer>(`/api/v1/sessions/${ids.ended}/report`));
    expect((await getJson<ReportAnswer>(`/api/v1/sessions/${ids.live}/report`)).session.status).toBe("live");
  });
});
