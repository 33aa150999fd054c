import { randomBytes } from "node:crypto";
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
import { parseCsvRows } from "../e2e/support/browser.ts";
import { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

// The CSV files, through real HTTP on both databases: named after the class and its day in the
// academy's zone, times as the academy's wall clock with the offset, rows by name; a student's file
// and the navigation's search keep to what the viewer may see. The academy is in Europe/London: the
// summer class at 23:30 UTC on 3 July 2026 is 00:30 BST on the 4th, so the zone decides its day.
// Every expected cell is worked out by hand from the streams below (rules: grace 15 min, absent
// under 10 %, partial at or under 50 %, present over 75 %; percentages half up to a tenth).
const MIN = 60_000;
const SUMMER = Date.parse("2026-07-03T23:30:00Z");
const WINTER = Date.parse("2026-11-25T17:00:00Z");

describe.each(backends())("exports and search on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key = "";
  let otherKey = "";
  const ids = { summer: "", winter: "", quiz: "", aisha: "", other: "" };
  const cookies = { admin: "", khadija: "", daniel: "", otherAdmin: "" };
  const tag = randomBytes(3).toString("hex");
  const person = (key: string, name: string) => ({
    externalId: `${key}-${tag}`,
    name,
    livekitIdentity: `${key}-${tag}`,
  });
  const khadija = person("khadija", "Ustadha Khadija");
  const daniel = person("daniel", "Mr Daniel Price");
  // The roster in no particular order; the file lists it by name.
  const zaid = person("zaid", "Zaid Nasser");
  const aisha = person("aisha", "Aisha Rahman");
  const omer = person("omer", "Ömer Faruk");
  const omar = person("omar", "Omar Haddad");

  async function deliver(
    room: RoomRef,
    who: { livekitIdentity: string; name: string },
    start: number,
    [from, to]: [number, number],
  ) {
    const participant: ParticipantRef = {
      sid: `PA_${who.livekitIdentity}_${start}`,
      identity: who.livekitIdentity,
      name: who.name,
      joinedAtMs: start + from,
    };
    const events = [
      participantJoined(`EV_${who.livekitIdentity}_${start}_j`, room, participant, start + from),
      participantLeft(`EV_${who.livekitIdentity}_${start}_l`, room, participant, start + to, "CLIENT_INITIATED"),
    ];
    for (const event of events) expect((await postWebhook(backend.baseUrl, toWebhookBody(event))).status).toBe(200);
  }

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const academy = await seedAcademy(db.prisma, "Exports Academy");
    const other = await seedAcademy(db.prisma, "Other Academy");
    key = academy.key;
    otherKey = other.key;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    const signIn = async (academyId: string, role: "admin" | "teacher", name: string, externalId?: string) => {
      const email = `${uniqueName(role)}@example.org`;
      await createDashboardUser(db.prisma, { academyId, role, email, name, password, externalId });
      const signedIn = await client.signIn(email, password);
      expect(signedIn.status).toBe(200);
      return signedIn.cookie;
    };
    cookies.admin = await signIn(academy.academy.id, "admin", "Amina Admin");
    cookies.khadija = await signIn(academy.academy.id, "teacher", khadija.name, khadija.externalId);
    cookies.daniel = await signIn(academy.academy.id, "teacher", daniel.name, daniel.externalId);
    cookies.otherAdmin = await signIn(other.academy.id, "admin", "Other Admin");

    const create = async (title: string, start: number, students: (typeof aisha)[], teacher = khadija) => {
      const roomName = uniqueName("exports");
      const created = await client.api("POST", "/sessions", key, {
        type: "quran",
        title,
        roomName,
        scheduledStart: new Date(start).toISOString(),
        scheduledEnd: new Date(start + 60 * MIN).toISOString(),
        teacher,
        students,
      });
      expect(created.status, created.text).toBe(201);
      return {
        id: (created.json as { session: { id: string } }).session.id,
        room: { sid: `RM_${roomName}`, name: roomName, creationTimeMs: start - 10 * MIN } satisfies RoomRef,
      };
    };
    const summer = await create("Tajweed: Surah Al-Mulk", SUMMER, [zaid, aisha, omer, omar]);
    const winter = await create("Fiqh: Salah", WINTER, [aisha]);
    const quiz = await create("Quiz: 50% pass mark", WINTER + 2 * 60 * MIN, [omar], daniel);
    ids.summer = summer.id;
    ids.winter = winter.id;
    ids.quiz = quiz.id;
    // Summer: the teacher -5 to +61; Aisha +2:17 to +60; Omar +20 to +50; Zaid -3 to +60; Ömer never; a guest +10 to +40.
    await deliver(summer.room, khadija, SUMMER, [-5 * MIN, 61 * MIN]);
    await deliver(summer.room, aisha, SUMMER, [2 * MIN + 17_000, 60 * MIN]);
    await deliver(summer.room, omar, SUMMER, [20 * MIN, 50 * MIN]);
    await deliver(summer.room, zaid, SUMMER, [-3 * MIN, 60 * MIN]);
    await deliver(summer.room, { livekitIdentity: `guest-${tag}`, name: "Visitor" }, SUMMER, [10 * MIN, 40 * MIN]);
    // Winter: Aisha the whole hour.
    await deliver(winter.room, aisha, WINTER, [0, 60 * MIN]);
    const summary = await calculateSessions({
      pool: db.pool,
      sessionIds: [summer.id, winter.id, quiz.id],
      force: true,
      trigger: "manual",
    });
    expect(summary).toMatchObject({ sessions: 3, failures: [] });
    ids.aisha = (
      await db.prisma.person.findFirstOrThrow({
        where: { academyId: academy.academy.id, externalId: aisha.externalId },
      })
    ).id;
  }, 180_000);
  afterAll(() => db.close());

  const get = (path: string, cookie: string) => client.request(path, { cookie });
  const rowsOf = (text: string) => parseCsvRows(text.replace(/^\uFEFF/, ""));
  const cells = (rows: Record<string, string>[], columns: string[]) =>
    rows.map((row) => columns.map((column) => row[column]));

  /** [name, role, status, attended_seconds, percentage, is_late, late_minutes, first_join_at, last_leave_at] of the summer class, by name, the guest last. */
  const SUMMER_ROWS = [
    [
      "Aisha Rahman",
      "student",
      "present",
      "3463",
      "96.2",
      "false",
      "0",
      "2026-07-04T00:32:17+01:00",
      "2026-07-04T01:30:00+01:00",
    ],
    [
      "Omar Haddad",
      "student",
      "partial",
      "1800",
      "50.0",
      "true",
      "20",
      "2026-07-04T00:50:00+01:00",
      "2026-07-04T01:20:00+01:00",
    ],
    ["Ömer Faruk", "student", "absent", "0", "0.0", "false", "0", "", ""],
    [
      "Ustadha Khadija",
      "teacher",
      "present",
      "3600",
      "100.0",
      "false",
      "0",
      "2026-07-04T00:25:00+01:00",
      "2026-07-04T01:31:00+01:00",
    ],
    [
      "Zaid Nasser",
      "student",
      "present",
      "3600",
      "100.0",
      "false",
      "0",
      "2026-07-04T00:27:00+01:00",
      "2026-07-04T01:30:00+01:00",
    ],
    ["", "guest", "partial", "1800", "50.0", "false", "0", "2026-07-04T00:40:00+01:00", "2026-07-04T01:10:00+01:00"],
  ];
  const COLUMNS = [
    "person_name",
    "role",
    "status",
    "attended_seconds",
    "percentage",
    "is_late",
    "late_minutes",
    "first_join_at",
    "last_leave_at",
  ];

  test("a session's CSV, from the academy API and the dashboard: named after the class and its day there, times with the offset, rows by name", async () => {
    const api = await client.api("GET", `/sessions/${ids.summer}/report.csv`, key);
    const dashboard = await get(`/api/dashboard/sessions/${ids.summer}/report.csv`, cookies.khadija);
    for (const answer of [api, dashboard]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-disposition")).toBe(
        'attachment; filename="tajweed-surah-al-mulk-2026-07-04.csv"',
      );
      const rows = rowsOf(answer.text);
      expect(cells(rows, COLUMNS)).toEqual(SUMMER_ROWS);
      expect(new Set(rows.map((row) => `${row.scheduled_start} ${row.scheduled_end}`))).toEqual(
        new Set(["2026-07-04T00:30:00+01:00 2026-07-04T01:30:00+01:00"]),
      );
      // The existing columns, in their order (the last change of an override, the report's fingerprint and its policy version appended), and the figures as before.
      expect(answer.text.replace(/^\uFEFF/, "").split("\r\n")[0]).toBe(
        "session_id,session_title,session_type,scheduled_start,scheduled_end,person_external_id,person_name,livekit_identity,role,status,calculated_status,override_status,override_note,overridden_by,attended,attended_seconds,session_seconds,percentage,is_late,late_minutes,first_join_at,last_leave_at,explanation,calculated_at,last_change,last_changed_by,last_changed_at,report_fingerprint,policy_version",
      );
      expect(rows[0]).toMatchObject({
        session_title: "Tajweed: Surah Al-Mulk",
        attended: "57 min 43 s of 60 min",
        session_seconds: "3600",
        calculated_at: expect.stringMatching(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/),
        report_fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        // Calculated once, with the academy's first policy.
        policy_version: "1",
      });
    }
    expect(api.text).toBe(dashboard.text);

    // In November London is on GMT: +00:00, and the day is the UTC one.
    const winter = await client.api("GET", `/sessions/${ids.winter}/report.csv`, key);
    expect(winter.headers.get("content-disposition")).toBe('attachment; filename="fiqh-salah-2026-11-25.csv"');
    // The teacher never came: her row says so, in its place by name.
    expect(cells(rowsOf(winter.text), ["person_name", "scheduled_start", "first_join_at", "status"])).toEqual([
      ["Aisha Rahman", "2026-11-25T17:00:00+00:00", "2026-11-25T17:00:00+00:00", "present"],
      ["Ustadha Khadija", "2026-11-25T17:00:00+00:00", "", "absent"],
    ]);

    // The range export takes the same rows, sessions in time order, each by name.
    const range = await client.api("GET", `/reports.csv?from=2026-07-01T00:00:00Z&to=2026-12-01T00:00:00Z`, key);
    expect(range.status).toBe(200);
    expect(rowsOf(range.text).map((row) => [row.session_title, row.person_name])).toEqual([
      ...SUMMER_ROWS.map((row) => ["Tajweed: Surah Al-Mulk", row[0]]),
      ["Fiqh: Salah", "Aisha Rahman"],
      ["Fiqh: Salah", "Ustadha Khadija"],
      ["Quiz: 50% pass mark", "Mr Daniel Price"],
      ["Quiz: 50% pass mark", "Omar Haddad"],
    ]);
  });

  test("a student's CSV: her rows in time order, named after her and the range, within what the viewer may see", async () => {
    const path = `/api/dashboard/students/${ids.aisha}/attendance.csv`;
    const all = await get(path, cookies.admin);
    expect(all.status).toBe(200);
    expect(all.headers.get("content-disposition")).toBe('attachment; filename="aisha-rahman.csv"');
    expect(
      cells(rowsOf(all.text), ["session_title", "scheduled_start", "person_name", "status", "percentage"]),
    ).toEqual([
      ["Tajweed: Surah Al-Mulk", "2026-07-04T00:30:00+01:00", "Aisha Rahman", "present", "96.2"],
      ["Fiqh: Salah", "2026-11-25T17:00:00+00:00", "Aisha Rahman", "present", "100.0"],
    ]);
    // The range is days in the academy's zone: 4 July holds the class of 23:30 UTC on the 3rd.
    const july = await get(`${path}?from=2026-07-04&to=2026-07-04`, cookies.khadija);
    expect(july.headers.get("content-disposition")).toBe('attachment; filename="aisha-rahman-2026-07-04.csv"');
    expect(rowsOf(july.text).map((row) => row.session_title)).toEqual(["Tajweed: Surah Al-Mulk"]);
    expect(rowsOf((await get(`${path}?from=2026-07-03&to=2026-07-03`, cookies.admin)).text)).toEqual([]);
    expect((await get(`${path}?from=2026-07-05&to=2026-07-04`, cookies.admin)).status).toBe(422);
    // Daniel teaches none of her classes; another academy does not have her; without a session, 401.
    expect((await get(path, cookies.daniel)).status).toBe(404);
    expect((await get(path, cookies.otherAdmin)).status).toBe(404);
    expect((await client.request(path)).status).toBe(401);
    expect((await client.request(path, { key })).status).toBe(401);
  });

  test("the sessions list: an empty teacher ('All teachers') is no filter", async () => {
    const page = await get("/sessions?view=all&type=&teacher=&from=2026-07-01&to=2026-11-30", cookies.admin);
    expect(page.status).toBe(200);
    for (const title of ["Tajweed: Surah Al-Mulk", "Fiqh: Salah", "Quiz: 50% pass mark"])
      expect(page.text, title).toContain(title);
    const july = await get("/sessions?view=all&teacher=&from=2026-07-04&to=2026-07-04", cookies.admin);
    expect(july.text).toContain("Tajweed: Surah Al-Mulk");
    expect(july.text).not.toContain("Fiqh: Salah");
  });

  test("the navigation's search: students and classes the viewer may see, LIKE's characters taken literally", async () => {
    const search = async (q: string, cookie: string) => {
      const answer = await get(`/api/dashboard/search?q=${encodeURIComponent(q)}`, cookie);
      expect(answer.status, q).toBe(200);
      const json = answer.json as {
        students: { id: string; name: string }[];
        sessions: { id: string; title: string }[];
      };
      return [json.students.map((s) => s.name), json.sessions.map((s) => s.title)];
    };
    expect(await search("AISHA", cookies.admin)).toEqual([["Aisha Rahman"], []]);
    // "om" is not "Öm": the search matches the letters as written.
    expect(await search("om", cookies.admin)).toEqual([["Omar Haddad"], []]);
    expect(await search("Ömer", cookies.admin)).toEqual([["Ömer Faruk"], []]);
    expect(await search("a", cookies.admin)).toEqual([[], []]);
    expect(await search("salah", cookies.khadija)).toEqual([[], ["Fiqh: Salah"]]);
    // "0%" is the text, not a wildcard: only the quiz's title has it.
    expect(await search("0%", cookies.admin)).toEqual([[], ["Quiz: 50% pass mark"]]);
    expect(await search("%_", cookies.admin)).toEqual([[], []]);
    // Daniel sees his quiz and its student, not Khadija's classes or her other students.
    expect(await search("a", cookies.daniel)).toEqual([[], []]);
    expect(await search("ma", cookies.daniel)).toEqual([["Omar Haddad"], ["Quiz: 50% pass mark"]]);
    expect(await search("aisha", cookies.daniel)).toEqual([[], []]);
    expect(await search("salah", cookies.daniel)).toEqual([[], []]);
    expect(await search("aisha", cookies.otherAdmin)).toEqual([[], []]);
    expect((await client.request("/api/dashboard/search?q=aisha")).status).toBe(401);
    expect((await client.request("/api/dashboard/search?q=aisha", { key: otherKey })).status).toBe(401);
  });
});
