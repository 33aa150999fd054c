// Every mark can be traced: each override and each removal of one is appended to the report's
// history (who, when, from what to what, the note), never overwritten; the database refuses to
// change or remove an event; a recalculation that changes the calculated value under an override
// keeps the override and says so in the same history; another teacher can neither read nor write
// a class's history (404, like a missing class); the CSV carries the result, the calculated value
// and the last change by hand, and the register's cell (its title, the XLSX's note) says them too.
//
// The class, worked out by hand: 60 minutes, ended an hour ago. The teacher attends all of it;
// Yusuf never comes, so he is calculated "absent". Removing an override he does not have appends
// nothing. Then:
//   1. the LMS (API key "test") excuses him, "sick note":       absent  → excused, calculated absent
//   2. his teacher removes the excuse (the dashboard):          excused → absent,  calculated absent
//   3. his teacher excuses him again, "doctor's letter":        absent  → excused, calculated absent
//   4. webhooks arrive late showing Yusuf in all 60 minutes; a recalculation makes him "present"
//      under the excuse, which stays:                            recalculated absent → present
//   A second recalculation changes nothing and appends nothing.
import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import { formatDateTime } from "../lib/time/format.ts";
import { zonedIso } from "../lib/time/zoned-time.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { Client, type Answer } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;

interface EventView {
  action: string;
  at: string;
  by: string | null;
  from: string | null;
  to: string | null;
  calculatedStatus: string;
  note: string | null;
}
interface RowView {
  identity: string;
  status: string;
  effectiveStatus: string;
  override: { status: string; note: string | null } | null;
  overrideHistory: EventView[];
}

/** RFC 4180 rows as objects by the header's names. */
function csvRows(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  const body = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (quoted && char === '"' && body[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && char === '"') quoted = false;
    else if (quoted) cell += char;
    else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(cell);
      cell = "";
    } else if (char === "\r" && body[i + 1] === "\n") {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      i++;
    } else cell += char;
  }
  const [header, ...rows] = records;
  return rows.map((row) => Object.fromEntries(header!.map((name, c) => [name, row[c] ?? ""])));
}

