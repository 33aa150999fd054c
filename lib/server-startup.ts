import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded.ts";
import { closeDb } from "./db.ts";
import { env, setDatabaseUrl } from "./env.ts";

interface StartupGlobals {
  rollcallStarted?: Promise<void>;
}
const globals = globalThis as unknown as StartupGlobals;

/**
 * Starts what the server needs besides Next itself. With no DATABASE_URL that is the embedded
 * database (served from this process so the command line can use it too).
 */
export function startServerServices(): Promise<void> {
  globals.rollcallStarted ??= start();
  return globals.rollcallStarted;
}

async function start(): Promise<void> {
  const config = env();
  let embedded: EmbeddedDatabase | null = null;
  if (!config.DATABASE_URL) {
    const dataDir = path.resolve(config.ROLLCALL_DATA_DIR);
    embedded = await startEmbeddedDatabase({ dataDir, port: config.ROLLCALL_EMBEDDED_DB_PORT });
    setDatabaseUrl(embedded.url);
    console.log(`[rollcall] embedded PostgreSQL (PGlite) in ${dataDir}, ${embedded.isOwner ? "served" : "shared"} at ${embedded.url}`);
  }

  const shutdown = async (signal: NodeJS.Signals) => {
    await closeDb().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(signal === "SIGINT" ? 130 : 0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
