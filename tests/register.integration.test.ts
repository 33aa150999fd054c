import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { formatDateTime } from "../lib/time/format.ts";
import { parseCsv } from "../e2e/support/browser.ts";
import { Client, type Answer } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { assembleStreamedHtml } from "./support/streamed-html.ts";

// October 2025 at an academy in Europe/London: British Summer Time (+01:00) until 26 October, GMT
// (+00:00) after. Every expected figure is worked out by hand from the streams below and the
// README's definitions (status rules; missed = absent + excused; rate = (present + late) ÷
// (calculated − excused)), never read from another view.
const MIN = 60_000;
const RANGE = "from=2025-10-01&to=2025-10-31";

interface Student {
  externalId: string;
  name: string;
  livekitIdentity: string;
}

/** Connections in minutes from the class start: [join, leave]. */
type Stream = Record<string, [number, number][]>;

interface ClassPlan {
  key: string;
  title: string;
  start: string;
  teacher: "khadija" | "daniel";
  students: string[];
  stream: Stream;
  calculate: boolean;
  cancel?: boolean;
}

const CLASSES: ClassPlan[] = [
  // 1 Oct 00:30 in London (BST), 30 Sep 23:30 UTC: inside the range, which is in the academy's zone.
  {
    key: "fiqh",
    title: "Fiqh: Salah",
    start: "2025-09-30T23:30:00Z",
    teacher: "khadija",
    students: ["aisha", "omar"],
    stream: { khadija: [[-5, 61]], aisha: [[0, 60]] },
    calculate: true,
  },
  // Aisha the whole hour (present); Omar from +20 (40 min = 66.7 %, arrived after the 15-minute grace: late); Yusuf never (absent).
  {
    key: "mulk",
    title: "Tajweed: Al-Mulk",
    start: "2025-10-06T16:00:00Z",
    teacher: "khadija",
    students: ["aisha", "omar", "yusuf"],
    stream: { khadija: [[-5, 61]], aisha: [[-2, 62]], omar: [[20, 60]] },
    calculate: true,
  },
  // Daniel's class: Aisha present, Zaid absent.
  {
    key: "algebra",
    title: "Algebra: fractions",
    start: "2025-10-08T15:00:00Z",
    teacher: "daniel",
    students: ["aisha", "zaid"],
    stream: { daniel: [[0, 60]], aisha: [[0, 60]] },
    calculate: true,
  },
  // Aisha present; Omar absent, then excused; Yusuf 0–30 (30 min = 50.0 %: partial).
  {
    key: "qalam",
    title: "Tajweed: Al-Qalam",
    start: "2025-10-13T16:00:00Z",
    teacher: "khadija",
    students: ["aisha", "omar", "yusuf"],
    stream: { khadija: [[0, 60]], aisha: [[0, 60]], yusuf: [[0, 30]] },
    calculate: true,
  },
  // Cancelled: left out.
  {
    key: "cancelled",
    title: "Tajweed: cancelled",
    start: "2025-10-20T16:00:00Z",
    teacher: "khadija",
    students: ["aisha", "omar", "yusuf"],
    stream: {},
    calculate: false,
    cancel: true,
  },
  // After the clocks went back (GMT): Aisha present; Omar and Yusuf absent.
  {
    key: "haqqah",
    title: "Tajweed: Al-Haqqah",
    start: "2025-10-27T17:00:00Z",
    teacher: "khadija",
    students: ["aisha", "omar", "yusuf"],
    stream: { khadija: [[0, 60]], aisha: [[0, 60]] },
    calculate: true,
  },
  // Ended but not calculated: its state instead of results.
  {
    key: "fajr",
    title: "Tajweed: Al-Fajr",
    start: "2025-10-29T17:00:00Z",
    teacher: "khadija",
    students: ["aisha", "omar", "yusuf"],
    stream: { aisha: [[0, 60]] },
    calculate: false,
  },
  // 1 Nov 00:30 in London (GMT): outside the range.
  {
    key: "november",
    title: "Tajweed: November",
    start: "2025-11-01T00:30:00Z",
    teacher: "khadija",
    students: ["aisha"],
    stream: {},
    calculate: true,
  },
];

