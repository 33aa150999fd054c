import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { embeddedDatabaseUrl } from "../lib/db/embedded-credentials.ts";
import { findFreePort } from "../lib/db/free-port.ts";
import { createRng, livekitId } from "../lib/simulation/random.ts";
import { participantJoined, toWebhookBody } from "../lib/simulation/webhook-payloads.ts";
import { livekitCredentials } from "./support/backends.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { startCli } from "./support/cli.ts";
import { postWebhook } from "./support/fixtures.ts";

// The app on a database of its own that the test stops and restarts, as an outage would.
describe("when the database is down", () => {
  let workDir: string;
  let dbPort: number;
  let app: AppServer;
  let database: { stop(signal?: NodeJS.Signals): Promise<void> } | null = null;
  // The password is generated into the data folder when db:serve first opens it.
  const dbUrl = () => embeddedDatabaseUrl(path.join(workDir, "db"), dbPort);
  const startDatabase = async () => {
    database = await startCli(
      ["db:serve", "--data", path.join(workDir, "db"), "--port", String(dbPort)],
      { DATABASE_URL: "" },
      /serving/,
    );
  };

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-outage-"));
    dbPort = await findFreePort();
    await startDatabase();
    const { apiKey, apiSecret } = livekitCredentials();
    app = await startAppServer({
      port: await findFreePort(),
      logDir: workDir,
      env: {
        DATABASE_URL: dbUrl(),
        LIVEKIT_API_KEY: apiKey,
        LIVEKIT_API_SECRET: apiSecret,
        BETTER_AUTH_SECRET: "outage-embedded-secret-0123456789abcdef",
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("webhooks are answered 503, never 200, and LiveKit's retries store them once it is back", async () => {
    const rng = createRng(3);
    const room = { sid: livekitId(rng, "RM_"), name: "outage-room", creationTimeMs: Date.UTC(2026, 10, 20, 10) };
    const bodies = Array.from({ length: 5 }, (_, i) =>
      toWebhookBody(
        participantJoined(
          livekitId(rng, "EV_"),
          room,
          { sid: livekitId(rng, "PA_"), identity: `s${i}`, name: `S${i}`, joinedAtMs: Date.UTC(2026, 10, 20, 10, i) },
          Date.UTC(2026, 10, 20, 10, i),
        ),
      ),
    );
    expect((await postWebhook(app.baseUrl, bodies[0]!)).status).toBe(200);

    await database!.stop();
    database = null;
    for (const body of bodies.slice(1)) {
      const response = await postWebhook(app.baseUrl, body);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBeTruthy();
    }
    expect((await fetch(`${app.baseUrl}/api/health`)).status).toBe(503);

    await startDatabase();
    // LiveKit retries 5xx with backoff (1, 2, 4, 8 s); a connection broken by the outage may cost one try.
    for (const body of bodies) {
      let status = 0;
      for (let attempt = 0; attempt < 5 && status !== 200; attempt++) {
        status = (await postWebhook(app.baseUrl, body)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
      expect(status).toBe(200);
    }
    const client = new pg.Client({ connectionString: dbUrl() });
    await client.connect();
    const stored = await client.query("SELECT id FROM webhook_event ORDER BY id");
    await client.end();
    expect(stored.rows.map((row) => row.id).sort()).toEqual(bodies.map((body) => JSON.parse(body).id).sort());
  });
});
