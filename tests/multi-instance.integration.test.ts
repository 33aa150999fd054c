// Several instances of the app behind a load balancer, on one PostgreSQL: two `next start`
// processes on two ports, one database, the same BETTER_AUTH_SECRET and LiveKit pair. What one
// instance stores, counts or announces, the other sees: live streams, the calculation's lock, the
// sign-in limits, and the log when an instance dies in the middle of a burst.
import { openLiveStream, until } from "./support/live-stream.ts";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDashboardUser } from "../lib/auth/users.ts";
import { findFreePort } from "../lib/db/free-port.ts";
import { applyMigrations } from "../lib/db/migrations.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import {
  participantJoined,
  participantLeft,
  toWebhookBody,
  type ParticipantRef,
  type RoomRef,
} from "../lib/simulation/webhook-payloads.ts";
import { Client, freshIp } from "./support/access.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { callApi, postWebhook, seedAcademy, uniqueName } from "./support/fixtures.ts";
import { createTestDatabase } from "./support/postgres.ts";

const MIN = 60_000;
const rng = createRng(1212);
const AUTH_SECRET = "multi-instance-secret-0123456789abcdef";

const webhookId = (body: string) => (JSON.parse(body) as { id: string }).id;
const room = (name: string, createdAtMs: number): RoomRef => ({
  sid: livekitId(rng, "RM_"),
  name,
  creationTimeMs: createdAtMs,
});
const person = (identity: string, joinedAtMs: number): ParticipantRef => ({
  sid: livekitId(rng, "PA_"),
  identity,
  name: identity,
  joinedAtMs,
});
const join = (r: RoomRef, p: ParticipantRef) =>
  toWebhookBody(participantJoined(livekitId(rng, "EV_"), r, p, p.joinedAtMs + 500));
const leave = (r: RoomRef, p: ParticipantRef, atMs: number) =>
  toWebhookBody(participantLeft(livekitId(rng, "EV_"), r, p, atMs, "CLIENT_INITIATED"));

