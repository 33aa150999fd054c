// An excuse needs a note: PUT …/reports/:identity/override with status "excused" and no note (absent,
// empty or only spaces) is refused with 422 naming the field `note`, by the academy API and by the
// dashboard's route alike, and changes no report row; other results need no note.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { EXCUSE_NOTE_REQUIRED } from "../lib/reports/result-status.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
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

const NOTELESS: [string, Record<string, unknown>][] = [
  ["no note", { status: "excused" }],
  ["an empty note", { status: "excused", note: "" }],
  ["a note of spaces", { status: "excused", note: "  \t\n " }],
];

describe.each(backends())("an excuse without a note on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key: string;
  let cookie: string;
  let sessionId: string;
  const students = { excused: "", plain: "" };
  const origin = backend.baseUrl;

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const seeded = await seedAcademy(db.prisma, "Override Note Academy");
    key = seeded.key;
    const teacherExternalId = uniqueName("t");
    const email = `${uniqueName("teacher")}@example.org`;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, {
      academyId: seeded.academy.id,
      role: "teacher",
      email,
      name: "Ustadha Note",
      password,
      externalId: teacherExternalId,
    });
    const signedIn = await client.signIn(email, password);
    expect(signedIn.status).toBe(200);
    cookie = signedIn.cookie;

    // An ended class of the teacher's: she and one student attend, two students never come.
    const end = Date.now() - 60 * MIN;
    const start = end - 60 * MIN;
    const roomName = uniqueName("room-note");
    const teacher = { externalId: teacherExternalId, name: "Ustadha Note", livekitIdentity: uniqueName("lk-t") };
    const roster = ["present", "excused", "plain"].map((key) => ({
      externalId: uniqueName(key),
      name: `Student ${key}`,
      livekitIdentity: uniqueName(`lk-${key}`),
    }));
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title: "Excuses",
      roomName,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(end).toISOString(),
      teacher,
      students: roster,
    });
    expect(created.status, created.text).toBe(201);
    sessionId = (created.json as { session: { id: string } }).session.id;
    const rng = createRng(13);
    const room: RoomRef = { sid: livekitId(rng, "RM_"), name: roomName, creationTimeMs: start - 5 * MIN };
    const people: ParticipantRef[] = [teacher, roster[0]!].map((person) => ({
      sid: livekitId(rng, "PA_"),
      identity: person.livekitIdentity,
      name: person.name,
      joinedAtMs: start,
    }));
    for (const person of people) {
      expect(
        (
          await postWebhook(
            backend.baseUrl,
            toWebhookBody(participantJoined(livekitId(rng, "EV_"), room, person, start)),
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await postWebhook(
            backend.baseUrl,
            toWebhookBody(participantLeft(livekitId(rng, "EV_"), room, person, end, "CLIENT_INITIATED")),
          )
        ).status,
      ).toBe(200);
    }
    expect(
      await calculateSessions({ pool: db.pool, sessionIds: [sessionId], force: true, trigger: "manual" }),
    ).toMatchObject({ sessions: 1, failures: [] });
    students.excused = roster[1]!.livekitIdentity;
    students.plain = roster[2]!.livekitIdentity;
    // One row already carries an excuse with its note: a refused change must leave it as it was.
    const excused = await client.api(
      "PUT",
      `/sessions/${sessionId}/reports/${encodeURIComponent(students.excused)}/override`,
      key,
      { status: "excused", note: "doctor's letter" },
    );
    expect(excused.status, excused.text).toBe(200);
  }, 180_000);
  afterAll(() => db.close());

  /** The session's report rows as PostgreSQL's own JSON text: "unchanged" means byte for byte. */
  const reportRows = async () =>
    (
      await db.pool.query<{ row: string }>(
        "SELECT row_to_json(t)::text AS row FROM attendance_report t WHERE session_id = $1 ORDER BY identity",
        [sessionId],
      )
    ).rows.map((row) => row.row);

  const routes: [string, (identity: string, body: unknown) => Promise<Answer>][] = [
    [
      "the academy API",
      (identity, body) =>
        client.api("PUT", `/sessions/${sessionId}/reports/${encodeURIComponent(identity)}/override`, key, body),
    ],
    [
      "the dashboard",
      (identity, body) =>
        client.request(`/api/dashboard/sessions/${sessionId}/reports/${encodeURIComponent(identity)}/override`, {
          method: "PUT",
          body,
          cookie,
          origin,
        }),
    ],
  ];

  describe.each(routes)("through %s", (_route, put) => {
    test.each(NOTELESS)("with %s: 422 naming the note, and no row changed", async (_name, body) => {
      const before = await reportRows();
      expect(before).toHaveLength(4);
      for (const identity of [students.plain, students.excused]) {
        const answer = await put(identity, body);
        expect(answer.status, answer.text).toBe(422);
        expect((answer.json as { error: unknown }).error).toEqual({
          code: "validation_failed",
          message: "The request is not valid.",
          details: [{ path: "note", message: EXCUSE_NOTE_REQUIRED }],
        });
      }
      expect(await reportRows()).toEqual(before);
    });
  });

  test("other results need no note, and an excuse with one is taken", async () => {
    const late = await routes[1]![1](students.plain, { status: "late" });
    expect(late.status, late.text).toBe(200);
    expect(
      (late.json as { report: { override: { status: string; note: string | null } } }).report.override,
    ).toMatchObject({ status: "late", note: null });
    const excused = await routes[0]![1](students.plain, { status: "excused", note: "  ill, phoned the office  " });
    expect(excused.status, excused.text).toBe(200);
    expect((excused.json as { report: { effectiveStatus: string; override: { note: string } } }).report).toMatchObject({
      effectiveStatus: "excused",
      override: { note: "ill, phoned the office" },
    });
  });
});
