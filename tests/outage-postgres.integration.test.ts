import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { findFreePort } from "../lib/db/free-port.ts";
import { calculateSessions } from "../lib/calculation/calculate-sessions.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { Client } from "./support/access.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { connectBackend, livekitCredentials } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";
import { inParallel, postWebhook, seedAcademy, sessionInput, uniqueName } from "./support/fixtures.ts";
import { compareWithReference, createRandomClasses, duplicatedAndShuffled } from "./support/random-classes.ts";
import { createThrowawayPostgres, type ThrowawayPostgres } from "./support/throwaway-postgres.ts";

const MIN = 60_000;

/** The SQL of the README's restricted database role for the app (Deploying). */
function readmeAppRoleSql(): string {
  const readme = fs.readFileSync("README.md", "utf8");
  const block = /<!-- app-role-sql -->\s*```sql\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no <!-- app-role-sql --> block");
  return block;
}

async function waitFor<T>(what: string, attempt: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt().catch(() => null);
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A PostgreSQL server of the test's own. It crashes in the middle of a burst of webhooks: every
// request is answered 200 only once its event is committed, 503 otherwise (LiveKit retries those);
// nothing answered 200 is lost by the crash; after the restart and the retries the reports are
// complete. While it is down, the API and the dashboard answer 503 with Retry-After too. And the
// restricted role the README gives the app runs the whole app but cannot change the log.
describe("a PostgreSQL server of the test's own", () => {
  let postgres: ThrowawayPostgres;
  let app: AppServer;
  let workDir: string;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-pg-outage-"));
    postgres = await createThrowawayPostgres();
    const migrated = await runCli(["db:migrate"], { DATABASE_URL: postgres.url });
    expect(migrated.code, migrated.stderr).toBe(0);
    const { apiKey, apiSecret } = livekitCredentials();
    app = await startAppServer({
      port: await findFreePort(),
      logDir: workDir,
      env: {
        DATABASE_URL: postgres.url,
        LIVEKIT_API_KEY: apiKey,
        LIVEKIT_API_SECRET: apiSecret,
        BETTER_AUTH_SECRET: "outage-test-secret-0123456789abcdef0123",
      },
    });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    postgres?.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("the README's database role for the app runs the app, and cannot update, delete or truncate the log or the overrides' history", async () => {
    const roleSql = readmeAppRoleSql();
    const owner = new pg.Client({ connectionString: postgres.url });
    await owner.connect();
    try {
      await owner.query(roleSql);
    } finally {
      await owner.end();
    }
    const appUrl = postgres.url.replace("postgresql://postgres@", "postgresql://rollcall_app:change-me@");
    const backend = { name: "postgres" as const, baseUrl: app.baseUrl, databaseUrl: postgres.url, dataDir: null };
    const db = connectBackend(backend);
    // What an operator does as the owner: an academy, its key, a teacher's sign-in.
    const { academy, key } = await seedAcademy(db.prisma, "Role Academy");
    const teacherExternal = uniqueName("t");
    const teacherPassword = `pw-${uniqueName("secret")}`;
    const teacherEmail = `${uniqueName("teacher")}@example.org`;
    await createDashboardUser(db.prisma, {
      academyId: academy.id,
      role: "teacher",
      email: teacherEmail,
      name: "Role Teacher",
      password: teacherPassword,
      externalId: teacherExternal,
    });
    await db.close();

    const { apiKey, apiSecret } = livekitCredentials();
    const restricted = await startAppServer({
      port: await findFreePort(),
      logDir: workDir,
      env: {
        DATABASE_URL: appUrl,
        LIVEKIT_API_KEY: apiKey,
        LIVEKIT_API_SECRET: apiSecret,
        BETTER_AUTH_SECRET: "role-test-secret-0123456789abcdef0123456",
      },
    });
    try {
      const client = new Client(restricted.baseUrl);
      const end = Date.now() - 60 * MIN;
      const input = sessionInput({
        scheduledStart: new Date(end - 60 * MIN).toISOString(),
        scheduledEnd: new Date(end).toISOString(),
        teacher: { externalId: teacherExternal, name: "Role Teacher", livekitIdentity: `lk-${teacherExternal}` },
      });
      const created = await client.api("POST", "/sessions", key, input);
      expect(created.status, created.text).toBe(201);
      const sessionId = (created.json as { session: { id: string } }).session.id;
      const rng = createRng(5);
      const room: RoomRef = { sid: livekitId(rng, "RM_"), name: input.roomName, creationTimeMs: end - 65 * MIN };
      const student: ParticipantRef = {
        sid: livekitId(rng, "PA_"),
        identity: input.students[0]!.livekitIdentity,
        name: "Aisha",
        joinedAtMs: end - 59 * MIN,
      };
      for (const payload of [
        participantJoined(livekitId(rng, "EV_"), room, student, student.joinedAtMs),
        participantLeft(livekitId(rng, "EV_"), room, student, end - MIN, "CLIENT_INITIATED"),
      ]) {
        expect((await postWebhook(restricted.baseUrl, toWebhookBody(payload))).status).toBe(200);
      }
      expect((await client.api("PATCH", `/sessions/${sessionId}`, key, { title: "Renamed" })).status).toBe(200);
      expect((await client.api("PUT", "/policy", key, { defaults: { graceMinutes: 12 }, types: {} })).status).toBe(200);
      expect((await client.api("POST", `/sessions/${sessionId}/recalculate`, key)).status).toBe(202);
      const report = await waitFor("the report", async () => {
        const answer = await client.api("GET", `/sessions/${sessionId}/report`, key);
        const body = answer.json as { calculatedAt: string | null; reports: { identity: string; status: string }[] };
        return body.calculatedAt && body.reports.length === 4 ? body : null;
      });
      expect(report.reports.find((row) => row.identity === student.identity)?.status).toBe("present");
      const signedIn = await client.signIn(teacherEmail, teacherPassword);
      expect(signedIn.status).toBe(200);
      const override = await client.request(
        `/api/dashboard/sessions/${sessionId}/reports/${encodeURIComponent(input.students[1]!.livekitIdentity)}/override`,
        {
          method: "PUT",
          body: { status: "excused", note: "ill" },
          cookie: signedIn.cookie,
          origin: restricted.baseUrl,
        },
      );
      expect(override.status, override.text).toBe(200);
      expect((await client.request(`/sessions/${sessionId}`, { cookie: signedIn.cookie })).status).toBe(200);
      expect((await client.api("POST", `/sessions/${sessionId}/cancel`, key)).status).toBe(200);

      const asApp = new pg.Client({ connectionString: appUrl });
      await asApp.connect();
      try {
        for (const statement of [
          "UPDATE webhook_event SET identity = 'forged'",
          "DELETE FROM webhook_event",
          "TRUNCATE webhook_event",
        ]) {
          await expect(asApp.query(statement), statement).rejects.toThrow(/permission denied/);
        }
        expect(Number((await asApp.query<{ n: string }>("SELECT count(*) AS n FROM webhook_event")).rows[0]!.n)).toBe(
          2,
        );
        // The overrides' history likewise: the excuse above appended one event, which stays.
        for (const statement of [
          "UPDATE override_event SET note = 'forged'",
          "DELETE FROM override_event",
          "TRUNCATE override_event",
        ]) {
          await expect(asApp.query(statement), statement).rejects.toThrow(/permission denied/);
        }
        expect(
          (await asApp.query<{ note: string }>("SELECT note FROM override_event WHERE session_id = $1", [sessionId]))
            .rows,
        ).toEqual([{ note: "ill" }]);
      } finally {
        await asApp.end();
      }
    } finally {
      await restricted.stop();
    }
  }, 180_000);

  test("no 200 is lost, every other answer is 503, and the retried stream gives complete reports", async () => {
    const backend = { name: "postgres" as const, baseUrl: app.baseUrl, databaseUrl: postgres.url, dataDir: null };
    const db = connectBackend(backend);
    const { key } = await seedAcademy(db.prisma, "Outage Academy");
    const classes = await createRandomClasses(app.baseUrl, key, { count: 40, seed: 99 });
    await db.close();
    const deliveries = duplicatedAndShuffled(createRng(100), classes);

    const answers = new Map<string, number[]>();
    const crashAfter = Math.floor(deliveries.length / 3);
    const restartAfter = Math.floor((deliveries.length * 2) / 3);
    let sent = 0;
    let crashed = false;
    await inParallel(deliveries, 12, async (body) => {
      const index = sent++;
      if (index === crashAfter) {
        postgres.crash();
        crashed = true;
      }
      if (index === restartAfter && crashed) {
        postgres.start();
        crashed = false;
      }
      const { status } = await postWebhook(app.baseUrl, body);
      const id = (JSON.parse(body) as { id: string }).id;
      answers.set(id, [...(answers.get(id) ?? []), status]);
    });
    const statuses = [...answers.values()].flat();
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);

    // Nothing acknowledged before, during or after the crash is missing.
    const check = new pg.Client({ connectionString: postgres.url });
    await check.connect();
    const storedIds = async () =>
      new Set((await check.query<{ id: string }>("SELECT id FROM webhook_event")).rows.map((row) => row.id));
    const acknowledged = [...answers].filter(([, seen]) => seen.includes(200)).map(([id]) => id);
    const afterBurst = await storedIds();
    expect(acknowledged.filter((id) => !afterBurst.has(id))).toEqual([]);

    // LiveKit's retries: every event not yet acknowledged is sent again until it is.
    const pendingById = new Map<string, string>();
    for (const body of deliveries) {
      const id = (JSON.parse(body) as { id: string }).id;
      if (!answers.get(id)!.includes(200)) pendingById.set(id, body);
    }
    const pending = [...pendingById.values()];
    for (const body of pending) {
      let status = 0;
      for (let attempt = 0; attempt < 6 && status !== 200; attempt++) {
        status = (await postWebhook(app.baseUrl, body)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
      expect(status).toBe(200);
    }
    const allIds = new Set(classes.flatMap((c) => c.bodies.map((body) => (JSON.parse(body) as { id: string }).id)));
    const finalIds = await storedIds();
    expect([...allIds].filter((id) => !finalIds.has(id))).toEqual([]);
    await check.end();

    const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    try {
      const summary = await calculateSessions({
        pool,
        sessionIds: classes.map((c) => c.sessionId),
        force: true,
        trigger: "manual",
      });
      expect(summary.failures).toEqual([]);
      expect(await compareWithReference(pool, classes)).toEqual([]);
    } finally {
      await pool.end();
    }
  }, 300_000);
  test("while it is down, the API and the dashboard answer 503 with Retry-After, and the pages say the database is unreachable", async () => {
    await waitFor("the database", async () => ((await fetch(`${app.baseUrl}/api/health`)).ok ? true : null), 60_000);
    const backend = { name: "postgres" as const, baseUrl: app.baseUrl, databaseUrl: postgres.url, dataDir: null };
    const db = connectBackend(backend);
    const { academy, key } = await seedAcademy(db.prisma, "Down Academy");
    const email = `${uniqueName("admin")}@example.org`;
    const secret = `pw-${uniqueName("secret")}`;
    await createDashboardUser(db.prisma, {
      academyId: academy.id,
      role: "admin",
      email,
      name: "Down Admin",
      password: secret,
    });
    await db.close();
    const client = new Client(app.baseUrl);
    const { cookie } = await client.signIn(email, secret);
    expect(cookie).toContain("session_token");
    const created = await client.api("POST", "/sessions", key, sessionInput());
    expect(created.status).toBe(201);
    const sessionId = (created.json as { session: { id: string } }).session.id;
    // Up: every call below answers.
    expect((await client.api("GET", `/sessions/${sessionId}/report`, key)).status).toBe(200);
    expect((await client.request(`/api/dashboard/sessions/${sessionId}/report`, { cookie })).status).toBe(200);

    postgres.crash();
    try {
      const calls: [string, string, { key?: string; cookie?: string; body?: unknown; origin?: string }][] = [
        ["GET", "/api/v1/sessions", { key }],
        ["GET", `/api/v1/sessions/${sessionId}`, { key }],
        ["GET", `/api/v1/sessions/${sessionId}/report`, { key }],
        ["GET", `/api/v1/sessions/${sessionId}/report.csv`, { key }],
        ["POST", "/api/v1/sessions", { key, body: sessionInput() }],
        ["PATCH", `/api/v1/sessions/${sessionId}`, { key, body: { title: "Down" } }],
        ["GET", "/api/v1/policy", { key }],
        ["GET", `/api/dashboard/sessions/${sessionId}/report`, { cookie }],
        ["GET", `/api/dashboard/sessions/${sessionId}/presence`, { cookie }],
        ["GET", "/api/dashboard/policy", { cookie }],
        ["POST", `/api/dashboard/sessions/${sessionId}/recalculate`, { cookie, origin: app.baseUrl }],
        ["GET", "/api/auth/get-session", { cookie }],
      ];
      const wrong: string[] = [];
      for (const [method, route, options] of calls) {
        const answer = await client.request(route, { method, ...options });
        // Better Auth's routes answer in its own error shape.
        const body = answer.json as { error?: { code?: string }; code?: string } | null;
        const code = route.startsWith("/api/auth/") ? body?.code : body?.error?.code;
        if (
          answer.status !== 503 ||
          !answer.headers.get("retry-after") ||
          code !== (route.startsWith("/api/auth/") ? "DATABASE_UNAVAILABLE" : "unavailable")
        ) {
          wrong.push(
            `${method} ${route} -> ${answer.status} retry-after=${answer.headers.get("retry-after")} ${answer.text.slice(0, 200)}`,
          );
        }
      }
      // Signing in says so too.
      const signIn = await client.signIn(email, secret);
      if (signIn.status !== 503 || !signIn.answer.headers.get("retry-after"))
        wrong.push(`sign-in -> ${signIn.status} ${signIn.answer.text.slice(0, 200)}`);
      expect(wrong).toEqual([]);
      for (const page of ["/sessions", `/sessions/${sessionId}`, "/admin/events"]) {
        const answer = await client.request(page, { cookie });
        expect(answer.text, page).toContain("The database is unreachable");
        expect(answer.text, page).toContain("retrying");
      }
    } finally {
      postgres.start();
    }
    // Back: the same calls answer again, without a restart of the app.
    await waitFor("the API", async () => ((await client.api("GET", "/sessions", key)).status === 200 ? true : null));
    expect((await client.request(`/api/dashboard/sessions/${sessionId}/report`, { cookie })).status).toBe(200);
    expect((await client.request("/sessions", { cookie })).status).toBe(200);
  }, 120_000);
});
