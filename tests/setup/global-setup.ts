import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { embeddedDatabaseUrl } from "../../lib/db/embedded-credentials.ts";
import { findFreePort } from "../../lib/db/free-port.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { createTestDatabase } from "../support/postgres.ts";
import type { Backend } from "../support/backends.ts";

/**
 * Starts the built app twice, as users run it: once on the embedded database (no DATABASE_URL, a
 * fresh data folder) and once on the real PostgreSQL server with a database of its own, migrated by
 * the stock `prisma migrate deploy`. Every integration test runs against both.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(".next/BUILD_ID"))
    throw new Error("The integration tests run the built app: run `npm run build` first (`npm test` does).");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-it-"));
  const livekit = { apiKey: "rollcall-test-key", apiSecret: randomBytes(24).toString("hex") };
  // No background sweep: every test decides when a calculation runs (the API's recalculation, the
  // CLI, or lib/ called directly), so no test waits on a timer or accepts either of two outcomes.
  const commonEnv = {
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    ROLLCALL_SWEEP_INTERVAL_SECONDS: "0",
  };

  const database = await createTestDatabase();
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: database.url },
    stdio: "pipe",
  });

  const embeddedDir = path.join(workDir, "embedded");
  const [embeddedDbPort, embeddedAppPort, postgresAppPort] = await Promise.all([
    findFreePort(),
    findFreePort(),
    findFreePort(),
  ]);
  const servers: AppServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
    // ROLLCALL_KEEP_TEST_LOGS=1 keeps the apps' logs (and the embedded database) for a post-mortem.
    if (process.env.ROLLCALL_KEEP_TEST_LOGS) console.log(`test logs kept in ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const [embedded, postgres] = await Promise.all([
      startAppServer({
        port: embeddedAppPort,
        logDir: workDir,
        env: {
          ...commonEnv,
          DATABASE_URL: "",
          ROLLCALL_DATA_DIR: embeddedDir,
          ROLLCALL_EMBEDDED_DB_PORT: String(embeddedDbPort),
        },
      }),
      startAppServer({
        port: postgresAppPort,
        logDir: workDir,
        // On DATABASE_URL the dashboard's cookie secret must be given, as in production.
        env: {
          ...commonEnv,
          DATABASE_URL: database.url,
          BETTER_AUTH_SECRET: "integration-tests-secret-0123456789abcdef",
        },
      }),
    ]);
    servers.push(embedded, postgres);
    const backends: Backend[] = [
      {
        name: "embedded",
        baseUrl: embedded.baseUrl,
        databaseUrl: embeddedDatabaseUrl(embeddedDir, embeddedDbPort),
        dataDir: embeddedDir,
      },
      { name: "postgres", baseUrl: postgres.baseUrl, databaseUrl: database.url, dataDir: null },
    ];
    project.provide("backends", backends);
    project.provide("livekit", livekit);
    project.provide("workDir", workDir);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
