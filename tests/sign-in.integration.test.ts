// Sign-in over real HTTP: the limits on failed sign-ins (per client address, per account, shared
// through the database) and where signing in leads afterwards.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { accountThrottleKey, addressThrottleKey } from "../lib/auth/signin-throttle.ts";
import { createDashboardUser } from "../lib/auth/users.ts";
import { findFreePort } from "../lib/db/free-port.ts";
import { Client, freshIp, type Answer } from "./support/access.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { backends, connectBackend, livekitCredentials, type BackendDb } from "./support/backends.ts";
import { seedAcademy, uniqueName } from "./support/fixtures.ts";

const wrong = () => `wrong-${randomBytes(9).toString("base64url")}`;
const nobody = () => `${uniqueName("nobody")}@example.org`;

interface Teacher {
  email: string;
  password: string;
}

/**
 * Moves one counter's clock forward: its stored times move back by `ms`, which is what the limits
 * see when that much time has passed. No test waits for a cool-down.
 */
async function passTime(db: BackendDb, key: string, ms: number): Promise<void> {
  const moved = await db.pool.query(
    `UPDATE signin_throttle SET window_started_at = window_started_at - $2,
       locked_until = CASE WHEN locked_until > 0 THEN locked_until - $2 ELSE 0 END, expires_at = expires_at - $2
     WHERE key = $1`,
    [key, ms],
  );
  expect(moved.rowCount, `counter ${key}`).toBe(1);
}

const retryAfter = (answer: Answer) => Number(answer.headers.get("retry-after"));