/** Khadija's register for October, by name: [name, cells in time order..., present, late, partial, absent, excused, missed, rate %, rate]. */
const KHADIJA_HEADER = [
  "Student",
  "LMS id",
  "2025-10-01T00:30+01:00 Fiqh: Salah",
  "2025-10-06T17:00+01:00 Tajweed: Al-Mulk",
  "2025-10-13T17:00+01:00 Tajweed: Al-Qalam",
  "2025-10-27T17:00+00:00 Tajweed: Al-Haqqah",
  "2025-10-29T17:00+00:00 Tajweed: Al-Fajr",
  "Present",
  "Late",
  "Partial",
  "Absent",
  "Excused",
  "Missed",
  "Rate %",
  "Attendance rate",
];
/** The CSV's header: the page's columns, then one "Change by hand" column per class, in the same order. */
const KHADIJA_CSV_HEADER = [...KHADIJA_HEADER, ...KHADIJA_HEADER.slice(2, 7).map((c) => `Change by hand: ${c}`)];
const KHADIJA_ROWS = [
  [
    "Aisha Rahman",
    "present",
    "present",
    "present",
    "present",
    "ended, awaiting calculation",
    "4",
    "0",
    "0",
    "0",
    "0",
    "0",
    "100",
    "100 % (4 of 4)",
  ],
  [
    "Omar Haddad",
    "absent",
    "late",
    "excused (doctor's letter)",
    "absent",
    "ended, awaiting calculation",
    "0",
    "1",
    "0",
    "2",
    "1",
    "3",
    "33",
    "33 % (1 of 3)",
  ],
  [
    "Yusuf Karim",
    "",
    "absent",
    "partial",
    "absent",
    "ended, awaiting calculation",
    "0",
    "0",
    "1",
    "2",
    "0",
    "2",
    "0",
    "0 % (0 of 3)",
  ],
];
const KHADIJA_CLASS_TOTALS: Record<string, string[]> = {
  present: ["1", "1", "1", "1", ""],
  late: ["0", "1", "0", "0", ""],
  partial: ["0", "0", "1", "0", ""],
  absent: ["1", "1", "0", "2", ""],
  excused: ["0", "0", "1", "0", ""],
};

const decode = (text: string) =>
  text
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** The register page's grid as the server rendered it: column ids, rows [name, cells..., totals...], class totals. */
function readPage(streamed: string) {
  const html = assembleStreamedHtml(streamed);
  const columns = [...html.matchAll(/data-column="([^"]+)"/g)].map((m) => m[1]!);
  const rows = [...html.matchAll(/<tr[^>]*data-register-row="[^"]+"[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) => {
    const name = decode(/<th[^>]*scope="row"[^>]*>[\s\S]*?<a[^>]*>([^<]*)<\/a>/.exec(row!)![1]!);
    const cells = [...row!.matchAll(/data-cell="([^"]*)"/g)].map((m) => decode(m[1]!));
    const totals = [...row!.matchAll(/data-total="(\w+)"[^>]*>([^<]*)</g)].map((m) => decode(m[2]!));
    return [name, ...cells, ...totals];
  });
  const classTotals = Object.fromEntries(
    [...html.matchAll(/<tr[^>]*data-class-total="(\w+)"[^>]*>([\s\S]*?)<\/tr>/g)].map(([, status, row]) => [
      status!,
      [...row!.matchAll(/data-count="([^"]*)"/g)].map((m) => m[1]!),
    ]),
  );
  return { columns, rows, classTotals };
}

/** An export's row without its LMS id (the page shows the name alone). */
const withoutId = (row: string[]) => [row[0]!, ...row.slice(2)];
/** The page's row shape from a row without its LMS id: the name, the cells, the totals but "Rate %". */
const asPageRow = (row: string[]) => [...row.slice(0, -2), row.at(-1)!];

async function readXlsx(buffer: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer);
  const sheet = workbook.getWorksheet("Register")!;
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) cells.push(row.getCell(i).text);
    rows.push(cells);
  });
  return { sheet, rows };
}

