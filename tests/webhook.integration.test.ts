import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getSessionPresence } from "../lib/presence/get-session-presence.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  roomFinished,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { backends, connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const rng = createRng(42);
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);

function room(name = uniqueName("room")): RoomRef {
  return { sid: livekitId(rng, "RM_"), name, creationTimeMs: T0 - 300_000 };
}
function participant(identity: string, joinedAtMs: number): ParticipantRef {
  return { sid: livekitId(rng, "PA_"), identity, name: identity, joinedAtMs };
}
const joinBody = (r: RoomRef, p: ParticipantRef) =>
  toWebhookBody(participantJoined(livekitId(rng, "EV_"), r, p, p.joinedAtMs + 800));

// A JWT made by hand, for the claims the SDK will not mint (expired, other issuer, wrong secret).
function handMadeToken(body: string, claims: { iss?: string; nbf?: number; exp?: number }, secret: string): string {
  const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: livekitCredentials().apiKey,
    nbf: now,
    exp: now + 300,
    sha256: createHash("sha256").update(body).digest("base64"),
    ...claims,
  };
  const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  return `${unsigned}.${b64url(createHmac("sha256", secret).update(unsigned).digest())}`;
}

describe.each(backends())("webhook ingest on $name", (backend) => {
  let db: BackendDb;
  let sessionId: string;
  let academyId: string;
  let roomRef: RoomRef;

  const stored = async (id: string) =>
    (await db.pool.query("SELECT count(*)::int AS n FROM webhook_event WHERE id = $1", [id])).rows[0].n as number;
  const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

  beforeAll(async () => {
    db = connectBackend(backend);
    const { academy } = await seedAcademy(db.prisma);
    academyId = academy.id;
    roomRef = room();
    const session = await db.prisma.session.create({
      data: {
        academyId: academy.id,
        type: "academic",
        title: "Signatures",
        roomName: roomRef.name,
        scheduledStart: new Date(T0),
        scheduledEnd: new Date(T0 + 3_600_000),
      },
    });
    sessionId = session.id;
  });
  afterAll(() => db.close());

  describe("signatures", () => {
    test("a webhook signed with the SDK is stored with its exact body", async () => {
      const body = joinBody(roomRef, participant("aisha", T0));
      const response = await postWebhook(backend.baseUrl, body);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ ok: true, result: "stored" });
      const row = (await db.pool.query("SELECT raw_body, room_name FROM webhook_event WHERE id = $1", [idOf(body)]))
        .rows[0];
      expect(row).toEqual({ raw_body: body, room_name: roomRef.name });
    });

    test("a 'Bearer ' prefix is tolerated", async () => {
      const body = joinBody(roomRef, participant("omar", T0));
      const { apiKey, apiSecret } = livekitCredentials();
      const response = await postWebhook(backend.baseUrl, body, {
        authorization: `Bearer ${handMadeToken(body, {}, apiSecret)}`,
      });
      expect(response.status).toBe(200);
      expect(apiKey).toBeTruthy();
      expect(await stored(idOf(body))).toBe(1);
    });

    test("a sender clock 30 s ahead is within the tolerated skew", async () => {
      const body = joinBody(roomRef, participant("skewed", T0));
      const now = Math.floor(Date.now() / 1000);
      const response = await postWebhook(backend.baseUrl, body, {
        authorization: handMadeToken(body, { nbf: now + 30, exp: now + 330 }, livekitCredentials().apiSecret),
      });
      expect(response.status).toBe(200);
      expect(await stored(idOf(body))).toBe(1);
    });

    const rejected: [string, (body: string) => { body?: string; authorization: string | null }][] = [
      ["no Authorization header", () => ({ authorization: null })],
      ["an empty Authorization header", () => ({ authorization: "" })],
      ["a token that is not a JWT", () => ({ authorization: "not-a-token" })],
      [
        "a tampered byte",
        (body) => ({
          body: body.replace('"ACTIVE"', '"ACTIVF"'),
          authorization: handMadeToken(body, {}, livekitCredentials().apiSecret),
        }),
      ],
      [
        "an expired token",
        (body) => ({
          authorization: handMadeToken(
            body,
            { nbf: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 3300 },
            livekitCredentials().apiSecret,
          ),
        }),
      ],
      [
        "a token from another issuer",
        (body) => ({ authorization: handMadeToken(body, { iss: "someone-else" }, livekitCredentials().apiSecret) }),
      ],
      [
        "a token signed with another secret",
        (body) => ({ authorization: handMadeToken(body, {}, "not-the-secret-not-the-secret-123") }),
      ],
      [
        "a token for a different body",
        () => ({ authorization: handMadeToken("{}", {}, livekitCredentials().apiSecret) }),
      ],
    ];
    test.each(rejected)("%s is answered 401 and nothing is stored", async (_name, tamper) => {
      const body = joinBody(roomRef, participant("mallory", T0));
      const attempt = tamper(body);
      const response = await postWebhook(backend.baseUrl, attempt.body ?? body, {
        authorization: attempt.authorization,
      });
      expect(response.status).toBe(401);
      expect(response.json.error?.code).toBe("unauthorized");
      expect(await stored(idOf(body))).toBe(0);
    });
  });

  describe("bodies", () => {
    const notWebhooks: [string, string][] = [
      ["not JSON", "event=participant_joined"],
      ["a JSON array", "[1,2,3]"],
      ["no id", JSON.stringify({ event: "participant_joined", createdAt: "1700000000" })],
      ["no event", JSON.stringify({ id: "EV_noevent0001", createdAt: "1700000000" })],
      [
        "a join without a participant",
        JSON.stringify({
          event: "participant_joined",
          id: "EV_noparticip1",
          room: { name: "x" },
          createdAt: "1700000000",
        }),
      ],
      [
        "a createdAt that is not a number",
        JSON.stringify({ event: "room_started", id: "EV_badcreated1", room: { name: "x" }, createdAt: "yesterday" }),
      ],
    ];
    test.each(notWebhooks)("a signed body with %s is answered 400 and nothing is stored", async (_name, body) => {
      const before = (await db.pool.query("SELECT count(*)::int AS n FROM webhook_event")).rows[0].n;
      const response = await postWebhook(backend.baseUrl, body);
      expect(response.status).toBe(400);
      expect(response.json.error?.code).toBe("bad_request");
      const after = (await db.pool.query("SELECT count(*)::int AS n FROM webhook_event")).rows[0].n;
      expect(after).toBe(before);
    });

    test("a body over 1 MiB is answered 413", async () => {
      const body = JSON.stringify({
        event: "room_started",
        id: "EV_hugebody0001",
        room: { name: "x", metadata: "x".repeat(1024 * 1024) },
      });
      const response = await postWebhook(backend.baseUrl, body);
      expect(response.status).toBe(413);
      expect(await stored("EV_hugebody0001")).toBe(0);
    });

    test("a form-encoded body is answered 415", async () => {
      const body = joinBody(roomRef, participant("form", T0));
      const response = await postWebhook(backend.baseUrl, body, { contentType: "application/x-www-form-urlencoded" });
      expect(response.status).toBe(415);
      expect(await stored(idOf(body))).toBe(0);
    });
  });

  describe("the log", () => {
    test("one webhook delivered 50 times at once is stored once and answered 200 every time", async () => {
      const body = joinBody(roomRef, participant("dupe", T0 + 60_000));
      const responses = await Promise.all(Array.from({ length: 50 }, () => postWebhook(backend.baseUrl, body)));
      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
      expect(responses.filter((response) => response.json.result === "stored")).toHaveLength(1);
      expect(responses.filter((response) => response.json.result === "duplicate")).toHaveLength(49);
      expect(await stored(idOf(body))).toBe(1);
      const presence = await getSessionPresence(db.prisma, { academyId, sessionId });
      expect(
        [...presence.inRoom, ...presence.left]
          .filter((person) => person.identity === "dupe")
          .map((person) => person.joinCount),
      ).toEqual([1]);
    });

    test("a webhook for a room no session has yet is answered 200, kept, and counted once its session is created", async () => {
      const early = room("scheduled-later");
      const body = joinBody(early, participant("early-bird", T0 + 60_000));
      const response = await postWebhook(backend.baseUrl, body);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        result: "ignored",
        note: "no session for this room at this time yet; kept, and counted if one is created",
      });
      expect(await stored(idOf(body))).toBe(1);
      const late = await db.prisma.session.create({
        data: {
          academyId,
          type: "academic",
          title: "Created late",
          roomName: early.name,
          scheduledStart: new Date(T0),
          scheduledEnd: new Date(T0 + 3_600_000),
        },
      });
      const presence = await getSessionPresence(db.prisma, { academyId, sessionId: late.id });
      expect([...presence.inRoom, ...presence.left].map((person) => [person.identity, person.firstJoinAt])).toEqual([
        ["early-bird", new Date(T0 + 60_000).toISOString()],
      ]);
    });

    test("an event type Rollcall does not use is answered 200 and kept", async () => {
      const body = JSON.stringify({
        event: "track_published",
        id: livekitId(rng, "EV_"),
        createdAt: String(T0 / 1000),
        room: { sid: roomRef.sid, name: roomRef.name },
        participant: { sid: "PA_x", identity: "aisha" },
        track: { sid: "TR_x" },
      });
      const response = await postWebhook(backend.baseUrl, body);
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ result: "ignored", note: "event type not used" });
      expect(await stored(idOf(body))).toBe(1);
    });

    test("the log refuses to be changed or emptied row by row", async () => {
      const body = joinBody(roomRef, participant("immutable", T0));
      await postWebhook(backend.baseUrl, body);
      await expect(
        db.pool.query("UPDATE webhook_event SET identity = 'x' WHERE id = $1", [idOf(body)]),
      ).rejects.toThrow(/append-only/);
      await expect(db.pool.query("DELETE FROM webhook_event WHERE id = $1", [idOf(body)])).rejects.toThrow(
        /append-only/,
      );
      expect(await stored(idOf(body))).toBe(1);
    });
  });

  describe("arrival order", () => {
    // Aisha on two tabs (overlapping), Omar whose join is delivered after his leave, and the room's end.
    function stream(r: RoomRef) {
      const aisha1 = participant("aisha", T0 - 120_000);
      const aisha2 = participant("aisha", T0 + 600_000);
      const omar = participant("omar", T0 + 300_000);
      return [
        joinBody(r, aisha1),
        joinBody(r, aisha2),
        toWebhookBody(participantLeft(livekitId(rng, "EV_"), r, aisha1, T0 + 900_000, "DUPLICATE_IDENTITY")),
        joinBody(r, omar),
        toWebhookBody(participantLeft(livekitId(rng, "EV_"), r, omar, T0 + 2_400_000, "CLIENT_INITIATED")),
        toWebhookBody(roomFinished(livekitId(rng, "EV_"), r, T0 + 3_500_000)),
      ];
    }
    function permutations<T>(items: T[]): T[][] {
      if (items.length <= 1) return [items];
      return items.flatMap((item, i) =>
        permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
      );
    }

    // What the live view shows, read through the same lib/ function the route uses, at one instant.
    const at = new Date();
    async function stateOf(academyId: string, id: string) {
      const {
        sessionId: _id,
        roomName: _room,
        updatedAt: _updated,
        ...presence
      } = await getSessionPresence(db.prisma, { academyId, sessionId: id, now: at });
      return presence;
    }

    test("every ordering of a stream, with duplicates, ends in the same state as the ordered stream", async () => {
      const { academy } = await seedAcademy(db.prisma, "Orderings");
      const template = room();
      const ordered = stream(template);
      // The bodies differ only in the room name, so each ordering gets a session of its own.
      const orders = permutations(ordered.map((_, i) => i)).filter((_, i) => i % 6 === 0);
      const rooms = orders.map((_, i) => `${template.name}-${i}`);
      await db.prisma.session.createMany({
        data: rooms.map((roomName) => ({
          academyId: academy.id,
          type: "academic" as const,
          title: "Order",
          roomName,
          scheduledStart: new Date(T0),
          scheduledEnd: new Date(T0 + 3_600_000),
        })),
      });
      const sessions = await db.prisma.session.findMany({
        where: { roomName: { in: rooms } },
        select: { id: true, roomName: true },
      });
      const idByRoom = new Map(sessions.map((session) => [session.roomName, session.id]));

      const bodyFor = (body: string, i: number) => {
        const payload = JSON.parse(body);
        payload.room.name = rooms[i];
        payload.id = `${payload.id}-${i}`;
        return JSON.stringify(payload);
      };
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < orders.length; i = next++) {
          const order = orders[i]!;
          // Each ordering also redelivers its first two events at the end.
          for (const index of [...order, order[0]!, order[1]!]) {
            const response = await postWebhook(backend.baseUrl, bodyFor(ordered[index]!, i));
            expect(response.status).toBe(200);
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));

      const reference = await stateOf(academy.id, idByRoom.get(rooms[0]!)!);
      expect(orders[0]).toEqual([0, 1, 2, 3, 4, 5]);
      // Both of Aisha's tabs and Omar came and went; the room finished at 10:58:20, which ends the
      // class early (no teacher on this roster), and with it Aisha's second tab.
      expect(reference.left.map((p) => [p.identity, p.joinCount, p.lastLeaveAt])).toEqual([
        ["aisha", 2, new Date(T0 + 3_500_000).toISOString()],
        ["omar", 1, new Date(T0 + 2_400_000).toISOString()],
      ]);
      expect(reference.inRoom).toEqual([]);
      expect(reference.status).toBe("ended");
      for (const roomName of rooms.slice(1)) {
        expect(await stateOf(academy.id, idByRoom.get(roomName)!)).toEqual(reference);
      }
      expect(orders.length).toBe(120);
    });
  });
});
