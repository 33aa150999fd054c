// Hardening: security headers and a nonce-based Content-Security-Policy on every answer; a broken
// event-log cursor or filter ignored; Better Auth's account endpoints the dashboard does not offer
// switched off, names of dashboard users limited; overrides recorded by who (a user or an API key)
// and named from the current record; teachers' own rows overridden by admins only; and a log that
// even TRUNCATE cannot empty.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
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

interface User {
  email: string;
  password: string;
  userId: string;
  personId: string;
  name: string;
  cookie: string;
}

interface ReportRow {
  identity: string;
  role: string;
  status: string;
  effectiveStatus: string;
  override: { status: string; note: string | null; by: string | null; at: string | null } | null;
}

const password = () => `pw-${randomBytes(12).toString("base64url")}`;

/** The Content-Security-Policy's nonce, or null. */
const nonceOf = (answer: Answer) =>
  /'nonce-([^']+)'/.exec(answer.headers.get("content-security-policy") ?? "")?.[1] ?? null;
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/g) ?? [];

describe.each(backends())("hardening on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  const origin = backend.baseUrl;
  let academyId: string;
  let key: string;
  let admin: User;
  let teacher: User;
  let ended: {
    id: string;
    teacherIdentity: string;
    studentIdentity: string;
    otherStudentIdentity: string;
    studentPersonId: string;
  };
  const makeUser = async (role: "admin" | "teacher", externalId?: string): Promise<User> => {
    const email = `${uniqueName(role)}@example.org`;
    const secret = password();
    const name = uniqueName(`${role}-name`);
    const { userId, personId } = await createDashboardUser(db.prisma, {
      academyId,
      role,
      email,
      name,
      password: secret,
      externalId,
    });
    const signedIn = await client.signIn(email, secret);
    expect(signedIn.status).toBe(200);
    return { email, password: secret, userId, personId, name, cookie: signedIn.cookie };
  };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    const seeded = await seedAcademy(db.prisma, "Hardening Academy");
    academyId = seeded.academy.id;
    key = seeded.key;
    const teacherExternal = uniqueName("t");
    admin = await makeUser("admin");
    teacher = await makeUser("teacher", teacherExternal);

    // An ended class of the teacher's: the teacher and one student attend, another never comes.
    const end = Date.now() - 60 * MIN;
    const start = end - 60 * MIN;
    const roomName = uniqueName("room-hardening");
    const teacherRef = { externalId: teacherExternal, name: "Teacher H", livekitIdentity: `lk-${teacherExternal}` };
    const students = [
      { externalId: uniqueName("s1"), name: "Student One", livekitIdentity: uniqueName("lk-s1") },
      { externalId: uniqueName("s2"), name: "Student Two", livekitIdentity: uniqueName("lk-s2") },
    ];
    const created = await client.api("POST", "/sessions", key, {
      type: "quran",
      title: "Hardening class",
      roomName,
      scheduledStart: new Date(start).toISOString(),
      scheduledEnd: new Date(end).toISOString(),
      teacher: teacherRef,
      students,
    });
    expect(created.status).toBe(201);
    const sessionId = (created.json as { session: { id: string } }).session.id;
    const rng = createRng(12);
    const room: RoomRef = { sid: livekitId(rng, "RM_"), name: roomName, creationTimeMs: start - 5 * MIN };
    const teacherP: ParticipantRef = {
      sid: livekitId(rng, "PA_"),
      identity: teacherRef.livekitIdentity,
      name: teacherRef.name,
      joinedAtMs: start - 2 * MIN,
    };
    const studentP: ParticipantRef = {
      sid: livekitId(rng, "PA_"),
      identity: students[0]!.livekitIdentity,
      name: students[0]!.name,
      joinedAtMs: start + MIN,
    };
    for (const payload of [
      participantJoined(livekitId(rng, "EV_"), room, teacherP, teacherP.joinedAtMs),
      participantJoined(livekitId(rng, "EV_"), room, studentP, studentP.joinedAtMs),
      participantLeft(livekitId(rng, "EV_"), room, studentP, end - 5 * MIN, "CLIENT_INITIATED"),
      participantLeft(livekitId(rng, "EV_"), room, teacherP, end, "CLIENT_INITIATED"),
    ]) {
      expect((await postWebhook(backend.baseUrl, toWebhookBody(payload))).status).toBe(200);
    }
    expect((await client.api("POST", `/sessions/${sessionId}/recalculate`, key)).status).toBe(202);
    type ReportBody = { calculatedAt: string | null; reports: ReportRow[] };
    const done = (body: ReportBody) => body.calculatedAt !== null && body.reports.length === 3;
    let report = (await client.api("GET", `/sessions/${sessionId}/report`, key)).json as ReportBody;
    for (let i = 0; i < 100 && !done(report); i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      report = (await client.api("GET", `/sessions/${sessionId}/report`, key)).json as ReportBody;
    }
    expect(done(report)).toBe(true);
    const studentPerson = await db.prisma.person.findUniqueOrThrow({
      where: { academyId_externalId: { academyId, externalId: students[0]!.externalId } },
    });
    ended = {
      id: sessionId,
      teacherIdentity: teacherRef.livekitIdentity,
      studentIdentity: students[0]!.livekitIdentity,
      otherStudentIdentity: students[1]!.livekitIdentity,
      studentPersonId: studentPerson.id,
    };
  }, 180_000);
  afterAll(() => db.close());

  const overridePath = (identity: string) => `/sessions/${ended.id}/reports/${encodeURIComponent(identity)}/override`;
  const reportRow = async (identity: string): Promise<ReportRow> => {
    const answer = await client.api("GET", `/sessions/${ended.id}/report`, key);
    expect(answer.status).toBe(200);
    return (answer.json as { reports: ReportRow[] }).reports.find((row) => row.identity === identity)!;
  };

  describe("security headers", () => {
    const expectCommonHeaders = (answer: Answer, what: string) => {
      const csp = answer.headers.get("content-security-policy") ?? "";
      expect(csp, `${what}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
      expect(csp, `${what}: Content-Security-Policy`).toMatch(/object-src 'none'/);
      expect(answer.headers.get("x-content-type-options"), `${what}: X-Content-Type-Options`).toBe("nosniff");
      expect(answer.headers.get("referrer-policy"), `${what}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
      expect(answer.headers.get("x-frame-options"), `${what}: X-Frame-Options`).toBe("DENY");
    };

    test("every page carries them, with a fresh script nonce that every script tag of the page carries", async () => {
      const pages: [string, string | null, number[]][] = [
        ["/", null, [200]],
        ["/sign-in", null, [200]],
        ["/sign-in?next=%2Fsessions", null, [200]],
        ["/sessions", null, [303, 307]],
        ["/no-such-page", null, [404]],
        ["/sessions", teacher.cookie, [200]],
        ["/sessions?view=all", admin.cookie, [200]],
        [`/sessions/${ended.id}`, teacher.cookie, [200]],
        [`/sessions/not-a-session`, teacher.cookie, [404]],
        [`/students/${ended.studentPersonId}`, admin.cookie, [200]],
        ["/admin/events", admin.cookie, [200]],
        ["/admin/policy", admin.cookie, [200]],
        ["/admin/api-keys", admin.cookie, [200]],
        ["/admin/events", teacher.cookie, [404]],
        ["/register", null, [303, 307]],
        ["/register", teacher.cookie, [200]],
        ["/register?from=2026-11-01&to=2026-11-30&sort=missed&missedOver=2", admin.cookie, [200]],
      ];
      const staticAssets = new Set<string>();
      for (const [page, cookie, statuses] of pages) {
        const answer = await client.request(page, { cookie });
        const what = `${page} as ${cookie === admin.cookie ? "admin" : cookie ? "teacher" : "nobody"}`;
        expect(statuses, `${what}: status ${answer.status}`).toContain(answer.status);
        expectCommonHeaders(answer, what);
        const csp = answer.headers.get("content-security-policy")!;
        const nonce = nonceOf(answer);
        expect(nonce, `${what}: nonce in ${csp}`).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
        expect(csp, what).toMatch(
          new RegExp(`script-src 'self' 'nonce-${nonce!.replace(/[+/=]/g, "\\$&")}' 'strict-dynamic'`),
        );
        expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
        expect(answer.headers.get("strict-transport-security"), `${what}: no HSTS over plain HTTP`).toBeNull();
        if (answer.status === 200 || answer.status === 404) {
          const tags = scriptTags(answer.text);
          expect(tags.length, `${what}: script tags`).toBeGreaterThan(0);
          expect(
            tags.filter((tag) => !tag.includes(` nonce="${nonce}"`)),
            `${what}: scripts without the nonce`,
          ).toEqual([]);
          for (const tag of tags) {
            const src = /src="(\/_next\/static\/[^"]+)"/.exec(tag)?.[1];
            if (src) staticAssets.add(src);
          }
        }
      }
      // A new nonce for every request.
      const [first, second] = [await client.request("/sign-in"), await client.request("/sign-in")];
      expect(nonceOf(first)).not.toBe(nonceOf(second));
      // The scripts the pages load are served with the same protections.
      expect(staticAssets.size).toBeGreaterThan(0);
      const asset = await client.request([...staticAssets][0]!);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    }, 120_000);

    test("every API answer carries them, and HSTS is sent when the request came over HTTPS", async () => {
      const calls: [string, string, { cookie?: string; key?: string; body?: unknown; origin?: string }, number][] = [
        ["GET", "/api/health", {}, 200],
        ["GET", "/api/v1/sessions", {}, 401],
        ["GET", "/api/v1/sessions", { key }, 200],
        ["GET", "/api/v1/sessions/not-a-session", { key }, 404],
        ["GET", "/api/v1/sessions/%zz", { key }, 400],
        ["GET", `/api/v1/sessions/${ended.id}/report.csv`, { key }, 200],
        ["POST", "/api/v1/sessions", { key, body: { title: "" } }, 422],
        ["GET", `/api/dashboard/sessions/${ended.id}/report`, {}, 401],
        ["GET", `/api/dashboard/sessions/${ended.id}/report`, { cookie: teacher.cookie }, 200],
        ["GET", "/api/dashboard/policy", { cookie: teacher.cookie }, 403],
        ["GET", "/api/dashboard/register.csv", { cookie: teacher.cookie }, 200],
        ["GET", "/api/dashboard/register.xlsx", { cookie: teacher.cookie }, 200],
        ["GET", "/api/dashboard/register.xlsx", {}, 401],
        ["GET", "/api/v1/register.csv?from=2026-11-01&to=2026-11-30", { key }, 200],
        ["GET", "/api/auth/get-session", { cookie: teacher.cookie }, 200],
        ["POST", "/api/livekit/webhook", { body: "{}" }, 401],
        ["GET", "/api/no-such-route", {}, 404],
      ];
      for (const [method, path, options, status] of calls) {
        const answer = await client.request(path, { method, ...options });
        const what = `${method} ${path}`;
        expect(answer.status, `${what}: ${answer.text.slice(0, 200)}`).toBe(status);
        expectCommonHeaders(answer, what);
        expect(answer.headers.get("content-security-policy"), what).toContain("default-src 'none'");
        expect(answer.headers.get("strict-transport-security"), `${what}: no HSTS over plain HTTP`).toBeNull();
      }
      // Behind a TLS proxy (X-Forwarded-Proto: https) every answer also pins HTTPS.
      for (const [path, cookie] of [
        ["/api/health", null],
        ["/api/v1/sessions", null],
        ["/sign-in", null],
        ["/sessions", teacher.cookie],
      ] as const) {
        const answer = await client.request(path, { cookie, headers: { "x-forwarded-proto": "https" } });
        expect(answer.headers.get("strict-transport-security"), path).toBe("max-age=63072000; includeSubDomains");
        expectCommonHeaders(answer, `${path} over https`);
      }
    }, 120_000);
  });

  describe("Better Auth's endpoints", () => {
    test("a teacher cannot rename herself, change her email or delete her account: only sign-in, sign-out and the session are served", async () => {
      // A teacher of her own: some of these endpoints, where served, end her sessions.
      const teacher = await makeUser("teacher");
      const impostor = `Demo Admin <admin@demo.rollcall.test> (admin) ${"x".repeat(1000)}`;
      const refused: [string, unknown][] = [
        ["/api/auth/update-user", { name: impostor }],
        ["/api/auth/change-email", { newEmail: `${uniqueName("moved")}@example.org` }],
        ["/api/auth/change-password", { currentPassword: teacher.password, newPassword: password() }],
        ["/api/auth/delete-user", {}],
        ["/api/auth/update-session", {}],
        ["/api/auth/revoke-sessions", {}],
        ["/api/auth/revoke-other-sessions", {}],
        ["/api/auth/revoke-session", { token: "x" }],
        ["/api/auth/sign-up/email", { email: `${uniqueName("new")}@example.org`, password: password(), name: "New" }],
        ["/api/auth/request-password-reset", { email: teacher.email }],
        ["/api/auth/reset-password", { newPassword: password(), token: "x" }],
        ["/api/auth/verify-password", { password: teacher.password }],
        ["/api/auth/send-verification-email", { email: teacher.email }],
        ["/api/auth/sign-in/social", { provider: "google" }],
        ["/api/auth/link-social", { provider: "google" }],
        ["/api/auth/unlink-account", { providerId: "credential" }],
        ["/api/auth/refresh-token", { providerId: "credential" }],
        ["/api/auth/get-access-token", { providerId: "credential" }],
      ];
      const got: string[] = [];
      for (const [path, body] of refused) {
        const answer = await client.request(path, { method: "POST", body, cookie: teacher.cookie, origin });
        got.push(`POST ${path} -> ${answer.status}`);
      }
      for (const path of [
        "/api/auth/list-sessions",
        "/api/auth/list-accounts",
        "/api/auth/account-info",
        "/api/auth/verify-email?token=x",
        "/api/auth/delete-user/callback?token=x",
      ]) {
        const answer = await client.request(path, { cookie: teacher.cookie });
        got.push(`GET ${path.split("?")[0]} -> ${answer.status}`);
      }
      expect(got.filter((line) => !line.endsWith("-> 404"))).toEqual([]);
      // Spelled otherwise, the path reaches no endpoint either.
      const variants: string[] = [];
      for (const path of [
        "/api/auth/update%2Duser",
        "/api/auth//update-user",
        "/api/auth/update-user/",
        "/api/auth/UPDATE-USER",
        "/api/auth/./update-user",
        "/api/auth/x/../update-user",
      ]) {
        const answer = await client.request(path, {
          method: "POST",
          body: { name: impostor },
          cookie: teacher.cookie,
          origin,
        });
        variants.push(`POST ${path} -> ${answer.status}`);
      }
      expect(variants.filter((line) => / -> 2\d\d$/.test(line))).toEqual([]);
      const user = await db.prisma.authUser.findUniqueOrThrow({ where: { id: teacher.userId } });
      expect({ name: user.name, email: user.email }).toEqual({ name: teacher.name, email: teacher.email });
      // What the dashboard does use still works.
      const session = await client.request("/api/auth/get-session", { cookie: teacher.cookie });
      expect(session.status).toBe(200);
      expect((session.json as { user: { email: string } }).user.email).toBe(teacher.email);
      const signedIn = await client.signIn(teacher.email, teacher.password);
      expect(signedIn.status).toBe(200);
      const signOut = await client.request("/api/auth/sign-out", {
        method: "POST",
        body: {},
        cookie: signedIn.cookie,
        origin,
      });
      expect(signOut.status).toBe(200);
      expect((await client.request("/api/auth/get-session", { cookie: signedIn.cookie })).json).toBeNull();
    });

    test("user:create refuses a name that is too long or has control characters", async () => {
      const attempts = ["x".repeat(500_000), "y".repeat(201), "Two\nlines", "   "];
      for (const name of attempts) {
        const email = `${uniqueName("long")}@example.org`;
        await expect(
          createDashboardUser(db.prisma, { academyId, role: "teacher", email, name, password: password() }),
          JSON.stringify(name.slice(0, 20)),
        ).rejects.toMatchObject({
          code: "validation_failed",
        });
        expect(await db.prisma.authUser.count({ where: { email } })).toBe(0);
      }
      const fine = await createDashboardUser(db.prisma, {
        academyId,
        role: "teacher",
        email: `${uniqueName("ok")}@example.org`,
        name: `  ${"z".repeat(200)}  `,
        password: password(),
      });
      expect((await db.prisma.authUser.findUniqueOrThrow({ where: { id: fine.userId } })).name).toBe("z".repeat(200));
    });
  });

  describe("overrides", () => {
    test("are recorded by user or API key id and named from the current record", async () => {
      const dashboardOverride = `/api/dashboard${overridePath(ended.studentIdentity)}`;
      const byTeacher = await client.request(dashboardOverride, {
        method: "PUT",
        body: { status: "excused", note: "ill" },
        cookie: teacher.cookie,
        origin,
      });
      expect(byTeacher.status).toBe(200);
      const stored = await db.prisma.attendanceReport.findUniqueOrThrow({
        where: { sessionId_identity: { sessionId: ended.id, identity: ended.studentIdentity } },
      });
      expect(stored.overriddenBy).toBe(`user:${teacher.userId}`);
      expect((byTeacher.json as { report: ReportRow }).report.override?.by).toBe(`${teacher.name} (teacher)`);
      expect((await reportRow(ended.studentIdentity)).override?.by).toBe(`${teacher.name} (teacher)`);

      // The operator renames the account: every view names the override by the current name.
      const renamed = uniqueName("Ustadha Renamed");
      await db.prisma.authUser.update({ where: { id: teacher.userId }, data: { name: renamed } });
      expect((await reportRow(ended.studentIdentity)).override?.by).toBe(`${renamed} (teacher)`);
      const dashboardReport = await client.request(`/api/dashboard/sessions/${ended.id}/report`, {
        cookie: teacher.cookie,
      });
      const dashboardRow = (dashboardReport.json as { reports: ReportRow[] }).reports.find(
        (row) => row.identity === ended.studentIdentity,
      )!;
      expect(dashboardRow.override?.by).toBe(`${renamed} (teacher)`);
      const csv = await client.api("GET", `/sessions/${ended.id}/report.csv`, key);
      expect(csv.text).toContain(`${renamed} (teacher)`);
      await db.prisma.authUser.update({ where: { id: teacher.userId }, data: { name: teacher.name } });

      // The academy's API key is recorded by its id and named by its name.
      const byKey = await client.api("PUT", overridePath(ended.otherStudentIdentity), key, {
        status: "excused",
        note: "LMS",
      });
      expect(byKey.status).toBe(200);
      const keyRow = await db.prisma.apiKey.findFirstOrThrow({ where: { academyId } });
      const storedByKey = await db.prisma.attendanceReport.findUniqueOrThrow({
        where: { sessionId_identity: { sessionId: ended.id, identity: ended.otherStudentIdentity } },
      });
      expect(storedByKey.overriddenBy).toBe(`api-key:${keyRow.id}`);
      expect((byKey.json as { report: ReportRow }).report.override?.by).toBe(`API key "${keyRow.name}"`);
    });

    test("a teacher's own row is overridden by an admin or the academy's API key only: a teacher gets 403 and changes nothing", async () => {
      const dashboardOverride = `/api/dashboard${overridePath(ended.teacherIdentity)}`;
      const before = await reportRow(ended.teacherIdentity);
      expect(before.override).toBeNull();
      const put = await client.request(dashboardOverride, {
        method: "PUT",
        body: { status: "present", note: "I was there" },
        cookie: teacher.cookie,
        origin,
      });
      expect(put.status).toBe(403);
      expect((put.json as { error: { code: string; message: string } }).error).toEqual({
        code: "forbidden",
        message: "Only an academy admin can override a teacher's attendance.",
      });
      expect(await reportRow(ended.teacherIdentity)).toEqual(before);

      const byAdmin = await client.request(dashboardOverride, {
        method: "PUT",
        body: { status: "excused", note: "cover teacher" },
        cookie: admin.cookie,
        origin,
      });
      expect(byAdmin.status).toBe(200);
      expect((byAdmin.json as { report: ReportRow }).report.override).toMatchObject({
        status: "excused",
        by: `${admin.name} (admin)`,
      });
      // Nor may the teacher clear what the admin set.
      const clear = await client.request(dashboardOverride, { method: "DELETE", cookie: teacher.cookie, origin });
      expect(clear.status).toBe(403);
      expect((await reportRow(ended.teacherIdentity)).override).toMatchObject({ status: "excused" });
      const clearByKey = await client.api("DELETE", overridePath(ended.teacherIdentity), key);
      expect(clearByKey.status).toBe(200);
      expect((await reportRow(ended.teacherIdentity)).override).toBeNull();
      // The teacher still overrides her students.
      const student = await client.request(`/api/dashboard${overridePath(ended.studentIdentity)}`, {
        method: "PUT",
        body: { status: "late" },
        cookie: teacher.cookie,
        origin,
      });
      expect(student.status).toBe(200);
    });
  });

  test("the event log ignores a cursor or filter it cannot use, as it ignores other malformed filters", async () => {
    const rows = (answer: Answer) => (answer.text.match(/data-testid="event-row"/g) ?? []).length;
    const firstPage = await client.request("/admin/events", { cookie: admin.cookie });
    expect(firstPage.status).toBe(200);
    expect(rows(firstPage)).toBeGreaterThan(0);
    const broken = [
      "before=2026-99-99T00:00:00Z|abc",
      "before=2026-02-30T00:00:00Z|abc",
      "before=2026-11-20T25:61:00Z|abc",
      `before=${encodeURIComponent("2026-11-20T10:00:00.000Z|a\u0000b")}`,
      "before=0000-01-01T00:00:00.000Z|abc",
      "room=%00",
      "identity=a%00b",
      "session=%00",
    ];
    for (const query of broken) {
      const answer = await client.request(`/admin/events?${query}`, { cookie: admin.cookie });
      expect(answer.status, query).toBe(200);
      expect(rows(answer), query).toBe(rows(firstPage));
    }
    // A real cursor still pages: nothing is older than the oldest event.
    const oldest = await client.request(`/admin/events?before=${encodeURIComponent("2000-01-01T00:00:00.000Z|x")}`, {
      cookie: admin.cookie,
    });
    expect(oldest.status).toBe(200);
    expect(rows(oldest)).toBe(0);
  });

  test("TRUNCATE cannot empty the webhook log", async () => {
    const client = await db.pool.connect();
    try {
      const before = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM webhook_event")).rows[0]!.n);
      expect(before).toBeGreaterThan(0);
      for (const statement of [
        "TRUNCATE webhook_event",
        "TRUNCATE webhook_event CASCADE",
        "TRUNCATE session, webhook_event CASCADE",
      ]) {
        // In a transaction that is rolled back whatever happens, so no other test loses its log.
        await client.query("BEGIN");
        const error = await client.query(statement).then(
          () => null,
          (failure: Error) => failure,
        );
        await client.query("ROLLBACK");
        expect(error?.message, statement).toMatch(/webhook_event is append-only: TRUNCATE is not allowed/);
      }
      expect(Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM webhook_event")).rows[0]!.n)).toBe(
        before,
      );
    } finally {
      client.release();
    }
  });
});
