import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findFreePort } from "../lib/db/free-port.ts";
import { calculateSessions } from "../lib/reports/calculate-sessions.ts";
import { createRng } from "../lib/simulation/random.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { connectBackend, livekitCredentials } from "./support/backends.ts";
import { runCli } from "./support/cli.ts";
import { postWebhook, seedAcademy } from "./support/fixtures.ts";
import { compareWithReference, createRandomClasses, duplicatedAndShuffled, inParallel } from "./support/random-classes.ts";
import { createThrowawayPostgres, type ThrowawayPostgres } from "./support/throwaway-postgres.ts";

// A PostgreSQL server of the test's own crashes in the middle of a burst of webhooks. Every request
// is answered 200 only once its event is committed, 503 otherwise (LiveKit retries those); nothing
// answered 200 is lost by the crash; after the restart and the retries the reports are complete.
describe("PostgreSQL crashes during a burst of webhooks", () => {
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
      env: { DATABASE_URL: postgres.url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret, BETTER_AUTH_SECRET: "outage-test-secret-0123456789abcdef0123" },
    });
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    postgres?.destroy();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

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
    const storedIds = async () => new Set((await check.query<{ id: string }>("SELECT id FROM webhook_event")).rows.map((row) => row.id));
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
      const summary = await calculateSessions({ pool, sessionIds: classes.map((c) => c.sessionId), force: true, trigger: "manual" });
      expect(summary.failures).toEqual([]);
      expect(await compareWithReference(pool, classes)).toEqual([]);
    } finally {
      await pool.end();
    }
  }, 300_000);
});