describe.each(backends())("sign-in on $name", (backend) => {
  let db: BackendDb;
  let client: Client;
  let academyId: string;

  const makeTeacher = async (): Promise<Teacher> => {
    const email = `${uniqueName("teacher")}@example.org`;
    const password = `pw-${randomBytes(12).toString("base64url")}`;
    await createDashboardUser(db.prisma, {
      academyId,
      role: "teacher",
      email,
      name: uniqueName("Teacher"),
      password,
      externalId: uniqueName("t"),
    });
    return { email, password };
  };

  beforeAll(async () => {
    db = connectBackend(backend);
    client = new Client(backend.baseUrl);
    academyId = (await seedAcademy(db.prisma, "Sign-in Academy")).academy.id;
  });
  afterAll(() => db.close());

  test("41 guesses at one account, each with another forged X-Forwarded-For and X-Real-IP, are refused (429) from the 11th on", async () => {
    const teacher = await makeTeacher();
    const ip = freshIp();
    const answers = [];
    for (let i = 0; i < 41; i++) {
      const forged = { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `203.0.113.${i + 1}` };
      answers.push(await client.signIn(teacher.email, i === 40 ? teacher.password : wrong(), ip, forged));
    }
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(31).fill(429)]);
    // The right password, last, was refused without being checked: no session.
    expect(answers[40]!.cookie).not.toContain("session_token");
    expect(answers[40]!.answer.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  test("guesses at one account from many addresses hit the account's limit: a cool-down of 1 minute, then 2, then 4", async () => {
    const teacher = await makeTeacher();
    const bystander = await makeTeacher();
    const cooldowns: number[] = [];
    for (let round = 0; round < 3; round++) {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await client.signIn(teacher.email, wrong(), freshIp())).status);
      expect(statuses, `round ${round + 1}`).toEqual(Array(10).fill(401));
      const refused = await client.signIn(teacher.email, wrong(), freshIp());
      expect(refused.status).toBe(429);
      cooldowns.push(retryAfter(refused.answer));
      // Even the right password, from an address never seen: the account is cooling down.
      const rightPassword = await client.signIn(teacher.email, teacher.password, freshIp());
      expect(rightPassword.status).toBe(429);
      expect(rightPassword.cookie).not.toContain("session_token");
      expect((rightPassword.answer.json as { message: string }).message).toMatch(
        /^Too many failed sign-ins\. Try again in \d+ (seconds|minutes)\.$/,
      );
      // Another account is not affected.
      expect((await client.signIn(bystander.email, bystander.password, freshIp())).status).toBe(200);
      // The cool-down ends: the person signs in.
      await passTime(db, accountThrottleKey(teacher.email), cooldowns[round]! * 1000);
      const after = await client.signIn(teacher.email, teacher.password, freshIp());
      expect(after.status, `after cool-down ${round + 1}`).toBe(200);
      expect(after.cookie).toContain("session_token");
    }
    expect(cooldowns).toEqual([60, 120, 240]);

    // A quiet quarter of an hour after the last cool-down forgets them: the next is 1 minute again.
    await passTime(db, accountThrottleKey(teacher.email), 15 * 60_000);
    for (let i = 0; i < 10; i++) expect((await client.signIn(teacher.email, wrong(), freshIp())).status).toBe(401);
    expect(retryAfter((await client.signIn(teacher.email, wrong(), freshIp())).answer)).toBe(60);
  });

  // The limits are 10 failures a minute per address and per account: an 11th success from one
  // address, or of one account, would be refused if successes counted.
  test("11 successful sign-ins from one address are never refused, nor a person's own after mistakes", async () => {
    const teachers = [await makeTeacher(), await makeTeacher(), await makeTeacher()];
    const school = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await client.signIn(teachers[i % 3]!.email, teachers[i % 3]!.password, school)).status);
    for (let i = 0; i < 11; i++)
      statuses.push((await client.signIn(teachers[0]!.email, teachers[0]!.password, school)).status);
    expect(statuses).toEqual(Array(22).fill(200));

    // Nine typing mistakes from the school, then everyone signs in (the second success would be the
    // address's 11th attempt), then one more mistake: still answered, since only the failures count
    // (nine, then ten).
    const mistakes: number[] = [];
    for (let i = 0; i < 9; i++) mistakes.push((await client.signIn(teachers[1]!.email, wrong(), school)).status);
    expect(mistakes).toEqual(Array(9).fill(401));
    const again: number[] = [];
    for (let i = 0; i < 3; i++)
      again.push((await client.signIn(teachers[i]!.email, teachers[i]!.password, school)).status);
    expect(again).toEqual(Array(3).fill(200));
    expect((await client.signIn(teachers[1]!.email, wrong(), school)).status).toBe(401);
    // The tenth failure from this address in the minute was the last one answered.
    expect((await client.signIn(teachers[2]!.email, wrong(), school)).status).toBe(429);
  });

  test("failed guesses at many accounts from one address hit the address's limit, which ends after the minute", async () => {
    const teacher = await makeTeacher();
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await client.signIn(nobody(), wrong(), ip)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refused = await client.signIn(nobody(), wrong(), ip);
    expect(refused.status).toBe(429);
    expect(retryAfter(refused.answer)).toBeGreaterThan(0);
    expect(retryAfter(refused.answer)).toBeLessThanOrEqual(60);
    // A forged X-Forwarded-For does not make it another client.
    expect(
      (await client.signIn(teacher.email, teacher.password, ip, { "x-forwarded-for": "198.51.100.200" })).status,
    ).toBe(429);
    // From another address the same person signs in.
    expect((await client.signIn(teacher.email, teacher.password, freshIp())).status).toBe(200);
    await passTime(db, addressThrottleKey(ip), 60_000);
    expect((await client.signIn(teacher.email, teacher.password, ip)).status).toBe(200);
  });

  test("the address recorded with a dashboard session is the connection's, not a forged X-Forwarded-For", async () => {
    const teacher = await makeTeacher();
    const ip = freshIp();
    const signedIn = await client.signIn(teacher.email, teacher.password, ip, {
      "x-forwarded-for": "198.51.100.9",
      "x-real-ip": "198.51.100.10",
    });
    expect(signedIn.status).toBe(200);
    const { rows } = await db.pool.query<{ ip_address: string }>(
      "SELECT s.ip_address FROM auth_session s JOIN auth_user u ON u.id = s.user_id WHERE u.email = $1",
      [teacher.email],
    );
    expect(rows.map((row) => row.ip_address)).toEqual([ip]);
  });

  describe("where signing in leads", () => {
    let cookie: string;
    beforeAll(async () => {
      const teacher = await makeTeacher();
      const signedIn = await client.signIn(teacher.email, teacher.password);
      expect(signedIn.status).toBe(200);
      cookie = signedIn.cookie;
    });

    /** A redirect's target, resolved as a browser resolves its Location header. */
    const target = (answer: Answer): URL => {
      expect([303, 307, 308], `status of a redirect to ${answer.headers.get("location")}`).toContain(answer.status);
      return new URL(answer.headers.get("location")!, backend.baseUrl);
    };

    // Each page with a path and query a teacher may be sent as a link.
    const pages = [
      "/sessions?view=all&type=quran",
      "/sessions/cm4b2c3d4e5f6?tab=report",
      "/students/cm9z8y7x6w5v4?from=2026-09-01&to=2026-12-01",
      "/admin/events?event=participant_joined&room=al-noor%208841",
      "/admin/policy",
    ];

    /** A path and query, compared as the page reads them (a space may come back as %20 or +). */
    const parts = (pathAndQuery: string) => {
      const url = new URL(pathAndQuery, "http://x.invalid");
      return { path: url.pathname, query: [...url.searchParams.entries()] };
    };

    test("a page asked for without a session sends to sign-in with its own path and query", async () => {
      for (const page of pages) {
        const location = target(await client.request(page));
        expect(location.origin, page).toBe(backend.baseUrl);
        expect(location.pathname, page).toBe("/sign-in");
        expect(parts(location.searchParams.get("next")!), page).toEqual(parts(page));
      }
      // Next.js's own parameter for client navigations is not part of the link.
      const rsc = target(await client.request("/sessions/cm4b2c3d4e5f6?_rsc=abc12&tab=report"));
      expect(rsc.searchParams.get("next")).toBe("/sessions/cm4b2c3d4e5f6?tab=report");
      // What a client puts in the header the proxy uses is overwritten.
      const forged = target(
        await client.request("/sessions/cm4b2c3d4e5f6", { headers: { "x-rollcall-return-path": "//evil.example" } }),
      );
      expect(forged.searchParams.get("next")).toBe("/sessions/cm4b2c3d4e5f6");
    });

    test("signed in, the sign-in page returns to that page", async () => {
      for (const page of pages) {
        const location = target(await client.request(`/sign-in?next=${encodeURIComponent(page)}`, { cookie }));
        expect(location.origin, page).toBe(backend.baseUrl);
        expect(`${location.pathname}${location.search}`, page).toBe(page);
      }
      // Followed through: the deep link is the page itself, answered for the signed-in teacher.
      const link = target(await client.request(pages[0]!));
      const back = target(await client.request(`${link.pathname}${link.search}`, { cookie }));
      expect(`${back.pathname}${back.search}`).toBe(pages[0]);
      expect((await client.request(`${back.pathname}${back.search}`, { cookie })).status).toBe(200);
    });

    test("signing in never leads to another origin", async () => {
      const hostile = [
        "next=%2F%5Cevil.example", // reported: /\evil.example
        "next=/%09/evil.example", // reported: /<tab>/evil.example
        "next=/%0a/evil.example",
        "next=%5C%5Cevil.example",
        "next=//evil.example",
        "next=https://evil.example/sessions",
        `next=${encodeURIComponent(`${backend.baseUrl}@evil.example/`)}`,
        "next=/.//evil.example",
        "next=javascript:alert(1)",
        "next=/sign-in%3Fnext%3D//evil.example",
      ];
      for (const query of hostile) {
        const location = target(await client.request(`/sign-in?${query}`, { cookie }));
        expect(location.origin, query).toBe(backend.baseUrl);
        expect(location.pathname, query).toBe("/sessions");
      }
    });
  });
});