describe.each(backends())("the register on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  const ids: Record<string, string> = {};
  const cookies = { khadija: "", daniel: "", admin: "", adminB: "" };
  let khadijaPersonId = "";
  let keyA = "";
  let keyB = "";
  let markersA: string[] = [];
  /** Omar's excuse in Al-Qalam: who set it and when, as the override's answer says. */
  let omarExcuse = { by: "", at: "" };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const a = await seedAcademy(db.prisma, "Register Academy");
    const b = await seedAcademy(db.prisma, "Other Academy");
    keyA = a.key;
    keyB = b.key;
    const tag = randomBytes(3).toString("hex");
    const teachers = {
      khadija: { externalId: `t-khadija-${tag}`, name: "Ustadha Khadija", livekitIdentity: `khadija-${tag}` },
      daniel: { externalId: `t-daniel-${tag}`, name: "Mr Daniel Price", livekitIdentity: `daniel-${tag}` },
    };
    const students: Record<string, Student> = Object.fromEntries(
      [
        ["aisha", "Aisha Rahman"],
        ["omar", "Omar Haddad"],
        ["yusuf", "Yusuf Karim"],
        ["zaid", "Zaid Nasser"],
      ].map(([key, name]) => [key, { externalId: `s-${key}-${tag}`, name: name!, livekitIdentity: `${key}-${tag}` }]),
    );
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    const signIn = async (academyId: string, role: "admin" | "teacher", name: string, externalId?: string) => {
      const email = `${uniqueName(role)}@example.org`;
      const { personId } = await createDashboardUser(db.prisma, { academyId, role, email, name, password, externalId });
      const signedIn = await client.signIn(email, password);
      expect(signedIn.status).toBe(200);
      return { cookie: signedIn.cookie, personId };
    };
    const khadija = await signIn(a.academy.id, "teacher", teachers.khadija.name, teachers.khadija.externalId);
    cookies.khadija = khadija.cookie;
    khadijaPersonId = khadija.personId;
    cookies.daniel = (await signIn(a.academy.id, "teacher", teachers.daniel.name, teachers.daniel.externalId)).cookie;
    cookies.admin = (await signIn(a.academy.id, "admin", "Amina Admin")).cookie;
    cookies.adminB = (await signIn(b.academy.id, "admin", "Other Admin")).cookie;

    for (const plan of CLASSES) {
      const start = Date.parse(plan.start);
      const roomName = uniqueName(`register-${plan.key}`);
      const created = await client.api("POST", "/sessions", a.key, {
        type: plan.key === "algebra" ? "academic" : "quran",
        title: plan.title,
        roomName,
        scheduledStart: new Date(start).toISOString(),
        scheduledEnd: new Date(start + 60 * MIN).toISOString(),
        teacher: teachers[plan.teacher],
        students: plan.students.map((key) => students[key]!),
      });
      expect(created.status, created.text).toBe(201);
      ids[plan.key] = (created.json as { session: { id: string } }).session.id;
      const room: RoomRef = { sid: `RM_${plan.key}_${tag}`, name: roomName, creationTimeMs: start - 10 * MIN };
      for (const [who, connections] of Object.entries(plan.stream)) {
        const identity = who in teachers ? teachers[who as keyof typeof teachers] : students[who]!;
        for (const [i, [from, to]] of connections.entries()) {
          const participant: ParticipantRef = {
            sid: `PA_${plan.key}_${who}_${i}_${tag}`,
            identity: identity.livekitIdentity,
            name: identity.name,
            joinedAtMs: start + from * MIN,
          };
          const events = [
            participantJoined(`EV_${plan.key}_${who}_${i}_j_${tag}`, room, participant, start + from * MIN),
            participantLeft(
              `EV_${plan.key}_${who}_${i}_l_${tag}`,
              room,
              participant,
              start + to * MIN,
              "CLIENT_INITIATED",
            ),
          ];
          for (const event of events)
            expect((await postWebhook(backend.baseUrl, toWebhookBody(event))).status).toBe(200);
        }
      }
      if (plan.cancel) expect((await client.api("POST", `/sessions/${ids[plan.key]}/cancel`, a.key)).status).toBe(200);
    }
    const toCalculate = CLASSES.filter((plan) => plan.calculate).map((plan) => ids[plan.key]!);
    const summary = await calculateSessions({ pool: db.pool, sessionIds: toCalculate, force: true, trigger: "manual" });
    expect(summary).toMatchObject({ sessions: toCalculate.length, failures: [] });
    const excused = await client.api(
      "PUT",
      `/sessions/${ids.qalam}/reports/${encodeURIComponent(students.omar!.livekitIdentity)}/override`,
      a.key,
      { status: "excused", note: "doctor's letter" },
    );
    expect(excused.status, excused.text).toBe(200);
    omarExcuse = (
      excused.json as { report: { overrideHistory: { by: string; at: string }[] } }
    ).report.overrideHistory.at(-1)!;

    // Academy B has a class in October too, which nobody in A may see.
    const other = await client.api("POST", "/sessions", b.key, {
      type: "quran",
      title: `Elsewhere ${tag}`,
      roomName: uniqueName("register-b"),
      scheduledStart: "2025-10-15T10:00:00Z",
      scheduledEnd: "2025-10-15T11:00:00Z",
      teacher: { externalId: `t-b-${tag}`, name: `Teacher B ${tag}`, livekitIdentity: `b-${tag}` },
      students: [{ externalId: `s-b-${tag}`, name: `Student B ${tag}`, livekitIdentity: `sb-${tag}` }],
    });
    expect(other.status).toBe(201);
    markersA = [
      "Aisha Rahman",
      "Omar Haddad",
      "Yusuf Karim",
      "Zaid Nasser",
      "Tajweed: Al-Mulk",
      "Algebra: fractions",
      "doctor&#x27;s letter",
      "doctor's letter",
      ...Object.values(ids),
    ];
  }, 180_000);
  afterAll(() => db.close());

  const get = (path: string, cookie: string) => client.request(path, { cookie });
  const getBinary = async (path: string, cookie: string) => {
    const response = await fetch(`${backend.baseUrl}${path}`, { headers: { cookie } });
    return { status: response.status, headers: response.headers, body: await response.arrayBuffer() };
  };
  const expectNoMarkers = (answer: Pick<Answer, "text">, markers: string[], what: string) => {
    expect(
      markers.filter((marker) => answer.text.includes(marker)),
      what,
    ).toEqual([]);
  };

  test("a teacher's page, CSV and XLSX show her classes only, with the same hand-worked cells and totals", async () => {
    const page = await get(`/register?${RANGE}`, cookies.khadija);
    expect(page.status).toBe(200);
    const grid = readPage(page.text);
    expect(grid.columns).toEqual([ids.fiqh, ids.mulk, ids.qalam, ids.haqqah, ids.fajr]);
    expect(grid.rows).toEqual(KHADIJA_ROWS.map(asPageRow));
    expect(grid.classTotals).toEqual(KHADIJA_CLASS_TOTALS);
    for (const hidden of ["Algebra: fractions", "Tajweed: cancelled", "Tajweed: November", "Zaid Nasser", "Elsewhere"])
      expect(page.text, hidden).not.toContain(hidden);

    const csv = await client.request(`/api/dashboard/register.csv?${RANGE}`, { cookie: cookies.khadija });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(
      'attachment; filename="register-ustadha-khadija-2025-10-01-to-2025-10-31.csv"',
    );
    const records = parseCsv(csv.text.replace(/^\uFEFF/, ""));
    expect(records[0]).toEqual(KHADIJA_CSV_HEADER);
    const pageColumns = (row: string[]) => row.slice(0, KHADIJA_HEADER.length);
    const csvStudents = records.slice(1, 4).map((row) => withoutId(pageColumns(row)));
    expect(csvStudents).toEqual(KHADIJA_ROWS);
    // After the totals, each class's change by hand: only Omar's excuse in Al-Qalam (the third
    // class), set through the LMS's key "test", calculated absent (he never joined), at its time in London.
    expect(omarExcuse.by).toBe('API key "test"');
    const omarChange = `excused, calculated absent; set by API key "test" on ${formatDateTime(omarExcuse.at, "Europe/London")}`;
    expect(records.slice(1, 4).map((row) => row.slice(KHADIJA_HEADER.length))).toEqual([
      ["", "", "", "", ""],
      ["", "", omarChange, "", ""],
      ["", "", "", "", ""],
    ]);
    expect(records.slice(1, 4).map((row) => row[1])).toEqual(
      ["s-aisha", "s-omar", "s-yusuf"].map((prefix) => expect.stringMatching(new RegExp(`^${prefix}-`))),
    );
    const footer = Object.fromEntries(records.slice(4).map((row) => [row[0]!, row.slice(2, 7)]));
    expect(footer).toMatchObject({
      "Class total: present": KHADIJA_CLASS_TOTALS.present,
      "Class total: absent": KHADIJA_CLASS_TOTALS.absent,
      "Class total: excused": KHADIJA_CLASS_TOTALS.excused,
      "Class state": ["calculated", "calculated", "calculated", "calculated", "ended, awaiting calculation"],
      "Session id": [ids.fiqh, ids.mulk, ids.qalam, ids.haqqah, ids.fajr],
      Report: [ids.fiqh, ids.mulk, ids.qalam, ids.haqqah, ids.fajr].map((id) => `${backend.baseUrl}/sessions/${id}`),
    });
    // The page and the CSV agree cell for cell.
    expect(csvStudents.map(asPageRow)).toEqual(grid.rows);

    const xlsx = await getBinary(`/api/dashboard/register.xlsx?${RANGE}`, cookies.khadija);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(xlsx.headers.get("content-disposition")).toBe(
      'attachment; filename="register-ustadha-khadija-2025-10-01-to-2025-10-31.xlsx"',
    );
    const { sheet, rows } = await readXlsx(xlsx.body);
    // The XLSX holds exactly the CSV's cells but the changes by hand (its cell notes say them).
    expect(rows).toEqual(records.filter((row) => row.length > 1).map(pageColumns));
    expect(sheet.views[0]).toMatchObject({ state: "frozen", xSplit: 2, ySplit: 1 });
    const header = sheet.getRow(1);
    expect(header.getCell(4).value).toMatchObject({
      text: "2025-10-06T17:00+01:00 Tajweed: Al-Mulk",
      hyperlink: `${backend.baseUrl}/sessions/${ids.mulk}`,
    });
    // Omar's totals are numbers in the workbook: 3 missed, rate 33.
    const omar = sheet.getRow(3);
    expect([omar.getCell(1).value, omar.getCell(5).value, omar.getCell(13).value, omar.getCell(14).value]).toEqual([
      "Omar Haddad",
      "excused (doctor's letter)",
      3,
      33,
    ]);
    // …and his excuse's cell note says what the CSV's column does.
    expect(omar.getCell(5).note).toBe(omarChange);
  });

  test("who missed more than two classes: Omar alone, with his excuse", async () => {
    const page = await get(`/register?${RANGE}&sort=missed&missedOver=2`, cookies.khadija);
    expect(page.status).toBe(200);
    expect(readPage(page.text).rows).toEqual([asPageRow(KHADIJA_ROWS[1]!)]);
    expect(page.text).toContain("1 of 3 students (missed more than 2)");
    const csv = parseCsv(
      (await get(`/api/dashboard/register.csv?${RANGE}&sort=missed&missedOver=2`, cookies.khadija)).text.replace(
        /^\uFEFF/,
        "",
      ),
    );
    expect(csv.slice(1, -9).map((row) => withoutId(row.slice(0, KHADIJA_HEADER.length)))).toEqual([KHADIJA_ROWS[1]]);
    // Most missed first, without the filter: Omar (3), Yusuf (2), Aisha (0).
    const sorted = readPage((await get(`/register?${RANGE}&sort=missed`, cookies.khadija)).text);
    expect(sorted.rows.map((row) => row[0])).toEqual(["Omar Haddad", "Yusuf Karim", "Aisha Rahman"]);
  });

  test("an admin sees the academy, a teacher filter and a series; another teacher and another academy see none of it", async () => {
    const admin = readPage((await get(`/register?${RANGE}`, cookies.admin)).text);
    expect(admin.columns).toEqual([ids.fiqh, ids.mulk, ids.algebra, ids.qalam, ids.haqqah, ids.fajr]);
    expect(admin.rows.map((row) => [row[0], row.at(-2), row.at(-1)])).toEqual([
      ["Aisha Rahman", "0", "100 % (5 of 5)"],
      ["Omar Haddad", "3", "33 % (1 of 3)"],
      ["Yusuf Karim", "2", "0 % (0 of 3)"],
      ["Zaid Nasser", "1", "0 % (0 of 1)"],
    ]);
    const series = readPage(
      (await get(`/register?${RANGE}&series=${encodeURIComponent(`${khadijaPersonId}|Tajweed`)}`, cookies.admin)).text,
    );
    expect(series.columns).toEqual([ids.mulk, ids.qalam, ids.haqqah, ids.fajr]);
    expect(series.rows.map((row) => row[0])).toEqual(["Aisha Rahman", "Omar Haddad", "Yusuf Karim"]);
    const seriesCsv = await get(
      `/api/dashboard/register.csv?${RANGE}&series=${encodeURIComponent(`${khadijaPersonId}|Tajweed`)}&type=quran`,
      cookies.admin,
    );
    expect(seriesCsv.headers.get("content-disposition")).toBe(
      'attachment; filename="register-quran-ustadha-khadija-tajweed-2025-10-01-to-2025-10-31.csv"',
    );

    // Daniel sees his one class; Khadija's teacher filter is ignored for him.
    for (const path of [`/register?${RANGE}`, `/register?${RANGE}&teacher=${khadijaPersonId}`]) {
      const daniel = await get(path, cookies.daniel);
      expect(daniel.status).toBe(200);
      expect(readPage(daniel.text).columns).toEqual([ids.algebra]);
      expect(readPage(daniel.text).rows.map((row) => row[0])).toEqual(["Aisha Rahman", "Zaid Nasser"]);
      expect(daniel.text).not.toContain("Omar Haddad");
    }
    const danielCsv = await get(`/api/dashboard/register.csv?${RANGE}&teacher=${khadijaPersonId}`, cookies.daniel);
    expect(parseCsv(danielCsv.text.replace(/^\uFEFF/, ""))[0]).toEqual([
      "Student",
      "LMS id",
      "2025-10-08T16:00+01:00 Algebra: fractions",
      ...KHADIJA_HEADER.slice(7),
      "Change by hand: 2025-10-08T16:00+01:00 Algebra: fractions",
    ]);

    // Another academy's admin: the page, the CSV and the XLSX hold nothing of A, even naming A's teacher.
    for (const path of [
      `/register?${RANGE}`,
      `/register?${RANGE}&teacher=${khadijaPersonId}`,
      `/api/dashboard/register.csv?${RANGE}&teacher=${khadijaPersonId}`,
      `/api/dashboard/register.csv?${RANGE}`,
    ]) {
      const answer = await get(path, cookies.adminB);
      expect(answer.status, path).toBe(200);
      expectNoMarkers(answer, markersA, `${path} as B's admin`);
    }
    const bXlsx = await readXlsx((await getBinary(`/api/dashboard/register.xlsx?${RANGE}`, cookies.adminB)).body);
    expect(bXlsx.rows[1]![0]).toBe(`Student B ${bXlsx.rows[0]![2]!.split(" ").at(-1)}`);
    expect(bXlsx.rows.flat().filter((cell) => markersA.includes(cell))).toEqual([]);
  });

  test("without a session the exports are 401 and the page sends to sign-in; the academy API's register is the academy's", async () => {
    for (const path of [`/api/dashboard/register.csv?${RANGE}`, `/api/dashboard/register.xlsx?${RANGE}`]) {
      expect((await client.request(path)).status, path).toBe(401);
      expect((await client.request(path, { key: keyA })).status, `${path} with an API key`).toBe(401);
    }
    const anonymous = await client.request(`/register?${RANGE}`);
    expect([303, 307]).toContain(anonymous.status);
    expect(anonymous.location).toBe(`/sign-in?next=${encodeURIComponent(`/register?${RANGE}`)}`);

    const lms = await client.api("GET", `/register.csv?${RANGE}`, keyA);
    expect(lms.status).toBe(200);
    expect(lms.headers.get("content-disposition")).toBe('attachment; filename="register-2025-10-01-to-2025-10-31.csv"');
    const adminCsv = await get(`/api/dashboard/register.csv?${RANGE}`, cookies.admin);
    expect(lms.text).toBe(adminCsv.text);
    const teacherExternalId = (await db.prisma.person.findUniqueOrThrow({ where: { id: khadijaPersonId } })).externalId;
    const lmsKhadija = await client.api(
      "GET",
      `/register.csv?${RANGE}&teacher=${encodeURIComponent(teacherExternalId)}`,
      keyA,
    );
    expect(lmsKhadija.text).toBe((await get(`/api/dashboard/register.csv?${RANGE}`, cookies.khadija)).text);

    expect((await client.api("GET", `/register.csv?${RANGE}`, null)).status).toBe(401);
    const foreign = await client.api("GET", `/register.csv?${RANGE}`, keyB);
    expect(foreign.status).toBe(200);
    expectNoMarkers(foreign, markersA, "B's register.csv");
    expect(
      (await client.api("GET", `/register.csv?${RANGE}&teacher=${encodeURIComponent(teacherExternalId)}`, keyB)).status,
    ).toBe(404);
    const refused = [
      ["from=2025-10-31&to=2025-10-01", 422],
      ["from=2025-10-01", 422],
      [`${RANGE}&colour=blue`, 422],
      ["from=2025-01-01&to=2026-01-02", 422],
    ] as const;
    for (const [query, status] of refused)
      expect((await client.api("GET", `/register.csv?${query}`, keyA)).status, query).toBe(status);
  });

  test("an impossible range is said on the page and refused by the exports", async () => {
    const page = await get("/register?from=2025-10-31&to=2025-10-01", cookies.khadija);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      "The range ends (2025-10-01) before it starts (2025-10-31): choose an end on or after the start.",
    );
    const csv = await get("/api/dashboard/register.csv?from=2025-10-31&to=2025-10-01", cookies.khadija);
    expect(csv.status).toBe(422);
    expect((csv.json as { error: { code: string } }).error.code).toBe("validation_failed");
  });
});
