// GET /api/v1/sessions/:id/report?include=provenance, over real HTTP on both databases: each row's
// intervals with the connections and webhooks behind them (lib/attendance decision 14), worked out
// by hand from the webhooks sent; without the parameter the answer is as it always was; a row
// calculated before provenance was kept reads as null; the admin event log finds those webhooks.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import {
  participantJoined,
  participantLeft,
  roomFinished,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
  type WebhookPayload,
} from "../lib/simulation/webhook-payloads.ts";
import { Client } from "./support/access.ts";
import { backends, connectBackend, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

// A class 60 minutes long that ended two hours ago, on whole minutes.
const start = Math.floor(Date.now() / MIN) * MIN - 3 * 60 * MIN;
const end = start + 60 * MIN;

interface Row {
  identity: string;
  status: string;
  intervals: unknown;
  provenance?: unknown;
}

describe.each(backends())("provenance in the report on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let key: string;
  let academyId: string;
  const ids = new Map<string, string>();
  const sids = new Map<string, string>();
  const people = new Map<string, { externalId: string; name: string; livekitIdentity: string }>();
  const sessions = { plain: "", finished: "" };
  const id = (name: string) => {
    if (!ids.has(name)) ids.set(name, uniqueName(`EV_${name}`));
    return ids.get(name)!;
  };
  const sid = (name: string) => {
    if (!sids.has(name)) sids.set(name, uniqueName(`PA_${name}`));
    return sids.get(name)!;
  };
  const person = (name: string) => {
    if (!people.has(name))
      people.set(name, { externalId: uniqueName(name), name, livekitIdentity: uniqueName(`lk-${name}`) });
    return people.get(name)!;
  };
  const ref = (name: string, device: string, joinedAtMs: number): ParticipantRef => ({
    sid: sid(device),
    identity: person(name).livekitIdentity,
    name,
    joinedAtMs,
  });

  async function createClass(title: string, students: string[]) {
    const roomName = uniqueName("room-prov");
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title,
      roomName,
      scheduledStart: iso(start),
      scheduledEnd: iso(end),
      teacher: person(`${title}-teacher`),
      students: students.map(person),
    });
    expect(created.status, created.text).toBe(201);
    const room: RoomRef = { sid: uniqueName("RM"), name: roomName, creationTimeMs: start - 5 * MIN };
    return { id: (created.json as { session: { id: string } }).session.id, room };
  }

  async function send(payloads: WebhookPayload[]) {
    for (const payload of payloads)
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
  }

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const seeded = await seedAcademy(db.prisma, "Provenance Academy");
    key = seeded.key;
    academyId = seeded.academy.id;

    // Omar late (20 min), Aisha on two devices, Bilal's join lost, Zainab never leaves.
    const plain = await createClass("plain", ["omar", "aisha", "bilal", "zainab"]);
    sessions.plain = plain.id;
    const at = (minutes: number) => start + minutes * MIN;
    const teacher = ref("plain-teacher", "t", at(0));
    await send([
      participantJoined(id("t-in"), plain.room, teacher, at(0)),
      participantLeft(id("t-out"), plain.room, teacher, at(60), "CLIENT_INITIATED"),
      participantJoined(id("omar-in"), plain.room, ref("omar", "omar", at(20)), at(20)),
      participantLeft(id("omar-out"), plain.room, ref("omar", "omar", at(20)), at(60), "CLIENT_INITIATED"),
      participantJoined(id("aisha-1-in"), plain.room, ref("aisha", "aisha-1", at(0)), at(0)),
      participantJoined(id("aisha-2-in"), plain.room, ref("aisha", "aisha-2", at(10)), at(10)),
      participantLeft(id("aisha-2-out"), plain.room, ref("aisha", "aisha-2", at(10)), at(30), "CLIENT_INITIATED"),
      participantLeft(id("aisha-1-out"), plain.room, ref("aisha", "aisha-1", at(0)), at(50), "CLIENT_INITIATED"),
      participantLeft(id("bilal-out"), plain.room, ref("bilal", "bilal", at(5)), at(50), "CLIENT_INITIATED"),
      participantJoined(id("zainab-in"), plain.room, ref("zainab", "zainab", at(30)), at(30)),
    ]);

    // The room finishes exactly at the scheduled end: Hana, who never left, is closed by it.
    const finished = await createClass("finished", ["hana"]);
    sessions.finished = finished.id;
    await send([
      participantJoined(id("hana-in"), finished.room, ref("hana", "hana", at(10)), at(10)),
      roomFinished(id("finish"), finished.room, at(60)),
    ]);

    expect(
      await calculateSessions({
        pool: db.pool,
        sessionIds: [sessions.plain, sessions.finished],
        force: true,
        trigger: "manual",
      }),
    ).toMatchObject({ sessions: 2, failures: [] });
  }, 180_000);
  afterAll(() => db.close());

  const report = async (sessionId: string, query = "") => {
    const answer = await client.api("GET", `/sessions/${sessionId}/report${query}`, key);
    expect(answer.status, answer.text).toBe(200);
    const json = answer.json as { reports: Row[] };
    return new Map(json.reports.map((row) => [row.identity, row]));
  };
  const rowOf = (rows: Map<string, Row>, name: string) => rows.get(person(name).livekitIdentity)!;
  const source = (
    device: string,
    [from, to]: [number, number],
    opened: [string, string],
    closed: [string, string | null],
  ) => ({
    sid: sid(device),
    start: iso(start + from * MIN),
    end: iso(start + to * MIN),
    openedBy: opened[0],
    openEventId: id(opened[1]),
    closedBy: closed[0],
    closeEventId: closed[1] === null ? null : id(closed[1]),
  });
  const interval = (from: number, to: number, ...sources: ReturnType<typeof source>[]) => ({
    start: iso(start + from * MIN),
    end: iso(start + to * MIN),
    merged: sources.length > 1,
    sources,
  });

  test("each row names, per interval, the webhooks that opened and closed it, and how", async () => {
    const rows = await report(sessions.plain, "?include=provenance");
    // Omar: joined 20 min late, left at the end; late (40 of 60 min, not over 75 %).
    expect(rowOf(rows, "omar").status).toBe("late");
    expect(rowOf(rows, "omar").provenance).toEqual([
      interval(20, 60, source("omar", [20, 60], ["joined", "omar-in"], ["left", "omar-out"])),
    ]);
    // Aisha: 0–50 on one device and 10–30 on another: one interval of both.
    expect(rowOf(rows, "aisha").provenance).toEqual([
      interval(
        0,
        50,
        source("aisha-1", [0, 50], ["joined", "aisha-1-in"], ["left", "aisha-1-out"]),
        source("aisha-2", [10, 30], ["joined", "aisha-2-in"], ["left", "aisha-2-out"]),
      ),
    ]);
    // Bilal: only his leave arrived; its joinedAt (5 min) opened the interval.
    expect(rowOf(rows, "bilal").provenance).toEqual([
      interval(5, 50, source("bilal", [5, 50], ["join_recovered", "bilal-out"], ["left", "bilal-out"])),
    ]);
    // Zainab: no leave and no room_finished: closed at the window end, by no webhook.
    expect(rowOf(rows, "zainab").provenance).toEqual([
      interval(30, 60, source("zainab", [30, 60], ["joined", "zainab-in"], ["window_end", null])),
    ]);
    const finished = await report(sessions.finished, "?include=provenance");
    expect(rowOf(finished, "hana").provenance).toEqual([
      interval(10, 60, source("hana", [10, 60], ["joined", "hana-in"], ["room_finished", "finish"])),
    ]);
  });

  test("without the parameter the answer is as before: plain intervals, no provenance", async () => {
    const rows = await report(sessions.plain);
    expect(rowOf(rows, "aisha").intervals).toEqual([{ start: iso(start), end: iso(start + 50 * MIN) }]);
    for (const row of rows.values()) expect(row).not.toHaveProperty("provenance");
    const refused = await client.api("GET", `/sessions/${sessions.plain}/report?include=everything`, key);
    expect(refused.status).toBe(422);
  });

  test("a row calculated before provenance was kept reads as null, and its intervals as before", async () => {
    const identity = person("hana").livekitIdentity;
    await db.pool.query(
      `UPDATE attendance_report SET intervals = (SELECT jsonb_agg(jsonb_build_object('start', e->>'start', 'end', e->>'end'))
       FROM jsonb_array_elements(intervals::jsonb) e) WHERE session_id = $1 AND identity = $2`,
      [sessions.finished, identity],
    );
    const hana = rowOf(await report(sessions.finished, "?include=provenance"), "hana");
    expect(hana.provenance).toBeNull();
    expect(hana.intervals).toEqual([{ start: iso(start + 10 * MIN), end: iso(end) }]);
  });

  test("the admin event log filtered to a row's webhook ids shows those and no other; the dashboard's report carries them", async () => {
    const email = `${uniqueName("admin")}@example.org`;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, { academyId, role: "admin", email, name: "Admin Prov", password });
    const { cookie } = await client.signIn(email, password);
    const page = await client.request(`/admin/events?ids=${id("omar-in")},${id("omar-out")}`, { cookie });
    expect(page.status).toBe(200);
    expect(page.text.match(/data-testid="event-row"/g)).toHaveLength(2);
    const shown = [...ids.values()].filter((each) => page.text.includes(each));
    expect(shown.sort()).toEqual([id("omar-in"), id("omar-out")].sort());

    // The session page's own read carries the provenance always, the same as the API's.
    const dashboard = await client.request(`/api/dashboard/sessions/${sessions.plain}/report`, { cookie });
    expect(dashboard.status).toBe(200);
    const dashboardOmar = (dashboard.json as { reports: Row[] }).reports.find(
      (row) => row.identity === person("omar").livekitIdentity,
    )!;
    expect(dashboardOmar.provenance).toEqual(
      rowOf(await report(sessions.plain, "?include=provenance"), "omar").provenance,
    );
  });
});
