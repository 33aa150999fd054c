import "server-only";
import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded.ts";
import { closeDb } from "./db/client.ts";
import { env, isInngestConfigured, missingProductionSettings, setDatabaseUrl } from "./env.ts";
import { startInProcessRunner } from "./scheduling/in-process-runner.ts";

interface StartupGlobals {
  rollcallStarted?: Promise<void>;
}
const globals = globalThis as unknown as StartupGlobals;

/**
 * Starts what the server needs besides Next itself: with no DATABASE_URL the embedded database
 * (served from this process so the command line can use it too), and without Inngest the
 * in-process runner for the sweep and reconciliation.
 */
export function startServerServices(): Promise<void> {
  globals.rollcallStarted ??= start();
  return globals.rollcallStarted;
}

async function start(): Promise<void> {
  const config = env();
  // Before anything listens: a deployment with development credentials must not run at all.
  const missing = process.env.ROLLCALL_EMBEDDED === "1" ? null : missingProductionSettings(config);
  if (missing) {
    console.error(`[rollcall] ${missing}`);
    process.exit(1);
  }
  let embedded: EmbeddedDatabase | null = null;
  if (!config.DATABASE_URL) {
    const dataDir = path.resolve(config.ROLLCALL_DATA_DIR);
    embedded = await startEmbeddedDatabase({
      dataDir,
      port: config.ROLLCALL_EMBEDDED_DB_PORT,
      idleInTransactionTimeoutMs: config.ROLLCALL_EMBEDDED_DB_IDLE_TRANSACTION_SECONDS * 1000,
    });
    setDatabaseUrl(embedded.url, { embedded: true });
    console.log(
      `[rollcall] embedded PostgreSQL (PGlite) in ${dataDir}, ${embedded.isOwner ? "served" : "shared"} at ${embedded.displayUrl} (password in ${embedded.passwordFile})`,
    );
  }

  // Without Inngest, this process sweeps for due calculations itself (unless the sweep is off).
  const sweepOff = config.ROLLCALL_SWEEP_INTERVAL_SECONDS === 0;
  const runner = isInngestConfigured(config) || sweepOff ? null : startInProcessRunner();
  console.log(
    `[rollcall] background work: ${runner ? "in-process runner" : sweepOff ? "none (ROLLCALL_SWEEP_INTERVAL_SECONDS=0)" : "Inngest"}`,
  );

  const shutdown = async (signal: NodeJS.Signals) => {
    runner?.stop();
    await closeDb().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(signal === "SIGINT" ? 130 : 0);
  };
  process.once("SIGTERM", (signal) => void shutdown(signal));
  process.once("SIGINT", (signal) => void shutdown(signal));
}