// A proxy in front of the app (ROLLCALL_TRUSTED_PROXY_HOPS=1), played by the test: the rightmost
// X-Forwarded-For entry is the client. Short limits (ROLLCALL_SIGNIN_*), so a cool-down ends
// within a second of real time. On the PostgreSQL backend's database.
describe("sign-in behind one trusted proxy, with short configured limits", () => {
  const backend = backends().find((candidate) => candidate.name === "postgres")!;
  let app: AppServer;
  let db: BackendDb;
  let client: Client;
  let teacher: Teacher;
  const proxyAddress = freshIp();
  /** The test as the proxy: the client's own X-Forwarded-For, then the address the proxy saw. */
  const viaProxy = (client: string, forged = `198.51.100.${1 + Math.floor(Math.random() * 250)}`) => ({
    "x-forwarded-for": `${forged}, ${client}`,
  });
  const clientAddress = () => `203.0.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

  beforeAll(async () => {
    db = connectBackend(backend);
    const { apiKey, apiSecret } = livekitCredentials();
    app = await startAppServer({
      port: await findFreePort(),
      logDir: path.join(inject("workDir"), "proxied"),
      env: {
        DATABASE_URL: backend.databaseUrl,
        BETTER_AUTH_SECRET: "integration-tests-secret-0123456789abcdef",
        LIVEKIT_API_KEY: apiKey,
        LIVEKIT_API_SECRET: apiSecret,
        ROLLCALL_SWEEP_INTERVAL_SECONDS: "0",
        ROLLCALL_TRUSTED_PROXY_HOPS: "1",
        ROLLCALL_SIGNIN_ATTEMPTS_PER_MINUTE: "4",
        ROLLCALL_SIGNIN_ACCOUNT_FAILURES: "3",
        ROLLCALL_SIGNIN_ACCOUNT_WINDOW_MINUTES: "0.1",
        ROLLCALL_SIGNIN_LOCKOUT_SECONDS: "0.5",
        ROLLCALL_SIGNIN_LOCKOUT_MAX_MINUTES: "0.02",
      },
    });
    client = new Client(app.baseUrl);
    const academyId = (await seedAcademy(db.prisma, "Proxied Academy")).academy.id;
    teacher = {
      email: `${uniqueName("teacher")}@example.org`,
      password: `pw-${randomBytes(12).toString("base64url")}`,
    };
    await createDashboardUser(db.prisma, {
      academyId,
      role: "teacher",
      ...teacher,
      name: "Proxied Teacher",
      externalId: uniqueName("t"),
    });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await db?.close();
  });

  test("the client is the address the proxy appended, whatever the client wrote before it", async () => {
    const client1 = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await client.signIn(nobody(), wrong(), proxyAddress, viaProxy(client1))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Another client behind the same proxy has its own count.
    expect((await client.signIn(nobody(), wrong(), proxyAddress, viaProxy(clientAddress()))).status).toBe(401);
    // And the session records the client, not the proxy or the forged entry.
    const client2 = clientAddress();
    expect(
      (await client.signIn(teacher.email, teacher.password, proxyAddress, viaProxy(client2, "198.51.100.99"))).status,
    ).toBe(200);
    const { rows } = await db.pool.query<{ ip_address: string }>(
      "SELECT s.ip_address FROM auth_session s JOIN auth_user u ON u.id = s.user_id WHERE u.email = $1",
      [teacher.email],
    );
    expect(rows.map((row) => row.ip_address)).toEqual([client2]);
  });

  test("an account's cool-down ends by itself (configured to half a second here)", async () => {
    for (let i = 0; i < 3; i++)
      expect((await client.signIn(teacher.email, wrong(), proxyAddress, viaProxy(clientAddress()))).status).toBe(401);
    const refused = await client.signIn(teacher.email, teacher.password, proxyAddress, viaProxy(clientAddress()));
    expect(refused.status).toBe(429);
    expect(retryAfter(refused.answer)).toBe(1);
    // Poll, never sleeping more than a quarter of a second at a time, for at most five seconds.
    const deadline = Date.now() + 5_000;
    let status = refused.status;
    while (status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await client.signIn(teacher.email, teacher.password, proxyAddress, viaProxy(clientAddress()))).status;
    }
    expect(status).toBe(200);
  });
});
