// Recalculating many sessions with one request, and waiting for all of them with one GET (issue 16),
// over real HTTP on both databases: a list of ids or a range of the academy's ended classes; every
// class named is recalculated (calculatedAt at or after the request, recorded as a manual
// calculation); classes not ended, cancelled, unknown or another academy's are refused, and a
// refused request records and queues nothing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { participantJoined, participantLeft, toWebhookBody, type RoomRef } from "../lib/simulation/webhook-payloads.ts";
import { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const now = Math.floor(Date.now() / MIN) * MIN;

interface Status {
  id: string;
  requestedAt: string;
  sessions: number;
  done: number;
  cancelled: number;
  pending: number;
  pendingIds: string[];
}

describe.each(backends())("bulk recalculation on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key = "";
  let otherKey = "";
  const ended: string[] = [];
  let future = "";
  let cancelled = "";
  const rangeFrom = now - 10 * DAY;

  async function createClass(start: number, type = "quran"): Promise<{ id: string; room: RoomRef }> {
    const roomName = uniqueName("room-bulk");
    const teacher = { externalId: uniqueName("t"), name: "Ustadh Bilal", livekitIdentity: uniqueName("lk-t") };
    const created = await client.api("POST", "/sessions", key, {
      type,
      title: `Bulk ${iso(start)}`,
      roomName,
      scheduledStart: iso(start),
      scheduledEnd: iso(start + 60 * MIN),
      teacher,
      students: [{ externalId: uniqueName("s"), name: "Hafsa", livekitIdentity: uniqueName("lk-s") }],
    });
    expect(created.status, created.text).toBe(201);
    const room = { sid: uniqueName("RM"), name: roomName, creationTimeMs: start };
    const who = { sid: uniqueName("PA"), identity: teacher.livekitIdentity, name: teacher.name, joinedAtMs: start };
    for (const payload of [
      participantJoined(uniqueName("EV"), room, who, start),
      participantLeft(uniqueName("EV"), room, who, start + 60 * MIN, "CLIENT_INITIATED"),
    ])
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
    return { id: (created.json as { session: { id: string } }).session.id, room };
  }

  const status = async (id: string, apiKey = key) => {
    const answer = await client.api("GET", `/recalculations/${id}`, apiKey);
    return { status: answer.status, body: (answer.json as { recalculation: Status }).recalculation };
  };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    key = (await seedAcademy(db.prisma, "Bulk Academy")).key;
    otherKey = (await seedAcademy(db.prisma, "Other Bulk Academy")).key;
    // Five ended classes a day apart (the last an academic one), one tomorrow, one cancelled.
    for (let day = 5; day >= 1; day--)
      ended.push((await createClass(now - day * DAY, day === 1 ? "academic" : "quran")).id);
    future = (await createClass(now + DAY)).id;
    cancelled = (await createClass(now - 6 * DAY)).id;
    expect((await client.api("POST", `/sessions/${cancelled}/cancel`, key)).status).toBe(200);
  }, 180_000);
  afterAll(() => db.close());

  test("a list of ids: 202, then one GET tells when all of them are recalculated", async () => {
    const answer = await client.api("POST", "/recalculations", key, { sessionIds: ended.slice(0, 3) });
    expect(answer.status, answer.text).toBe(202);
    const queued = (
      answer.json as { recalculation: { id: string; requestedAt: string; sessions: number; statusUrl: string } }
    ).recalculation;
    expect(queued.sessions).toBe(3);
    expect(queued.statusUrl).toBe(`/api/v1/recalculations/${queued.id}`);
    await expect.poll(async () => (await status(queued.id)).body.pending, { timeout: 30_000 }).toBe(0);
    expect((await status(queued.id)).body).toMatchObject({ sessions: 3, done: 3, cancelled: 0, pendingIds: [] });
    const sessions = await db.prisma.session.findMany({ where: { id: { in: ended.slice(0, 3) } } });
    for (const session of sessions)
      expect(session.calculatedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(queued.requestedAt));
    expect(
      await db.prisma.calculation.count({ where: { sessionId: { in: ended.slice(0, 3) }, trigger: "manual" } }),
    ).toBe(3);
  });

  test("a range selects the academy's ended classes of the range (a type if given), never a future or cancelled one", async () => {
    const all = await client.api("POST", "/recalculations", key, { from: iso(rangeFrom), to: iso(now + 2 * DAY) });
    expect(all.status, all.text).toBe(202);
    const { id, sessions } = (all.json as { recalculation: { id: string; sessions: number } }).recalculation;
    expect(sessions).toBe(5);
    const record = await db.prisma.recalculationRequest.findUniqueOrThrow({ where: { id } });
    expect([...record.sessionIds].sort()).toEqual([...ended].sort());
    expect(record.sessionIds).not.toContain(future);
    await expect.poll(async () => (await status(id)).body.pending, { timeout: 30_000 }).toBe(0);

    const academic = await client.api("POST", "/recalculations", key, {
      from: iso(rangeFrom),
      to: iso(now),
      type: "academic",
    });
    expect((academic.json as { recalculation: { sessions: number } }).recalculation.sessions).toBe(1);
  });

  test("refused requests say why and record nothing", async () => {
    const before = await db.prisma.recalculationRequest.count();
    const cases: [unknown, number][] = [
      [{}, 422],
      [{ sessionIds: [] }, 422],
      [{ sessionIds: ended, from: iso(rangeFrom), to: iso(now) }, 422],
      [{ from: iso(rangeFrom) }, 422],
      [{ from: iso(now), to: iso(rangeFrom) }, 422],
      [{ from: iso(now - 400 * DAY), to: iso(now) }, 422],
      [{ sessionIds: Array.from({ length: 1001 }, (_, i) => `s${i}`) }, 422],
      [{ sessionIds: [ended[0], "no-such-session"] }, 404],
      [{ sessionIds: [ended[0], future] }, 409],
      [{ sessionIds: [cancelled] }, 409],
      [{ sessionIds: ended, extra: 1 }, 422],
    ];
    for (const [body, expected] of cases) {
      const answer = await client.api("POST", "/recalculations", key, body);
      expect(answer.status, `${JSON.stringify(body).slice(0, 120)}: ${answer.text}`).toBe(expected);
    }
    // Another academy's sessions are unknown to it, like missing ones.
    expect((await client.api("POST", "/recalculations", otherKey, { sessionIds: [ended[0]] })).status).toBe(404);
    expect(await db.prisma.recalculationRequest.count()).toBe(before);
  });

  test("another academy cannot read a request; an unknown id is a 404", async () => {
    const answer = await client.api("POST", "/recalculations", key, { sessionIds: [ended[4]] });
    const { id } = (answer.json as { recalculation: { id: string } }).recalculation;
    expect((await status(id, otherKey)).status).toBe(404);
    expect((await status(`${id}x`)).status).toBe(404);
    expect((await client.api("GET", `/recalculations/${id}`, null)).status).toBe(401);
  });
});
