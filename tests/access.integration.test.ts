import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { createApiKey, revokeApiKey } from "../lib/api-keys/api-keys.ts";
import { createDashboardUser } from "../lib/auth/users.ts";
import { signWebhook } from "../lib/livekit/sign-webhook.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { Client, freshIp, secretsIn, snapshotAcademy, type Answer } from "./support/access.ts";
import { backends, connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";

/** The secret tests/setup/global-setup.ts gives the PostgreSQL-backed server (the embedded one keeps its own in its data folder). */
const POSTGRES_AUTH_SECRET = "integration-tests-secret-0123456789abcdef";
const MIN = 60_000;

interface Person {
  email: string;
  password: string;
  personId: string;
  cookie: string;
}

interface World {
  academyA: string;
  keyA: string;
  keyAId: string;
  revokedKey: string;
  keyB: string;
  /** Academy B's own LiveKit key (A has none), registered by B's admin. */
  livekitB: { apiKey: string; apiSecret: string };
  admin: Person;
  t1: Person;
  t2: Person;
  adminB: Person;
  /** T1's future class, T2's future class, T1's ended class with a calculated report. */
  s1: { id: string; title: string; roomName: string; studentIdentity: string };
  s2: { id: string; title: string; roomName: string };
  ended: { id: string; title: string; roomName: string; presentIdentity: string; excusedIdentity: string };
  /** A student only in T1's classes. */
  studentX: { personId: string; name: string };
  /** Text only someone who may see T1's classes should ever receive. */
  t1Markers: string[];
  /** Text only academy A should ever receive. */
  aMarkers: string[];
  secrets: string[];
}

const password = () => `pw-${randomBytes(12).toString("base64url")}`;

describe.each(backends())("access on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let world: World;
  let baseline: Record<string, string[]>;
  const origin = backend.baseUrl;

  const expectUnchanged = async () => {
    expect(await snapshotAcademy(db.pool, world.academyA)).toEqual(baseline);
  };
  const expectNoMarkers = (answer: Answer, markers: string[], what: string) => {
    expect(
      markers.filter((marker) => answer.text.includes(marker)),
      what,
    ).toEqual([]);
  };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const a = await seedAcademy(db.prisma, "Academy A");
    const b = await seedAcademy(db.prisma, "Academy B");
    const revoked = await createApiKey(db.prisma, { academyId: a.academy.id, name: "old" });
    await revokeApiKey(db.prisma, { academyId: a.academy.id, apiKeyId: revoked.id });

    const makeUser = async (academyId: string, role: "admin" | "teacher", externalId?: string): Promise<Person> => {
      const email = `${uniqueName(role)}@example.org`;
      const secret = password();
      const { personId } = await createDashboardUser(db.prisma, {
        academyId,
        role,
        email,
        name: uniqueName(`${role}-name`),
        password: secret,
        externalId,
      });
      const signedIn = await client.signIn(email, secret);
      expect(signedIn.status).toBe(200);
      expect(signedIn.cookie).toContain("session_token");
      return { email, password: secret, personId, cookie: signedIn.cookie };
    };
    const t1External = uniqueName("t1");
    const t2External = uniqueName("t2");
    const admin = await makeUser(a.academy.id, "admin");
    const t1 = await makeUser(a.academy.id, "teacher", t1External);
    const t2 = await makeUser(a.academy.id, "teacher", t2External);
    const adminB = await makeUser(b.academy.id, "admin");
    // B registers a LiveKit key of its own, for A's people to try to retire (B has no classes to move).
    const livekitB = { apiKey: uniqueName("APIb"), apiSecret: randomBytes(32).toString("base64url") };
    const registered = await client.request("/api/dashboard/livekit-keys", {
      method: "POST",
      cookie: adminB.cookie,
      origin: backend.baseUrl,
      body: livekitB,
    });
    expect([registered.status, registered.json]).toEqual([
      201,
      { livekitKey: { apiKey: livekitB.apiKey, action: "set", movedSessions: 0 } },
    ]);

    const t1Ref = { externalId: t1External, name: "Teacher One", livekitIdentity: `lk-${t1External}` };
    const studentX = { externalId: uniqueName("sx"), name: uniqueName("Xavier"), livekitIdentity: uniqueName("lk-x") };
    const studentY = { externalId: uniqueName("sy"), name: uniqueName("Yasmin"), livekitIdentity: uniqueName("lk-y") };
    const studentZ = { externalId: uniqueName("sz"), name: uniqueName("Zaid"), livekitIdentity: uniqueName("lk-z") };
    const tomorrow = Date.now() + 24 * 60 * MIN;
    const create = async (input: Record<string, unknown>) => {
      const created = await client.api("POST", "/sessions", a.key, input);
      expect(created.status).toBe(201);
      return (created.json as { session: { id: string } }).session.id;
    };
    const s1 = { title: uniqueName("S1 Tajweed"), roomName: uniqueName("room-s1") };
    const s1Id = await create({
      type: "quran",
      ...s1,
      externalId: uniqueName("lms"),
      scheduledStart: new Date(tomorrow).toISOString(),
      scheduledEnd: new Date(tomorrow + 60 * MIN).toISOString(),
      teacher: t1Ref,
      students: [studentX],
    });
    const s2 = { title: uniqueName("S2 Maths"), roomName: uniqueName("room-s2") };
    const s2Id = await create({
      type: "academic",
      ...s2,
      scheduledStart: new Date(tomorrow).toISOString(),
      scheduledEnd: new Date(tomorrow + 60 * MIN).toISOString(),
      teacher: { externalId: t2External, name: "Teacher Two", livekitIdentity: `lk-${t2External}` },
      students: [studentZ],
    });
    const end = Date.now() - 60 * MIN;
    const start = end - 60 * MIN;
    const ended = { title: uniqueName("Ended Fiqh"), roomName: uniqueName("room-ended") };
    const endedId = await create({
      type: "quran",
      ...ended,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(end).toISOString(),
      teacher: t1Ref,
      students: [studentX, studentY],
    });

    // The ended class's webhooks: the teacher and X attend, Y never comes.
    const rng = createRng(42);
    const room: RoomRef = { sid: livekitId(rng, "RM_"), name: ended.roomName, creationTimeMs: start - 5 * MIN };
    const teacher: ParticipantRef = {
      sid: livekitId(rng, "PA_"),
      identity: t1Ref.livekitIdentity,
      name: t1Ref.name,
      joinedAtMs: start - 2 * MIN,
    };
    const xavier: ParticipantRef = {
      sid: livekitId(rng, "PA_"),
      identity: studentX.livekitIdentity,
      name: studentX.name,
      joinedAtMs: start + MIN,
    };
    for (const payload of [
      participantJoined(livekitId(rng, "EV_"), room, teacher, teacher.joinedAtMs),
      participantJoined(livekitId(rng, "EV_"), room, xavier, xavier.joinedAtMs),
      participantLeft(livekitId(rng, "EV_"), room, xavier, end - 5 * MIN, "CLIENT_INITIATED"),
      participantLeft(livekitId(rng, "EV_"), room, teacher, end, "CLIENT_INITIATED"),
    ]) {
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
    }
    expect((await client.api("POST", `/sessions/${endedId}/recalculate`, a.key)).status).toBe(202);
    type ReportBody = { calculatedAt: string | null; reports: { identity: string; isAutoCalculated: boolean }[] };
    const done = (body: ReportBody) =>
      body.calculatedAt !== null && body.reports.length === 3 && body.reports.every((r) => !r.isAutoCalculated);
    let report = (await client.api("GET", `/sessions/${endedId}/report`, a.key)).json as ReportBody;
    for (let i = 0; i < 100 && !done(report); i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      report = (await client.api("GET", `/sessions/${endedId}/report`, a.key)).json as ReportBody;
    }
    expect(done(report)).toBe(true);
    // An override for attackers to try to change or clear.
    const excused = await client.api(
      "PUT",
      `/sessions/${endedId}/reports/${encodeURIComponent(studentY.livekitIdentity)}/override`,
      a.key,
      { status: "excused", note: "doctor's letter" },
    );
    expect(excused.status).toBe(200);

    const studentXPerson = await db.prisma.person.findUniqueOrThrow({
      where: { academyId_externalId: { academyId: a.academy.id, externalId: studentX.externalId } },
    });
    const authSecret = backend.dataDir
      ? fs.readFileSync(path.join(backend.dataDir, "auth-secret"), "utf8").trim()
      : POSTGRES_AUTH_SECRET;
    const cookieValues = [admin, t1, t2, adminB].flatMap((person) =>
      person.cookie.split("; ").map((pair) => pair.slice(pair.indexOf("=") + 1)),
    );
    world = {
      academyA: a.academy.id,
      keyA: a.key,
      keyAId: a.apiKeyId,
      revokedKey: revoked.key,
      keyB: b.key,
      livekitB,
      admin,
      t1,
      t2,
      adminB,
      s1: { id: s1Id, ...s1, studentIdentity: studentX.livekitIdentity },
      s2: { id: s2Id, ...s2 },
      ended: {
        id: endedId,
        ...ended,
        presentIdentity: studentX.livekitIdentity,
        excusedIdentity: studentY.livekitIdentity,
      },
      studentX: { personId: studentXPerson.id, name: studentX.name },
      t1Markers: [
        s1.title,
        s1.roomName,
        ended.title,
        ended.roomName,
        studentX.name,
        studentY.name,
        "doctor&#x27;s letter",
        "doctor's letter",
      ],
      aMarkers: [
        s1.title,
        s1.roomName,
        s2.title,
        s2.roomName,
        ended.title,
        ended.roomName,
        studentX.name,
        studentY.name,
        studentZ.name,
        studentX.livekitIdentity,
        studentY.livekitIdentity,
      ],
      secrets: [
        a.key,
        b.key,
        revoked.key,
        ...[admin, t1, t2, adminB].map((person) => person.password),
        ...cookieValues,
        ...cookieValues.map((value) => decodeURIComponent(value)),
        authSecret,
        livekitCredentials().apiSecret,
        livekitB.apiSecret,
      ],
    };
    // No background sweep runs in the test servers, so nothing changes the data but the requests.
    baseline = await snapshotAcademy(db.pool, world.academyA);
    // The baseline holds what an attacker would go for: three classes, both keys, the reports and an override.
    expect([baseline.sessions!.length, baseline.apiKeys!.length, baseline.reports!.length]).toEqual([3, 2, 3]);
    expect(baseline.reports!.filter((row) => row.includes('"override_status":"excused"'))).toHaveLength(1);
  }, 180_000);
  afterAll(() => db.close());

  /** Every /api/v1 route that names a session, with a body where it needs one. */
  const sessionRoutes = (id: string, identity: string): [string, string, unknown?][] => [
    ["GET", `/sessions/${id}`],
    [
      "PATCH",
      `/sessions/${id}`,
      { title: "Hijacked", scheduledStart: "2030-01-01T10:00:00Z", scheduledEnd: "2030-01-01T11:00:00Z", students: [] },
    ],
    ["POST", `/sessions/${id}/cancel`],
    ["GET", `/sessions/${id}/presence`],
    ["GET", `/sessions/${id}/report`],
    ["GET", `/sessions/${id}/report.csv`],
    ["POST", `/sessions/${id}/recalculate`],
    ["PUT", `/sessions/${id}/reports/${encodeURIComponent(identity)}/override`, { status: "absent", note: "hijacked" }],
    ["DELETE", `/sessions/${id}/reports/${encodeURIComponent(identity)}/override`],
  ];

  test("academy API: no key and a revoked key are 401, another academy's key sees nothing of A and changes nothing", async () => {
    const { keyA, revokedKey, keyB, s1, ended, aMarkers } = world;
    const routes = [...sessionRoutes(s1.id, s1.studentIdentity), ...sessionRoutes(ended.id, ended.excusedIdentity)];
    const failures: string[] = [];
    for (const [method, route, body] of routes) {
      const anonymous = await client.api(method, route, null, body);
      const malformed = await client.api(method, route, null, body, { headers: { authorization: `Basic ${keyA}` } });
      const revoked = await client.api(method, route, revokedKey, body);
      const foreign = await client.api(method, route, keyB, body);
      const cookieOnly = await client.api(method, route, null, body, { cookie: world.admin.cookie, origin });
      const got = [anonymous.status, malformed.status, revoked.status, foreign.status, cookieOnly.status];
      if (JSON.stringify(got) !== JSON.stringify([401, 401, 401, 404, 401]))
        failures.push(`${method} ${route}: ${got.join("/")} ${foreign.text.slice(0, 300)}`);
      for (const answer of [anonymous, malformed, revoked, foreign, cookieOnly])
        expectNoMarkers(answer, aMarkers, `${method} ${route}`);
    }
    expect(failures).toEqual([]);

    // Routes that name no session: 401 without a valid key; B's key answers for B alone.
    const range = `from=${new Date(Date.now() - 3 * 60 * MIN).toISOString()}&to=${new Date(Date.now() + 2 * 24 * 60 * MIN).toISOString()}`;
    const stranger = {
      type: "quran",
      title: "Stranger",
      roomName: uniqueName("room-stranger"),
      scheduledStart: "2030-01-01T10:00:00Z",
      scheduledEnd: "2030-01-01T11:00:00Z",
      students: [],
    };
    const collection: [string, string, unknown?][] = [
      ["GET", "/sessions?limit=200"],
      ["POST", "/sessions", stranger],
      ["GET", `/reports.csv?${range}`],
      ["GET", "/policy"],
      ["PUT", "/policy", { defaults: { graceMinutes: 1 }, types: { quran: null } }],
      ["GET", "/policy/versions"],
      ["POST", "/policy/preview", { changes: { defaults: { graceMinutes: 1 } }, weeks: 4 }],
      ["GET", "/policy/applications"],
      ["POST", "/policy/applications", { weeks: 4 }],
    ];
    for (const [method, route, body] of collection) {
      expect((await client.api(method, route, null, body)).status, `${method} ${route} anonymous`).toBe(401);
      expect((await client.api(method, route, revokedKey, body)).status, `${method} ${route} revoked`).toBe(401);
    }
    expect(await db.prisma.session.count({ where: { roomName: stranger.roomName } })).toBe(0);

    const listed = await client.api("GET", "/sessions?limit=200", keyB);
    expect(listed.status).toBe(200);
    const listedIds = (listed.json as { sessions: { id: string }[] }).sessions.map((session) => session.id);
    expect(listedIds).not.toContain(s1.id);
    expect(listedIds).not.toContain(ended.id);
    expectNoMarkers(listed, aMarkers, "B's session list");
    const csv = await client.api("GET", `/reports.csv?${range}`, keyB);
    expect(csv.status).toBe(200);
    expectNoMarkers(csv, aMarkers, "B's reports.csv");
    const policyB = await client.api("GET", "/policy", keyB);
    expect(policyB.status).toBe(200);

    // The webhook endpoint: unsigned or wrongly signed events for A's rooms are refused and not stored.
    const rng = createRng(7);
    const forged = toWebhookBody(
      participantJoined(
        livekitId(rng, "EV_"),
        { sid: "RM_x", name: s1.roomName, creationTimeMs: Date.now() },
        { sid: "PA_x", identity: "intruder", name: "Intruder", joinedAtMs: Date.now() },
        Date.now(),
      ),
    );
    expect((await postWebhook(backend.baseUrl, forged, { authorization: null })).status).toBe(401);
    expect(
      (
        await postWebhook(backend.baseUrl, forged, {
          authorization: await signWebhook(forged, livekitCredentials().apiKey, "not-the-secret"),
        })
      ).status,
    ).toBe(401);
    // Sign-up is closed: nobody makes themselves an account.
    const signUp = await client.request("/api/auth/sign-up/email", {
      method: "POST",
      origin,
      body: { email: `${uniqueName("intruder")}@example.org`, password: password(), name: "Intruder" },
      headers: { "x-forwarded-for": freshIp() },
    });
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(signUp.status).toBeLessThan(500);
    const health = await client.request("/api/health");
    expect(health.status).toBe(200);

    await expectUnchanged();
  }, 120_000);

  test("dashboard APIs: 401 without a cookie, 404 for another teacher's or academy's session, 403 for a teacher on admin APIs", async () => {
    const { s1, ended, t1, t2, admin, adminB, keyA, keyAId, livekitB, t1Markers, aMarkers } = world;
    const dashboardRoutes = (id: string, identity: string): [string, string, unknown?][] => [
      ["GET", `/api/dashboard/sessions/${id}/report`],
      ["GET", `/api/dashboard/sessions/${id}/report.csv`],
      ["GET", `/api/dashboard/sessions/${id}/presence`],
      ["GET", `/api/dashboard/sessions/${id}/live`],
      ["POST", `/api/dashboard/sessions/${id}/recalculate`],
      [
        "PUT",
        `/api/dashboard/sessions/${id}/reports/${encodeURIComponent(identity)}/override`,
        { status: "absent", note: "hijacked" },
      ],
      ["DELETE", `/api/dashboard/sessions/${id}/reports/${encodeURIComponent(identity)}/override`],
    ];
    const failures: string[] = [];
    for (const [method, route, body] of [
      ...dashboardRoutes(s1.id, s1.studentIdentity),
      ...dashboardRoutes(ended.id, ended.excusedIdentity),
    ]) {
      const anonymous = await client.request(route, { method, body, origin });
      const withKey = await client.request(route, { method, body, origin, key: keyA });
      const otherTeacher = await client.request(route, { method, body, origin, cookie: t2.cookie });
      const otherAcademy = await client.request(route, { method, body, origin, cookie: adminB.cookie });
      const got = [anonymous.status, withKey.status, otherTeacher.status, otherAcademy.status];
      if (JSON.stringify(got) !== JSON.stringify([401, 401, 404, 404]))
        failures.push(
          `${method} ${route}: ${got.join("/")} ${otherTeacher.text.slice(0, 200)} ${otherAcademy.text.slice(0, 200)}`,
        );
      for (const answer of [anonymous, withKey, otherTeacher]) expectNoMarkers(answer, t1Markers, `${method} ${route}`);
      expectNoMarkers(otherAcademy, aMarkers, `${method} ${route} as B's admin`);
      if (method === "GET") {
        // The positive control: the class's own teacher reads it.
        const own = await client.request(route, { cookie: t1.cookie });
        if (own.status !== 200) failures.push(`${method} ${route} as T1: ${own.status} ${own.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);

    const adminRoutes: [string, string, unknown?][] = [
      ["GET", "/api/dashboard/policy"],
      ["PUT", "/api/dashboard/policy", { defaults: { graceMinutes: 1 }, types: { quran: null } }],
      ["GET", "/api/dashboard/policy/versions"],
      ["POST", "/api/dashboard/policy/preview", { changes: { defaults: { graceMinutes: 1 } }, weeks: 4 }],
      ["GET", "/api/dashboard/policy/applications"],
      ["POST", "/api/dashboard/policy/applications", { weeks: 4 }],
      ["POST", "/api/dashboard/api-keys", { name: "stolen" }],
      ["DELETE", `/api/dashboard/api-keys/${keyAId}`],
      [
        "POST",
        "/api/dashboard/livekit-keys",
        { apiKey: uniqueName("APIstolen"), apiSecret: randomBytes(32).toString("base64url") },
      ],
      ["POST", "/api/dashboard/livekit-keys", { generate: true }],
      ["DELETE", `/api/dashboard/livekit-keys/${encodeURIComponent(livekitB.apiKey)}`],
    ];
    for (const [method, route, body] of adminRoutes) {
      const anonymous = await client.request(route, { method, body, origin });
      const teacher1 = await client.request(route, { method, body, origin, cookie: t1.cookie });
      const teacher2 = await client.request(route, { method, body, origin, cookie: t2.cookie });
      expect([anonymous.status, teacher1.status, teacher2.status], `${method} ${route}`).toEqual([401, 403, 403]);
      expect(secretsIn(teacher1.text, [keyA]), `${method} ${route}`).toEqual([]);
    }
    // Another academy's admin cannot revoke A's key, nor see A's policy as theirs.
    const revokeForeign = await client.request(`/api/dashboard/api-keys/${keyAId}`, {
      method: "DELETE",
      origin,
      cookie: adminB.cookie,
    });
    expect(revokeForeign.status).toBe(404);
    // Nor retire B's LiveKit key: the same 404 as for a key nobody has, and B's key still signs B's webhooks.
    const retireForeign = await client.request(`/api/dashboard/livekit-keys/${encodeURIComponent(livekitB.apiKey)}`, {
      method: "DELETE",
      origin,
      cookie: admin.cookie,
    });
    const retireNobody = await client.request(
      `/api/dashboard/livekit-keys/${encodeURIComponent(`${livekitB.apiKey}x`)}`,
      { method: "DELETE", origin, cookie: admin.cookie },
    );
    expect([retireForeign.status, retireNobody.status]).toEqual([404, 404]);
    expect(retireForeign.text.replace(livekitB.apiKey, "KEY")).toBe(
      retireNobody.text.replace(`${livekitB.apiKey}x`, "KEY"),
    );
    expect(
      await db.prisma.livekitCredential.findFirstOrThrow({
        where: { apiKey: livekitB.apiKey },
        select: { retiredAt: true },
      }),
    ).toEqual({ retiredAt: null });
    const bWebhook = toWebhookBody(
      participantJoined(
        `EV_${uniqueName("b")}`,
        { sid: "RM_b", name: uniqueName("room-b"), creationTimeMs: Date.now() },
        { sid: "PA_b", identity: "b-visitor", name: "B", joinedAtMs: Date.now() },
        Date.now(),
      ),
    );
    expect(
      (
        await postWebhook(backend.baseUrl, bWebhook, {
          authorization: await signWebhook(bWebhook, livekitB.apiKey, livekitB.apiSecret),
        })
      ).json,
    ).toMatchObject({ ok: true, result: "ignored" });
    expect((await client.api("GET", "/sessions?limit=1", keyA)).status).toBe(200);
    expect((await client.request("/api/dashboard/policy", { cookie: admin.cookie })).status).toBe(200);

    // Better Auth's session list is not offered (tests/hardening.integration.test.ts), and without a cookie the session is none.
    expect((await client.request("/api/auth/list-sessions")).status).toBe(404);
    expect((await client.request("/api/auth/get-session")).json).toBeNull();

    // A's key was just used: its last-used time may move, nothing else.
    baseline = await snapshotAcademy(db.pool, world.academyA);
  }, 120_000);

  test("a change from a foreign origin with T1's cookie is refused (403) and changes nothing", async () => {
    const { ended, t1 } = world;
    const override = `/api/dashboard/sessions/${ended.id}/reports/${encodeURIComponent(ended.excusedIdentity)}/override`;
    const changes: [string, string, unknown?][] = [
      ["POST", `/api/dashboard/sessions/${ended.id}/recalculate`],
      ["PUT", override, { status: "absent", note: "forged" }],
      ["DELETE", override],
    ];
    for (const [method, route, body] of changes) {
      const evil = await client.request(route, { method, body, cookie: t1.cookie, origin: "https://evil.example" });
      const lookalike = await client.request(route, {
        method,
        body,
        cookie: t1.cookie,
        origin: `${backend.baseUrl}.evil.example`,
      });
      const crossSite = await client.request(route, {
        method,
        body,
        cookie: t1.cookie,
        headers: { "sec-fetch-site": "cross-site" },
      });
      const noOrigin = await client.request(route, { method, body, cookie: t1.cookie });
      expect([evil.status, lookalike.status, crossSite.status, noOrigin.status], `${method} ${route}`).toEqual([
        403, 403, 403, 403,
      ]);
    }
    // The admin's cookie, from another site, on the LiveKit key routes: A gets no key (the snapshot holds A's keys).
    for (const [method, route, body] of [
      ["POST", "/api/dashboard/livekit-keys", { generate: true }],
      [
        "POST",
        "/api/dashboard/livekit-keys",
        { apiKey: uniqueName("APIforged"), apiSecret: randomBytes(32).toString("base64url") },
      ],
      ["DELETE", `/api/dashboard/livekit-keys/${encodeURIComponent(world.livekitB.apiKey)}`],
    ] as const) {
      const evil = await client.request(route, {
        method,
        body,
        cookie: world.admin.cookie,
        origin: "https://evil.example",
      });
      const crossSite = await client.request(route, {
        method,
        body,
        cookie: world.admin.cookie,
        headers: { "sec-fetch-site": "cross-site" },
      });
      expect([evil.status, crossSite.status], `${method} ${route} with the admin's cookie`).toEqual([403, 403]);
    }
    await expectUnchanged();
  }, 120_000);

  test("pages: a sign-in redirect without a cookie, 404 for another teacher's class, another academy and a teacher on admin pages", async () => {
    const { s1, s2, ended, t1, t2, admin, adminB, studentX, t1Markers, aMarkers } = world;
    const expectSignInRedirect = (answer: Answer, page: string) => {
      expect([303, 307], `${page} status`).toContain(answer.status);
      expect(answer.location?.split("?")[0], `${page} location`).toBe("/sign-in");
    };
    const privatePages = [`/sessions/${s1.id}`, `/sessions/${ended.id}`, `/students/${studentX.personId}`];
    const adminPages = ["/admin/events", "/admin/policy", "/admin/api-keys", "/admin/livekit"];
    for (const page of ["/sessions", ...privatePages, ...adminPages])
      expectSignInRedirect(await client.request(page), page);

    for (const page of privatePages) {
      const otherTeacher = await client.request(page, { cookie: t2.cookie });
      expect(otherTeacher.status, `${page} as T2`).toBe(404);
      expectNoMarkers(otherTeacher, t1Markers, `${page} as T2`);
      const otherAcademy = await client.request(page, { cookie: adminB.cookie });
      expect(otherAcademy.status, `${page} as B's admin`).toBe(404);
      expectNoMarkers(otherAcademy, aMarkers, `${page} as B's admin`);
      const own = await client.request(page, { cookie: t1.cookie });
      expect(own.status, `${page} as T1`).toBe(200);
    }
    expect((await client.request(`/sessions/${s1.id}`, { cookie: t1.cookie })).text).toContain(s1.title);
    expect((await client.request(`/students/${studentX.personId}`, { cookie: t1.cookie })).text).toContain(
      studentX.name,
    );

    for (const page of adminPages) {
      for (const [who, cookie] of [
        ["T1", t1.cookie],
        ["T2", t2.cookie],
      ] as const) {
        const teacher = await client.request(page, { cookie });
        expect(teacher.status, `${page} as ${who}`).toBe(404);
        expectNoMarkers(teacher, aMarkers, `${page} as ${who}`);
      }
      expect((await client.request(page, { cookie: admin.cookie })).status, `${page} as A's admin`).toBe(200);
      const foreignAdmin = await client.request(page, { cookie: adminB.cookie });
      expect(foreignAdmin.status, `${page} as B's admin`).toBe(200);
      expectNoMarkers(foreignAdmin, aMarkers, `${page} as B's admin`);
    }

    // The session lists: each teacher sees their own classes, B's admin none of A's.
    const listT2 = await client.request("/sessions?view=all", { cookie: t2.cookie });
    expect(listT2.status).toBe(200);
    expectNoMarkers(listT2, t1Markers, "/sessions as T2");
    const listB = await client.request("/sessions?view=all", { cookie: adminB.cookie });
    expect(listB.status).toBe(200);
    expectNoMarkers(listB, aMarkers, "/sessions as B's admin");
    const listT1 = await client.request("/sessions?view=all", { cookie: t1.cookie });
    expect(listT1.status).toBe(200);
    expect(listT1.text).toContain(s1.title);
    expect(listT1.text).not.toContain(s2.title);

    // Each admin's LiveKit page lists its own keys only.
    expect((await client.request("/admin/livekit", { cookie: adminB.cookie })).text).toContain(world.livekitB.apiKey);
    expect((await client.request("/admin/livekit", { cookie: admin.cookie })).text).not.toContain(
      world.livekitB.apiKey,
    );

    for (const page of ["/", "/sign-in"]) expect((await client.request(page)).status, page).toBe(200);
    await expectUnchanged();
  }, 120_000);

  test("failed sign-ins are limited per client address (tests/sign-in.integration.test.ts: per account, forged addresses, successes)", async () => {
    const { t1 } = world;
    const ip = freshIp();
    const statuses: number[] = [];
    // Ten wrong guesses at ten accounts (none exists), so that no account's own limit is reached.
    for (let i = 0; i < 10; i++)
      statuses.push((await client.signIn(`${uniqueName("guess")}@example.org`, `wrong-${password()}`, ip)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    expect((await client.signIn(t1.email, `wrong-${password()}`, ip)).status).toBe(429);
    const blocked = await client.signIn(t1.email, t1.password, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.cookie).not.toContain("session_token");
    const elsewhere = await client.signIn(t1.email, t1.password, freshIp());
    expect(elsewhere.status).toBe(200);
    world.secrets.push(...elsewhere.cookieValues, ...elsewhere.cookieValues.map((value) => decodeURIComponent(value)));
  }, 120_000);

  test("Inngest's endpoint answers unsigned calls without a 5xx, and they change nothing", async () => {
    const { ended } = world;
    const invoke = {
      event: {
        name: "rollcall/session.recalculation-requested",
        data: { sessionId: ended.id, requestedBy: "intruder", requestId: "r-1" },
      },
      events: [],
      steps: {},
      ctx: { run_id: "r-1", attempt: 0, stack: { stack: [] } },
    };
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/inngest"],
      ["PUT", "/api/inngest"],
      ["POST", "/api/inngest?fnId=rollcall-recalculate&stepId=step", invoke],
    ];
    const answers: string[] = [];
    for (const [method, route, body] of calls) {
      const answer = await client.request(route, { method, body });
      answers.push(`${method} ${route} -> ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    await expectUnchanged();
    // Without INNGEST_SIGNING_KEY (the in-process runner is in use), a stranger's call is a client error, not a server error.
    expect(answers.filter((line) => / -> 5\d\d /.test(line))).toEqual([]);
  }, 120_000);

  test("secrets appear in no answer this test received and in none of the app servers' logs", async () => {
    const { secrets } = world;
    expect(secrets.every((secret) => secret.length >= 10)).toBe(true);
    expect(client.received.length).toBeGreaterThan(100);
    const leaks = client.received.flatMap((answer) =>
      secretsIn(answer, secrets).map((secret) => `${answer.split("\n")[0]} contains ${secret.slice(0, 6)}…`),
    );
    expect(leaks).toEqual([]);

    // tests/setup/global-setup.ts starts each app with its output in <workDir>/app-<port>.log.
    const logFile = path.join(inject("workDir"), `app-${new URL(backend.baseUrl).port}.log`);
    expect(fs.existsSync(logFile), logFile).toBe(true);
    const log = fs.readFileSync(logFile, "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(secretsIn(log, secrets).map((secret) => `${secret.slice(0, 6)}…`)).toEqual([]);
  }, 120_000);
});