describe("two app instances on one PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let a: AppServer | undefined;
  let b: AppServer | undefined;
  let db: BackendDb;
  let key: string;
  let academyId: string;
  /** A dashboard admin's cookie, signed in on instance A and used on both. */
  let cookie: string;

  /** A session created through the API of instance A. */
  async function createSession(input: {
    roomName: string;
    start: number;
    end: number;
    teacher: string;
    students: string[];
  }) {
    const created = await callApi<{ session: { id: string } }>(a!.baseUrl, key, "POST", "/sessions", {
      type: "academic",
      title: "Multi-instance",
      roomName: input.roomName,
      scheduledStart: new Date(input.start).toISOString(),
      scheduledEnd: new Date(input.end).toISOString(),
      teacher: {
        externalId: `${input.roomName}-${input.teacher}`,
        name: input.teacher,
        livekitIdentity: input.teacher,
      },
      students: input.students.map((identity) => ({
        externalId: `${input.roomName}-${identity}`,
        name: identity,
        livekitIdentity: identity,
      })),
    });
    expect(created.status).toBe(201);
    return created.json.session.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase("rollcall_multi");
    // prisma/migrations, applied as `rollcall db:migrate` applies them (in this process: no CLI to boot).
    const migrator = new pg.Client({ connectionString: database.url });
    await migrator.connect();
    try {
      await applyMigrations(migrator);
    } finally {
      await migrator.end();
    }
    const { apiKey, apiSecret } = livekitCredentials();
    const env = {
      DATABASE_URL: database.url,
      BETTER_AUTH_SECRET: AUTH_SECRET,
      LIVEKIT_API_KEY: apiKey,
      LIVEKIT_API_SECRET: apiSecret,
      // Every test decides when a calculation runs (tests/setup/global-setup.ts says why).
      ROLLCALL_SWEEP_INTERVAL_SECONDS: "0",
    };
    const logDir = path.join(inject("workDir"), "multi-instance");
    const [portA, portB] = [await findFreePort(), await findFreePort()];
    // Both boot at once; if one fails, the other is still kept for afterAll to stop.
    const started = await Promise.allSettled([
      startAppServer({ port: portA, logDir, env }),
      startAppServer({ port: portB, logDir, env }),
    ]);
    [a, b] = started.map((result) => (result.status === "fulfilled" ? result.value : undefined));
    for (const result of started) if (result.status === "rejected") throw result.reason;

    db = connectBackend({ name: "postgres", baseUrl: a!.baseUrl, databaseUrl: database.url, dataDir: null });
    ({
      key,
      academy: { id: academyId },
    } = await seedAcademy(db.prisma, "Two Instances Academy"));
    const admin = {
      email: `${uniqueName("admin")}@example.org`,
      password: `pw-${randomBytes(12).toString("base64url")}`,
    };
    await createDashboardUser(db.prisma, { academyId, role: "admin", name: "Multi Admin", ...admin });
    const signedIn = await new Client(a!.baseUrl).signIn(admin.email, admin.password);
    expect(signedIn.status).toBe(200);
    cookie = signedIn.cookie;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await database?.drop();
  });

  it("a webhook posted to A reaches a live stream opened on B within a second, and B's presence shows it", async () => {
    const start = Math.floor((Date.now() - 10 * MIN) / 1000) * 1000;
    const students = Array.from({ length: 8 }, (_, i) => `live-${i}`);
    const roomName = uniqueName("live");
    const sessionId = await createSession({
      roomName,
      start,
      end: start + 60 * MIN,
      teacher: "live-teacher",
      students,
    });
    const r = room(roomName, start - 5 * MIN);

    // The cookie was issued by A; B accepts it (one secret, sessions in the database).
    const stream = await openLiveStream(b!.baseUrl, cookie, sessionId);
    const latencies: number[] = [];
    for (const [i, identity] of students.entries()) {
      const body = join(r, person(identity, start + i * 1000));
      const answer = await postWebhook(a!.baseUrl, body);
      const answeredAt = performance.now();
      expect(answer.status).toBe(200);
      expect(answer.json.result).toBe("stored");
      const seen = await stream.next(
        `the join of ${identity} on B's stream`,
        (event) => event.name === "change" && event.data.id === webhookId(body),
      );
      expect(seen.data).toEqual({ sessionId, event: "participant_joined", identity, id: webhookId(body) });
      latencies.push(seen.at - answeredAt);
    }
    stream.close();
    console.log(`multi-instance: A's 200 → B's stream, ms: ${latencies.map((ms) => ms.toFixed(1)).join(", ")}`);
    for (const latency of latencies) expect(latency).toBeLessThan(1000);

    // What the page on B re-reads on each announcement: everyone who joined through A is in the room.
    const presence = (await new Client(b!.baseUrl).request(`/api/dashboard/sessions/${sessionId}/presence`, { cookie }))
      .json as {
      presence: { inRoom: { identity: string }[]; counts: { students: { inRoom: number; notJoined: number } } };
    };
    expect(presence.presence.inRoom.map((p) => p.identity).sort()).toEqual([...students].sort());
    expect(presence.presence.counts.students).toMatchObject({ inRoom: 8, notJoined: 0 });
  });

  it("a recalculation asked on A and on B at the same moment runs once: both answered 202, the second finds the first's report newer than its request; the report is whole, correct and newer than both requests", async () => {
    // A class of 60 min (S to E, 3,600 s) that ended half an hour ago. The expected values are
    // worked out by hand from docs/ATTENDANCE_RULES.md §4–§6 with the default policy (grace 15
    // min; absent under 10 %, partial up to 50 %, present over 75 %, else late if late).
    const start = Math.floor((Date.now() - 90 * MIN) / MIN) * MIN;
    const end = start + 60 * MIN;
    const roomName = uniqueName("recalc");
    const sessionId = await createSession({
      roomName,
      start,
      end,
      teacher: "teacher",
      students: ["aisha", "omar", "yusuf", "maryam", "hamza"],
    });
    const r = room(roomName, start - 10 * MIN);
    const teacher = person("teacher", start - 5 * MIN);
    const aisha = person("aisha", start - 2 * MIN);
    const omar = person("omar", start + 20 * MIN);
    const yusuf = person("yusuf", start + 10 * MIN);
    const hamzaPhone = person("hamza", start);
    const hamzaLaptop = person("hamza", start + 30 * MIN);
    const bodies = [
      join(r, teacher),
      leave(r, teacher, end + 2 * MIN), // S−5 → E+2: the whole window
      join(r, aisha),
      leave(r, aisha, start + 58 * MIN), // S−2 → S+58: 58 min (preparation not counted)
      join(r, omar),
      leave(r, omar, end + MIN), // S+20 → E+1: 40 min, arrived 20 min after the start
      join(r, yusuf),
      leave(r, yusuf, start + 30 * MIN), // S+10 → S+30: 20 min
      join(r, hamzaPhone),
      leave(r, hamzaPhone, start + 40 * MIN), // two devices, S → S+40
      join(r, hamzaLaptop),
      leave(r, hamzaLaptop, start + 50 * MIN), // and S+30 → S+50: union S → S+50
    ]; // maryam never joins
    for (const [i, body] of bodies.entries())
      expect((await postWebhook(i % 2 ? b!.baseUrl : a!.baseUrl, body)).status).toBe(200);

    // Which transactions write this session's reports: a statement trigger on the test's own
    // database, so "ran once" is read from PostgreSQL, not inferred from timing.
    await db.pool.query(`
      CREATE TABLE IF NOT EXISTS test_report_writes (session_id text, txid bigint);
      CREATE OR REPLACE FUNCTION test_note_report_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO test_report_writes SELECT DISTINCT session_id, txid_current() FROM written;
        RETURN NULL;
      END $$;
      DROP TRIGGER IF EXISTS test_note_report_write ON attendance_report;
      CREATE TRIGGER test_note_report_write AFTER INSERT ON attendance_report REFERENCING NEW TABLE AS written
        FOR EACH STATEMENT EXECUTE FUNCTION test_note_report_write();`);
    const reportWrites = async () =>
      (
        await db.pool.query<{ n: number }>(
          "SELECT count(DISTINCT txid)::int AS n FROM test_report_writes WHERE session_id = $1",
          [sessionId],
        )
      ).rows[0]!.n;
    const calculatedOnStream = await openLiveStream(a!.baseUrl, cookie, sessionId);
    const calculations = () =>
      calculatedOnStream.events.filter((event) => event.name === "change" && event.data.event === "calculated").length;
    const waitersOnTheLock = async () =>
      (
        await db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        )
      ).rows[0]!.n;

    // The test holds the session's calculation lock, so that both requests are queued at the same moment.
    const holder = await db.pool.connect();
    let answers: Awaited<ReturnType<typeof callApi<{ status: string; requestedAt: string }>>>[];
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [sessionId]);
      answers = await Promise.all(
        [a!, b!].map((server) =>
          callApi<{ status: string; requestedAt: string }>(
            server.baseUrl,
            key,
            "POST",
            `/sessions/${sessionId}/recalculate`,
          ),
        ),
      );
      // Each instance's calculation waits on the one lock in the database, not on one of its own.
      await until("both instances' calculations waiting on the session's lock", async () =>
        (await waitersOnTheLock()) === 2 ? true : undefined,
      );
      expect(calculations()).toBe(0);
    } finally {
      await holder.query("COMMIT");
      holder.release();
    }
    expect(answers.map((answer) => [answer.status, answer.json.status])).toEqual([
      [202, "queued"],
      [202, "queued"],
    ]);

    // What both dashboards wait for: a report calculated at or after their request.
    const lastRequest = answers
      .map((answer) => answer.json.requestedAt)
      .sort()
      .at(-1)!;
    type Report = {
      isCalculated: boolean;
      calculatedAt: string | null;
      counts: Record<string, number>;
      reports: {
        identity: string;
        role: string;
        status: string;
        attendedSeconds: number;
        percentage: number;
        isLate: boolean;
        lateMinutes: number;
        isAutoCalculated: boolean;
        calculatedAt: string;
      }[];
    };
    await until("a calculation announced", () => (calculations() >= 1 ? true : undefined));
    const advisoryLocks = async () =>
      (await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'"))
        .rows[0]!.n;
    await until("both runs over (no calculation holding or waiting for the lock)", async () =>
      (await advisoryLocks()) === 0 ? true : undefined,
    );
    const reportOn = async (server: AppServer) =>
      (await callApi<Report>(server.baseUrl, key, "GET", `/sessions/${sessionId}/report`)).json;
    const [fromA, fromB] = await Promise.all([reportOn(a!), reportOn(b!)]);
    calculatedOnStream.close();
    // One transaction wrote the reports: the run that came second found them calculated after its
    // own request (the database's clock for both) and left them alone.
    expect(await reportWrites()).toBe(1);
    expect(calculations()).toBe(1);
    expect(fromB).toEqual(fromA);
    expect(fromA.isCalculated).toBe(true);
    expect(
      fromA.calculatedAt! >= lastRequest,
      `calculatedAt ${fromA.calculatedAt} at or after both requests (${answers.map((x) => x.json.requestedAt).join(", ")})`,
    ).toBe(true);
    // The rows are one run's whole output, not a mix of the two: every row carries the session's calculatedAt.
    expect(new Set(fromA.reports.map((row) => row.calculatedAt))).toEqual(new Set([fromA.calculatedAt]));
    const rows = (
      await db.pool.query<{ identity: string; n: number }>(
        "SELECT identity, count(*)::int AS n FROM attendance_report WHERE session_id = $1 GROUP BY identity ORDER BY identity",
        [sessionId],
      )
    ).rows;
    expect(rows).toEqual(
      ["aisha", "hamza", "maryam", "omar", "teacher", "yusuf"].map((identity) => ({ identity, n: 1 })),
    );

    const byIdentity = Object.fromEntries(
      fromA.reports.map((row) => [
        row.identity,
        [row.role, row.status, row.attendedSeconds, row.percentage, row.isLate, row.lateMinutes, row.isAutoCalculated],
      ]),
    );
    expect(byIdentity).toEqual({
      teacher: ["teacher", "present", 3600, 100, false, 0, false], // 60 of 60 min
      aisha: ["student", "present", 3480, 96.7, false, 0, false], // 58 of 60 min = 96.67 % > 75 %
      omar: ["student", "late", 2400, 66.7, true, 20, false], // 40 of 60 = 66.67 %: not over 75 %, arrived S+20 > S+15
      yusuf: ["student", "partial", 1200, 33.3, false, 0, false], // 20 of 60 = 33.33 % ≤ 50 %, on time
      maryam: ["student", "absent", 0, 0, false, 0, false], // never came
      hamza: ["student", "present", 3000, 83.3, false, 0, false], // 50 of 60 = 83.33 %: two devices counted once
    });
    expect(fromA.counts).toEqual({ present: 2, late: 1, partial: 1, absent: 1, excused: 0 });
  });

  it("failed sign-ins spread over A and B reach the account's cool-down (429) at the same count as on one instance", async () => {
    // The limits of lib/auth/signin-throttle.ts with their documented defaults (README, "Failed
    // sign-ins are limited"): per account, 10 failures within 15 minutes, then a first cool-down of
    // 1 minute; per client address, 10 failures a minute. Literals, not imported: a change of the
    // limits is a change of this test.
    const allowedFailures = 10;
    const firstCooldownSeconds = 60;
    const onA = new Client(a!.baseUrl);
    const onB = new Client(b!.baseUrl);
    const wrong = () => `wrong-${randomBytes(9).toString("base64url")}`;
    const makeTeacher = async () => {
      const teacher = {
        email: `${uniqueName("teacher")}@example.org`,
        password: `pw-${randomBytes(12).toString("base64url")}`,
      };
      await createDashboardUser(db.prisma, {
        academyId,
        role: "teacher",
        name: uniqueName("Teacher"),
        externalId: uniqueName("t"),
        ...teacher,
      });
      return teacher;
    };

    // On one instance the 11th guess at an account is refused (tests/sign-in.integration.test.ts);
    // alternated between two, each from an address of its own, the same 11th.
    const expected = [...Array(allowedFailures).fill(401), 429];
    const spreadTeacher = await makeTeacher();
    const spread = [];
    for (let i = 0; i <= allowedFailures; i++)
      spread.push(await (i % 2 ? onB : onA).signIn(spreadTeacher.email, wrong(), freshIp()));
    expect(spread.map((answer) => answer.status)).toEqual(expected);
    expect(Number(spread.at(-1)!.answer.headers.get("retry-after"))).toBe(firstCooldownSeconds);
    // Even the right password is refused, on either instance, without a session.
    for (const client of [onA, onB]) {
      const right = await client.signIn(spreadTeacher.email, spreadTeacher.password, freshIp());
      expect(right.status).toBe(429);
      expect(right.cookie).not.toContain("session_token");
    }

    // Twenty guesses at once, ten on each instance: exactly ten are checked, the rest refused.
    const burstTeacher = await makeTeacher();
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? onB : onA).signIn(burstTeacher.email, wrong(), freshIp())),
    );
    const tally = (statuses: number[]) =>
      Object.fromEntries(
        [...new Set(statuses)].sort().map((status) => [status, statuses.filter((s) => s === status).length]),
      );
    expect(tally(burst.map((answer) => answer.status))).toEqual({ 401: allowedFailures, 429: 20 - allowedFailures });

    // One address guessing many accounts, over both instances: the address's limit, shared too.
    const address = freshIp();
    const fromOneAddress: number[] = [];
    for (let i = 0; i <= allowedFailures; i++)
      fromOneAddress.push(
        (await (i % 2 ? onB : onA).signIn(`${uniqueName("nobody")}@example.org`, wrong(), address)).status,
      );
    expect(fromOneAddress).toEqual(expected);
  });

  it("an instance killed in the middle of a burst loses nothing it acknowledged, and what it never answered is stored once when re-sent to B", async () => {
    const start = Math.floor((Date.now() - 10 * MIN) / 1000) * 1000;
    const roomName = uniqueName("crash");
    const sessionId = await createSession({
      roomName,
      start,
      end: start + 60 * MIN,
      teacher: "crash-teacher",
      students: [],
    });
    const r = room(roomName, start - 5 * MIN);
    const bodies = Array.from({ length: 200 }, (_, i) =>
      join(r, person(`pupil-${String(i).padStart(3, "0")}`, start + i * 1000)),
    );
    const [toA, toB] = [bodies.slice(0, 160), bodies.slice(160)];

    type Outcome = { body: string; instance: "A" | "B"; status: number | "no answer" };
    const outcomes: Outcome[] = [];
    let answeredByA = 0;
    // In an object: TypeScript would take a `let` set only inside the callback below for always null.
    const killing: { done: Promise<void> | null } = { done: null };
    const send = async (server: AppServer, instance: "A" | "B", queue: string[], concurrency: number) => {
      const worker = async () => {
        for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
          try {
            const answer = await postWebhook(server.baseUrl, body);
            outcomes.push({ body, instance, status: answer.status });
            // A third of the way into A's share, with two dozen of its requests in flight: SIGKILL.
            if (instance === "A" && ++answeredByA === 50) killing.done = server.kill();
          } catch {
            outcomes.push({ body, instance, status: "no answer" });
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await Promise.all([send(a!, "A", [...toA], 24), send(b!, "B", [...toB], 8)]);
    await killing.done;
    // Gone for good: nothing of A answers any more (no child process left serving its port).
    await expect(fetch(`${a!.baseUrl}/api/health`)).rejects.toThrow();

    const ofA = outcomes.filter((outcome) => outcome.instance === "A");
    const acknowledged = outcomes.filter((outcome) => outcome.status === 200).map((outcome) => webhookId(outcome.body));
    const unanswered = ofA.filter((outcome) => outcome.status !== 200);
    console.log(
      `multi-instance: A acknowledged ${ofA.length - unanswered.length} of ${toA.length} before SIGKILL, ${unanswered.length} unanswered; B acknowledged ${outcomes.filter((o) => o.instance === "B" && o.status === 200).length} of ${toB.length}`,
    );
    expect(outcomes).toHaveLength(bodies.length);
    expect(outcomes.filter((outcome) => outcome.instance === "B").map((outcome) => outcome.status)).toEqual(
      Array(toB.length).fill(200),
    );
    expect(ofA.length - unanswered.length).toBeGreaterThanOrEqual(50);
    expect(unanswered.length).toBeGreaterThan(0);
    expect(unanswered.map((outcome) => outcome.status)).toEqual(Array(unanswered.length).fill("no answer"));

    // Every webhook answered 200 by either instance is in the log.
    const storedIds = async (ids: string[]) =>
      (await db.pool.query<{ id: string }>("SELECT id FROM webhook_event WHERE id = ANY($1::text[])", [ids])).rows
        .map((row) => row.id)
        .sort();
    expect(await storedIds(acknowledged)).toEqual([...acknowledged].sort());

    // LiveKit re-sends what was not answered 200; the load balancer sends it to B. Each is stored
    // once, whether or not A had committed it before it died.
    const resent = await Promise.all(unanswered.map((outcome) => postWebhook(b!.baseUrl, outcome.body)));
    expect(resent.map((answer) => answer.status)).toEqual(Array(unanswered.length).fill(200));
    const duplicates = resent.filter((answer) => answer.json.result === "duplicate").length;
    console.log(
      `multi-instance: of the ${unanswered.length} re-sent to B, ${duplicates} had been committed by A before it died (answered "duplicate")`,
    );
    const allIds = bodies.map(webhookId);
    const counts = (
      await db.pool.query<{ id: string; n: number }>(
        "SELECT id, count(*)::int AS n FROM webhook_event WHERE id = ANY($1::text[]) GROUP BY id",
        [allIds],
      )
    ).rows;
    expect(counts).toHaveLength(bodies.length);
    expect(counts.every((row) => row.n === 1)).toBe(true);

    // And what a teacher sees on B: all 200 who joined are in the room.
    const presence = (await new Client(b!.baseUrl).request(`/api/dashboard/sessions/${sessionId}/presence`, { cookie }))
      .json as {
      presence: { inRoom: { identity: string }[] };
    };
    expect(presence.presence.inRoom.map((p) => p.identity).sort()).toEqual(
      bodies.map((_, i) => `pupil-${String(i).padStart(3, "0")}`),
    );
  });
});
