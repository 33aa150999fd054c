import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { revokeApiKey } from "../lib/api-keys/api-keys.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { callApi, postWebhook, seedAcademy, sessionInput } from "./support/fixtures.ts";

interface SessionBody {
  session: {
    id: string;
    status: string;
    roomName: string;
    isCalculated: boolean;
    scheduledStart: string;
    teacher: { externalId: string; livekitIdentity: string } | null;
    students: { id: string; externalId: string; name: string; livekitIdentity: string }[];
  };
}
interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

describe.each(backends())("academy API on $name", (backend) => {
  let db: BackendDb;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    db = connectBackend(backend);
    key = (await seedAcademy(db.prisma, "Academy A")).key;
    otherKey = (await seedAcademy(db.prisma, "Academy B")).key;
  });
  afterAll(() => db.close());

  test("creates a session with its roster, people matched by external id", async () => {
    const input = sessionInput();
    const created = await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", input);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/sessions/${created.json.session.id}`);
    // 20 November is over and nothing has calculated it: ended, awaiting calculation (decision 12).
    expect(created.json.session).toMatchObject({
      status: "ended",
      roomName: input.roomName,
      isCalculated: false,
      teacher: { externalId: input.teacher.externalId },
    });
    expect(created.json.session.students.map((student) => student.name)).toEqual(["Aisha", "Omar", "Yusuf"]);

    // The same people in a second class are matched, not duplicated; a renamed one is updated.
    const second = sessionInput({ teacher: input.teacher, students: [{ ...input.students[0]!, name: "Aisha R." }] });
    const again = await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", second);
    expect(again.status).toBe(201);
    expect(again.json.session.students[0]!.id).toBe(created.json.session.students[0]!.id);
    expect(again.json.session.students[0]!.name).toBe("Aisha R.");
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["an end before the start", { scheduledEnd: "2026-11-20T09:00:00Z" }, "scheduledEnd"],
    ["a time without a zone", { scheduledStart: "2026-11-20T10:00:00" }, "scheduledStart"],
    ["an unknown type", { type: "lecture" }, "type"],
    ["an unknown field", { color: "red" }, "(body)"],
    ["a room name with spaces", { roomName: "room one" }, "roomName"],
    [
      "a student twice",
      {
        students: [
          { externalId: "x", name: "X", livekitIdentity: "x" },
          { externalId: "x", name: "X", livekitIdentity: "y" },
        ],
      },
      "students",
    ],
    ["a class longer than a day", { scheduledEnd: "2026-11-22T10:00:00Z" }, "scheduledEnd"],
  ];
  test.each(invalid)("rejects %s with 422 naming the field, and stores nothing", async (_name, override, field) => {
    const input = sessionInput(override);
    const response = await callApi<ErrorBody>(backend.baseUrl, key, "POST", "/sessions", input);
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe("validation_failed");
    expect(response.json.error.details?.map((detail) => detail.path)).toContain(field);
    expect(await db.prisma.session.count({ where: { roomName: String(input.roomName) } })).toBe(0);
  });

  test("rejects broken JSON (400) and other media types (415)", async () => {
    const broken = await callApi<ErrorBody>(backend.baseUrl, key, "POST", "/sessions", "{not json");
    expect(broken.status).toBe(400);
    const form = await callApi<ErrorBody>(backend.baseUrl, key, "POST", "/sessions", "a=b", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
  });

  test("conflicts are 409: a reused external id, a room already in use at an overlapping time, or another person's identity", async () => {
    const externalId = `lms-${Date.now()}`;
    const input = sessionInput({ externalId });
    expect((await callApi(backend.baseUrl, key, "POST", "/sessions", input)).status).toBe(201);
    const sameExternalId = await callApi<ErrorBody>(
      backend.baseUrl,
      key,
      "POST",
      "/sessions",
      sessionInput({ externalId }),
    );
    expect(sameExternalId.status).toBe(409);
    const sameRoom = await callApi<ErrorBody>(
      backend.baseUrl,
      otherKey,
      "POST",
      "/sessions",
      sessionInput({ roomName: input.roomName }),
    );
    expect(sameRoom.status).toBe(409);
    const overlapping = await callApi<ErrorBody>(
      backend.baseUrl,
      key,
      "POST",
      "/sessions",
      sessionInput({
        roomName: input.roomName,
        scheduledStart: "2026-11-20T10:59:59Z",
        scheduledEnd: "2026-11-20T12:00:00Z",
      }),
    );
    expect(overlapping.status).toBe(409);
    // The next class may reuse the room, back to back (rules section 1).
    const next = await callApi<SessionBody>(
      backend.baseUrl,
      key,
      "POST",
      "/sessions",
      sessionInput({
        roomName: input.roomName,
        scheduledStart: "2026-11-20T11:00:00Z",
        scheduledEnd: "2026-11-20T12:00:00Z",
      }),
    );
    expect(next.status).toBe(201);
    const stolenIdentity = sessionInput({
      students: [{ externalId: "someone-else", name: "Impostor", livekitIdentity: input.students[0]!.livekitIdentity }],
    });
    const conflict = await callApi<ErrorBody>(backend.baseUrl, key, "POST", "/sessions", stolenIdentity);
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.message).toContain(input.students[0]!.livekitIdentity);
  });

  test("updates: a reschedule marks attendance uncalculated; students replace the roster", async () => {
    const created = await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", sessionInput());
    const id = created.json.session.id;
    await db.prisma.session.update({ where: { id }, data: { isCalculated: true } });
    const moved = await callApi<SessionBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, {
      scheduledStart: "2026-11-20T11:00:00+01:00",
      scheduledEnd: "2026-11-20T12:30:00+01:00",
      students: [{ externalId: "new-kid", name: "Zainab", livekitIdentity: `zainab-${id}` }],
    });
    expect(moved.status).toBe(200);
    expect(moved.json.session.scheduledStart).toBe("2026-11-20T10:00:00.000Z");
    expect(moved.json.session.isCalculated).toBe(false);
    expect(moved.json.session.students.map((student) => student.name)).toEqual(["Zainab"]);

    const backwards = await callApi<ErrorBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, {
      scheduledEnd: "2026-11-20T09:00:00Z",
    });
    expect(backwards.status).toBe(422);
    const empty = await callApi<ErrorBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, {});
    expect(empty.status).toBe(422);
  });

  test("a PATCH is checked against the session it would leave: no window over 24 hours, in one request or two", async () => {
    const created = await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", sessionInput());
    const id = created.json.session.id;
    const stored = async () => {
      const row = await db.prisma.session.findUniqueOrThrow({ where: { id } });
      return [row.scheduledStart.toISOString(), row.scheduledEnd.toISOString()];
    };
    const original = await stored();
    expect(original).toEqual(["2026-11-20T10:00:00.000Z", "2026-11-20T11:00:00.000Z"]);
    // Each request alone is a valid change of one field; the session it would leave is not.
    const stretched: Record<string, string>[] = [
      { scheduledEnd: "2096-11-20T11:00:00Z" },
      { scheduledStart: "2001-11-20T10:00:00Z" },
      { scheduledEnd: "2026-11-21T10:00:00.001Z" },
    ];
    for (const change of stretched) {
      const response = await callApi<ErrorBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, change);
      expect(response.status, JSON.stringify(change)).toBe(422);
      expect(response.json.error.details).toEqual([
        { path: Object.keys(change)[0], message: "a session lasts at most 24 hours" },
      ]);
      expect(await stored()).toEqual(original);
    }
    // Moving the end to exactly 24 hours after the start is allowed; then the start cannot move back.
    const longest = await callApi<SessionBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, {
      scheduledEnd: "2026-11-21T10:00:00Z",
    });
    expect(longest.status).toBe(200);
    const earlier = await callApi<ErrorBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, {
      scheduledStart: "2026-11-20T09:59:59Z",
    });
    expect(earlier.status).toBe(422);
    expect(await stored()).toEqual(["2026-11-20T10:00:00.000Z", "2026-11-21T10:00:00.000Z"]);
  });

  test("cancelling is idempotent and freezes the session", async () => {
    const created = await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", sessionInput());
    const id = created.json.session.id;
    const first = await callApi<SessionBody>(backend.baseUrl, key, "POST", `/sessions/${id}/cancel`);
    const second = await callApi<SessionBody>(backend.baseUrl, key, "POST", `/sessions/${id}/cancel`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.session.status).toBe("cancelled");
    const change = await callApi<ErrorBody>(backend.baseUrl, key, "PATCH", `/sessions/${id}`, { title: "Too late" });
    expect(change.status).toBe(409);
  });

  test("lists the academy's sessions with filters", async () => {
    const input = sessionInput({
      type: "interactive",
      scheduledStart: "2031-01-05T10:00:00Z",
      scheduledEnd: "2031-01-05T11:00:00Z",
    });
    await callApi(backend.baseUrl, key, "POST", "/sessions", input);
    const listed = await callApi<{ sessions: { roomName: string; type: string }[] }>(
      backend.baseUrl,
      key,
      "GET",
      "/sessions?type=interactive&from=2031-01-01T00:00:00Z&to=2031-02-01T00:00:00Z",
    );
    expect(listed.status).toBe(200);
    expect(listed.json.sessions.map((session) => session.roomName)).toEqual([input.roomName]);
    const badFilter = await callApi<ErrorBody>(backend.baseUrl, key, "GET", "/sessions?limit=100000");
    expect(badFilter.status).toBe(422);
  });

  describe("access", () => {
    let sessionId: string;
    beforeAll(async () => {
      sessionId = (await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", sessionInput())).json.session
        .id;
    });

    const routes: [string, string, unknown?][] = [
      ["GET", ""],
      ["PATCH", "", { title: "Hijacked" }],
      ["POST", "/cancel"],
      ["GET", "/presence"],
    ];
    test.each(routes)(
      "%s /sessions/:id%s is 401 without a key and 404 with another academy's key",
      async (method, suffix, body) => {
        const anonymous = await callApi<ErrorBody>(
          backend.baseUrl,
          null,
          method,
          `/sessions/${sessionId}${suffix}`,
          body,
        );
        expect(anonymous.status).toBe(401);
        const wrongKey = await callApi<ErrorBody>(
          backend.baseUrl,
          "rk_not-a-real-key",
          method,
          `/sessions/${sessionId}${suffix}`,
          body,
        );
        expect(wrongKey.status).toBe(401);
        const foreign = await callApi<ErrorBody>(
          backend.baseUrl,
          otherKey,
          method,
          `/sessions/${sessionId}${suffix}`,
          body,
        );
        expect(foreign.status).toBe(404);
        const session = await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
        expect(session.cancelledAt).toBeNull();
        expect(session.title).toBe("Tajweed");
      },
    );

    test("another academy's list does not include the session", async () => {
      const listed = await callApi<{ sessions: { id: string }[] }>(
        backend.baseUrl,
        otherKey,
        "GET",
        "/sessions?limit=200",
      );
      expect(listed.json.sessions.map((session) => session.id)).not.toContain(sessionId);
    });

    test("a revoked key is refused", async () => {
      const { key: doomed, apiKeyId, academy } = await seedAcademy(db.prisma, "Revoked");
      expect((await callApi(backend.baseUrl, doomed, "GET", "/sessions")).status).toBe(200);
      await revokeApiKey(db.prisma, { academyId: academy.id, apiKeyId });
      const refused = await callApi<ErrorBody>(backend.baseUrl, doomed, "GET", "/sessions");
      expect(refused.status).toBe(401);
      expect(refused.json.error.message).toMatch(/revoked/);
    });
  });

  test("live presence: who is in the room, since when, on how many connections, who left, who has not come", async () => {
    // A class that started 30 minutes ago and runs for another 30.
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const input = sessionInput({
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(start + 60 * 60_000).toISOString(),
    });
    const { session } = (await callApi<SessionBody>(backend.baseUrl, key, "POST", "/sessions", input)).json;
    const rng = createRng(7);
    const room: RoomRef = { sid: livekitId(rng, "RM_"), name: input.roomName, creationTimeMs: start - 5 * 60_000 };
    const t = (minutes: number) => start + minutes * 60_000;
    const person = (identity: string, joinedAtMs: number): ParticipantRef => ({
      sid: livekitId(rng, "PA_"),
      identity,
      name: identity,
      joinedAtMs,
    });
    const teacher = person(input.teacher.livekitIdentity, t(-5));
    const aishaPhone = person(input.students[0]!.livekitIdentity, t(1));
    const aishaLaptop = person(input.students[0]!.livekitIdentity, t(3));
    const omar = person(input.students[1]!.livekitIdentity, t(2));
    const guest = person("visitor-1", t(4));
    const recorder: ParticipantRef = { ...person("EG_recorder", t(0)), kind: "EGRESS", recorder: true };
    const bodies = [
      participantJoined(livekitId(rng, "EV_"), room, teacher, t(-5)),
      participantJoined(livekitId(rng, "EV_"), room, aishaPhone, t(1)),
      participantJoined(livekitId(rng, "EV_"), room, aishaLaptop, t(3)),
      participantJoined(livekitId(rng, "EV_"), room, omar, t(2)),
      participantLeft(livekitId(rng, "EV_"), room, omar, t(20), "CLIENT_INITIATED"),
      participantJoined(livekitId(rng, "EV_"), room, guest, t(4)),
      participantJoined(livekitId(rng, "EV_"), room, recorder, t(0)),
    ];
    for (const payload of bodies) expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);

    const response = await callApi<{
      presence: Record<string, unknown> & {
        inRoom: Record<string, unknown>[];
        left: Record<string, unknown>[];
        notJoined: Record<string, unknown>[];
      };
    }>(backend.baseUrl, key, "GET", `/sessions/${session.id}/presence`);
    expect(response.status).toBe(200);
    const { presence } = response.json;
    expect(presence.status).toBe("live");
    expect(presence.inRoom).toEqual([
      expect.objectContaining({
        identity: teacher.identity,
        role: "teacher",
        since: new Date(t(-5)).toISOString(),
        connections: 1,
      }),
      expect.objectContaining({
        identity: aishaPhone.identity,
        role: "student",
        name: "Aisha",
        since: new Date(t(1)).toISOString(),
        connections: 2,
        joinCount: 2,
      }),
      expect.objectContaining({ identity: "visitor-1", role: "guest", connections: 1 }),
    ]);
    expect(presence.left).toEqual([
      expect.objectContaining({ identity: omar.identity, name: "Omar", lastLeaveAt: new Date(t(20)).toISOString() }),
    ]);
    expect(presence.notJoined).toEqual([
      expect.objectContaining({ identity: input.students[2]!.livekitIdentity, name: "Yusuf" }),
    ]);
    // Students, the teacher and guests apart: one of three students is in the room, not "3 in the room".
    expect(presence.counts).toEqual({
      students: { roster: 3, inRoom: 1, left: 1, notJoined: 1 },
      teachers: { roster: 1, inRoom: 1, left: 0, notJoined: 0 },
      guests: { inRoom: 1, left: 0 },
    });
  });
});