describe.each(backends())("the override history on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key: string;
  const cookies = { khadija: "", other: "" };
  let sessionId: string;
  let yusuf: string;
  let room: RoomRef;
  let start = 0;
  let end = 0;
  const origin = backend.baseUrl;
  /** When each change was asked for and answered: its event's time lies between. */
  const windows: [number, number][] = [];

  const signedInTeacher = async (academyId: string, name: string, externalId: string) => {
    const email = `${uniqueName("teacher")}@example.org`;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, { academyId, role: "teacher", email, name, password, externalId });
    const signedIn = await client.signIn(email, password);
    expect(signedIn.status).toBe(200);
    return signedIn.cookie;
  };

  const overridePath = (prefix: string) =>
    `${prefix}/sessions/${sessionId}/reports/${encodeURIComponent(yusuf)}/override`;
  const dashboard = (cookie: string, method: string, body?: unknown) =>
    client.request(overridePath("/api/dashboard"), { method, body, cookie, origin });
  const timed = async (change: () => Promise<Answer>) => {
    const before = Date.now();
    const answer = await change();
    windows.push([before, Date.now()]);
    expect(answer.status, answer.text).toBe(200);
    return answer;
  };
  const yusufRow = async () => {
    const report = await client.api("GET", `/sessions/${sessionId}/report`, key);
    expect(report.status, report.text).toBe(200);
    return (report.json as { reports: RowView[] }).reports.find((row) => row.identity === yusuf)!;
  };
  const recalculate = () =>
    calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" });

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const seeded = await seedAcademy(db.prisma, "Override History Academy");
    key = seeded.key;
    const teacherExternalId = uniqueName("t");
    cookies.khadija = await signedInTeacher(seeded.academy.id, "Ustadha Khadija", teacherExternalId);
    cookies.other = await signedInTeacher(seeded.academy.id, "Ustadh Bilal", uniqueName("t2"));

    end = Date.now() - 60 * MIN;
    start = end - 60 * MIN;
    const roomName = uniqueName("room-history");
    const teacher = { externalId: teacherExternalId, name: "Ustadha Khadija", livekitIdentity: uniqueName("lk-t") };
    const student = { externalId: uniqueName("yusuf"), name: "Yusuf Ali", livekitIdentity: uniqueName("lk-yusuf") };
    yusuf = student.livekitIdentity;
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title: "Tajweed: history",
      roomName,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(end).toISOString(),
      teacher,
      students: [student],
    });
    expect(created.status, created.text).toBe(201);
    sessionId = (created.json as { session: { id: string } }).session.id;
    room = { sid: livekitId(createRng(7), "RM_"), name: roomName, creationTimeMs: start - 5 * MIN };
    await attend(teacher, 11);
    expect(await recalculate()).toMatchObject({ sessions: 1, failures: [] });
  }, 180_000);
  afterAll(() => db.close());

  /** One person in the room for the whole class. */
  async function attend(person: { name: string; livekitIdentity: string }, seed: number) {
    const rng = createRng(seed);
    const participant: ParticipantRef = {
      sid: livekitId(rng, "PA_"),
      identity: person.livekitIdentity,
      name: person.name,
      joinedAtMs: start,
    };
    for (const body of [
      participantJoined(livekitId(rng, "EV_"), room, participant, start),
      participantLeft(livekitId(rng, "EV_"), room, participant, end, "CLIENT_INITIATED"),
    ])
      expect((await postWebhook(backend.baseUrl, toWebhookBody(body))).status).toBe(200);
  }

  test("an excuse, its removal and a second excuse: three events in order, with who, when, from, to and the note", async () => {
    expect((await yusufRow()).overrideHistory).toEqual([]);
    // Removing an override that is not there changes nothing, and so appends nothing.
    const noop = await client.api("DELETE", overridePath(""), key);
    expect(noop.status, noop.text).toBe(200);
    expect((noop.json as { report: RowView }).report.overrideHistory).toEqual([]);
    await timed(() => client.api("PUT", overridePath(""), key, { status: "excused", note: "sick note" }));
    await timed(() => dashboard(cookies.khadija, "DELETE"));
    const last = await timed(() => dashboard(cookies.khadija, "PUT", { status: "excused", note: "doctor's letter" }));
    const expected = [
      {
        action: "set",
        by: 'API key "test"',
        from: "absent",
        to: "excused",
        calculatedStatus: "absent",
        note: "sick note",
      },
      {
        action: "remove",
        by: "Ustadha Khadija (teacher)",
        from: "excused",
        to: "absent",
        calculatedStatus: "absent",
        note: null,
      },
      {
        action: "set",
        by: "Ustadha Khadija (teacher)",
        from: "absent",
        to: "excused",
        calculatedStatus: "absent",
        note: "doctor's letter",
      },
    ];
    const row = await yusufRow();
    expect(row).toMatchObject({ status: "absent", effectiveStatus: "excused", override: { note: "doctor's letter" } });
    expect(row.overrideHistory.map(({ at: _at, ...event }) => event)).toEqual(expected);
    row.overrideHistory.forEach((event, i) => {
      const at = Date.parse(event.at);
      expect(at).toBeGreaterThanOrEqual(windows[i]![0]);
      expect(at).toBeLessThanOrEqual(windows[i]![1]);
    });
    // The change's own answer carries the same history, as does the dashboard's report.
    expect((last.json as { report: RowView }).report.overrideHistory).toEqual(row.overrideHistory);
    const page = await client.request(`/api/dashboard/sessions/${sessionId}/report`, { cookie: cookies.khadija });
    expect(page.status, page.text).toBe(200);
    expect((page.json as { reports: RowView[] }).reports.find((r) => r.identity === yusuf)!.overrideHistory).toEqual(
      row.overrideHistory,
    );
  });

  test("another teacher can neither read nor write the class's history: 404, and nothing appended", async () => {
    const read = await client.request(`/api/dashboard/sessions/${sessionId}/report`, { cookie: cookies.other });
    expect(read.status).toBe(404);
    expect(read.text).not.toContain("doctor");
    for (const answer of [
      await dashboard(cookies.other, "PUT", { status: "present" }),
      await dashboard(cookies.other, "DELETE"),
    ])
      expect(answer.status).toBe(404);
    expect((await yusufRow()).overrideHistory).toHaveLength(3);
  });

  test("the database refuses to change or remove an event", async () => {
    for (const sql of [
      "UPDATE override_event SET note = 'forged' WHERE session_id = $1",
      "DELETE FROM override_event WHERE session_id = $1",
    ])
      await expect(db.pool.query(sql, [sessionId])).rejects.toThrow(/override_event is append-only/);
    await expect(db.pool.query("TRUNCATE override_event")).rejects.toThrow(
      "override_event is append-only: TRUNCATE is not allowed",
    );
    const { rows } = await db.pool.query<{ notes: (string | null)[] }>(
      "SELECT array_agg(note ORDER BY id) AS notes FROM override_event WHERE session_id = $1",
      [sessionId],
    );
    expect(rows[0]!.notes).toEqual(["sick note", null, "doctor's letter"]);
  });

  test("a recalculation that changes the calculated value under an override appends one event and keeps the override", async () => {
    await attend({ name: "Yusuf Ali", livekitIdentity: yusuf }, 23);
    const before = Date.now();
    expect(await recalculate()).toMatchObject({ sessions: 1, failures: [] });
    const after = Date.now();
    const row = await yusufRow();
    expect(row).toMatchObject({
      status: "present",
      effectiveStatus: "excused",
      override: { status: "excused", note: "doctor's letter" },
    });
    expect(row.overrideHistory).toHaveLength(4);
    const { at, ...event } = row.overrideHistory[3]!;
    expect(event).toEqual({
      action: "recalculated",
      by: null,
      from: "absent",
      to: "present",
      calculatedStatus: "present",
      note: null,
    });
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at)).toBeLessThanOrEqual(after);
    // The same values again: nothing changed, nothing appended.
    expect(await recalculate()).toMatchObject({ sessions: 1, failures: [] });
    expect((await yusufRow()).overrideHistory).toHaveLength(4);
  });

  test("the CSV carries the result, the calculated value and the last change by hand (who, when)", async () => {
    const csv = await client.api("GET", `/sessions/${sessionId}/report.csv`, key);
    expect(csv.status).toBe(200);
    const rows = csvRows(csv.text);
    const lastSet = (await yusufRow()).overrideHistory[2]!;
    // The academy's wall clock, to the second, with its offset, as every time in the CSV.
    const londonSecond = (iso: string) => zonedIso(new Date(iso), "Europe/London", "second");
    expect(
      rows.map((row) => [
        row.person_name,
        row.status,
        row.calculated_status,
        row.override_status,
        row.last_change,
        row.last_changed_by,
        row.last_changed_at,
      ]),
    ).toEqual([
      ["Ustadha Khadija", "present", "present", "", "", "", ""],
      ["Yusuf Ali", "excused", "present", "excused", "set", "Ustadha Khadija (teacher)", londonSecond(lastSet.at)],
    ]);
  });

  test("the register's cell says the calculated value and the last change: the grid's title and the XLSX's note", async () => {
    const lastSet = (await yusufRow()).overrideHistory[2]!;
    const day = zonedIso(new Date(start), "Europe/London", "second").slice(0, 10);
    // Worked by hand: the result excused, calculated present (after the late webhooks), the last
    // change the teacher's second excuse, at its time in London (as the page writes times).
    const said = `excused, calculated present; set by Ustadha Khadija (teacher) on ${formatDateTime(lastSet.at, "Europe/London")}`;
    const page = await client.request(`/register?from=${day}&to=${day}`, { cookie: cookies.khadija });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`title="${said}"`);
    const xlsx = await fetch(`${backend.baseUrl}/api/dashboard/register.xlsx?from=${day}&to=${day}`, {
      headers: { cookie: cookies.khadija },
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet("Register")!;
    // Row 1 the header, row 2 Yusuf (the only student); column 3 the class.
    expect(sheet.getRow(2).getCell(1).text).toBe("Yusuf Ali");
    const cell = sheet.getRow(2).getCell(3);
    expect(cell.text).toBe("excused (doctor's letter)");
    const note = cell.note as string | { texts: { text: string }[] };
    expect(typeof note === "string" ? note : note.texts.map((part) => part.text).join("")).toBe(said);
  });
});
